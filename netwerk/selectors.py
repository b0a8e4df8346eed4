"""Reads of the partner network."""

from django.db.models import QuerySet

from netwerk.models import Organisatie, Persoon


def organisaties_voor_directory() -> QuerySet[Organisatie]:
    return Organisatie.objects.goedgekeurd().prefetch_related("domeinen")


def organisaties_voor_keuze() -> QuerySet[Organisatie]:
    return Organisatie.objects.goedgekeurd().only("pk", "naam", "plaats")


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
