"""Reads of the nieuwsbrief for its pages: editions, progress, audiences, the archive."""

from django.db.models import Count, Prefetch, QuerySet

from netwerk import selectors as netwerk_selectors
from netwerk.models import Abonnement
from nieuwsbrief.models import Bezorging, Editie, Sectie
from werkplaats.tokens import hash_token


def abonnement_by_token(token: str) -> Abonnement | None:
    """The subscription of an unsubscribe link: the token of the one mail it came in
    (Bezorging), or the subscription's own token of mails sent before that; None for
    anything else. Only hashes are stored."""
    if not netwerk_selectors.TOKEN_PATTERN.fullmatch(token or ""):
        return None
    bezorging = (
        Bezorging.objects.filter(token_hash=hash_token(token), abonnement__isnull=False)
        .select_related("abonnement")
        .first()
    )
    if bezorging is not None:
        return bezorging.abonnement
    return netwerk_selectors.abonnement_by_token(token)


def edities_voor_lijst() -> QuerySet[Editie]:
    return (
        Editie.objects.select_related("aangemaakt_door")
        .annotate(aantal_secties=Count("secties"))
        .order_by("-aangemaakt_op", "-pk")
    )


def editie_voor_pagina(*, pk: int) -> Editie:
    """Raises Editie.DoesNotExist."""
    return Editie.objects.prefetch_related(
        Prefetch("secties", queryset=Sectie.objects.order_by("volgorde", "pk")),
        "doel_leerateliers",
        "doel_themas",
    ).get(pk=pk)


def archief() -> QuerySet[Editie]:
    return Editie.objects.in_archief()


def archief_editie(*, slug: str) -> Editie:
    """A sent edition for its web page; raises Editie.DoesNotExist."""
    return (
        Editie.objects.in_archief()
        .prefetch_related(Prefetch("secties", queryset=Sectie.objects.order_by("volgorde", "pk")))
        .get(slug=slug)
    )


def ontvangers(*, doelgroep: str, leeratelier_ids=(), thema_ids=()) -> QuerySet[Abonnement]:
    """Who an edition reaches: every confirmed subscriber, or those interested in one of the
    chosen leerateliers or thema's."""
    if doelgroep == Editie.Doelgroep.INTERESSE:
        return netwerk_selectors.ontvangers(
            leeratelier_ids=list(leeratelier_ids), thema_ids=list(thema_ids)
        )
    return netwerk_selectors.ontvangers()


def ontvangers_van_editie(editie: Editie) -> QuerySet[Abonnement]:
    return ontvangers(
        doelgroep=editie.doelgroep,
        leeratelier_ids=editie.doel_leerateliers.values_list("pk", flat=True),
        thema_ids=editie.doel_themas.values_list("pk", flat=True),
    )


def voortgang(editie: Editie) -> dict[str, int]:
    """How far the sending is: sent, failed, unknown, skipped, and still to go."""
    counts = dict(
        Bezorging.objects.filter(editie=editie)
        .order_by()
        .values_list("status")
        .annotate(aantal=Count("pk"))
    )
    S = Bezorging.Status
    return {
        "verzonden": counts.get(S.SENT, 0),
        "mislukt": counts.get(S.FAILED, 0),
        "onbekend": counts.get(S.ONBEKEND, 0),
        "overgeslagen": counts.get(S.OVERGESLAGEN, 0),
        "te_gaan": counts.get(S.QUEUED, 0) + counts.get(S.SENDING, 0),
        "totaal": sum(counts.values()),
    }


def niet_bezorgd(editie: Editie, *, limit: int = 50) -> list[Bezorging]:
    """The deliveries that failed or whose fate is unknown, for the coördinator to check."""
    return list(
        Bezorging.objects.filter(
            editie=editie, status__in=[Bezorging.Status.FAILED, Bezorging.Status.ONBEKEND]
        ).order_by("email")[:limit]
    )


def gegevens_van(persoon) -> dict:
    """What this app holds about a persoon, for their own export (privacy): the editions
    sent (or being sent) to their address. The subscription itself is netwerk's."""
    return {
        "bezorgde_edities": [
            {"editie": titel, "status": status, "verzonden_op": verzonden_op}
            for titel, status, verzonden_op in Bezorging.objects.filter(email__iexact=persoon.email)
            .order_by("pk")
            .values_list("editie__titel", "status", "verzonden_op")
        ]
    }
