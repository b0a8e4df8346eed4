"""Reads of the partner network."""

import re
from collections.abc import Iterable

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Lower

from netwerk.models import Abonnement, GeenUitnodiging, Lidmaatschap, Organisatie, Persoon

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,64}")


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


def bevestigd_lid(*, persoon="persoon", organisatie="organisatie") -> Exists:
    """An expression for other apps' queries: the row's persoon is a confirmed member of
    the row's organisatie. The arguments name the fields of the outer query."""
    return Exists(
        Lidmaatschap.objects.bevestigd().filter(
            persoon=OuterRef(persoon), organisatie=OuterRef(organisatie)
        )
    )


def is_bevestigd_lid(*, persoon, organisatie) -> bool:
    """Whether `persoon` is a confirmed member of `organisatie` (None: never)."""
    if organisatie is None:
        return False
    confirmed = Lidmaatschap.objects.bevestigd()
    return confirmed.filter(persoon=persoon, organisatie=organisatie).exists()


def zichtbare_personen(organisatie: Organisatie) -> QuerySet[Persoon]:
    """Confirmed members who show their profile."""
    return (
        Persoon.objects.filter(
            profiel_zichtbaar=True,
            is_active=True,
            lidmaatschappen__organisatie=organisatie,
            lidmaatschappen__status=Lidmaatschap.Status.BEVESTIGD,
        )
        .only("pk", "naam", "functie")
        .order_by("naam")
    )


def persoon_voor_profiel(pk: int) -> Persoon:
    """An active person with `organisatie_bevestigd`; raises Persoon.DoesNotExist."""
    return (
        Persoon.objects.filter(is_active=True)
        .select_related("organisatie")
        .annotate(organisatie_bevestigd=bevestigd_lid(persoon="pk"))
        .get(pk=pk)
    )


def lidmaatschap_van(persoon: Persoon) -> Lidmaatschap | None:
    """The person's membership of the organisatie they say they are with, if any."""
    if not persoon.organisatie_id:
        return None
    return (
        Lidmaatschap.objects.filter(persoon=persoon, organisatie_id=persoon.organisatie_id)
        .select_related("organisatie")
        .first()
    )


def te_bevestigen_door_lid(persoon: Persoon) -> QuerySet[Lidmaatschap]:
    """Waiting requests of the organisaties this person is a confirmed member of."""
    organisaties = Lidmaatschap.objects.bevestigd().filter(persoon=persoon).values("organisatie")
    return (
        Lidmaatschap.objects.aangevraagd()
        .filter(organisatie__in=organisaties)
        .exclude(persoon=persoon)
        .select_related("persoon", "organisatie")
        .order_by("aangevraagd_op", "pk")
    )


def te_bevestigen() -> QuerySet[Lidmaatschap]:
    """Every waiting request, for coördinatoren."""
    return (
        Lidmaatschap.objects.aangevraagd()
        .select_related("persoon", "organisatie")
        .order_by("aangevraagd_op", "pk")
    )


def adressen_zonder_uitnodiging(emails: Iterable[str]) -> set[str]:
    """Those of `emails` (lower case) that asked for no more invitations."""
    return set(
        GeenUitnodiging.objects.annotate(adres=Lower("email"))
        .filter(adres__in=[email.lower() for email in emails])
        .values_list("adres", flat=True)
    )


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
