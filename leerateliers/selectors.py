"""Reads of leerateliers and deelnames for pages of any app."""

from dataclasses import dataclass, field

from django.db.models import Case, CharField, Exists, OuterRef, Q, QuerySet, Subquery, Value, When

from leerateliers.models import Deelname, Leeratelier, LerendePraktijk, Voorwaarde
from netwerk import selectors as netwerk_selectors
from netwerk.models import Organisatie


def namens_organisatie(deelnames: QuerySet[Deelname]) -> QuerySet[Deelname]:
    """The deelnames that count for their organisatie: the person is a confirmed member of
    it (netwerk's Lidmaatschap). The others are taken part in on the person's own title."""
    return deelnames.filter(organisatie__isnull=False).filter(netwerk_selectors.bevestigd_lid())


def met_voorheen(queryset: QuerySet, *, leeratelier: Leeratelier, veld: str) -> QuerySet:
    """Narrow `queryset` (updates, kennisproducten, bijeenkomsten: anything with a foreign
    key or many-to-many `veld` to Leeratelier) to the rows of `leeratelier`, including those
    of the ateliers merged into it; each row gets `voorheen`: the merged atelier's name,
    or "" when the row is the atelier's own. A merge keeps these rows where they were
    (their history), and `merge_leeratelier` repoints every older merge to the newest
    atelier, so one level is all there is."""
    model = queryset.model
    eigen = Q(**{veld: leeratelier})
    samengevoegd = Q(**{f"{veld}__samengevoegd_in": leeratelier})
    matching = model.objects.filter(eigen | samengevoegd).values("pk")
    reverse = model._meta.get_field(veld).related_query_name()
    naam_van_bron = Subquery(
        Leeratelier.objects.filter(samengevoegd_in=leeratelier, **{reverse: OuterRef("pk")})
        .order_by("naam")
        .values("naam")[:1]
    )
    is_eigen = Exists(model.objects.filter(eigen, pk=OuterRef("pk")))
    return queryset.filter(pk__in=matching).annotate(
        voorheen=Case(
            When(is_eigen, then=Value("")),
            default=naam_van_bron,
            output_field=CharField(),
        )
    )


def leerateliers_voor_lijst() -> QuerySet[Leeratelier]:
    return Leeratelier.objects.zichtbaar().voor_lijst()


def leerateliers_voor_home(limit: int = 6) -> list[Leeratelier]:
    return list(Leeratelier.objects.actief().voor_lijst()[:limit])


def leerateliers_voor_keuze() -> QuerySet[Leeratelier]:
    """Ateliers a filter or a form may offer: not the merged ones."""
    return Leeratelier.objects.zichtbaar().only("pk", "naam", "slug")


def voorwaarden() -> QuerySet[Voorwaarde]:
    return Voorwaarde.objects.all()


def leeratelier_voor_pagina(*, slug: str, kijker=None) -> Leeratelier:
    """Any status; the view redirects merged ones. Raises Leeratelier.DoesNotExist.

    With whether `kijker` (the visitor) is one of its trekkers, which decides what they may
    do (permissions.is_trekker), in the same query; the trekkers themselves and the rest of
    the page are read lazily, since they are mostly in the cache (`lerende_praktijken_van`,
    `deelnemers`)."""
    rows = Leeratelier.objects.select_related("samengevoegd_in")
    if kijker is None or not kijker.is_authenticated:
        return rows.get(slug=slug)
    leeratelier = rows.annotate(
        kijker_is_trekker=Exists(
            Leeratelier.trekkers.through.objects.filter(
                leeratelier=OuterRef("pk"), persoon=kijker.pk
            )
        )
    ).get(slug=slug)
    leeratelier.trekker_bekend = {kijker.pk: leeratelier.kijker_is_trekker}
    return leeratelier


def lerende_praktijken_van(leeratelier: Leeratelier) -> QuerySet[LerendePraktijk]:
    return leeratelier.lerende_praktijken.prefetch_related("partners", "voorwaarden")


def samengevoegd_doel(leeratelier: Leeratelier) -> Leeratelier:
    """Follow a merged atelier to the one it lives on in."""
    seen = set()
    while leeratelier.samengevoegd_in_id and leeratelier.pk not in seen:
        seen.add(leeratelier.pk)
        leeratelier = Leeratelier.objects.get(pk=leeratelier.samengevoegd_in_id)
    return leeratelier


@dataclass
class Deelnemers:
    """Who takes part in an atelier, per rol: organisaties and individuals."""

    arena: list = field(default_factory=list)
    tribune: list = field(default_factory=list)
    individuen_arena: int = 0
    individuen_tribune: int = 0


def deelnemers(leeratelier: Leeratelier) -> Deelnemers:
    result = Deelnemers()
    seen = {Deelname.Rol.ARENA: set(), Deelname.Rol.TRIBUNE: set()}
    rows = (
        Deelname.objects.actief()
        .filter(leeratelier=leeratelier)
        .select_related("organisatie")
        .annotate(namens_organisatie=netwerk_selectors.bevestigd_lid())
        .order_by("organisatie__naam")
    )
    for deelname in rows:
        # Only a confirmed member speaks for an organisatie, and a proposed organisatie is
        # not public until a coördinator approves it.
        if (
            deelname.organisatie is None
            or not deelname.namens_organisatie
            or not deelname.organisatie.is_goedgekeurd
        ):
            if deelname.rol == Deelname.Rol.ARENA:
                result.individuen_arena += 1
            else:
                result.individuen_tribune += 1
            continue
        if deelname.organisatie_id in seen[deelname.rol]:
            continue
        seen[deelname.rol].add(deelname.organisatie_id)
        target = result.arena if deelname.rol == Deelname.Rol.ARENA else result.tribune
        target.append(deelname.organisatie)
    return result


def open_deelname(*, persoon, leeratelier: Leeratelier) -> Deelname | None:
    if not persoon.is_authenticated:
        return None
    return Deelname.objects.open().filter(persoon=persoon, leeratelier=leeratelier).first()


def deelnames_van(persoon) -> QuerySet[Deelname]:
    return (
        Deelname.objects.open()
        .filter(persoon=persoon)
        .select_related("leeratelier", "organisatie")
        .order_by("leeratelier__naam")
    )


def arena_aanvragen_voor(persoon) -> QuerySet[Deelname]:
    """Pending arena requests of the ateliers this person is trekker of, each with
    `namens_organisatie`: whether the requester's organisatie is confirmed."""
    return (
        Deelname.objects.arena_aanvragen()
        .filter(leeratelier__trekkers=persoon)
        .select_related("leeratelier", "persoon", "organisatie")
        .annotate(namens_organisatie=netwerk_selectors.bevestigd_lid())
        .order_by("arena_aangevraagd_op")
    )


def deelname_voor_besluit(pk: int) -> Deelname | None:
    """A Deelname for the trekker's decision page, with `namens_organisatie`."""
    return (
        Deelname.objects.select_related("leeratelier", "persoon", "organisatie")
        .annotate(namens_organisatie=netwerk_selectors.bevestigd_lid())
        .filter(pk=pk)
        .first()
    )


def getrokken_door(persoon) -> QuerySet[Leeratelier]:
    """The ateliers this person is trekker of, for their own page (not merged ones: they live
    on in the atelier they were merged into)."""
    return (
        Leeratelier.objects.filter(trekkers=persoon)
        .exclude(status=Leeratelier.Status.SAMENGEVOEGD)
        .order_by("naam")
    )


def is_trekker_ergens(persoon) -> bool:
    return persoon.is_authenticated and persoon.getrokken_leerateliers.exists()


def leerateliers_van_organisatie(organisatie) -> list[tuple[Leeratelier, str]]:
    """(atelier, rol) for every atelier the organisatie takes part in; arena wins."""
    rollen: dict[int, tuple[Leeratelier, str]] = {}
    rows = (
        namens_organisatie(Deelname.objects.actief().filter(organisatie=organisatie))
        .select_related("leeratelier")
        .order_by("leeratelier__naam")
    )
    for deelname in rows:
        current = rollen.get(deelname.leeratelier_id)
        if current is None or deelname.rol == Deelname.Rol.ARENA:
            rollen[deelname.leeratelier_id] = (deelname.leeratelier, deelname.rol)
    return list(rollen.values())


def organisaties_met_deelname(
    organisaties: QuerySet, *, leeratelier: Leeratelier | None = None, rol: str | None = None
) -> QuerySet:
    """Narrow a queryset of organisaties to those with an active Deelname as asked."""
    deelnames = namens_organisatie(Deelname.objects.actief()).filter(organisatie=OuterRef("pk"))
    if leeratelier is not None:
        deelnames = deelnames.filter(leeratelier=leeratelier)
    if rol:
        deelnames = deelnames.filter(rol=rol)
    return organisaties.filter(Exists(deelnames))


def gegevens_van(persoon) -> dict:
    """What this app holds about a persoon, for their own export (privacy): every deelname
    with its history (requested, decided, ended), and the ateliers they are trekker of."""
    return {
        "deelnames": [
            {
                "leeratelier": deelname.leeratelier.naam,
                "rol": deelname.get_rol_display(),
                "status": deelname.get_status_display(),
                "namens_organisatie": deelname.organisatie.naam if deelname.organisatie else None,
                "aangemaakt_op": deelname.aangemaakt_op,
                "arena_aangevraagd_op": deelname.arena_aangevraagd_op,
                "besloten_op": deelname.besloten_op,
                "gewijzigd_op": deelname.gewijzigd_op,
                "beeindigd_op": deelname.beeindigd_op,
            }
            for deelname in Deelname.objects.filter(persoon=persoon)
            .select_related("leeratelier", "organisatie")
            .order_by("aangemaakt_op", "pk")
        ],
        "trekker_van": list(
            Leeratelier.objects.filter(trekkers=persoon)
            .order_by("naam")
            .values_list("naam", flat=True)
        ),
    }


def mogelijke_partners(*, leeratelier: Leeratelier, praktijk=None) -> QuerySet:
    """The organisaties a lerende praktijk may name: those taking part in its atelier, and
    the ones it already names."""
    taking_part = Deelname.objects.open().filter(leeratelier=leeratelier).values("organisatie")
    current = Q(lerende_praktijken=praktijk) if praktijk is not None else Q(pk__in=[])
    return Organisatie.objects.filter(Q(pk__in=taking_part) | current).distinct().order_by("naam")


def wijzigingen_van(leeratelier: Leeratelier, limit: int = 30):
    return leeratelier.wijzigingen.select_related("door")[:limit]


def deelnames_van_organisatie(organisatie) -> QuerySet[Deelname]:
    """The open deelnames of the organisatie's confirmed members, per atelier, for its
    contactpersoon."""
    return (
        namens_organisatie(Deelname.objects.open().filter(organisatie=organisatie))
        .select_related("leeratelier", "persoon")
        .order_by("leeratelier__naam", "persoon__naam", "pk")
    )
