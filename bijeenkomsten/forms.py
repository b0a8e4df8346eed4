from django import forms
from django.utils.translation import gettext_lazy as _

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
    # Far beyond any hall, well inside the database's integer; a bigger number was a 500.
    MAX_CAPACITEIT = 100_000

    capaciteit = forms.IntegerField(
        label=_("Capaciteit"),
        min_value=0,
        max_value=MAX_CAPACITEIT,
        required=False,
        help_text=_("Leeg: onbeperkt."),
        error_messages={
            "invalid": CAPACITY_ERROR,
            "min_value": CAPACITY_ERROR,
            "max_value": _("Vul een capaciteit van hoogstens %(limit_value)s in."),
        },
    )
