import django_filters
from django.utils.translation import gettext_lazy as _

from netwerk.models import Abonnement


class AbonnementFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Abonnement.Status.choices, empty_label=_("Alle statussen")
    )
    q = django_filters.CharFilter(
        label=_("E-mailadres bevat"), field_name="email", lookup_expr="icontains"
    )

    class Meta:
        model = Abonnement
        fields = ["status", "q"]
