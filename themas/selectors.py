"""Reads of thema's for pages of any app."""

from django.db.models import Prefetch, QuerySet

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
    return Thema.objects.prefetch_related(
        Prefetch("leerateliers", queryset=Leeratelier.objects.zichtbaar().voor_lijst()),
        "thematrekkers",
    ).get(slug=slug)


def themas_van_leeratelier(leeratelier) -> QuerySet[Thema]:
    return Thema.objects.filter(leerateliers=leeratelier)
