from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from bijeenkomsten import imports
from bijeenkomsten.models import Aanmelding

WISHES_WIDGETS = {"dieetwensen": forms.TextInput(), "toegankelijkheid": forms.TextInput()}
WISHES_HELP = {"toegankelijkheid": _("Bijvoorbeeld rolstoeltoegankelijk of een tolk.")}


class AanmeldForm(forms.ModelForm):
    """Registration; a logged-in person registers with their own (verified) address.

    A guest gives their wishes on the confirmation page (WensenForm) instead.
    """

    class Meta:
        model = Aanmelding
        fields = ["naam", "email", "organisatie", "functie", "dieetwensen", "toegankelijkheid"]
        widgets = WISHES_WIDGETS
        help_texts = WISHES_HELP

    def __init__(self, *args, persoon=None, **kwargs):
        self.persoon = persoon if persoon is not None and persoon.is_authenticated else None
        if self.persoon:
            kwargs.setdefault("initial", {}).update(
                {"naam": self.persoon.naam, "email": self.persoon.email}
            )
        super().__init__(*args, **kwargs)
        self.fields["naam"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["organisatie"].widget.attrs["autocomplete"] = "organization"
        self.fields["functie"].widget.attrs["autocomplete"] = "organization-title"
        if self.persoon:
            # Never trust a posted address for an account: it is the account's own.
            self.fields["email"].disabled = True
            self.fields["email"].help_text = _("Het adres van je account.")
        else:
            del self.fields["dieetwensen"]
            del self.fields["toegankelijkheid"]

    def validate_constraints(self, exclude=None):
        # The one-open-registration rule is checked by the service, under the lock.
        pass


class WensenForm(forms.ModelForm):
    class Meta:
        model = Aanmelding
        fields = ["dieetwensen", "toegankelijkheid"]
        widgets = WISHES_WIDGETS
        help_texts = WISHES_HELP


CAPACITY_ERROR = _("Vul een heel getal van 0 of meer in, of laat het veld leeg.")


class CapaciteitForm(forms.Form):
    capaciteit = forms.IntegerField(
        label=_("Capaciteit"),
        min_value=0,
        required=False,
        help_text=_("Leeg: onbeperkt."),
        error_messages={"invalid": CAPACITY_ERROR, "min_value": CAPACITY_ERROR},
    )


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
