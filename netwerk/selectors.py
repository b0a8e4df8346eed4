"""Reads of the partner network."""

import re

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from netwerk.models import Organisatie, Persoon


def organisaties_voor_directory() -> QuerySet[Organisatie]:
    return Organisatie.objects.goedgekeurd().prefetch_related("domeinen")


def organisaties_voor_keuze() -> QuerySet[Organisatie]:
    return Organisatie.objects.goedgekeurd().only("pk", "naam", "plaats")


def organisaties_gezocht(
    search: str, *, limit: int, own: Organisatie | None = None
) -> list[Organisatie]:
    """Approved organisaties with every typed word in their name or place, an exact name
    first; `own` (a person's own, perhaps not yet approved, organisatie) counts as approved."""
    words = re.findall(r"\w+", search)
    if not words:
        return []
    found = Organisatie.objects.goedgekeurd()
    if own is not None:
        found = found | Organisatie.objects.filter(pk=own.pk)
    for word in words:
        found = found.filter(Q(naam__icontains=word) | Q(plaats__icontains=word))
    exact_first = Case(
        When(naam__iexact=search.strip(), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    found = found.only("pk", "naam", "plaats", "status")
    return list(found.order_by(exact_first, "naam", "plaats", "pk")[:limit])


def plaatsen() -> list[str]:
    return list(
        Organisatie.objects.goedgekeurd()
        .exclude(plaats="")
        .order_by("plaats")
        .values_list("plaats", flat=True)
        .distinct()
    )


def zichtbare_personen(organisatie: Organisatie) -> QuerySet[Persoon]:
    return organisatie.personen.filter(profiel_zichtbaar=True, is_active=True).order_by("naam")
