from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from bijeenkomsten import imports, selectors
from bijeenkomsten import vragen as vraagvelden
from bijeenkomsten.models import (
    MAX_CAPACITY,
    Aanmelding,
    Bericht,
    Bijeenkomst,
    ProgrammaOnderdeel,
    Teamlid,
    Uitnodiging,
    Vraag,
)
from kennisbank.models import Kennisproduct
from leerateliers.models import Deelname, Leeratelier
from leerateliers.selectors import leerateliers_voor_keuze
from netwerk.models import Organisatie, Persoon
from netwerk.selectors import actief_account_met_adres, organisaties_voor_keuze
from themas.models import Thema, Update
from themas.rendering import validate_markdown
from themas.selectors import themas_voor_keuze
from werkplaats.bestanden import BestandGeweigerd, check_bestand

WISHES_WIDGETS = {"dieetwensen": forms.TextInput(), "toegankelijkheid": forms.TextInput()}
WISHES_HELP = {"toegankelijkheid": _("Bijvoorbeeld rolstoeltoegankelijk of een tolk.")}


class QuestionsMixin:
    """A registration form that asks the bijeenkomst's questions (`add_question_fields()`)
    and hands their answers to the service, which checks them again with the same fields."""

    vragen: list = []

    def antwoorden(self) -> dict[int, object]:
        """The answers to the questions: {vraag pk: value as stored}."""
        return {
            vraag.pk: vraagvelden.naar_waarde(
                vraag, self.cleaned_data.get(vraagvelden.veldnaam(vraag))
            )
            for vraag in self.vragen
        }


def add_question_fields(form: QuestionsMixin, vragen, *, verplicht: bool | None = None) -> None:
    """The bijeenkomst's own questions, after the form's fixed fields, in their order;
    `verplicht` False: none required (the team registering someone may not know)."""
    form.vragen = list(vragen)
    for vraag in form.vragen:
        form.fields[vraagvelden.veldnaam(vraag)] = vraagvelden.veld(vraag, verplicht=verplicht)


class AanmeldForm(QuestionsMixin, forms.ModelForm):
    """Registration; a logged-in person registers with their own (verified) address, with
    organisatie and functie filled in from their profile (they can still change them).

    A guest gives their wishes on the confirmation page (WensenForm) instead.
    """

    class Meta:
        model = Aanmelding
        fields = ["naam", "email", "organisatie", "functie", "dieetwensen", "toegankelijkheid"]
        widgets = WISHES_WIDGETS
        help_texts = WISHES_HELP

    def __init__(self, *args, persoon=None, bijeenkomst=None, vragen=(), **kwargs):
        self.persoon = persoon if persoon is not None and persoon.is_authenticated else None
        if self.persoon:
            initial = kwargs.setdefault("initial", {})
            initial.update({"naam": self.persoon.naam, "email": self.persoon.email})
            if not (args or kwargs.get("data") is not None):
                # Only for the blank form: a posted one says what the person chose.
                initial.update(selectors.profiel_voor_aanmelding(self.persoon))
        super().__init__(*args, **kwargs)
        self.fields["naam"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["organisatie"].widget.attrs["autocomplete"] = "organization"
        self.fields["functie"].widget.attrs["autocomplete"] = "organization-title"
        if self.persoon:
            # Never trust a posted address for an account: it is the account's own.
            self.fields["email"].disabled = True
            self.fields["email"].help_text = _("Het adres van je account.")
            add_session_fields(self, bijeenkomst)
        else:
            del self.fields["dieetwensen"]
            del self.fields["toegankelijkheid"]
        add_question_fields(self, vragen)

    def validate_constraints(self, exclude=None):
        # The one-open-registration rule is checked by the service, under the lock.
        pass


class EvaluatieForm(forms.Form):
    """The evaluation's questions, asked by the same fields as the registration form's; the
    service checks the answers again with them."""

    def __init__(self, *args, vragen, **kwargs):
        super().__init__(*args, **kwargs)
        self.vragen = vragen
        for vraag in vragen:
            self.fields[vraagvelden.veldnaam(vraag)] = vraagvelden.veld(vraag)

    def antwoorden(self) -> dict[int, str]:
        return {
            vraag.pk: vraagvelden.naar_waarde(
                vraag, self.cleaned_data.get(vraagvelden.veldnaam(vraag))
            )
            for vraag in self.vragen
        }


class WensenForm(forms.ModelForm):
    """A guest's wishes, and their deelsessies, on the page that confirms their address."""

    class Meta:
        model = Aanmelding
        fields = ["dieetwensen", "toegankelijkheid"]
        widgets = WISHES_WIDGETS
        help_texts = WISHES_HELP

    def __init__(self, *args, bijeenkomst=None, **kwargs):
        super().__init__(*args, **kwargs)
        add_session_fields(self, bijeenkomst)


SESSION_FIELD_PREFIX = "sessie_"


def _session_label(sessie) -> str:
    label = sessie.titel + (f" ({sessie.zaal})" if sessie.zaal else "")
    if sessie.is_vol:
        label += " — " + (
            str(_("vol, met wachtlijst")) if sessie.wachtlijst_open else str(_("vol"))
        )
    return label


def add_session_fields(form, bijeenkomst, *, rondes=None, required: bool = True) -> None:
    """One choice of deelsessie per ronde of `bijeenkomst` (none without rondes), required
    unless `required` is False; `chosen_sessions(form)` gives the choices once the form is
    valid."""
    form.rondes = (
        rondes if rondes is not None else (selectors.rondes_van(bijeenkomst) if bijeenkomst else [])
    )
    for ronde in form.rondes:
        form.fields[f"{SESSION_FIELD_PREFIX}{ronde.pk}"] = forms.TypedChoiceField(
            label=_("%(ronde)s: kies een deelsessie") % {"ronde": ronde.titel},
            choices=[
                *([] if required else [("", _("Nog geen keuze"))]),
                *((sessie.pk, _session_label(sessie)) for sessie in ronde.deelsessies_lijst),
            ],
            coerce=int,
            empty_value=None,
            required=required,
            widget=forms.RadioSelect,
            error_messages={
                "required": _("Kies een deelsessie in deze ronde."),
                "invalid_choice": _("Kies een van de deelsessies van deze ronde."),
            },
        )


def chosen_sessions(form) -> list:
    by_pk = {sessie.pk: sessie for ronde in form.rondes for sessie in ronde.deelsessies_lijst}
    return [
        by_pk[form.cleaned_data[f"{SESSION_FIELD_PREFIX}{ronde.pk}"]]
        for ronde in form.rondes
        if form.cleaned_data.get(f"{SESSION_FIELD_PREFIX}{ronde.pk}") in by_pk
    ]


def session_data(cleaned_data: dict) -> dict:
    """The form's data without its session fields, for a service that takes the rest."""
    return {k: v for k, v in cleaned_data.items() if not k.startswith(SESSION_FIELD_PREFIX)}


class SessieWisselForm(forms.Form):
    """Change the deelsessie chosen in one ronde (the page shows one form per ronde)."""

    def __init__(self, *args, ronde, **kwargs):
        super().__init__(*args, **kwargs)
        add_session_fields(self, None, rondes=[ronde])


CAPACITY_ERROR = _("Vul een heel getal van 0 tot 100.000 in, of laat het veld leeg.")


class CapaciteitForm(forms.Form):
    capaciteit = forms.IntegerField(
        label=_("Capaciteit"),
        min_value=0,
        max_value=MAX_CAPACITY,
        required=False,
        help_text=_("Leeg: onbeperkt."),
        error_messages={
            "invalid": CAPACITY_ERROR,
            "min_value": CAPACITY_ERROR,
            "max_value": CAPACITY_ERROR,
        },
    )


def _datetime_widget():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class BijeenkomstForm(forms.ModelForm):
    """What a coördinator sets for a bijeenkomst; the status changes through its buttons."""

    online_link = forms.URLField(
        label=_("online link"),
        required=False,
        assume_scheme="https",
        help_text=_("Alleen zichtbaar voor bevestigde deelnemers."),
    )

    class Meta:
        model = Bijeenkomst
        fields = [
            "titel",
            "soort",
            "beschrijving",
            "start",
            "eind",
            "locatie_naam",
            "locatie_adres",
            "locatie_plaats",
            "online_link",
            "capaciteit",
            "aanmelden_vanaf",
            "aanmelden_tot",
            "wachtlijst_open",
            "met_goedkeuring",
            "wachtlijst_modus",
            "bedenktijd_uren",
            "contact_email",
            "leerateliers",
            "themas",
            "organisaties",
        ]
        widgets = {
            "beschrijving": forms.Textarea(attrs={"rows": 6}),
            "start": _datetime_widget(),
            "eind": _datetime_widget(),
            "aanmelden_vanaf": _datetime_widget(),
            "aanmelden_tot": _datetime_widget(),
            "leerateliers": forms.CheckboxSelectMultiple,
            "themas": forms.CheckboxSelectMultiple,
            "organisaties": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("start", "eind", "aanmelden_vanaf", "aanmelden_tot"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M"]
        # The model's validator gives the limit; the field also says it to the browser.
        self.fields["capaciteit"].widget.attrs["max"] = MAX_CAPACITY
        self.fields["capaciteit"].error_messages["max_value"] = CAPACITY_ERROR
        self.fields["leerateliers"].queryset = Leeratelier.objects.actief().order_by("naam")
        self.fields["themas"].queryset = Thema.objects.order_by("naam")
        self.fields["organisaties"].queryset = Organisatie.objects.goedgekeurd().order_by("naam")

    def validate_constraints(self, exclude=None):
        # The service validates the whole row again under the lock.
        pass


class NamensForm(QuestionsMixin, forms.ModelForm):
    """Register someone on their behalf; with a reason, above capacity. The bijeenkomst's
    questions and deelsessies are asked too, none of them required: the person answers or
    chooses later on their own page."""

    boven_capaciteit = forms.BooleanField(
        label=_("Boven de capaciteit (spreker, eregast)"),
        required=False,
        help_text=_("Telt niet mee voor de plaatsen van anderen. Geef de reden hieronder."),
    )

    class Meta:
        model = Aanmelding
        fields = [
            "naam",
            "email",
            "organisatie",
            "functie",
            "dieetwensen",
            "toegankelijkheid",
            "opmerkingen",
            "boven_capaciteit_reden",
        ]
        widgets = {**WISHES_WIDGETS, "opmerkingen": forms.Textarea(attrs={"rows": 3})}
        help_texts = WISHES_HELP

    field_order = [*Meta.fields[:-1], "boven_capaciteit", "boven_capaciteit_reden"]

    def __init__(self, *args, bijeenkomst, vragen=(), **kwargs):
        super().__init__(*args, **kwargs)
        add_session_fields(self, bijeenkomst, required=False)
        add_question_fields(self, vragen, verplicht=False)

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("boven_capaciteit")
            and not (cleaned.get("boven_capaciteit_reden") or "").strip()
        ):
            self.add_error(
                "boven_capaciteit_reden", _("Geef de reden voor een plaats boven de capaciteit.")
            )
        if not cleaned.get("boven_capaciteit"):
            cleaned["boven_capaciteit_reden"] = ""
        return cleaned


# Invitations and messages to the registered (issue 9, points 9 and 10)


PERSONAL_MESSAGE_MAX = Uitnodiging._meta.get_field("persoonlijk_bericht").max_length


class UitnodigenForm(forms.Form):
    """Whom to invite. Its fields travel with the preview and the send button, so what is
    sent is worked out again from the same choices."""

    leerateliers = forms.ModelMultipleChoiceField(
        label=_("Deelnemers van leerateliers"),
        queryset=Leeratelier.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    rollen = forms.MultipleChoiceField(
        label=_("Welke deelnemers"),
        choices=Deelname.Rol.choices,
        required=False,
        initial=[Deelname.Rol.ARENA],
        widget=forms.CheckboxSelectMultiple,
    )
    themas = forms.ModelMultipleChoiceField(
        label=_("Volgers van thema's"),
        queryset=Thema.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organisaties = forms.ModelMultipleChoiceField(
        label=_("Iedereen van organisaties"),
        queryset=Organisatie.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Meer dan één kiezen: houd Ctrl (of Cmd) ingedrukt."),
    )
    abonnees = forms.ChoiceField(
        label=_("Nieuwsbriefabonnees"),
        required=False,
        choices=[
            ("", _("geen")),
            (
                selectors.ABONNEES_GEINTERESSEERD,
                _("wie interesse heeft in de leerateliers of thema's van deze bijeenkomst"),
            ),
            (selectors.ABONNEES_ALLE, _("alle bevestigde abonnees")),
        ],
        widget=forms.RadioSelect,
    )
    adressen = forms.CharField(
        label=_("Losse e-mailadressen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        # Help texts are HTML: the angle brackets are written as entities.
        help_text=_(
            "Eén per regel, of gescheiden door komma's of puntkomma's. "
            "Ook “Naam &lt;adres&gt;” kan."
        ),
    )
    persoonlijk_bericht = forms.CharField(
        label=_("Persoonlijk bericht (niet verplicht)"),
        required=False,
        max_length=PERSONAL_MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Gewone tekst, zonder opmaak; hoogstens 1000 tekens. Het staat in de uitnodiging, "
            "met je naam erbij."
        ),
        error_messages={
            "max_length": _("Het persoonlijke bericht is te lang: hoogstens 1000 tekens.")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leerateliers"].queryset = leerateliers_voor_keuze()
        self.fields["themas"].queryset = themas_voor_keuze()
        self.fields["organisaties"].queryset = organisaties_voor_keuze()

    def clean_adressen(self):
        adressen = self.cleaned_data["adressen"]
        if len(selectors.split_pasted(adressen)) > selectors.MAX_PASTED_ADDRESSES:
            raise ValidationError(
                _("Plak hoogstens %(max)s adressen tegelijk.")
                % {"max": selectors.MAX_PASTED_ADDRESSES}
            )
        return adressen

    def clean(self):
        data = super().clean()
        if data.get("leerateliers") and not data.get("rollen"):
            self.add_error("rollen", _("Kies arena, tribune of allebei."))
        sources = ["leerateliers", "themas", "organisaties", "abonnees", "adressen"]
        if not self.errors and not any(data.get(name) for name in sources):
            raise ValidationError(
                _(
                    "Kies wie je wilt uitnodigen: deelnemers, volgers, organisaties, "
                    "abonnees of adressen."
                )
            )
        return data

    def audience(self) -> selectors.Audience:
        data = self.cleaned_data
        ateliers = tuple(sorted(atelier.pk for atelier in data["leerateliers"]))
        return selectors.Audience(
            leeratelier_ids=ateliers,
            rollen=tuple(rol for rol in Deelname.Rol.values if rol in data["rollen"])
            if ateliers
            else (),
            thema_ids=tuple(sorted(thema.pk for thema in data["themas"])),
            organisatie_ids=tuple(sorted(organisatie.pk for organisatie in data["organisaties"])),
            adressen=data["adressen"],
            abonnees=data["abonnees"],
        )


class HerinnerenForm(forms.Form):
    ronde = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class UitnodigingAanmeldForm(QuestionsMixin, forms.ModelForm):
    """Registering through an invitation: the address is the invited one, not editable.
    The invitee chooses deelsessies and answers the questions as in the public form."""

    class Meta:
        model = Aanmelding
        fields = ["naam", "email", "organisatie", "functie", "dieetwensen", "toegankelijkheid"]
        widgets = WISHES_WIDGETS
        help_texts = WISHES_HELP

    def __init__(self, *args, uitnodiging, vragen=(), **kwargs):
        kwargs.setdefault("initial", {}).update(
            {"naam": uitnodiging.naam, "email": uitnodiging.email}
        )
        super().__init__(*args, **kwargs)
        add_session_fields(self, uitnodiging.bijeenkomst)
        add_question_fields(self, vragen)
        self.fields["naam"].widget.attrs["autocomplete"] = "name"
        self.fields["organisatie"].widget.attrs["autocomplete"] = "organization"
        self.fields["functie"].widget.attrs["autocomplete"] = "organization-title"
        # Disabled: a posted address is ignored, the invitation's own is used.
        self.fields["email"].disabled = True
        self.fields["email"].help_text = _("Het adres waarop je de uitnodiging kreeg.")

    def validate_constraints(self, exclude=None):
        # The one-open-registration rule is checked by the service, under the lock.
        pass


class RedenForm(forms.Form):
    """Why a coördinator did something; required where the issue asks for a reason."""

    reden = forms.CharField(label=_("Reden"), max_length=500)

    def __init__(self, *args, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reden"].required = required


class AnnulerenNamensForm(RedenForm):
    """Cancelling someone's registration: the reason is optional; only a form that carries
    `bevestigd` (the button of the confirmation page) cancels."""

    bevestigd = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, required=False, **kwargs)
        self.fields["reden"].label = _("Reden (niet verplicht)")
        self.fields["reden"].help_text = _("Komt in het logboek van de bijeenkomst.")


class TerPlekkeForm(forms.ModelForm):
    """Someone who arrives at the door without a registration (a walk-in)."""

    class Meta:
        model = Aanmelding
        fields = ["naam", "email", "organisatie"]
        error_messages = {
            "naam": {"required": _("Vul de naam in.")},
            "email": {
                "required": _("Vul het e-mailadres in."),
                "invalid": _("Vul een geldig e-mailadres in, zoals naam@example.nl."),
            },
        }
        help_texts = {
            "email": _("Nodig om één aanmelding per adres te houden en voor berichten achteraf."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["naam"].widget.attrs["autocomplete"] = "off"
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self.fields["organisatie"].widget.attrs["autocomplete"] = "off"

    def validate_constraints(self, exclude=None):
        # The one-open-registration rule is checked by the service, under the lock.
        pass


class BerichtForm(forms.ModelForm):
    class Meta:
        model = Bericht
        fields = ["doelgroep", "onderwerp", "tekst"]
        widgets = {"doelgroep": forms.RadioSelect, "tekst": forms.Textarea(attrs={"rows": 12})}
        help_texts = {
            "tekst": _(
                "Gewone tekst, zonder opmaak; links worden klikbaar. Iedereen krijgt er een "
                "aanhef met de eigen naam boven en de persoonlijke link naar de aanmelding onder."
            )
        }


# The coördinator's import and exports.


class ImportForm(forms.Form):
    bestand = forms.FileField(
        label=_("CSV-bestand"),
        help_text=_(
            "Kolommen: naam, e-mail, organisatie, functie, opmerkingen. Hooguit 2 MB en "
            "10.000 rijen."
        ),
        error_messages={
            "required": _("Kies een CSV-bestand."),
            "empty": _("Het bestand is leeg."),
        },
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_bestand(self):
        bestand = self.cleaned_data["bestand"]
        # Refused before it is read: the limit is about what we take into memory.
        if bestand.size > imports.MAX_BYTES:
            raise forms.ValidationError(
                _("Het bestand is groter dan 2 MB. Splits het in kleinere bestanden.")
            )
        return bestand


EXPORT_CHOICES = [
    ("open", _("Iedereen met een lopende aanmelding")),
    *((status, capfirst(label)) for status, label in Aanmelding.Status.choices),
]


class ExportForm(forms.Form):
    keuze = forms.ChoiceField(label=_("Wie"), choices=EXPORT_CHOICES, initial="open")
    formaat = forms.ChoiceField(choices=[("csv", "CSV"), ("xlsx", "Excel (XLSX)")])


class VraagForm(forms.ModelForm):
    """A question of the registration form or of the evaluation (`doel`: the soorten each
    offers), as its team defines it."""

    class Meta:
        model = Vraag
        fields = ["tekst", "soort", "hulptekst", "verplicht", "keuzes", "volgorde"]
        widgets = {"keuzes": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, doel=Vraag.Doel.AANMELDING, **kwargs):
        super().__init__(*args, **kwargs)
        offered = Vraag.SOORTEN_PER_DOEL[doel]
        self.fields["soort"].choices = [
            (value, label) for value, label in Vraag.Soort.choices if value in offered
        ]
        self.fields["volgorde"].help_text = _("Lager staat eerder in het formulier.")
        self.fields["volgorde"].required = False

    def clean_volgorde(self):
        return self.cleaned_data.get("volgorde") or 0

    def validate_unique(self):
        # The service checks the whole question under its transaction.
        pass

    def validate_constraints(self, exclude=None):
        pass


class AanvragenForm(forms.Form):
    """The team's decision on waiting requests: the ones ticked, approved or declined."""

    GOEDKEUREN, AFWIJZEN = "goedkeuren", "afwijzen"

    aanvragen = forms.ModelMultipleChoiceField(
        label=_("Aanvragen"),
        queryset=Aanmelding.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één aanvraag.")},
    )
    besluit = forms.ChoiceField(
        label=_("Besluit"),
        choices=[(GOEDKEUREN, _("goedkeuren")), (AFWIJZEN, _("afwijzen"))],
    )
    reden = forms.CharField(
        label=_("Reden bij afwijzen (komt in de mail)"), max_length=500, required=False
    )

    def __init__(self, *args, bijeenkomst: Bijeenkomst, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aanvragen"].queryset = bijeenkomst.aanmeldingen.filter(
            status=Aanmelding.Status.AANGEVRAAGD
        )


# The verslag after a bijeenkomst.


class VerslagForm(forms.Form):
    """Geleerde lessen, what the bijeenkomst produced, and its slides; the attendance is not
    a field: the service reads it from the check-in."""

    geleerde_lessen = forms.CharField(
        label=_("Geleerde lessen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=20_000,
        validators=[validate_markdown],
        help_text=_(
            "Markdown: kopjes, lijsten, vet en links. Komt ook in de volgende nieuwsbrief."
        ),
    )
    updates = forms.ModelMultipleChoiceField(
        label=_("Updates"),
        required=False,
        queryset=Update.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    kennisproducten = forms.ModelMultipleChoiceField(
        label=_("Kennisproducten"),
        required=False,
        queryset=Kennisproduct.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    bestand = forms.FileField(
        label=_("Dia's of foto's"),
        required=False,
        help_text=_("Een PDF of PPTX; foto's bundel je in een PDF."),
        widget=forms.FileInput(attrs={"accept": ".pdf,.pptx"}),
    )
    bestand_verwijderen = forms.BooleanField(label=_("Bestand verwijderen"), required=False)
    publiceren = forms.BooleanField(
        label=_("Publiceren op de pagina van de bijeenkomst"),
        required=False,
        help_text=_("Kan pas als de bijeenkomst voorbij is. Zonder vinkje blijft het een concept."),
    )

    def __init__(self, *args, bijeenkomst: Bijeenkomst, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["updates"].queryset = selectors.updates_voor_verslag(bijeenkomst=bijeenkomst)
        self.fields["kennisproducten"].queryset = selectors.kennisproducten_voor_verslag(
            bijeenkomst=bijeenkomst
        )

    def clean_bestand(self):
        bestand = self.cleaned_data.get("bestand")
        if not bestand:
            return None
        try:
            checked = check_bestand(bestand)
        except BestandGeweigerd as error:
            raise ValidationError(str(error), code="bestand") from error
        if checked.type not in ("pdf", "pptx"):
            raise ValidationError(_("Kies een PDF of PPTX."), code="bestand")
        return bestand


class MateriaalForm(forms.Form):
    """Slides or a link for a programme item; the file is checked by what it contains
    (werkplaats.bestanden, as the kennisbank's), its type kept in `bestand_type`."""

    titel = forms.CharField(label=_("Titel"), max_length=200)
    link = forms.URLField(
        label=_("Link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("Bijvoorbeeld de opname of de dia's online. Of kies hieronder een bestand."),
    )
    bestand = forms.FileField(
        label=_("Bestand"),
        required=False,
        help_text=_("Een PDF, PPTX, DOCX of XLSX zonder macro's."),
        widget=forms.FileInput(attrs={"accept": ".pdf,.pptx,.docx,.xlsx"}),
    )
    direct_tonen = forms.BooleanField(
        label=_("Nu al tonen op de pagina van de bijeenkomst"),
        required=False,
        help_text=_("Zonder vinkje verschijnt het pas als de bijeenkomst voorbij is."),
    )

    def clean_bestand(self):
        bestand = self.cleaned_data.get("bestand")
        if not bestand:
            return None
        try:
            self.bestand_type = check_bestand(bestand).type
        except BestandGeweigerd as error:
            raise ValidationError(str(error), code="bestand") from error
        return bestand

    def clean(self):
        cleaned = super().clean()
        link, bestand = cleaned.get("link"), cleaned.get("bestand")
        if "link" in self.errors or "bestand" in self.errors:
            return cleaned
        if link and bestand:
            self.add_error("link", _("Geef een link of een bestand, niet allebei."))
        elif not link and not bestand:
            self.add_error("link", _("Geef een link of kies een bestand."))
        return cleaned


class CollegaAanmeldenForm(forms.Form):
    """The contactpersoon registers a confirmed colleague for a coming bijeenkomst."""

    collega = forms.ModelChoiceField(
        label=_("Collega"), queryset=None, empty_label=_("Kies een collega")
    )
    bijeenkomst = forms.ModelChoiceField(
        label=_("Bijeenkomst"), queryset=None, empty_label=_("Kies een bijeenkomst")
    )

    def __init__(self, *args, organisatie, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collega"].queryset = Persoon.objects.filter(
            lidmaatschappen__organisatie=organisatie, lidmaatschappen__status="bevestigd"
        ).order_by("naam", "pk")
        self.fields["bijeenkomst"].queryset = selectors.bijeenkomsten_voor_collegas()
        self.fields["bijeenkomst"].label_from_instance = lambda b: f"{b.titel} ({b.start:%d-%m-%Y})"


class DoorgevenForm(forms.Form):
    """To whom a confirmed place goes: a colleague of the same organisatie."""

    naam = forms.CharField(label=_("Naam van je collega"), max_length=150)
    email = forms.EmailField(label=_("E-mailadres van je collega"), max_length=254)


class GroepAanmeldenForm(forms.Form):
    """2 to 10 colleagues registered together, and what the group wants when not everyone
    fits (bijeenkomsten.services.groups). One row per person; empty rows are left out."""

    ROWS = 10

    keuze = forms.ChoiceField(
        label=_("Als er geen plek is voor iedereen"),
        choices=[
            (
                "splitsen",
                _(
                    "Splitsen: wie past krijgt nu een plek; de anderen komen op de wachtlijst, "
                    "in de volgorde van dit formulier."
                ),
            ),
            (
                "samen",
                _(
                    "Samen: de hele groep wacht als één geheel op de wachtlijst en krijgt pas "
                    "plekken aangeboden als er plek is voor iedereen."
                ),
            ),
        ],
        widget=forms.RadioSelect,
        help_text=_(
            "Is er nu geen plek voor de hele groep, dan kiest de groep vooraf wat er gebeurt. "
            "Wie samen wacht, houdt een plaats in de rij: wie later komt, gaat niet voor. "
            "Vrijgekomen plekken worden een bedenktijd lang voor de groep vastgehouden; "
            "daarna gaan ze naar wie achter de groep staat, en krijgt de groep plekken zodra "
            "er genoeg tegelijk vrij zijn."
        ),
        error_messages={"required": _("Kies wat de groep wil als er geen plek is voor iedereen.")},
    )

    def __init__(self, *args, bijeenkomst, **kwargs):
        super().__init__(*args, **kwargs)
        for number in range(1, self.ROWS + 1):
            self.fields[f"naam_{number}"] = forms.CharField(
                label=_("Naam van persoon %(nummer)s") % {"nummer": number},
                max_length=150,
                required=False,
            )
            self.fields[f"email_{number}"] = forms.EmailField(
                label=_("E-mailadres van persoon %(nummer)s") % {"nummer": number},
                max_length=254,
                required=False,
            )
        add_session_fields(self, bijeenkomst)

    def rows(self):
        """(number, naam field, e-mail field) per person, for the template."""
        return [
            (number, self[f"naam_{number}"], self[f"email_{number}"])
            for number in range(1, self.ROWS + 1)
        ]

    def clean(self):
        cleaned = super().clean()
        seen = {}
        members = []
        for number in range(1, self.ROWS + 1):
            naam = (cleaned.get(f"naam_{number}") or "").strip()
            email = (cleaned.get(f"email_{number}") or "").strip().lower()
            if f"email_{number}" in self.errors:
                continue
            if not naam and not email:
                continue
            if not naam:
                self.add_error(f"naam_{number}", _("Vul de naam van deze persoon in."))
            if not email:
                self.add_error(f"email_{number}", _("Vul het e-mailadres van deze persoon in."))
            elif email in seen:
                self.add_error(
                    f"email_{number}",
                    _("Dit e-mailadres staat al bij persoon %(nummer)s.") % {"nummer": seen[email]},
                )
            else:
                seen[email] = number
            members.append((naam, email))
        if not self.errors and not 2 <= len(members) <= self.ROWS:
            raise ValidationError(
                _("Een groep is 2 tot 10 mensen; je vulde er %(aantal)s in."),
                params={"aantal": len(members)},
            )
        cleaned["leden"] = members
        return cleaned


# The programme (issue 21, point 1): an item and its sprekers.


class SprekerForm(forms.Form):
    """One spreker: a person of the portal, named by the address of their account (never a
    list of everyone's names for the team to pick from), or a free name."""

    email = forms.EmailField(
        label=_("E-mailadres van een persoon van het portaal"),
        required=False,
        help_text=_("Heeft de spreker een account, vul dan het adres daarvan in."),
    )
    naam = forms.CharField(
        label=_("Naam"),
        max_length=150,
        required=False,
        help_text=_("Alleen als de spreker geen persoon van het portaal is."),
    )
    bio = forms.CharField(
        label=_("Korte bio"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_email(self):
        email = self.cleaned_data["email"]
        if not email:
            return email
        # The team sees whether an address has an account: who they name, not more.
        self.persoon = actief_account_met_adres(email)
        if self.persoon is None:
            raise ValidationError(
                _("Er is geen account met dit adres. Laat het leeg en vul de naam in.")
            )
        return email

    def clean(self):
        cleaned = super().clean()
        cleaned["persoon"] = getattr(self, "persoon", None) if cleaned.get("email") else None
        # A bio without anyone it belongs to; a wholly empty block is simply not used.
        if self.is_empty_row and cleaned.get("bio", "").strip():
            self.add_error("naam", _("Kies een persoon van het portaal of vul een naam in."))
        return cleaned

    @property
    def is_empty_row(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("persoon") and not data.get("naam", "").strip()


SprekerFormSet = forms.formset_factory(SprekerForm, extra=2, max_num=20, validate_max=True)


class OnderdeelForm(forms.Form):
    """A programme item; for a deelsessie also its ronde, places and wachtlijst. Its
    sprekers are the formset `sprekers`, validated with it."""

    soort = forms.ChoiceField(label=_("Soort"), choices=ProgrammaOnderdeel.Soort.choices)
    titel = forms.CharField(label=_("Titel"), max_length=200)
    start = forms.DateTimeField(
        label=_("Begint"), input_formats=["%Y-%m-%dT%H:%M"], widget=_datetime_widget()
    )
    eind = forms.DateTimeField(
        label=_("Eindigt"), input_formats=["%Y-%m-%dT%H:%M"], widget=_datetime_widget()
    )
    zaal = forms.CharField(label=_("Zaal"), max_length=200, required=False)
    beschrijving = forms.CharField(
        label=_("Beschrijving"),
        max_length=10_000,
        required=False,
        validators=[validate_markdown],
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown: **vet**, *schuin*, lijstjes en links."),
    )
    ronde = forms.ModelChoiceField(
        label=_("Ronde"),
        queryset=ProgrammaOnderdeel.objects.none(),
        required=False,
        empty_label=_("Geen (alleen voor een deelsessie kies je een ronde)"),
    )
    capaciteit = forms.IntegerField(
        label=_("Capaciteit van de deelsessie"),
        min_value=0,
        max_value=MAX_CAPACITY,
        required=False,
        help_text=_("Alleen voor een deelsessie. Leeg: onbeperkt."),
        error_messages={
            "invalid": CAPACITY_ERROR,
            "min_value": CAPACITY_ERROR,
            "max_value": CAPACITY_ERROR,
        },
    )
    wachtlijst_open = forms.BooleanField(
        label=_("Wachtlijst open"),
        required=False,
        initial=True,
        help_text=_("Alleen voor een deelsessie: wie geen plek krijgt, kan wachten."),
    )

    def __init__(self, *args, bijeenkomst: Bijeenkomst, sprekers_initial=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ronde"].queryset = bijeenkomst.programma.filter(
            soort=ProgrammaOnderdeel.Soort.RONDE
        ).order_by("start", "pk")
        self.fields["capaciteit"].widget.attrs["max"] = MAX_CAPACITY
        data = kwargs.get("data")
        self.sprekers = SprekerFormSet(
            data, prefix="spreker", initial=None if data is not None else sprekers_initial
        )

    def clean(self):
        cleaned = super().clean()
        is_sessie = cleaned.get("soort") == ProgrammaOnderdeel.Soort.DEELSESSIE
        start, eind = cleaned.get("start"), cleaned.get("eind")
        if start and eind and eind <= start:
            self.add_error("eind", _("Het einde moet na de start liggen."))
        if is_sessie and not cleaned.get("ronde"):
            self.add_error("ronde", _("Kies de ronde waarin deze deelsessie valt."))
        if not is_sessie:
            if cleaned.get("ronde"):
                self.add_error("ronde", _("Alleen een deelsessie hoort bij een ronde."))
            if cleaned.get("capaciteit") is not None:
                self.add_error("capaciteit", _("Alleen een deelsessie heeft een eigen capaciteit."))
        return cleaned

    def is_valid(self):
        return all([super().is_valid(), self.sprekers.is_valid()])

    @property
    def formsets(self) -> list:
        return [self.sprekers]

    @property
    def has_errors(self) -> bool:
        return bool(
            self.errors
            or any(form.errors for form in self.sprekers)
            or self.sprekers.non_form_errors()
        )

    def spreker_invoer(self) -> list[tuple]:
        """(persoon or None, naam, bio) for `save_onderdeel`, in the form's order."""
        return [
            (
                form.cleaned_data.get("persoon"),
                form.cleaned_data.get("naam", ""),
                form.cleaned_data.get("bio", ""),
            )
            for form in self.sprekers
            if form.cleaned_data and not form.is_empty_row
        ]


class TeamlidForm(forms.Form):
    """Someone with an account joins the team of a bijeenkomst, or gets another role in it."""

    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        help_text=_("Van iemand met een account op het portaal."),
    )
    rol = forms.ChoiceField(label=_("Rol"), choices=Teamlid.Rol.choices)
    organisatie = forms.ModelChoiceField(
        label=_("Namens organisatie"),
        queryset=None,
        required=False,
        empty_label=_("Geen (alleen voor een co-organisator)"),
        help_text=_("Een co-organisator organiseert namens een partnerorganisatie of werkplaats."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisatie"].queryset = organisaties_voor_keuze().order_by("naam", "pk")

    def clean(self):
        cleaned = super().clean()
        rol, organisatie = cleaned.get("rol"), cleaned.get("organisatie")
        if rol == Teamlid.Rol.CO_ORGANISATOR and organisatie is None:
            self.add_error(
                "organisatie", _("Kies de organisatie waarvoor deze persoon organiseert.")
            )
        elif rol and rol != Teamlid.Rol.CO_ORGANISATOR and organisatie is not None:
            self.add_error(
                "organisatie", _("Alleen een co-organisator organiseert namens een organisatie.")
            )
        return cleaned


class QuotumForm(forms.Form):
    """Places held for one network until a date: a co-organising organisatie's, or (no
    organisatie) the arena deelnemers' of the linked leerateliers."""

    organisatie = forms.ModelChoiceField(
        label=_("Voor organisatie"),
        queryset=None,
        required=False,
        empty_label=_("De arena-deelnemers van de gekoppelde leerateliers"),
    )
    aantal = forms.IntegerField(
        label=_("Plaatsen"),
        min_value=0,
        max_value=MAX_CAPACITY,
        error_messages={"invalid": CAPACITY_ERROR, "min_value": CAPACITY_ERROR},
    )
    tot = forms.DateTimeField(
        label=_("Vastgehouden tot"),
        widget=_datetime_widget(),
        input_formats=["%Y-%m-%dT%H:%M"],
        help_text=_("Daarna gaan de ongebruikte plaatsen naar iedereen, ook de wachtlijst."),
    )

    def __init__(self, *args, bijeenkomst, **kwargs):
        super().__init__(*args, **kwargs)
        self.bijeenkomst = bijeenkomst
        self.fields["organisatie"].queryset = organisaties_voor_keuze().order_by("naam", "pk")

    def clean(self):
        cleaned = super().clean()
        aantal = cleaned.get("aantal")
        capaciteit = self.bijeenkomst.capaciteit
        if aantal and capaciteit is None:
            self.add_error("aantal", _("Plaatsen vasthouden kan alleen bij een capaciteit."))
        elif aantal is not None and capaciteit is not None:
            others = self.bijeenkomst.quota.exclude(
                organisatie=cleaned.get("organisatie")
            ).aggregate(total=models.Sum("aantal"))["total"]
            if aantal + (others or 0) > capaciteit:
                self.add_error(
                    "aantal",
                    _("Alle quota samen mogen niet meer dan de capaciteit (%(cap)s) zijn.")
                    % {"cap": capaciteit},
                )
        return cleaned
