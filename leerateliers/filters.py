import django_filters
from django.utils.translation import gettext_lazy as _

from leerateliers import selectors
from leerateliers.models import Leeratelier
from themas import selectors as thema_selectors


class LeeratelierFilter(django_filters.FilterSet):
    voorwaarde = django_filters.ModelChoiceFilter(
        label=_("Voorwaarde"),
        field_name="voorwaarden",
        to_field_name="slug",
        queryset=selectors.voorwaarden(),
        empty_label=_("Alle voorwaarden"),
    )
    thema = django_filters.ModelChoiceFilter(
        label=_("Thema"),
        method="by_thema",
        to_field_name="slug",
        queryset=thema_selectors.themas_voor_keuze(),
        empty_label=_("Alle thema's"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[
            (Leeratelier.Status.ACTIEF, Leeratelier.Status.ACTIEF.label),
            (Leeratelier.Status.BEEINDIGD, Leeratelier.Status.BEEINDIGD.label),
        ],
        empty_label=_("Alle"),
    )

    class Meta:
        model = Leeratelier
        fields = ["voorwaarde", "thema", "status"]

    def by_thema(self, queryset, name, value):
        return queryset.filter(pk__in=thema_selectors.gekruiste_leeratelier_ids(value))
