from django import forms
from django.utils.translation import gettext_lazy as _

from bijeenkomsten.models import Aanmelding, Bijeenkomst
from leerateliers.models import Leeratelier
from netwerk.models import Organisatie
from themas.models import Thema

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


# More than any venue holds; also keeps the number far inside PostgreSQL's integer.
MAX_CAPACITY = 100_000
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
            "gereserveerd",
            "gereserveerd_tot",
            "aanmelden_vanaf",
            "aanmelden_tot",
            "wachtlijst_open",
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
            "gereserveerd_tot": _datetime_widget(),
            "aanmelden_vanaf": _datetime_widget(),
            "aanmelden_tot": _datetime_widget(),
            "leerateliers": forms.CheckboxSelectMultiple,
            "themas": forms.CheckboxSelectMultiple,
            "organisaties": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("start", "eind", "gereserveerd_tot", "aanmelden_vanaf", "aanmelden_tot"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M"]
        self.fields["capaciteit"].max_value = MAX_CAPACITY
        self.fields["capaciteit"].widget.attrs["max"] = MAX_CAPACITY
        self.fields["leerateliers"].queryset = Leeratelier.objects.actief().order_by("naam")
        self.fields["themas"].queryset = Thema.objects.order_by("naam")
        self.fields["organisaties"].queryset = Organisatie.objects.goedgekeurd().order_by("naam")

    def validate_constraints(self, exclude=None):
        # The service validates the whole row again under the lock.
        pass


class NamensForm(forms.ModelForm):
    """Register someone on their behalf; with a reason, above capacity."""

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

    def validate_constraints(self, exclude=None):
        # The one-open-registration rule is checked by the service, under the lock.
        pass


class RedenForm(forms.Form):
    """Why a coördinator did something; required where the issue asks for a reason."""

    reden = forms.CharField(label=_("Reden"), max_length=500)

    def __init__(self, *args, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reden"].required = required
