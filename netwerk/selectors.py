"""Reads of the partner network."""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Lower

from netwerk.models import GeenUitnodiging, Lidmaatschap, Organisatie, Persoon


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


def bevestigd_lid(*, persoon="persoon", organisatie="organisatie") -> Exists:
    """An expression for other apps' queries: the row's persoon is a confirmed member of
    the row's organisatie. The arguments name the fields of the outer query."""
    return Exists(
        Lidmaatschap.objects.bevestigd().filter(
            persoon=OuterRef(persoon), organisatie=OuterRef(organisatie)
        )
    )


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
