from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bijeenkomsten.models import Bijeenkomst
from kennisbank import selectors
from kennisbank.models import Kennisdossier, Kennisproduct
from kennisbank.services import DossierInvoer, ProductInvoer
from leerateliers.models import Leeratelier, LerendePraktijk, Voorwaarde
from netwerk.models import Organisatie
from themas.models import Thema
from themas.rendering import validate_markdown

FIELDS = [
    "titel",
    "soort",
    "samenvatting",
    "tekst",
    "overige_auteurs",
    "jaar",
    "datum",
    "taal",
    "licentie",
    "link",
    "identifier",
    "fase",
    "voorwaarden",
    "leerateliers",
    "themas",
    "lerende_praktijk",
    "bijeenkomst",
    "organisaties",
]


class HttpsURLField(forms.URLField):
    def __init__(self, **kwargs):
        super().__init__(assume_scheme="https", **kwargs)


class KennisproductForm(forms.ModelForm):
    """A product's description, tags and either a file or a link. The file is checked by
    content in the service (werkplaats.bestanden), which gives the Dutch reason."""

    ik_ben_auteur = forms.BooleanField(label=_("Ik ben een van de auteurs"), required=False)
    nieuw_bestand = forms.FileField(
        label=_("Bestand"),
        required=False,
        help_text=format_lazy(
            _("PDF, DOCX, PPTX of XLSX, hoogstens {mb} MB. Of geef hieronder een link."),
            mb=settings.KENNISBANK_MAX_BESTAND // (1024 * 1024),
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".pdf,.docx,.pptx,.xlsx,application/pdf,"
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
                "application/vnd.openxmlformats-officedocument.presentationml.presentation,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    class Meta:
        model = Kennisproduct
        fields = FIELDS
        widgets = {
            "samenvatting": forms.Textarea(attrs={"rows": 3}),
            "tekst": forms.Textarea(attrs={"rows": 10}),
            "overige_auteurs": forms.Textarea(attrs={"rows": 3}),
            "datum": forms.DateInput(attrs={"type": "date"}),
            "voorwaarden": forms.CheckboxSelectMultiple,
            "leerateliers": forms.CheckboxSelectMultiple,
            "themas": forms.CheckboxSelectMultiple,
        }
        field_classes = {"link": HttpsURLField}

    def __init__(self, *args, persoon, **kwargs):
        super().__init__(*args, **kwargs)
        self.persoon = persoon
        self.fields["tekst"].validators.append(validate_markdown)
        self.fields["jaar"].min_value = 1990
        self.fields["jaar"].widget.attrs.update({"min": 1990, "max": timezone.now().year + 1})
        self.fields["voorwaarden"].queryset = Voorwaarde.objects.order_by("volgorde")
        self.fields["leerateliers"].queryset = Leeratelier.objects.zichtbaar().only("pk", "naam")
        self.fields["themas"].queryset = Thema.objects.only("pk", "naam")
        self.fields["lerende_praktijk"].queryset = LerendePraktijk.objects.select_related(
            "leeratelier"
        ).order_by("leeratelier__naam", "titel")
        self.fields["lerende_praktijk"].label_from_instance = lambda praktijk: (
            f"{praktijk.titel} ({praktijk.leeratelier.naam})"
        )
        self.fields["bijeenkomst"].queryset = Bijeenkomst.objects.exclude(
            status=Bijeenkomst.Status.CONCEPT
        ).order_by("-start")
        self.fields["organisaties"].queryset = Organisatie.objects.only("pk", "naam").order_by(
            "naam"
        )
        self.fields["organisaties"].help_text = _(
            "Houd Ctrl (of Cmd) ingedrukt om er meer dan één te kiezen."
        )
        if self.instance.pk:
            self.fields["ik_ben_auteur"].initial = self.instance.auteurs.filter(
                pk=persoon.pk
            ).exists()

    def clean_jaar(self):
        jaar = self.cleaned_data["jaar"]
        if jaar > timezone.now().year + 1:
            raise forms.ValidationError(_("Dat jaar ligt te ver in de toekomst."))
        return jaar

    def clean(self):
        data = super().clean()
        has_file = bool(data.get("nieuw_bestand")) or bool(self.instance.bestand)
        if data.get("nieuw_bestand") and data.get("link"):
            self.add_error("link", _("Voeg een bestand toe of geef een link, niet allebei."))
        elif not has_file and not data.get("link"):
            self.add_error("nieuw_bestand", _("Voeg een bestand toe of geef een link."))
        if data.get("identifier") and not data.get("link") and not has_file:
            self.add_error("identifier", _("Een identifier hoort bij een bestand of een link."))
        return data

    def _post_clean(self):
        # The model's full_clean runs in the service, with the file it checked.
        pass

    def invoer(self) -> ProductInvoer:
        data = self.cleaned_data
        return ProductInvoer(
            **{name: data[name] for name in FIELDS if name not in _MANY},
            **{name: list(data[name]) for name in _MANY},
            ik_ben_auteur=data["ik_ben_auteur"],
        )


_MANY = ("voorwaarden", "leerateliers", "themas", "organisaties")


class DossierForm(forms.ModelForm):
    class Meta:
        model = Kennisdossier
        fields = ["titel", "samenvatting", "inleiding", "gepubliceerd"]
        widgets = {
            "samenvatting": forms.Textarea(attrs={"rows": 3}),
            "inleiding": forms.Textarea(attrs={"rows": 10}),
        }
        help_texts = {
            "gepubliceerd": _("Pas dan zien bezoekers het dossier; tot dan alleen coördinatoren."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inleiding"].validators.append(validate_markdown)

    def _post_clean(self):
        # The model's full_clean runs in the service.
        pass

    def invoer(self) -> DossierInvoer:
        return DossierInvoer(**{name: self.cleaned_data[name] for name in self.Meta.fields})


class OnderdeelForm(forms.Form):
    """An entry for a dossier, named by the link of its page: no list of ten thousand
    products to scroll through, and it works without JavaScript."""

    link = forms.CharField(
        label=_("Link van een kennisproduct, update of bijeenkomst"),
        max_length=500,
        help_text=_(
            "Kopieer het adres van de pagina, bijvoorbeeld /kennisbank/toolbox-samenwerken/."
        ),
    )
    toelichting = forms.CharField(
        label=_("Toelichting (niet verplicht)"), max_length=400, required=False
    )

    def clean_link(self):
        item = selectors.item_voor_link(self.cleaned_data["link"])
        if item is None:
            raise forms.ValidationError(
                _(
                    "Deze link wijst niet naar een kennisproduct, update of bijeenkomst van "
                    "dit portaal."
                )
            )
        self.cleaned_data["item"] = item
        return self.cleaned_data["link"]


class VerplaatsForm(forms.Form):
    richting = forms.TypedChoiceField(choices=[(-1, "-1"), (1, "1")], coerce=int)
