from django import forms
from django.utils.translation import gettext_lazy as _

from leerateliers import selectors


class MergeForm(forms.Form):
    doel = forms.ModelChoiceField(
        label=_("Samenvoegen met"),
        queryset=selectors.leerateliers_voor_keuze().filter(status="actief"),
        to_field_name="slug",
        empty_label=_("Kies een leeratelier"),
    )

    def __init__(self, *args, bron=None, **kwargs):
        super().__init__(*args, **kwargs)
        if bron is not None:
            self.fields["doel"].queryset = self.fields["doel"].queryset.exclude(pk=bron.pk)
            self.fields["doel"].widget.attrs["id"] = "id_doel"
