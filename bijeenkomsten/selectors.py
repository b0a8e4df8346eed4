"""Reads of bijeenkomsten for pages, the home page included."""

import re
from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.utils import timezone

from bijeenkomsten.models import Aanmelding, Bijeenkomst

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,64}")


# The moments at which a bijeenkomst changes by the clock alone: it starts (no more offers)
# or ends (no longer coming), its registration opens or closes, its reserved places open.
CLOCK_FIELDS = ("start", "eind", "aanmelden_vanaf", "aanmelden_tot", "gereserveerd_tot")


def tijdgrenzen(now: datetime) -> tuple[datetime | None, datetime | None]:
    """The last such moment of a visible bijeenkomst up to `now` and the first after it, in
    one query: the clock of the pages cached with the bijeenkomsten (werkplaats.cache)."""
    moments = Bijeenkomst.objects.zichtbaar().aggregate(
        **{f"{name}_laatst": Max(name, filter=Q(**{f"{name}__lte": now})) for name in CLOCK_FIELDS},
        **{f"{name}_volgend": Min(name, filter=Q(**{f"{name}__gt": now})) for name in CLOCK_FIELDS},
    )
    passed = [moments[f"{name}_laatst"] for name in CLOCK_FIELDS if moments[f"{name}_laatst"]]
    coming = [moments[f"{name}_volgend"] for name in CLOCK_FIELDS if moments[f"{name}_volgend"]]
    return max(passed, default=None), min(coming, default=None)


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


@dataclass(frozen=True)
class EigenAanmeldingen:
    komend: list[Aanmelding]
    voorbij: list[Aanmelding]
    meer_komend: bool
    meer_voorbij: bool


def aanmeldingen_van(
    persoon, *, now: datetime | None = None, komend_max: int = 50, voorbij_max: int = 20
) -> EigenAanmeldingen:
    """A person's registrations for their own page: the coming ones and the latest past ones.

    Theirs are those made with their account or with their address (log-in needs a verified
    one), so a registration made as a guest shows up too. Each row carries `positie` (place
    on the wachtlijst, else None) and `aanbod_open` (an offer that can still be claimed),
    both computed in SQL: two queries, however many rows.
    """
    now = now or timezone.now()
    waiting_up_to_here = (
        Aanmelding.objects.filter(
            bijeenkomst=OuterRef("bijeenkomst"),
            status=Aanmelding.Status.WACHTLIJST,
            wachtlijst_volgorde__lte=OuterRef("wachtlijst_volgorde"),
        )
        .order_by()
        .values("bijeenkomst")
        .annotate(count=Count("pk"))
        .values("count")
    )
    rows = (
        Aanmelding.objects.filter(Q(persoon=persoon) | Q(email__iexact=persoon.email))
        .select_related("bijeenkomst")
        .annotate(
            positie=Case(
                When(status=Aanmelding.Status.WACHTLIJST, then=Subquery(waiting_up_to_here)),
                default=None,
            ),
            aanbod_open=ExpressionWrapper(
                Q(status=Aanmelding.Status.AANGEBODEN, aanbod_tot__gt=now),
                output_field=BooleanField(),
            ),
        )
    )
    # One row more than shown tells whether there are more, without a count query.
    komend = list(
        rows.filter(bijeenkomst__eind__gte=now).order_by(
            "bijeenkomst__start", "bijeenkomst__pk", "aangemeld_op", "pk"
        )[: komend_max + 1]
    )
    voorbij = list(
        rows.filter(bijeenkomst__eind__lt=now).order_by(
            "-bijeenkomst__start", "-bijeenkomst__pk", "-aangemeld_op", "-pk"
        )[: voorbij_max + 1]
    )
    return EigenAanmeldingen(
        komend=komend[:komend_max],
        voorbij=voorbij[:voorbij_max],
        meer_komend=len(komend) > komend_max,
        meer_voorbij=len(voorbij) > voorbij_max,
    )


def bijeenkomsten_voor_beheer() -> QuerySet[Bijeenkomst]:
    """Every bijeenkomst, concepts included, coming ones first, for the coördinator."""
    return Bijeenkomst.objects.met_bezetting().order_by(F("eind").desc(), "-pk")


def telling(*, bijeenkomst: Bijeenkomst) -> dict[str, int]:
    """The dashboard's numbers in one query: per status, present, above capacity."""
    per_status = {
        status: Count("pk", filter=Q(status=status)) for status in Aanmelding.Status.values
    }
    return bijeenkomst.aanmeldingen.aggregate(
        **per_status,
        aanwezig=Count("pk", filter=Q(aanwezig_op__isnull=False)),
        boven_capaciteit=Count(
            "pk", filter=Q(boven_capaciteit=True, status__in=Aanmelding.OPEN_STATUSES)
        ),
    )


def aanmeldingen_voor_dashboard(*, bijeenkomst: Bijeenkomst, status: str, zoek: str = ""):
    """One status group, searchable on naam, e-mail and organisatie, in the list's order:
    the wachtlijst in its order, offers by deadline, the others by when they came in."""
    aanmeldingen = bijeenkomst.aanmeldingen.filter(status=status).select_related(
        "aangemeld_door", "aanwezig_gemeld_door"
    )
    if zoek:
        aanmeldingen = aanmeldingen.filter(
            Q(naam__icontains=zoek) | Q(email__icontains=zoek) | Q(organisatie__icontains=zoek)
        )
    ordering = {
        Aanmelding.Status.WACHTLIJST: ["wachtlijst_volgorde"],
        Aanmelding.Status.AANGEBODEN: ["aanbod_tot", "pk"],
    }.get(status, ["aangemeld_op", "pk"])
    return aanmeldingen.order_by(*ordering)
