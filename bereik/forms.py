from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_DAYS = 5 * 366


class PeriodeForm(forms.Form):
    """The period of the report (GET): two dates, at most five years apart."""

    van = forms.DateField(label=_("Van"), widget=forms.DateInput(attrs={"type": "date"}))
    tot = forms.DateField(label=_("Tot en met"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        van, tot = data.get("van"), data.get("tot")
        if van and tot:
            if tot < van:
                self.add_error("tot", ValidationError(_("De einddatum ligt voor de begindatum.")))
            elif tot - van > timedelta(days=MAX_DAYS):
                self.add_error(
                    "tot", ValidationError(_("Kies een periode van hoogstens vijf jaar."))
                )
        return data
