from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerateliers.models import Leeratelier, Voorwaarde
from netwerk.models import Persoon
from themas.models import Contactpersoon, Invalshoek, Thema, Update, Volging
from themas.rendering import MAX_LENGTH, MarkdownRefused, check_markdown, validate_markdown
from themas.services import ContactInvoer, InvalshoekInvoer


class UpdateForm(forms.Form):
    """Writing an update in the portal; the chosen action decides what happens on submit."""

    class Actie:
        VOORBEELD = "voorbeeld"
        CONCEPT = "concept"
        INPLANNEN = "inplannen"
        PUBLICEREN = "publiceren"

    titel = forms.CharField(label=_("Titel"), max_length=200)
    samenvatting = forms.CharField(
        label=_("Samenvatting"),
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Twee of drie zinnen; ze staan in overzichten en mails."),
    )
    tekst = forms.CharField(
        label=_("Tekst"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=Update._meta.get_field("tekst").help_text,
    )
    vermelde_leerateliers = forms.ModelMultipleChoiceField(
        label=_("Vermelde leerateliers"),
        queryset=Leeratelier.objects.zichtbaar().only("pk", "naam"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    voorwaarden = forms.ModelMultipleChoiceField(
        label=_("Voorwaarden van sociale kwaliteit"),
        queryset=Voorwaarde.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    afbeelding = forms.ImageField(label=_("Afbeelding"), required=False)
    # The image chosen before a preview (themas.services.keep_preview_image): a browser does
    # not send a chosen file twice.
    voorlopige_afbeelding = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    afbeelding_alt = forms.CharField(
        label=_("Beschrijving van de afbeelding"),
        max_length=250,
        required=False,
        help_text=Update._meta.get_field("afbeelding_alt").help_text,
    )
    publiceren_op = forms.DateTimeField(
        label=_("Publiceren op"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Alleen nodig om de update in te plannen."),
    )
    actie = forms.ChoiceField(
        choices=[
            (Actie.VOORBEELD, _("Voorbeeld bekijken")),
            (Actie.CONCEPT, _("Opslaan als concept")),
            (Actie.INPLANNEN, _("Inplannen")),
            (Actie.PUBLICEREN, _("Nu publiceren")),
        ],
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, update: Update | None = None, **kwargs):
        self.update = update
        super().__init__(*args, **kwargs)

    def clean_tekst(self):
        tekst = self.cleaned_data["tekst"]
        try:
            check_markdown(tekst)
        except MarkdownRefused as error:
            raise ValidationError(str(error), code="markdown") from error
        return tekst

    def clean(self):
        cleaned = super().clean()
        has_image = (
            cleaned.get("afbeelding")
            or cleaned.get("voorlopige_afbeelding")
            or (self.update and self.update.afbeelding)
        )
        if has_image and not cleaned.get("afbeelding_alt", "").strip():
            self.add_error("afbeelding_alt", _("Beschrijf wat er op de afbeelding staat."))
        if cleaned.get("actie") == self.Actie.INPLANNEN:
            moment = cleaned.get("publiceren_op")
            if moment is None:
                self.add_error("publiceren_op", _("Kies wanneer de update verschijnt."))
            elif moment <= timezone.now():
                self.add_error("publiceren_op", _("Kies een moment in de toekomst."))
        return cleaned


class VolgForm(forms.Form):
    frequentie = forms.ChoiceField(
        label=_("Hoe wil je updates ontvangen?"),
        choices=Volging.Frequentie.choices,
        initial=Volging.Frequentie.PER_UPDATE,
    )


class ThemaForm(forms.Form):
    """The texts of a thema page; its invalshoeken and contact people are the formsets
    `invalshoeken` and `contactpersonen`, validated and saved with it."""

    ondertitel = forms.CharField(label=_("Ondertitel"), max_length=300, required=False)
    inleiding = forms.CharField(
        label=_("Inleiding"),
        required=False,
        max_length=MAX_LENGTH,
        validators=[validate_markdown],
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=Thema._meta.get_field("inleiding").help_text,
    )
    wat_gaan_we_doen = forms.CharField(
        label=_("Wat gaan we doen?"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=Thema._meta.get_field("wat_gaan_we_doen").help_text,
    )

    def __init__(self, *args, thema: Thema, **kwargs):
        super().__init__(*args, **kwargs)
        data = kwargs.get("data")
        self.invalshoeken = InvalshoekFormSet(
            data,
            prefix="invalshoek",
            initial=None if data is not None else _invalshoek_initial(thema),
        )
        self.contactpersonen = ContactFormSet(
            data,
            prefix="contact",
            initial=None if data is not None else _contact_initial(thema),
            form_kwargs={"thema": thema},
        )

    def is_valid(self):
        valid = [super().is_valid(), self.invalshoeken.is_valid(), self.contactpersonen.is_valid()]
        return all(valid)

    @property
    def formsets(self) -> list:
        return [self.invalshoeken, self.contactpersonen]

    @property
    def has_errors(self) -> bool:
        return bool(
            self.errors
            or any(form.errors for form in self.invalshoeken)
            or self.invalshoeken.non_form_errors()
            or any(form.errors for form in self.contactpersonen)
            or self.contactpersonen.non_form_errors()
        )

    def invalshoek_invoer(self) -> list[InvalshoekInvoer]:
        return [
            InvalshoekInvoer(
                pk=form.cleaned_data.get("id"),
                titel=form.cleaned_data["titel"],
                tekst=form.cleaned_data["tekst"],
            )
            for form in self.invalshoeken.ordered_forms
        ] + [
            InvalshoekInvoer(pk=form.cleaned_data["id"], titel="", tekst="", verwijderen=True)
            for form in self.invalshoeken.deleted_forms
            if form.cleaned_data.get("id")
        ]

    def contact_invoer(self) -> list[ContactInvoer]:
        fields = ["persoon", "naam", "rol", "email", "onderwerp", "toestemming"]
        return [
            ContactInvoer(
                pk=form.cleaned_data.get("id"), **{name: form.cleaned_data[name] for name in fields}
            )
            for form in self.contactpersonen.ordered_forms
        ] + [
            ContactInvoer(pk=form.cleaned_data["id"], verwijderen=True)
            for form in self.contactpersonen.deleted_forms
            if form.cleaned_data.get("id")
        ]


class InvalshoekForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    titel = forms.CharField(label=_("Titel van de invalshoek"), max_length=200)
    tekst = forms.CharField(
        label=_("Tekst van de invalshoek"),
        required=False,
        max_length=MAX_LENGTH,
        validators=[validate_markdown],
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=Invalshoek._meta.get_field("tekst").help_text,
    )


class ContactForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    persoon = forms.ModelChoiceField(
        label=_("Persoon van het portaal"),
        queryset=Persoon.objects.none(),
        required=False,
        empty_label=_("Niemand van het portaal: vul een naam in"),
        help_text=_("De thematrekkers en de trekkers van de leerateliers die het thema kruist."),
    )
    naam = forms.CharField(label=_("Naam"), max_length=150, required=False)
    rol = forms.CharField(
        label=_("Rol"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld: sociaal-artistiek verbinder."),
    )
    email = forms.EmailField(label=_("E-mailadres"), required=False)
    onderwerp = forms.CharField(
        label=_("Onderwerp"),
        max_length=200,
        required=False,
        help_text=Contactpersoon._meta.get_field("onderwerp").help_text,
    )
    toestemming = forms.BooleanField(
        label=_("Toestemming gegeven"),
        required=False,
        help_text=Contactpersoon._meta.get_field("toestemming").help_text,
    )

    def __init__(self, *args, thema: Thema, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persoon"].queryset = Persoon.objects.filter(
            Q(getrokken_themas=thema) | Q(getrokken_leerateliers__themas=thema), is_active=True
        ).distinct()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("persoon") and not cleaned.get("naam", "").strip():
            self.add_error("naam", _("Kies een persoon van het portaal of vul een naam in."))
        return cleaned


InvalshoekFormSet = forms.formset_factory(
    InvalshoekForm, extra=1, can_delete=True, can_order=True, max_num=20, validate_max=True
)
ContactFormSet = forms.formset_factory(
    ContactForm, extra=1, can_delete=True, can_order=True, max_num=20, validate_max=True
)


def _invalshoek_initial(thema: Thema) -> list[dict]:
    return [
        {"id": row.pk, "titel": row.titel, "tekst": row.tekst, "ORDER": index + 1}
        for index, row in enumerate(thema.invalshoeken.all())
    ]


def _contact_initial(thema: Thema) -> list[dict]:
    return [
        {
            "id": row.pk,
            "persoon": row.persoon_id,
            "naam": row.naam,
            "rol": row.rol,
            "email": row.email,
            "onderwerp": row.onderwerp,
            "toestemming": row.toestemming,
            "ORDER": index + 1,
        }
        for index, row in enumerate(thema.contactpersonen.all())
    ]
