"""Reads of bijeenkomsten for pages, the home page included."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from bijeenkomsten.models import (
    Aanmelding,
    Antwoord,
    Bericht,
    Bijeenkomst,
    EvaluatieAntwoord,
    EvaluatieInzending,
    GastAanmelding,
    Groep,
    ImportControle,
    Materiaal,
    OrganisatieVoorstel,
    ProgrammaOnderdeel,
    SessieKeuze,
    Spreker,
    Teamlid,
    Uitnodiging,
    Verslag,
    Vraag,
)
from bijeenkomsten.permissions import can_manage_all_aanmeldingen, co_organisatie
from kennisbank.models import Kennisproduct
from leerateliers import selectors as leeratelier_selectors
from leerateliers.models import Deelname, Leeratelier
from netwerk.models import (
    GeenUitnodiging,
    Lidmaatschap,
    Organisatie,
    Persoon,
    normalize_email_address,
)
from netwerk.selectors import adressen_zonder_uitnodiging, ontvangers
from themas.models import Thema, Update, Volging
from werkplaats.db_functions import Sha256Hex
from werkplaats.tokens import hash_token

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,64}")


# The moments at which a bijeenkomst changes by the clock alone: it starts (no more offers)
# or ends (no longer coming), its registration opens or closes, a quotum's places open.
CLOCK_FIELDS = ("start", "eind", "aanmelden_vanaf", "aanmelden_tot", "quota__tot")


def _alias(field: str) -> str:
    return field.replace("__", "_")


def tijdgrenzen(now: datetime) -> tuple[datetime | None, datetime | None]:
    """The last such moment of a visible bijeenkomst up to `now` and the first after it, in
    one query: the clock of the pages cached with the bijeenkomsten (werkplaats.cache)."""
    moments = Bijeenkomst.objects.zichtbaar().aggregate(
        **{
            f"{_alias(name)}_laatst": Max(name, filter=Q(**{f"{name}__lte": now}))
            for name in CLOCK_FIELDS
        },
        **{
            f"{_alias(name)}_volgend": Min(name, filter=Q(**{f"{name}__gt": now}))
            for name in CLOCK_FIELDS
        },
    )
    passed = [moments[f"{_alias(n)}_laatst"] for n in CLOCK_FIELDS]
    coming = [moments[f"{_alias(n)}_volgend"] for n in CLOCK_FIELDS]
    passed, coming = [m for m in passed if m], [m for m in coming if m]
    return max(passed, default=None), min(coming, default=None)


def komende_bijeenkomsten(*, limit: int = 3) -> QuerySet[Bijeenkomst]:
    return Bijeenkomst.objects.gepubliceerd().komend().voor_lijst()[:limit]


def komende_bijeenkomsten_van(*, leeratelier=None, thema=None, limit: int = 3) -> list:
    """The next bijeenkomsten linked to a leeratelier or a thema, for their pages."""
    bijeenkomsten = Bijeenkomst.objects.gepubliceerd().komend().met_bezetting()
    if leeratelier is not None:
        # With those of the ateliers merged into it, marked "voorheen: …".
        bijeenkomsten = leeratelier_selectors.met_voorheen(
            bijeenkomsten, leeratelier=leeratelier, veld="leerateliers"
        )
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
    aanmelding = (
        Aanmelding.objects.select_related("bijeenkomst")
        .filter(links__token_hash=hash_token(token))
        .first()
    )
    if aanmelding is not None:
        aanmelding.token = token
    return aanmelding


def _antwoorden_met_vraag() -> Prefetch:
    """Each registration's answers with their question, in the questions' order: one query
    for a whole page or export."""
    return Prefetch(
        "antwoorden",
        queryset=Antwoord.objects.select_related("vraag").order_by("vraag__volgorde", "vraag_id"),
    )


def eigen_aanmelding(*, persoon, pk: int) -> Aanmelding | None:
    """One of a person's own registrations, as /mijn/ lists them (by account or address)."""
    return (
        Aanmelding.objects.select_related("bijeenkomst")
        .filter(Q(persoon=persoon) | Q(email__iexact=persoon.email), pk=pk)
        .first()
    )


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

    @property
    def verandert_om(self) -> datetime | None:
        """When this list changes by the clock alone: the first end of a coming bijeenkomst
        (it becomes past) or deadline of an open offer (it can no longer be claimed)."""
        moments = [aanmelding.bijeenkomst.eind for aanmelding in self.komend]
        moments += [aanmelding.aanbod_tot for aanmelding in self.komend if aanmelding.aanbod_open]
        return min(moments, default=None)


def aanmeldingen_van(
    persoon, *, now: datetime | None = None, komend_max: int = 50, voorbij_max: int = 20
) -> EigenAanmeldingen:
    """A person's registrations for their own page: the coming ones and the latest past ones.

    Theirs are those made with their account or with their address (log-in needs a verified
    one), so a registration made as a guest shows up too. Each row carries `positie` (place
    on the wachtlijst, else None) and `aanbod_open` (an offer that can still be claimed),
    both computed in SQL, and the coming ones their `open_sessiekeuzes`: three queries,
    however many rows.
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
        rows.filter(bijeenkomst__eind__gte=now)
        .prefetch_related(open_sessiekeuzes())
        .order_by("bijeenkomst__start", "bijeenkomst__pk", "aangemeld_op", "pk")[: komend_max + 1]
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


def bijeenkomsten_voor_beheer(persoon=None) -> QuerySet[Bijeenkomst]:
    """Every bijeenkomst, concepts included, coming ones first, for the coördinator; with
    `persoon`, only the ones whose team they are in (a team member who coordinates nothing
    else)."""
    bijeenkomsten = Bijeenkomst.objects.met_bezetting()
    if persoon is not None:
        bijeenkomsten = bijeenkomsten.filter(team__persoon=persoon)
    return bijeenkomsten.order_by(F("eind").desc(), "-pk")


def bijeenkomsten_van_team(persoon, *, limit: int = 20) -> list:
    """The coming and recent bijeenkomsten a persoon is in the team of, with their role,
    for /mijn/ ("bijeenkomsten die ik organiseer"): one query."""
    return list(
        Teamlid.objects.filter(persoon=persoon)
        .select_related("bijeenkomst", "organisatie")
        .order_by(F("bijeenkomst__eind").desc(), "-pk")[:limit]
    )


def team_van(*, bijeenkomst: Bijeenkomst) -> list:
    """The team of one bijeenkomst with its people and organisaties: one query."""
    return list(bijeenkomst.team.select_related("persoon", "organisatie").order_by("rol", "pk"))


def zichtbare_aanmeldingen(aanmeldingen, *, persoon, bijeenkomst: Bijeenkomst):
    """The registrations of a bijeenkomst this persoon manages: all of them for whoever
    manages them all, a co-organisator's own network's for a co-organisator."""
    if can_manage_all_aanmeldingen(persoon, bijeenkomst):
        return aanmeldingen
    organisatie = co_organisatie(persoon, bijeenkomst)
    if organisatie is None:
        return aanmeldingen.none()
    return aanmeldingen.van_netwerk(organisatie)


def profiel_voor_aanmelding(persoon: Persoon) -> dict[str, str]:
    """What a person's registration form starts with from their profile: their functie,
    and the organisatie they are a confirmed member of when there is exactly one, else the
    one their profile names. At most two queries."""
    bevestigd = list(
        Lidmaatschap.objects.bevestigd()
        .filter(persoon=persoon)
        .values_list("organisatie__naam", flat=True)[:2]
    )
    if len(bevestigd) == 1:
        organisatie = bevestigd[0]
    elif persoon.organisatie_id:
        organisatie = (
            Organisatie.objects.filter(pk=persoon.organisatie_id)
            .values_list("naam", flat=True)
            .first()
            or ""
        )
    else:
        organisatie = ""
    return {"organisatie": organisatie, "functie": persoon.functie}


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


def aanmeldingen_voor_dashboard(
    *, bijeenkomst: Bijeenkomst, status: str, zoek: str = "", met_antwoorden: bool = False
):
    """One status group, searchable on naam, e-mail and organisatie, in the list's order:
    the wachtlijst in its order, offers by deadline, the others by when they came in.
    `met_antwoorden`: with the answers to the questions (one query more for the page)."""
    aanmeldingen = bijeenkomst.aanmeldingen.filter(status=status).select_related(
        "aangemeld_door", "aanwezig_gemeld_door"
    )
    if met_antwoorden:
        aanmeldingen = aanmeldingen.prefetch_related(_antwoorden_met_vraag())
    if zoek:
        aanmeldingen = aanmeldingen.filter(
            Q(naam__icontains=zoek) | Q(email__icontains=zoek) | Q(organisatie__icontains=zoek)
        )
    ordering = {
        Aanmelding.Status.WACHTLIJST: ["wachtlijst_volgorde"],
        Aanmelding.Status.AANGEBODEN: ["aanbod_tot", "pk"],
    }.get(status, ["aangemeld_op", "pk"])
    return aanmeldingen.prefetch_related(open_sessiekeuzes()).order_by(*ordering)


# Invitations, messages to the registered (issue 9, points 9 and 10)

MAX_PASTED_ADDRESSES = 10_000
ADDRESS_SEPARATORS = frozenset("\n\r,;")
NAMED_ADDRESS = re.compile(r"^(?P<naam>.*?)\s*<(?P<email>[^<>]*)>$")


@dataclass(frozen=True)
class Invitee:
    email: str
    naam: str = ""
    persoon_id: int | None = None


@dataclass(frozen=True)
class Audience:
    """Whom a coördinator chose to invite. Resolved afresh for the preview and again when
    sending, so what is sent never comes from a list the browser carried."""

    leeratelier_ids: tuple[int, ...] = ()
    rollen: tuple[str, ...] = ()
    thema_ids: tuple[int, ...] = ()
    organisatie_ids: tuple[int, ...] = ()
    adressen: str = ""
    # Confirmed nieuwsbrief subscribers: "" none, ABONNEES_ALLE all of them,
    # ABONNEES_GEINTERESSEERD those interested in this bijeenkomst's leerateliers or thema's.
    abonnees: str = ""


ABONNEES_ALLE = "alle"
ABONNEES_GEINTERESSEERD = "geinteresseerd"


class Exclusion(models.TextChoices):
    AANGEMELD = "aangemeld", _("al aangemeld")
    UITGENODIGD = "uitgenodigd", _("al uitgenodigd")
    GEEN_UITNODIGINGEN = "geen-uitnodigingen", _("wil geen uitnodigingen")


@dataclass
class ResolvedAudience:
    invitees: list[Invitee]
    # How many addresses were left out, per reason (an address counts for its first reason).
    excluded: dict[str, int] = field(default_factory=dict)
    # Pasted pieces that are no address: (the text, why).
    invalid: list[tuple[str, str]] = field(default_factory=list)

    @property
    def excluded_count(self) -> int:
        return sum(self.excluded.values())

    def excluded_labels(self) -> list[tuple[str, int]]:
        return [(Exclusion(reason).label, count) for reason, count in self.excluded.items()]


def split_pasted(text: str) -> list[str]:
    """The pieces of a pasted list: one per line, or separated by commas or semicolons.

    A comma inside double quotes belongs to a name ("Jansen, Jan" <jan@example.org>);
    a line break always ends a piece, so one unbalanced quote spoils one line at most.
    """
    pieces, current, quoted = [], [], False
    for char in text or "":
        if char == '"':
            quoted = not quoted
        if char in ADDRESS_SEPARATORS and (not quoted or char in "\r\n"):
            pieces.append("".join(current))
            current, quoted = [], False
        else:
            current.append(char)
    pieces.append("".join(current))
    return [piece.strip() for piece in pieces if piece.strip()]


def parse_addresses(text: str) -> tuple[list[Invitee], list[tuple[str, str]]]:
    """Pasted addresses, as `adres` or `Naam <adres>`: the valid ones (each once, lower
    case) and the invalid ones with the reason."""
    valid: dict[str, Invitee] = {}
    invalid = []
    for piece in split_pasted(text):
        naam, address = "", piece
        match = NAMED_ADDRESS.match(piece)
        if match:
            naam = match["naam"].strip().strip("\"'").strip()
            address = match["email"]
        address = normalize_email_address(address.removeprefix("mailto:"))
        if len(address) > 254:
            invalid.append((piece, _("langer dan 254 tekens")))
            continue
        try:
            validate_email(address)
        except ValidationError:
            invalid.append((piece, _("geen geldig e-mailadres")))
            continue
        valid.setdefault(address, Invitee(email=address, naam=naam[:150]))
    return list(valid.values()), invalid


def resolve_audience(*, bijeenkomst: Bijeenkomst, audience: Audience) -> ResolvedAudience:
    """Everyone the audience reaches, each address once, minus those already registered
    (open), already invited or on the list of addresses that want no invitations."""
    found: dict[str, Invitee] = {}

    def add(rows):
        for email, naam, persoon_id in rows:
            address = normalize_email_address(email)
            if address not in found:
                found[address] = Invitee(email=address, naam=naam, persoon_id=persoon_id)

    if audience.leeratelier_ids and audience.rollen:
        add(
            Deelname.objects.actief()
            .filter(
                leeratelier_id__in=audience.leeratelier_ids,
                rol__in=audience.rollen,
                persoon__is_active=True,
            )
            .values_list("persoon__email", "persoon__naam", "persoon_id")
        )
    if audience.thema_ids:
        # A follower who chose "geen mail" asked for no mail about the thema.
        add(
            Volging.objects.filter(thema_id__in=audience.thema_ids, persoon__is_active=True)
            .exclude(frequentie=Volging.Frequentie.GEEN)
            .values_list("persoon__email", "persoon__naam", "persoon_id")
        )
    if audience.organisatie_ids:
        add(
            Persoon.objects.filter(
                organisatie_id__in=audience.organisatie_ids, is_active=True
            ).values_list("email", "naam", "pk")
        )
    if audience.abonnees:
        subscribers = ontvangers()
        if audience.abonnees == ABONNEES_GEINTERESSEERD:
            subscribers = ontvangers(
                leeratelier_ids=list(bijeenkomst.leerateliers.values_list("pk", flat=True)),
                thema_ids=list(bijeenkomst.themas.values_list("pk", flat=True)),
            )
        pasted_subscribers = [
            Invitee(email=normalize_email_address(email), naam=naam, persoon_id=None)
            for email, naam in subscribers.values_list("email", "naam")
        ]
    else:
        pasted_subscribers = []
    pasted, invalid = parse_addresses(audience.adressen)
    pasted = pasted_subscribers + pasted
    new = [invitee for invitee in pasted if invitee.email not in found]
    if new:
        accounts = {
            address: (naam, pk)
            for address, naam, pk in Persoon.objects.annotate(adres=Lower("email"))
            .filter(adres__in=[invitee.email for invitee in new], is_active=True)
            .values_list("adres", "naam", "pk")
        }
        rows = []
        for invitee in new:
            naam, persoon_id = accounts.get(invitee.email, ("", None))
            rows.append((invitee.email, invitee.naam or naam, persoon_id))
        add(rows)

    reasons = [
        (Exclusion.AANGEMELD, _addresses(bijeenkomst.aanmeldingen.open())),
        (Exclusion.UITGENODIGD, _addresses(bijeenkomst.uitnodigingen.all())),
        (Exclusion.GEEN_UITNODIGINGEN, adressen_zonder_uitnodiging(found)),
    ]
    excluded: dict[str, int] = {}
    invitees = []
    for address in sorted(found):
        reason = next((reason for reason, addresses in reasons if address in addresses), None)
        if reason is None:
            invitees.append(found[address])
        else:
            excluded[reason.value] = excluded.get(reason.value, 0) + 1
    ordered = {reason.value: excluded[reason.value] for reason, _ in reasons if reason in excluded}
    return ResolvedAudience(invitees=invitees, excluded=ordered, invalid=invalid)


def _addresses(queryset) -> set[str]:
    return set(queryset.annotate(adres=Lower("email")).values_list("adres", flat=True))


def describe_audience(audience: Audience) -> str:
    """In words, for the log: "arena van Armoede; volgers van Wonen; 12 geplakte adressen"."""
    parts = []
    if audience.leeratelier_ids and audience.rollen:
        rollen = [str(Deelname.Rol(rol).label) for rol in audience.rollen]
        if len(rollen) == 2:
            rollen = [gettext("%(een)s en %(ander)s") % {"een": rollen[0], "ander": rollen[1]}]
        parts.append(
            gettext("%(rollen)s van %(namen)s")
            % {
                "rollen": rollen[0],
                "namen": _names(Leeratelier.objects.filter(pk__in=audience.leeratelier_ids)),
            }
        )
    if audience.thema_ids:
        parts.append(
            gettext("volgers van %(namen)s")
            % {"namen": _names(Thema.objects.filter(pk__in=audience.thema_ids))}
        )
    if audience.organisatie_ids:
        parts.append(
            gettext("mensen van %(namen)s")
            % {"namen": _names(Organisatie.objects.filter(pk__in=audience.organisatie_ids))}
        )
    if audience.abonnees == ABONNEES_ALLE:
        parts.append(gettext("alle nieuwsbriefabonnees"))
    elif audience.abonnees == ABONNEES_GEINTERESSEERD:
        parts.append(gettext("nieuwsbriefabonnees met interesse in deze bijeenkomst"))
    pasted = len(split_pasted(audience.adressen))
    if pasted:
        parts.append(
            ngettext("%(aantal)s geplakt adres", "%(aantal)s geplakte adressen", pasted)
            % {"aantal": pasted}
        )
    return "; ".join(parts)


def _names(queryset) -> str:
    return ", ".join(queryset.order_by("naam").values_list("naam", flat=True))


def uitnodiging_by_token(token: str) -> Uitnodiging | None:
    """The invitation of a personal link; None for anything that is not a valid token."""
    if not TOKEN_PATTERN.fullmatch(token or ""):
        return None
    uitnodiging = (
        Uitnodiging.objects.select_related("bijeenkomst")
        .filter(links__token_hash=hash_token(token))
        .first()
    )
    if uitnodiging is not None:
        uitnodiging.token = token
    return uitnodiging


def _same_address(queryset):
    return queryset.annotate(adres=Lower("email")).filter(adres=Lower(OuterRef("email")))


def _opted_out():
    """GeenUitnodiging rows of the outer row's address: by address, or by its hash once the
    address itself was deleted with its owner's account."""
    return GeenUitnodiging.objects.annotate(adres=Lower("email")).filter(
        Q(adres=Lower(OuterRef("email"))) | Q(email_hash=Sha256Hex(Lower(OuterRef("email"))))
    )


def uitnodigingen_van(*, bijeenkomst: Bijeenkomst) -> QuerySet[Uitnodiging]:
    """The invitations of a bijeenkomst for its overview, each with what came of it:
    `aanmelding_status` (of the newest registration of the address, if any) and
    `wil_geen` (the address asked for no more invitations)."""
    registrations = _same_address(Aanmelding.objects.filter(bijeenkomst=bijeenkomst))
    return (
        bijeenkomst.uitnodigingen.annotate(
            aanmelding_status=Subquery(
                registrations.order_by("-aangemeld_op", "-pk").values("status")[:1]
            ),
            wil_geen=Exists(_opted_out()),
        )
        .select_related("uitgenodigd_door")
        .order_by("email")
    )


def uitnodigingen_zonder_reactie(*, bijeenkomst: Bijeenkomst) -> QuerySet[Uitnodiging]:
    """Invitations nobody registered with (in any way, also cancelled: that was an
    answer), whose address still wants invitations: who a reminder goes to."""
    return bijeenkomst.uitnodigingen.filter(
        ~Exists(_same_address(Aanmelding.objects.filter(bijeenkomst=bijeenkomst))),
        ~Exists(_opted_out()),
    )


def volgende_herinneringsronde(*, bijeenkomst: Bijeenkomst) -> int:
    highest = bijeenkomst.uitnodigingen.aggregate(highest=Max("herinneringsronde"))["highest"]
    return (highest or 0) + 1


def bericht_ontvangers(bericht: Bericht) -> QuerySet[Aanmelding]:
    """The registrations a message goes to: every open one, or one status group."""
    aanmeldingen = Aanmelding.objects.filter(bijeenkomst_id=bericht.bijeenkomst_id)
    if bericht.doelgroep == Bericht.Doelgroep.OPEN:
        return aanmeldingen.open().order_by("pk")
    return aanmeldingen.filter(status=bericht.doelgroep).order_by("pk")


def berichten_van(*, bijeenkomst: Bijeenkomst) -> QuerySet[Bericht]:
    return bijeenkomst.berichten.select_related("door")


# The coördinator's import, check-in at the door and exports.


def open_adressen(*, bijeenkomst: Bijeenkomst) -> set[str]:
    """The (lower-case) addresses with an open registration: an import skips them."""
    return {
        email.lower() for email in bijeenkomst.aanmeldingen.open().values_list("email", flat=True)
    }


def aanwezigheidslijst(
    *, bijeenkomst: Bijeenkomst, zoek: str = "", sessie: ProgrammaOnderdeel | None = None
) -> QuerySet[Aanmelding]:
    """The confirmed attendees for the door (above capacity included), by name; `zoek`
    narrows on every word in naam, e-mail or organisatie, `sessie` to those who hold a
    place in that deelsessie. Each with `sessies`: the deelsessies they hold."""
    aanmeldingen = bijeenkomst.aanmeldingen.filter(status=Aanmelding.Status.BEVESTIGD)
    if sessie is not None:
        aanmeldingen = aanmeldingen.filter(
            sessiekeuzes__deelsessie=sessie, sessiekeuzes__status=SessieKeuze.Status.BEVESTIGD
        )
    aanmeldingen = aanmeldingen.prefetch_related(gehouden_sessies())
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


def voor_export(*, bijeenkomst: Bijeenkomst, keuze: str, vragen=()) -> QuerySet[Aanmelding]:
    """The registrations of one status ("open": every one still in play) for a list, each
    with `positie`: its place on the wachtlijst (1 for the first, in the order places are
    offered, as `Aanmelding.wachtlijst_positie()`), None when not waiting. In one query."""
    ahead = (
        Aanmelding.objects.filter(
            bijeenkomst=OuterRef("bijeenkomst"),
            status=Aanmelding.Status.WACHTLIJST,
            wachtlijst_volgorde__lte=OuterRef("wachtlijst_volgorde"),
        )
        .order_by()
        .values("bijeenkomst")
        .annotate(aantal=Count("pk"))
        .values("aantal")
    )
    return (
        bijeenkomst.aanmeldingen.filter(status__in=EXPORT_KEUZES[keuze])
        .annotate(
            positie=Case(
                When(status=Aanmelding.Status.WACHTLIJST, then=Subquery(ahead)),
                default=None,
                output_field=models.IntegerField(),
            )
        )
        .order_by(Lower("naam"), "pk")
        .only(
            "aangemeld_op",
            "bron",
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
        .annotate(**_antwoord_kolommen(vragen))
    )


def antwoord_kolom(vraag) -> str:
    return f"antwoord_{vraag.pk}"


def _antwoord_kolommen(vragen) -> dict:
    """One annotation per question: its answer, so the export stays one query (and works
    with `.iterator()`) however many rows and questions."""
    return {
        antwoord_kolom(vraag): Subquery(
            Antwoord.objects.filter(aanmelding=OuterRef("pk"), vraag=vraag.pk).values("waarde")[:1]
        )
        for vraag in vragen
    }


def gegevens_van(persoon) -> dict:
    """What this app holds about a persoon, for their own export (privacy): registrations
    and invitations made with their account or with their address (by a coördinator on
    their behalf, as a guest, by an import), with what they filled in and whether they came.
    A fixed number of queries."""
    theirs = Q(persoon=persoon) | Q(email__iexact=persoon.email)
    return {
        "aanmeldingen": [
            {
                "bijeenkomst": aanmelding.bijeenkomst.titel,
                "start": aanmelding.bijeenkomst.start,
                "status": aanmelding.get_status_display(),
                "naam": aanmelding.naam,
                "email": aanmelding.email,
                "organisatie": aanmelding.organisatie,
                "functie": aanmelding.functie,
                "dieetwensen": aanmelding.dieetwensen,
                "toegankelijkheid": aanmelding.toegankelijkheid,
                "opmerkingen": aanmelding.opmerkingen,
                "aangemeld_op": aanmelding.aangemeld_op,
                "taal": aanmelding.taal,
                "aangemeld_door": (
                    aanmelding.aangemeld_door.naam if aanmelding.aangemeld_door else None
                ),
                "met_account": aanmelding.persoon_id == persoon.pk,
                "plek_in_wachtrij": aanmelding.wachtlijst_volgorde,
                "aanbod_tot": aanmelding.aanbod_tot,
                "aanwezig_op": aanmelding.aanwezig_op,
                # The day only: the answers themselves were stored without the person.
                "evaluatie_ingevuld_op": aanmelding.evaluatie_ingevuld_op,
                "antwoorden": {
                    antwoord.vraag.tekst: antwoord.getoond
                    for antwoord in aanmelding.antwoorden.all()
                },
            }
            for aanmelding in Aanmelding.objects.filter(theirs)
            .select_related("bijeenkomst", "aangemeld_door")
            .prefetch_related(_antwoorden_met_vraag())
            .order_by("aangemeld_op", "pk")
        ],
        "uitnodigingen": [
            {
                "bijeenkomst": uitnodiging.bijeenkomst.titel,
                "email": uitnodiging.email,
                "naam": uitnodiging.naam,
                "uitgenodigd_op": uitnodiging.uitgenodigd_op,
                "uitgenodigd_door": (
                    uitnodiging.uitgenodigd_door.naam if uitnodiging.uitgenodigd_door else None
                ),
                "herinnerd_op": uitnodiging.herinnerd_op,
            }
            for uitnodiging in Uitnodiging.objects.filter(theirs)
            .select_related("bijeenkomst", "uitgenodigd_door")
            .order_by("uitgenodigd_op", "pk")
        ],
        # Guest registrations with their address whose link was not used (yet).
        "onbevestigd": [
            {
                "bijeenkomst": gast.bijeenkomst.titel,
                "naam": gast.naam,
                "email": gast.email,
                "organisatie": gast.organisatie,
                "functie": gast.functie,
                "aangemaakt_op": gast.aangemaakt_op,
                "verloopt_op": gast.verloopt_op,
            }
            for gast in GastAanmelding.objects.filter(
                email__iexact=persoon.email, gebruikt_op__isnull=True
            )
            .select_related("bijeenkomst")
            .order_by("aangemaakt_op", "pk")
        ],
    }


def _sprekers():
    return Prefetch("sprekers", queryset=Spreker.objects.select_related("persoon"))


def programma_van(bijeenkomst: Bijeenkomst) -> list[ProgrammaOnderdeel]:
    """The programme in time order, each ronde with its deelsessies (`deelsessies_lijst`,
    with `bezet` and `wachtend`) and every item with its sprekers: a fixed number of
    queries, however long the programme."""
    deelsessies = (
        ProgrammaOnderdeel.objects.met_bezetting()
        .prefetch_related(_sprekers())
        .order_by("start", "pk")
    )
    return list(
        bijeenkomst.programma.bovenste().prefetch_related(
            _sprekers(), Prefetch("deelsessies", queryset=deelsessies, to_attr="deelsessies_lijst")
        )
    )


def met_materialen(
    programma: list[ProgrammaOnderdeel], *, bijeenkomst: Bijeenkomst, alle: bool
) -> list[ProgrammaOnderdeel]:
    """`programma` (from `programma_van`) with `materialen_lijst` on every item and
    deelsessie, in one query: all of them, or (`alle` False) only those marked to show at
    once (permissions.can_view_all_materials decides which)."""
    materialen = Materiaal.objects.filter(onderdeel__bijeenkomst=bijeenkomst)
    if not alle:
        materialen = materialen.filter(direct_tonen=True)
    per_onderdeel: dict[int, list[Materiaal]] = {}
    for materiaal in materialen.order_by("toegevoegd_op", "pk"):
        per_onderdeel.setdefault(materiaal.onderdeel_id, []).append(materiaal)
    for onderdeel in programma:
        onderdeel.materialen_lijst = per_onderdeel.get(onderdeel.pk, [])
        for sessie in getattr(onderdeel, "deelsessies_lijst", []):
            sessie.materialen_lijst = per_onderdeel.get(sessie.pk, [])
    return programma


def rondes_van(bijeenkomst: Bijeenkomst) -> list[ProgrammaOnderdeel]:
    """The rondes that have deelsessies, in programme order, each with `deelsessies_lijst`
    (with `bezet` and `wachtend`), for choosing one per ronde. One query: it is read for
    every confirmation in a registration rush, and a choice needs no sprekers."""
    rondes: dict[int, ProgrammaOnderdeel] = {}
    deelsessies = (
        bijeenkomst.programma.deelsessies()
        .met_bezetting()
        .select_related("ronde")
        .order_by("ronde__start", "ronde_id", "start", "pk")
    )
    for sessie in deelsessies:
        ronde = rondes.setdefault(sessie.ronde_id, sessie.ronde)
        if not hasattr(ronde, "deelsessies_lijst"):
            ronde.deelsessies_lijst = []
        ronde.deelsessies_lijst.append(sessie)
    return list(rondes.values())


def open_sessiekeuzes() -> Prefetch:
    """Prefetch of a registration's open session choices as `open_sessiekeuzes`, by ronde:
    for the coördinator's list and the export."""
    return Prefetch(
        "sessiekeuzes",
        queryset=SessieKeuze.objects.filter(status__in=SessieKeuze.OPEN_STATUSES)
        .select_related("deelsessie")
        .order_by("ronde__start", "ronde_id", "status"),
        to_attr="open_sessiekeuzes",
    )


def met_open_sessiekeuzes(aanmeldingen: Iterable[Aanmelding], *, bijeenkomst: Bijeenkomst):
    """`aanmeldingen` (an export's iterator) each with `open_sessiekeuzes`, read in one
    query for the whole bijeenkomst: a prefetch would ask once per chunk of the iterator."""
    per_aanmelding: dict[int, list[SessieKeuze]] = {}
    keuzes = (
        SessieKeuze.objects.filter(
            aanmelding__bijeenkomst=bijeenkomst, status__in=SessieKeuze.OPEN_STATUSES
        )
        .select_related("deelsessie")
        .order_by("ronde__start", "ronde_id", "status")
    )
    for keuze in keuzes:
        per_aanmelding.setdefault(keuze.aanmelding_id, []).append(keuze)
    for aanmelding in aanmeldingen:
        aanmelding.open_sessiekeuzes = per_aanmelding.get(aanmelding.pk, [])
        yield aanmelding


def gehouden_sessies() -> Prefetch:
    """Prefetch of a registration's held session places as `sessies`, by ronde."""
    return Prefetch(
        "sessiekeuzes",
        queryset=SessieKeuze.objects.filter(status=SessieKeuze.Status.BEVESTIGD)
        .select_related("deelsessie")
        .order_by("ronde__start", "ronde_id"),
        to_attr="sessies",
    )


def deelsessies_van(bijeenkomst: Bijeenkomst) -> list[ProgrammaOnderdeel]:
    """A bijeenkomst's deelsessies with their ronde, in programme order (for filters)."""
    return list(
        bijeenkomst.programma.deelsessies()
        .select_related("ronde")
        .order_by("ronde__start", "ronde_id", "start", "pk")
    )


def sessiekeuzes_van(aanmelding: Aanmelding) -> list[SessieKeuze]:
    """A registration's open session choices, by ronde, for its page."""
    return list(
        aanmelding.sessiekeuzes.filter(status__in=SessieKeuze.OPEN_STATUSES)
        .select_related("deelsessie", "ronde")
        .order_by("ronde__start", "ronde_id", "status")
    )


# The verslag after a bijeenkomst.


def verslag_van(*, bijeenkomst: Bijeenkomst) -> Verslag | None:
    """The verslag with what it links to, in three queries."""
    return (
        Verslag.objects.filter(bijeenkomst=bijeenkomst)
        .select_related("bijeenkomst")
        .prefetch_related(
            Prefetch("updates", queryset=Update.objects.voor_lijst()),
            Prefetch("kennisproducten", queryset=Kennisproduct.objects.order_by("titel")),
        )
        .first()
    )


def updates_voor_verslag(*, bijeenkomst: Bijeenkomst) -> QuerySet[Update]:
    """Published updates of the bijeenkomst's leerateliers and thema's, newest first."""
    return (
        Update.objects.gepubliceerd()
        .filter(
            Q(leeratelier__in=bijeenkomst.leerateliers.values("pk"))
            | Q(thema__in=bijeenkomst.themas.values("pk"))
        )
        .order_by("-gepubliceerd_op", "-pk")
    )


def kennisproducten_voor_verslag(*, bijeenkomst: Bijeenkomst) -> QuerySet[Kennisproduct]:
    """Published products from this bijeenkomst or of its leerateliers and thema's."""
    return (
        Kennisproduct.objects.gepubliceerd()
        .filter(
            Q(bijeenkomst=bijeenkomst)
            | Q(leerateliers__in=bijeenkomst.leerateliers.values("pk"))
            | Q(themas__in=bijeenkomst.themas.values("pk"))
        )
        .distinct()
        .order_by("-gepubliceerd_op", "-pk")
    )


def verslagen_gepubliceerd_tussen(*, vanaf: datetime, tot: datetime) -> list[Verslag]:
    """Verslagen published in [vanaf, tot), with the ateliers and thema's of their
    bijeenkomst: for the next nieuwsbrief's geleerde lessen. Three queries."""
    return list(
        Verslag.objects.gepubliceerd()
        .filter(gepubliceerd_op__gte=vanaf, gepubliceerd_op__lt=tot)
        .exclude(geleerde_lessen="")
        .select_related("bijeenkomst")
        .prefetch_related("bijeenkomst__leerateliers", "bijeenkomst__themas")
        .order_by("gepubliceerd_op", "pk")
    )


def gedeelde_aanmeldingen(organisatie) -> QuerySet[Aanmelding]:
    """The open registrations for coming bijeenkomsten of the organisatie's confirmed
    members who share them with their contactpersoon (Persoon.deelt_aanmeldingen): asked
    anew on every request, so a withdrawn consent hides them at once."""
    leden = Lidmaatschap.objects.bevestigd().filter(organisatie=organisatie).values("persoon")
    return (
        Aanmelding.objects.open()
        .filter(
            persoon__in=leden,
            persoon__deelt_aanmeldingen=True,
            bijeenkomst__eind__gt=timezone.now(),
        )
        .exclude(bijeenkomst__status=Bijeenkomst.Status.CONCEPT)
        .select_related("bijeenkomst", "persoon")
        .order_by("bijeenkomst__start", "naam", "pk")
    )


MIJN_GROEPEN = 20


def groepen_van(persoon, *, now: datetime | None = None) -> list:
    """The coming groups `persoon` is in or registered (for /mijn/): each with its
    bijeenkomst, who registered it, its members in `leden` (the order given) and
    `kan_claimen` (places offered that its registrant may claim now). Two queries."""
    now = now or timezone.now()
    eigen = Aanmelding.objects.filter(Q(persoon=persoon) | Q(email__iexact=persoon.email))
    groepen = list(
        Groep.objects.filter(
            Q(aangemeld_door=persoon) | Q(pk__in=eigen.filter(groep__isnull=False).values("groep")),
            bijeenkomst__eind__gt=now,
        )
        .select_related("bijeenkomst", "aangemeld_door")
        .prefetch_related(
            models.Prefetch(
                "aanmeldingen", queryset=Aanmelding.objects.order_by("pk"), to_attr="leden"
            )
        )
        .order_by("bijeenkomst__start", "pk")[:MIJN_GROEPEN]
    )
    for groep in groepen:
        groep.kan_claimen = groep.aangemeld_door_id == persoon.pk and any(
            lid.aanbod_loopt(now) for lid in groep.leden
        )
    return groepen


def bijeenkomsten_voor_collegas() -> QuerySet[Bijeenkomst]:
    """What a contactpersoon may register colleagues for: published and still to come."""
    return (
        Bijeenkomst.objects.gepubliceerd()
        .komend()
        .only("pk", "titel", "start")
        .order_by("start", "pk")
    )


def organisatie_voorstellen() -> QuerySet:
    """Open proposals of matching, most likely first, for the coördinator's page."""
    return (
        OrganisatieVoorstel.objects.filter(status=OrganisatieVoorstel.Status.OPEN)
        .select_related("aanmelding", "organisatie")
        .order_by("-score", "pk")
    )


# The results of an evaluation show once this many filled it in: with fewer, a team that
# knows who came could guess whose answers they read. From then on every count is shown.
EVALUATIE_MIN_INZENDINGEN = 5


@dataclass
class VraagUitslag:
    """One closed question's counts: (label, count) per scale value or choice, in order."""

    vraag: Vraag
    rijen: list
    aantal: int
    gemiddelde: float | None = None


@dataclass
class EvaluatieUitslag:
    aantal_inzendingen: int
    aantal_aanwezig: int
    getoond: bool
    gesloten_vragen: list = field(default_factory=list)
    open_vragen: list = field(default_factory=list)


def evaluatie_uitslag(*, bijeenkomst: Bijeenkomst) -> EvaluatieUitslag:
    """Counts per scale value and choice, the mean of each scale, in four queries however
    many answered; the open answers are read page by page (`open_antwoorden`)."""
    vragen = list(Vraag.objects.filter(bijeenkomst=bijeenkomst).voor_evaluatie())
    aantal = EvaluatieInzending.objects.filter(bijeenkomst=bijeenkomst).count()
    aanwezig = Aanmelding.objects.filter(
        bijeenkomst=bijeenkomst, status=Aanmelding.Status.BEVESTIGD, aanwezig_op__isnull=False
    ).count()
    uitslag = EvaluatieUitslag(
        aantal_inzendingen=aantal,
        aantal_aanwezig=aanwezig,
        getoond=aantal >= EVALUATIE_MIN_INZENDINGEN,
    )
    gesloten = [vraag for vraag in vragen if vraag.soort in GESLOTEN_SOORTEN]
    uitslag.open_vragen = [vraag for vraag in vragen if vraag.soort not in GESLOTEN_SOORTEN]
    if not uitslag.getoond:
        return uitslag
    counts: dict[int, dict[str, int]] = {vraag.pk: {} for vraag in gesloten}
    if gesloten:
        for row in (
            EvaluatieAntwoord.objects.filter(vraag__in=gesloten)
            .values("vraag_id", "waarde")
            .annotate(aantal=Count("id"))
            .order_by()
        ):
            counts[row["vraag_id"]][row["waarde"]] = row["aantal"]
    for vraag in gesloten:
        of_vraag = counts[vraag.pk]
        if vraag.soort == Vraag.Soort.SCHAAL:
            labels = [str(number) for number in range(1, 6)]
        else:
            # The choices as they are now, then any answered choice since removed.
            labels = vraag.keuzelijst()
            labels += sorted(set(of_vraag) - set(labels))
        rijen = [(label, of_vraag.get(label, 0)) for label in labels]
        total = sum(of_vraag.values())
        mean = None
        if vraag.soort == Vraag.Soort.SCHAAL and total:
            mean = sum(int(label) * number for label, number in rijen) / total
        uitslag.gesloten_vragen.append(
            VraagUitslag(vraag=vraag, rijen=rijen, aantal=total, gemiddelde=mean)
        )
    return uitslag


GESLOTEN_SOORTEN = (Vraag.Soort.SCHAAL, Vraag.Soort.EEN_KEUZE, Vraag.Soort.JA_NEE)


def open_antwoorden(*, bijeenkomst: Bijeenkomst) -> QuerySet[EvaluatieAntwoord]:
    """The open answers, question by question; within one, in the order of their random
    keys (never the order they came in)."""
    return (
        EvaluatieAntwoord.objects.filter(
            vraag__bijeenkomst=bijeenkomst, vraag__doel=Vraag.Doel.EVALUATIE
        )
        .exclude(vraag__soort__in=GESLOTEN_SOORTEN)
        .select_related("vraag")
        .order_by("vraag__volgorde", "vraag_id", "id")
    )


def checked_import(*, token: str, bijeenkomst: Bijeenkomst, door) -> ImportControle | None:
    """The checked file of `token`, only for who uploaded it, for this bijeenkomst and
    while it is kept (IMPORT_CHECK_KEPT); None otherwise, as if it never existed."""
    return ImportControle.objects.filter(
        token=token,
        bijeenkomst=bijeenkomst,
        door=door,
        aangemaakt_op__gt=timezone.now() - settings.IMPORT_CHECK_KEPT,
    ).first()
