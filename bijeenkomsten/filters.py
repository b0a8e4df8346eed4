import django_filters
from django.utils.translation import gettext_lazy as _

from bijeenkomsten.models import Bijeenkomst
from leerateliers.models import Leeratelier
from themas.models import Thema


class BijeenkomstFilter(django_filters.FilterSet):
    soort = django_filters.ChoiceFilter(
        label=_("Soort"), choices=Bijeenkomst.Soort.choices, empty_label=_("Alle soorten")
    )
    leeratelier = django_filters.ModelChoiceFilter(
        label=_("Leeratelier"),
        field_name="leerateliers",
        to_field_name="slug",
        queryset=Leeratelier.objects.all(),
        empty_label=_("Alle leerateliers"),
    )
    thema = django_filters.ModelChoiceFilter(
        label=_("Thema"),
        field_name="themas",
        to_field_name="slug",
        queryset=Thema.objects.all(),
        empty_label=_("Alle thema's"),
    )

    class Meta:
        model = Bijeenkomst
        fields = ["soort", "leeratelier", "thema"]
