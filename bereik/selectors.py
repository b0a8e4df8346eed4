"""The reach report: whom the werkplaats reached in a period, read from other apps' data.

Everything is counted from what anonymisation keeps: a Deelname keeps its (anonymised)
persoon and its organisatie, an Aanmelding its bijeenkomst, status, check-in and a
pseudonymous address that is one per person, whichever retention run or account deletion
anonymised which of their rows (persons are counted by `person_count_key`, which maps an
address not yet anonymised to the same one), a Bezorging its edition and status. Each
table is one aggregate query, however many rows lie beneath it.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bijeenkomsten.models import Aanmelding, Bijeenkomst
from kennisbank.models import Kennisproduct
from leerateliers.models import Deelname
from netwerk.models import Organisatie, person_count_key
from nieuwsbrief.models import Bezorging, Editie

SUPPRESS_BELOW = 5
BIJEENKOMSTEN_SHOWN = 50


def suppressed(value: int) -> str:
    """A count as it may be shown: under SUPPRESS_BELOW nobody may be singled out."""
    return "< 5" if value < SUPPRESS_BELOW else str(value)


@dataclass
class Tabel:
    """One table of the report: a heading, column labels and rows of (label, counts)."""

    slug: str
    titel: str
    kolommen: list
    rijen: list = field(default_factory=list)


@dataclass
class Periode:
    van: date
    tot: date

    @property
    def begin(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.van, time.min))

    @property
    def einde(self) -> datetime:
        """Exclusive: the start of the day after `tot`."""
        return timezone.make_aware(datetime.combine(self.tot + timedelta(days=1), time.min))


def standaard_periode(today: date | None = None) -> Periode:
    """The last twelve months up to today."""
    today = today or timezone.localdate()
    return Periode(van=today.replace(year=today.year - 1) + timedelta(days=1), tot=today)


def _deelnames(periode: Periode):
    """Deelnames that ran during the period (not requests that were never approved)."""
    return Deelname.objects.filter(aangemaakt_op__lt=periode.einde).filter(
        Q(beeindigd_op__isnull=True) | Q(beeindigd_op__gte=periode.begin),
        ~Q(status=Deelname.Status.AANGEVRAAGD),
    )


def _aanmeldingen(periode: Periode):
    return Aanmelding.objects.filter(
        bijeenkomst__start__gte=periode.begin,
        bijeenkomst__start__lt=periode.einde,
        bijeenkomst__status=Bijeenkomst.Status.GEPUBLICEERD,
        status=Aanmelding.Status.BEVESTIGD,
    )


DEELNAME_KOLOMMEN = [
    _("Personen"),
    _("Organisaties"),
    _("Arena-deelnames"),
    _("Tribune-deelnames"),
]
AANWEZIG_KOLOMMEN = [_("Aangemeld"), _("Aanwezig"), _("Aanwezige personen")]


def _deelname_counts(periode: Periode, dimension: str) -> dict:
    rows = (
        _deelnames(periode)
        .exclude(**{f"{dimension}__isnull": True})
        .values(label=F(dimension))
        .annotate(
            personen=Count("persoon", distinct=True),
            organisaties=Count("organisatie", distinct=True),
            arena=Count("pk", distinct=True, filter=Q(rol=Deelname.Rol.ARENA)),
            tribune=Count("pk", distinct=True, filter=Q(rol=Deelname.Rol.TRIBUNE)),
        )
        .order_by("label")
    )
    return {
        row["label"]: [row["personen"], row["organisaties"], row["arena"], row["tribune"]]
        for row in rows
    }


@dataclass
class _Attendance:
    """The period's attendance, read once for every table that shows it: per bijeenkomst
    (aangemeld, aanwezig) and the distinct (bijeenkomst, person) pairs of those present.
    Three aggregates over all registrations of three years (one per dimension, each with a
    COUNT DISTINCT over a join) took most of the report's time; these two queries and the
    small label maps below take a fraction of it, and the counts are the same."""

    counts: dict
    present: dict
    bijeenkomsten: list


def _attendance(periode: Periode) -> _Attendance:
    rows = (
        _aanmeldingen(periode)
        .values("bijeenkomst_id")
        .annotate(aangemeld=Count("pk"), aanwezig=Count("pk", filter=Q(aanwezig_op__isnull=False)))
        .order_by()
    )
    counts = {row["bijeenkomst_id"]: (row["aangemeld"], row["aanwezig"]) for row in rows}
    present: dict[int, set] = {}
    pairs = (
        _aanmeldingen(periode)
        .filter(aanwezig_op__isnull=False)
        .annotate(sleutel=person_count_key())
        .values_list("bijeenkomst_id", "sleutel")
        .order_by()
        .distinct()
    )
    for bijeenkomst_id, sleutel in pairs:
        present.setdefault(bijeenkomst_id, set()).add(sleutel)
    bijeenkomsten = list(
        _bijeenkomsten(periode).order_by("-start", "-pk").values("pk", "titel", "start", "soort")
    )
    return _Attendance(counts=counts, present=present, bijeenkomsten=bijeenkomsten)


def _bijeenkomsten(periode: Periode):
    return Bijeenkomst.objects.gepubliceerd().filter(
        start__gte=periode.begin, start__lt=periode.einde
    )


def _attendance_counts(periode: Periode, attendance: _Attendance, dimension: str) -> dict:
    """{label: [aangemeld, aanwezig, aanwezige personen]} for the bijeenkomsten' `dimension`
    (a path from Bijeenkomst to a name), each registration counted once per label."""
    labels: dict[int, set] = {}
    for bijeenkomst_id, label in (
        _bijeenkomsten(periode)
        .exclude(**{f"{dimension}__isnull": True})
        .values_list("pk", dimension)
        .order_by()
    ):
        labels.setdefault(bijeenkomst_id, set()).add(label)
    totals: dict = {}
    for bijeenkomst_id, of_bijeenkomst in labels.items():
        aangemeld, aanwezig = attendance.counts.get(bijeenkomst_id, (0, 0))
        if not aangemeld:
            continue
        for label in of_bijeenkomst:
            entry = totals.setdefault(label, [0, 0, set()])
            entry[0] += aangemeld
            entry[1] += aanwezig
            entry[2] |= attendance.present.get(bijeenkomst_id, set())
    return {
        label: [aangemeld, aanwezig, len(personen)]
        for label, (aangemeld, aanwezig, personen) in totals.items()
    }


def _merged(slug, titel, deelnames: dict, attendance: dict | None, labels=None) -> Tabel:
    kolommen = list(DEELNAME_KOLOMMEN) + (list(AANWEZIG_KOLOMMEN) if attendance is not None else [])
    keys = sorted(set(deelnames) | set(attendance or {}), key=lambda key: str(key).lower())
    rijen = []
    for key in keys:
        counts = deelnames.get(key, [0] * len(DEELNAME_KOLOMMEN))
        if attendance is not None:
            counts = counts + attendance.get(key, [0] * len(AANWEZIG_KOLOMMEN))
        rijen.append(((labels or {}).get(key, key) or _("onbekend"), counts))
    return Tabel(slug=slug, titel=titel, kolommen=kolommen, rijen=rijen)


def bereik(periode: Periode) -> dict:
    """Every table and total of the report for `periode`: a fixed number of queries."""
    soorten_organisatie = dict(Organisatie.Soort.choices)
    attendance = _attendance(periode)
    tabellen = [
        _merged(
            "leeratelier",
            _("Per leeratelier"),
            _deelname_counts(periode, "leeratelier__naam"),
            _attendance_counts(periode, attendance, "leerateliers__naam"),
        ),
        _merged(
            "thema",
            _("Per professionaliseringsthema"),
            _deelname_counts(periode, "leeratelier__themas__naam"),
            _attendance_counts(periode, attendance, "themas__naam"),
        ),
        _merged(
            "voorwaarde",
            _("Per voorwaarde van sociale kwaliteit"),
            _deelname_counts(periode, "leeratelier__voorwaarden__naam"),
            _attendance_counts(periode, attendance, "leerateliers__voorwaarden__naam"),
        ),
        _merged(
            "soort-organisatie",
            _("Per soort organisatie"),
            _deelname_counts(periode, "organisatie__soort"),
            None,
            labels=soorten_organisatie,
        ),
        _merged(
            "gemeente",
            _("Per gemeente (plaats van de organisatie)"),
            _deelname_counts(periode, "organisatie__plaats"),
            None,
        ),
    ]
    tabellen.append(_per_soort_bijeenkomst(attendance))
    return {
        "tabellen": tabellen,
        "bijeenkomsten": _per_bijeenkomst(attendance),
        "totalen": _totalen(periode, attendance),
    }


def _per_soort_bijeenkomst(attendance: _Attendance) -> Tabel:
    soorten = dict(Bijeenkomst.Soort.choices)
    per_soort: dict = {}
    for bijeenkomst in attendance.bijeenkomsten:
        aangemeld, aanwezig = attendance.counts.get(bijeenkomst["pk"], (0, 0))
        if not aangemeld:
            continue
        entry = per_soort.setdefault(bijeenkomst["soort"], [0, 0, 0])
        entry[0] += aangemeld
        entry[1] += aanwezig
        entry[2] += 1
    return Tabel(
        slug="soort-bijeenkomst",
        titel=_("Aangemeld en aanwezig per soort bijeenkomst"),
        kolommen=[_("Aangemeld"), _("Aanwezig"), _("Bijeenkomsten")],
        rijen=[(soorten.get(soort, soort), per_soort[soort]) for soort in sorted(per_soort)],
    )


def _per_bijeenkomst(attendance: _Attendance) -> Tabel:
    return Tabel(
        slug="bijeenkomst",
        titel=_("Aangemeld en aanwezig per bijeenkomst"),
        kolommen=[_("Aangemeld"), _("Aanwezig")],
        rijen=[
            (
                f"{timezone.localtime(row['start']):%Y-%m-%d} {row['titel']}",
                list(attendance.counts.get(row["pk"], (0, 0))),
            )
            for row in attendance.bijeenkomsten
        ],
    )


def _totalen(periode: Periode, attendance: _Attendance) -> list:
    in_period = {"verzonden_op__gte": periode.begin, "verzonden_op__lt": periode.einde}
    edities = Editie.objects.filter(status=Editie.Status.VERZONDEN, **in_period)
    ontvangers = (
        Bezorging.objects.filter(editie__in=edities, status=Bezorging.Status.SENT)
        .values("editie")
        .annotate(aantal=Count("pk"))
        .aggregate(hoogste=Max("aantal"))["hoogste"]
    )
    deelnames = _deelnames(periode).aggregate(
        personen=Count("persoon", distinct=True),
        organisaties=Count("organisatie", distinct=True),
        arena=Count("pk", filter=Q(rol=Deelname.Rol.ARENA)),
        tribune=Count("pk", filter=Q(rol=Deelname.Rol.TRIBUNE)),
    )
    aangemeld = sum(counts[0] for counts in attendance.counts.values())
    aanwezig = sum(counts[1] for counts in attendance.counts.values())
    personen = len(set().union(*attendance.present.values()))
    producten = Kennisproduct.objects.gepubliceerd().filter(
        gepubliceerd_op__gte=periode.begin, gepubliceerd_op__lt=periode.einde
    )
    return [
        (_("Personen met een deelname aan een leeratelier"), deelnames["personen"]),
        (_("Organisaties met een deelname aan een leeratelier"), deelnames["organisaties"]),
        (_("Arena-deelnames"), deelnames["arena"]),
        (_("Tribune-deelnames"), deelnames["tribune"]),
        (_("Aanmeldingen voor bijeenkomsten"), aangemeld),
        (_("Aanwezig bij bijeenkomsten"), aanwezig),
        (_("Verschillende personen aanwezig bij bijeenkomsten"), personen),
        (_("Nieuwsbrieven verzonden"), edities.count()),
        (_("Abonnees bereikt (grootste verzending)"), ontvangers or 0),
        (_("Kennisproducten gepubliceerd"), producten.count()),
    ]
