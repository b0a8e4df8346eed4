"""Reads of the partner network."""

from collections.abc import Iterable

from django.db.models import QuerySet
from django.db.models.functions import Lower

from netwerk.models import GeenUitnodiging, Organisatie, Persoon


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


def adressen_zonder_uitnodiging(emails: Iterable[str]) -> set[str]:
    """Those of `emails` (lower case) that asked for no more invitations."""
    return set(
        GeenUitnodiging.objects.annotate(adres=Lower("email"))
        .filter(adres__in=[email.lower() for email in emails])
        .values_list("adres", flat=True)
    )
