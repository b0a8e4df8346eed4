"""Reads of the kennisbank for pages of any app: the library with its facet counts, the
products of one leeratelier, thema, lerende praktijk or bijeenkomst, and the newest."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.urls import Resolver404, resolve

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
    query per facet, however many products and values there are.

    The other facets narrow by subqueries on the link tables, never by joins, so no product
    is counted twice and no COUNT(DISTINCT) is needed: a tag is counted on its link table,
    where each product holds it once."""
    counts = {}
    for name, lookup in FACETS.items():
        products = Kennisproduct.objects.gepubliceerd()
        for other, other_lookup in FACETS.items():
            if other != name and chosen.get(other) not in (None, ""):
                products = narrowed(products, other_lookup, chosen[other])
        if "__" in lookup:
            relation, field = lookup.split("__")
            through = Kennisproduct._meta.get_field(relation).remote_field.through
            target = Kennisproduct._meta.get_field(relation).m2m_reverse_field_name()
            rows = (
                through.objects.filter(kennisproduct_id__in=products.values("pk"))
                .values(value=F(f"{target}__{field}"))
                .annotate(aantal=Count("pk"))
                .order_by()
            )
        else:
            rows = (
                products.exclude(**{f"{lookup}__isnull": True})
                .values(value=F(lookup))
                .annotate(aantal=Count("pk"))
                .order_by()
            )
        counts[name] = {str(row["value"]): row["aantal"] for row in rows if row["value"] != ""}
    return counts


def narrowed(products, lookup: str, value):
    """`products` with `lookup` equal to `value`; a tag by a subquery on its link table."""
    if "__" not in lookup:
        return products.filter(**{lookup: value})
    relation, field = lookup.split("__")
    through = Kennisproduct._meta.get_field(relation).remote_field.through
    target = Kennisproduct._meta.get_field(relation).m2m_reverse_field_name()
    holders = through.objects.filter(**{f"{target}__{field}": value}).values("kennisproduct_id")
    return products.filter(pk__in=holders)


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


def gepubliceerd_tussen(*, vanaf, tot, limit: int = 20) -> list[Kennisproduct]:
    """Products published in [vanaf, tot), oldest first: what a nieuwsbrief reports as new."""
    return list(
        Kennisproduct.objects.gepubliceerd()
        .filter(gepubliceerd_op__gte=vanaf, gepubliceerd_op__lt=tot)
        .only("pk", "titel", "slug", "soort", "samenvatting")
        .order_by("gepubliceerd_op", "pk")[:limit]
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


def dossier_voor_pagina(
    *, slug: str, ook_concept: bool = False
) -> tuple[Kennisdossier, list[DossierOnderdeel]]:
    """The dossier and what a visitor may see of it: published products and updates, and
    bijeenkomsten that are published. `ook_concept`: an unpublished dossier too, for its
    curators' preview."""
    dossiers = Kennisdossier.objects.all() if ook_concept else Kennisdossier.objects.gepubliceerd()
    dossier = dossiers.get(slug=slug)
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


def dossier_om_te_bewerken(*, slug: str) -> tuple[Kennisdossier, list[DossierOnderdeel]]:
    """The dossier and every entry, also those a visitor would not see (so a curator can
    take out what was withdrawn), in one query for the entries."""
    dossier = Kennisdossier.objects.get(slug=slug)
    onderdelen = list(
        dossier.onderdelen.select_related("product", "update", "bijeenkomst").order_by(
            "volgorde", "pk"
        )
    )
    for onderdeel in onderdelen:
        onderdeel.zichtbaar = _zichtbaar(onderdeel)
    return dossier, onderdelen


# The pages a dossier entry can be named by: URL name, model, and the lookup of its slug.
_LINKABLE = {
    "kennisbank:detail": Kennisproduct,
    "themas:update-detail": Update,
    "bijeenkomsten:detail": Bijeenkomst,
}


def item_voor_link(link: str):
    """The product, update or bijeenkomst whose page `link` is (a path, or a full address
    on this portal), or None."""
    parts = urlsplit(link.strip())
    site = urlsplit(settings.SITE_URL)
    if parts.netloc and parts.hostname not in {site.hostname, *settings.ALLOWED_HOSTS}:
        return None
    try:
        match = resolve(parts.path or "/")
    except Resolver404:
        return None
    model = _LINKABLE.get(match.view_name)
    if model is None:
        return None
    return model.objects.filter(slug=match.kwargs.get("slug")).first()
