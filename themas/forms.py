from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerateliers.models import Leeratelier, Voorwaarde
from themas.models import Update, Volging
from themas.rendering import MAX_LENGTH, MarkdownRefused, check_markdown


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
        has_image = cleaned.get("afbeelding") or (self.update and self.update.afbeelding)
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
