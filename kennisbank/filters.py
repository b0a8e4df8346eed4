import django_filters
from django.utils.translation import gettext_lazy as _

from kennisbank.models import Kennisproduct
from kennisbank.selectors import FACETS, narrowed
from leerateliers.models import Leeratelier, Voorwaarde
from themas.models import Thema


class KennisproductFilter(django_filters.FilterSet):
    """The facets of the library. Every value a facet can take is a valid choice; the page
    then shows each with its count (`with_counts`)."""

    soort = django_filters.ChoiceFilter(
        label=_("Soort"), choices=Kennisproduct.Soort.choices, empty_label=_("Alle soorten")
    )
    voorwaarde = django_filters.ChoiceFilter(
        label=_("Voorwaarde"),
        field_name=FACETS["voorwaarde"],
        method="filter_tag",
        empty_label=_("Alle voorwaarden"),
    )
    leeratelier = django_filters.ChoiceFilter(
        label=_("Leeratelier"),
        field_name=FACETS["leeratelier"],
        method="filter_tag",
        empty_label=_("Alle leerateliers"),
    )
    thema = django_filters.ChoiceFilter(
        label=_("Thema"),
        field_name=FACETS["thema"],
        method="filter_tag",
        empty_label=_("Alle thema's"),
    )
    fase = django_filters.ChoiceFilter(
        label=_("Toolbox-fase"), choices=Kennisproduct.Fase.choices, empty_label=_("Alle fasen")
    )
    jaar = django_filters.ChoiceFilter(label=_("Jaar"), empty_label=_("Alle jaren"))

    class Meta:
        model = Kennisproduct
        fields = list(FACETS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["voorwaarde"].extra["choices"] = list(
            Voorwaarde.objects.order_by("volgorde").values_list("slug", "naam")
        )
        self.filters["leeratelier"].extra["choices"] = list(
            Leeratelier.objects.zichtbaar().order_by("naam").values_list("slug", "naam")
        )
        self.filters["thema"].extra["choices"] = list(
            Thema.objects.order_by("naam").values_list("slug", "naam")
        )
        self.filters["jaar"].extra["choices"] = [
            (str(jaar), str(jaar))
            for jaar in Kennisproduct.objects.gepubliceerd()
            .order_by("-jaar")
            .values_list("jaar", flat=True)
            .distinct()
        ]

    def filter_tag(self, queryset, name, value):
        # A subquery, not a join: each product once in the list, without a DISTINCT.
        return narrowed(queryset, name, value)

    def chosen(self) -> dict:
        if not self.is_bound or not self.form.is_valid():
            return {}
        return {name: value for name, value in self.form.cleaned_data.items() if value}

    def with_counts(self, counts: dict[str, dict[str, int]]) -> None:
        """Label each value with the number of products it leads to, and leave out the
        values that lead nowhere (unless chosen)."""
        chosen = self.chosen()
        for name, field in self.form.fields.items():
            per_value = counts.get(name, {})
            field.choices = [
                (value, f"{label} ({per_value.get(str(value), 0)})" if value != "" else label)
                for value, label in field.choices
                if value == "" or per_value.get(str(value)) or chosen.get(name) == value
            ]
