"""Reads of the partner network and of nieuwsbrief subscriptions."""

import re

from django.db.models import QuerySet

from netwerk.models import Abonnement, Organisatie, Persoon

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,64}")


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


def abonnement_van(persoon) -> Abonnement | None:
    """The subscription of a logged-in person's own address, with its interests."""
    if not persoon.is_authenticated:
        return None
    return (
        Abonnement.objects.prefetch_related("leerateliers", "themas")
        .filter(email=persoon.email)
        .first()
    )


def abonnement_by_token(token: str) -> Abonnement | None:
    """The subscription of a personal unsubscribe link; None for anything else."""
    if not TOKEN_PATTERN.fullmatch(token or ""):
        return None
    return Abonnement.objects.filter(token=token).first()


def ontvangers(*, leeratelier_ids=None, thema_ids=None) -> QuerySet[Abonnement]:
    """Confirmed subscriptions; with ids given, only those interested in one of them."""
    abonnementen = Abonnement.objects.bevestigd()
    if leeratelier_ids is None and thema_ids is None:
        return abonnementen
    return abonnementen.met_interesse_in(
        leeratelier_ids=leeratelier_ids or (), thema_ids=thema_ids or ()
    )


def abonnementen_voor_lijst(*, status: str | None = None) -> QuerySet[Abonnement]:
    abonnementen = Abonnement.objects.prefetch_related("leerateliers", "themas").order_by("email")
    if status:
        abonnementen = abonnementen.filter(status=status)
    return abonnementen
