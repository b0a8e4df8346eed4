from django import forms
from django.utils.translation import gettext_lazy as _

from leerateliers import selectors
from leerateliers.models import Leeratelier, LerendePraktijk, Voorwaarde
from netwerk.models import Organisatie
from themas.rendering import MAX_LENGTH, validate_markdown


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


class PageForm(forms.ModelForm):
    """A page's form with a Markdown `beschrijving`, previewed or saved by the button."""

    beschrijving = forms.CharField(
        label=_("Beschrijving"),
        required=False,
        max_length=MAX_LENGTH,
        validators=[validate_markdown],
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=Leeratelier._meta.get_field("beschrijving").help_text,
    )
    voorwaarden = forms.ModelMultipleChoiceField(
        label=_("Voorwaarden van sociale kwaliteit"),
        queryset=Voorwaarde.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self):
        cleaned = super().clean()
        start, eind = cleaned.get("startdatum"), cleaned.get("einddatum")
        if start and eind and eind < start:
            self.add_error("einddatum", _("De einddatum ligt voor de startdatum."))
        return cleaned


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LeeratelierForm(PageForm):
    class Meta:
        model = Leeratelier
        fields = ["sociale_kwestie", "samenvatting", "beschrijving", "voorwaarden"]
        fields += ["startdatum", "einddatum"]
        widgets = {
            "samenvatting": forms.Textarea(attrs={"rows": 3}),
            "startdatum": DATE,
            "einddatum": DATE,
        }


class LerendePraktijkForm(PageForm):
    partners = forms.ModelMultipleChoiceField(
        label=_("Partnerorganisaties"),
        queryset=Organisatie.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("De organisaties die aan het leeratelier meedoen."),
    )

    class Meta:
        model = LerendePraktijk
        fields = ["titel", "beschrijving", "partners", "voorwaarden", "startdatum", "einddatum"]
        widgets = {"startdatum": DATE, "einddatum": DATE}

    def __init__(self, *args, leeratelier: Leeratelier, praktijk=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = selectors.mogelijke_partners(
            leeratelier=leeratelier, praktijk=praktijk
        )
