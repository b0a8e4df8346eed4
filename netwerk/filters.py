import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from leerateliers import selectors as leeratelier_selectors
from leerateliers.models import Deelname
from netwerk import selectors
from netwerk.models import Domein, Organisatie


class OrganisatieFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Zoeken"), method="search")
    soort = django_filters.ChoiceFilter(
        label=_("Soort"), choices=Organisatie.Soort.choices, empty_label=_("Alle soorten")
    )
    domein = django_filters.ModelChoiceFilter(
        label=_("Domein"),
        field_name="domeinen",
        to_field_name="code",
        queryset=Domein.objects.all(),
        empty_label=_("Alle domeinen"),
    )
    plaats = django_filters.ChoiceFilter(
        label=_("Plaats"),
        choices=lambda: [(plaats, plaats) for plaats in selectors.plaatsen()],
        empty_label=_("Alle plaatsen"),
    )
    leeratelier = django_filters.ModelChoiceFilter(
        label=_("Leeratelier"),
        queryset=leeratelier_selectors.leerateliers_voor_keuze(),
        to_field_name="slug",
        method="by_deelname",
        empty_label=_("Alle leerateliers"),
    )
    rol = django_filters.ChoiceFilter(
        label=_("Rol"),
        choices=Deelname.Rol.choices,
        method="by_deelname",
        empty_label=_("Arena of tribune"),
    )

    class Meta:
        model = Organisatie
        fields = ["q", "soort", "domein", "plaats", "leeratelier", "rol"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(naam__icontains=value) | Q(plaats__icontains=value) | Q(beschrijving__icontains=value)
        )

    def by_deelname(self, queryset, name, value):
        # Leeratelier and rol narrow together ("arena in this atelier"): done once below.
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        leeratelier = self.form.cleaned_data.get("leeratelier")
        rol = self.form.cleaned_data.get("rol")
        if leeratelier or rol:
            queryset = leeratelier_selectors.organisaties_met_deelname(
                queryset, leeratelier=leeratelier, rol=rol
            )
        return queryset
