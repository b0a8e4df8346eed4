"""Reads of the kennisbank for pages of any app: the library with its facet counts, the
products of one leeratelier, thema, lerende praktijk or bijeenkomst, and the newest."""

from django.db.models import Count, Prefetch, Q, QuerySet

from bijeenkomsten.models import Bijeenkomst
from kennisbank.models import DossierOnderdeel, Kennisdossier, Kennisproduct
from leerateliers import selectors as leeratelier_selectors
from leerateliers.models import Leeratelier, Voorwaarde
from netwerk.models import Persoon
from themas.models import Thema, Update

# Each facet of the library: the query parameter, and the field it counts and filters by.
FACETS = {
    "soort": "soort",
    "voorwaarde": "voorwaarden__slug",
    "leeratelier": "leerateliers__slug",
    "thema": "themas__slug",
    "fase": "fase",
    "jaar": "jaar",
}


def producten_voor_lijst() -> QuerySet[Kennisproduct]:
    return Kennisproduct.objects.gepubliceerd().voor_lijst()


def facet_counts(chosen: dict) -> dict[str, dict[str, int]]:
    """For each facet, how many published products each value would show, given what is
    chosen in the other facets (so a reader sees where each choice leads). One grouped
    query per facet, however many products and values there are."""
    counts = {}
    for name, lookup in FACETS.items():
        queryset = Kennisproduct.objects.gepubliceerd()
        for other, other_lookup in FACETS.items():
            if other != name and chosen.get(other) not in (None, ""):
                queryset = queryset.filter(**{other_lookup: chosen[other]})
        rows = (
            queryset.exclude(**{f"{lookup}__isnull": True})
            .values(lookup)
            .annotate(aantal=Count("pk", distinct=True))
            .order_by()
        )
        counts[name] = {str(row[lookup]): row["aantal"] for row in rows if row[lookup] != ""}
    return counts


def product_voor_pagina(*, slug: str) -> Kennisproduct:
    return (
        Kennisproduct.objects.select_related(
            "lerende_praktijk__leeratelier", "bijeenkomst", "aangemaakt_door"
        )
        .prefetch_related(
            Prefetch("auteurs", queryset=zichtbare_personen().only("pk", "naam")),
            "organisaties",
            Prefetch("voorwaarden", queryset=Voorwaarde.objects.order_by("volgorde")),
            Prefetch(
                "leerateliers",
                queryset=Leeratelier.objects.only("pk", "naam", "slug").prefetch_related(
                    "trekkers"
                ),
            ),
            Prefetch(
                "themas",
                queryset=Thema.objects.only("pk", "naam", "slug").prefetch_related("thematrekkers"),
            ),
        )
        .get(slug=slug)
    )


def zichtbare_personen():
    """People whose name the kennisbank and the search may show: a visible profile (their
    own choice) on an active account."""
    return Persoon.objects.filter(profiel_zichtbaar=True, is_active=True)


def producten_van(
    *, leeratelier=None, thema=None, lerende_praktijk=None, bijeenkomst=None, limit: int = 6
) -> list[Kennisproduct]:
    """The newest published products of one atelier, thema, praktijk or bijeenkomst."""
    queryset = producten_voor_lijst()
    if leeratelier is not None:
        # With the products of the ateliers merged into it, marked "voorheen: …".
        queryset = leeratelier_selectors.met_voorheen(
            queryset, leeratelier=leeratelier, veld="leerateliers"
        )
    if thema is not None:
        queryset = queryset.filter(themas=thema)
    if lerende_praktijk is not None:
        queryset = queryset.filter(lerende_praktijk=lerende_praktijk)
    if bijeenkomst is not None:
        queryset = queryset.filter(bijeenkomst=bijeenkomst)
    return list(queryset[:limit])


def producten_per_praktijk(praktijken) -> dict[int, list[Kennisproduct]]:
    """The published products of each lerende praktijk of a page, in one query."""
    per_praktijk: dict[int, list[Kennisproduct]] = {}
    rows = (
        producten_voor_lijst()
        .filter(lerende_praktijk__in=praktijken)
        .only("pk", "titel", "slug", "soort", "lerende_praktijk_id", "gepubliceerd_op")
    )
    for product in rows:
        per_praktijk.setdefault(product.lerende_praktijk_id, []).append(product)
    return per_praktijk


def nieuwste_producten(*, limit: int = 3) -> list[Kennisproduct]:
    return list(producten_voor_lijst()[:limit])


def producten_van_schrijver(persoon) -> QuerySet[Kennisproduct]:
    """Products a person may write, concepts first, for their /mijn/ page."""
    if persoon.has_perm("kennisbank.change_kennisproduct"):
        queryset = Kennisproduct.objects.all()
    else:
        queryset = Kennisproduct.objects.filter(
            Q(leerateliers__trekkers=persoon) | Q(themas__thematrekkers=persoon)
        ).distinct()
    return queryset.only("pk", "titel", "slug", "status", "gewijzigd_op").order_by(
        "status", "-gewijzigd_op"
    )


def dossiers_voor_lijst() -> QuerySet[Kennisdossier]:
    return (
        Kennisdossier.objects.gepubliceerd()
        .annotate(aantal=Count("onderdelen"))
        .order_by("titel", "pk")
    )


def dossier_voor_pagina(*, slug: str) -> tuple[Kennisdossier, list[DossierOnderdeel]]:
    """The dossier and what a visitor may see of it: published products and updates, and
    bijeenkomsten that are published."""
    dossier = Kennisdossier.objects.gepubliceerd().get(slug=slug)
    onderdelen = [
        onderdeel
        for onderdeel in dossier.onderdelen.select_related("product", "update", "bijeenkomst")
        if _zichtbaar(onderdeel)
    ]
    return dossier, onderdelen


def _zichtbaar(onderdeel: DossierOnderdeel) -> bool:
    if onderdeel.product:
        return onderdeel.product.is_gepubliceerd
    if onderdeel.update:
        return onderdeel.update.status == Update.Status.GEPUBLICEERD
    return onderdeel.bijeenkomst.status == Bijeenkomst.Status.GEPUBLICEERD
