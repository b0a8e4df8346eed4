"""Reads of bijeenkomsten for pages, the home page included."""

import re

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower

from bijeenkomsten.models import Aanmelding, Bijeenkomst

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def komende_bijeenkomsten(*, limit: int = 3) -> QuerySet[Bijeenkomst]:
    return Bijeenkomst.objects.gepubliceerd().komend().voor_lijst()[:limit]


def komende_bijeenkomsten_van(*, leeratelier=None, thema=None, limit: int = 3) -> list:
    """The next bijeenkomsten linked to a leeratelier or a thema, for their pages."""
    bijeenkomsten = Bijeenkomst.objects.gepubliceerd().komend().met_bezetting()
    if leeratelier is not None:
        bijeenkomsten = bijeenkomsten.filter(leerateliers=leeratelier)
    else:
        bijeenkomsten = bijeenkomsten.filter(themas=thema)
    return list(bijeenkomsten[:limit])


def bijeenkomst_met_bezetting(*, slug: str) -> Bijeenkomst | None:
    return (
        Bijeenkomst.objects.met_bezetting()
        .prefetch_related("leerateliers", "themas", "organisaties")
        .filter(slug=slug)
        .first()
    )


def aanmelding_by_token(token: str) -> Aanmelding | None:
    """The registration of a personal link; None for anything that is not a valid token."""
    if not TOKEN_PATTERN.fullmatch(token or ""):
        return None
    return Aanmelding.objects.select_related("bijeenkomst").filter(token=token).first()


def open_aanmelding_van(*, bijeenkomst: Bijeenkomst, email: str) -> Aanmelding | None:
    return bijeenkomst.aanmeldingen.open().filter(email__iexact=email).first()


def aanmeldingen_per_status(*, bijeenkomst: Bijeenkomst) -> dict[str, list[Aanmelding]]:
    groups = {status: [] for status, _label in Aanmelding.Status.choices}
    for aanmelding in bijeenkomst.aanmeldingen.order_by("wachtlijst_volgorde", "aangemeld_op"):
        groups[aanmelding.status].append(aanmelding)
    return groups


def handelingen(*, bijeenkomst: Bijeenkomst, limit: int = 50) -> list:
    """The latest things coördinatoren did to this bijeenkomst, newest first."""
    return list(bijeenkomst.handelingen.select_related("door", "aanmelding")[:limit])


# The coördinator's import, check-in at the door and exports.


def open_adressen(*, bijeenkomst: Bijeenkomst) -> set[str]:
    """The (lower-case) addresses with an open registration: an import skips them."""
    return {
        email.lower() for email in bijeenkomst.aanmeldingen.open().values_list("email", flat=True)
    }


def aanwezigheidslijst(*, bijeenkomst: Bijeenkomst, zoek: str = "") -> QuerySet[Aanmelding]:
    """The confirmed attendees for the door (above capacity included), by name; `zoek`
    narrows on every word in naam, e-mail or organisatie."""
    aanmeldingen = bijeenkomst.aanmeldingen.filter(status=Aanmelding.Status.BEVESTIGD)
    for woord in zoek.split()[:5]:
        aanmeldingen = aanmeldingen.filter(
            Q(naam__icontains=woord) | Q(email__icontains=woord) | Q(organisatie__icontains=woord)
        )
    return aanmeldingen.select_related("aanwezig_gemeld_door").order_by(Lower("naam"), "pk")


def aanwezigheid(*, bijeenkomst: Bijeenkomst) -> dict[str, int]:
    """How many confirmed attendees there are, and how many of them are present."""
    return bijeenkomst.aanmeldingen.filter(status=Aanmelding.Status.BEVESTIGD).aggregate(
        bevestigd=Count("pk"), aanwezig=Count("pk", filter=Q(aanwezig_op__isnull=False))
    )


EXPORT_KEUZES = {
    "open": Aanmelding.OPEN_STATUSES,
    **{status: [status] for status in Aanmelding.Status.values},
}


def voor_export(*, bijeenkomst: Bijeenkomst, keuze: str) -> QuerySet[Aanmelding]:
    """The registrations of one status ("open": every one still in play) for a list."""
    return (
        bijeenkomst.aanmeldingen.filter(status__in=EXPORT_KEUZES[keuze])
        .order_by(Lower("naam"), "pk")
        .only(
            "bijeenkomst",  # the related manager sets it on each row: deferred, one query each
            "naam",
            "email",
            "organisatie",
            "functie",
            "dieetwensen",
            "toegankelijkheid",
            "status",
            "aanwezig_op",
            "boven_capaciteit",
            "boven_capaciteit_reden",
        )
    )
