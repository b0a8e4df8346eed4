import django_filters
from django.utils.translation import gettext_lazy as _

from leerateliers.models import Leeratelier, Voorwaarde
from themas.models import Thema, Update


class UpdateFilter(django_filters.FilterSet):
    thema = django_filters.ModelChoiceFilter(
        label=_("Thema"),
        queryset=Thema.objects.only("pk", "naam", "slug"),
        to_field_name="slug",
        empty_label=_("Alle thema's"),
    )
    leeratelier = django_filters.ModelChoiceFilter(
        label=_("Leeratelier"),
        queryset=Leeratelier.objects.zichtbaar().only("pk", "naam", "slug"),
        to_field_name="slug",
        empty_label=_("Alle leerateliers"),
    )
    voorwaarde = django_filters.ModelChoiceFilter(
        label=_("Voorwaarde"),
        field_name="voorwaarden",
        queryset=Voorwaarde.objects.all(),
        to_field_name="slug",
        empty_label=_("Alle voorwaarden"),
    )

    class Meta:
        model = Update
        fields = ["thema", "leeratelier", "voorwaarde"]
