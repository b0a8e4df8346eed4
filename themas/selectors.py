"""Reads of thema's for pages of any app."""

from django.db.models import Prefetch, Q, QuerySet

from leerateliers.models import Leeratelier
from themas.models import Thema


def themas_voor_lijst() -> QuerySet[Thema]:
    return Thema.objects.prefetch_related(
        Prefetch("leerateliers", queryset=Leeratelier.objects.zichtbaar().only("naam", "slug")),
        "thematrekkers",
    )


def themas_voor_home(limit: int = 6) -> list[Thema]:
    return list(Thema.objects.all()[:limit])


def themas_voor_keuze() -> QuerySet[Thema]:
    return Thema.objects.only("pk", "naam", "slug")


def thema_voor_pagina(*, slug: str) -> Thema:
    return Thema.objects.prefetch_related("thematrekkers").get(slug=slug)


def gekruiste_leeratelier_ids(thema: Thema) -> QuerySet:
    """Ids of the ateliers a thema crosses; a merged atelier counts as the one it merged into."""
    return Leeratelier.objects.filter(
        Q(themas=thema) | Q(samengevoegde_leerateliers__themas=thema)
    ).values("pk")


def leerateliers_van_thema(thema: Thema) -> QuerySet[Leeratelier]:
    return (
        Leeratelier.objects.zichtbaar().filter(pk__in=gekruiste_leeratelier_ids(thema)).voor_lijst()
    )


def themas_van_leeratelier(leeratelier) -> QuerySet[Thema]:
    """The thema's that cross an atelier, also through the ateliers merged into it."""
    return Thema.objects.filter(
        Q(leerateliers=leeratelier) | Q(leerateliers__samengevoegd_in=leeratelier)
    ).distinct()
