"""Joining a leeratelier as arena or tribune, deciding on arena requests, merging ateliers,
and editing an atelier's page and its lerende praktijken.

Every function here is one transaction that locks what it changes, and queues its mail in
that same transaction (netwerk.outbox).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from leerateliers.models import (
    Deelname,
    Leeratelier,
    LeeratelierWijziging,
    LerendePraktijk,
    Voorwaarde,
)
from leerateliers.tokens import make_decision_token
from netwerk import selectors as netwerk_selectors
from netwerk.models import Organisatie, OutboxMessage, Persoon
from netwerk.outbox import queue_mail
from themas.rendering import render_markdown
from werkplaats import cache, history
from werkplaats.exceptions import RuleViolation
from werkplaats.locking import lock_one
from werkplaats.merging import lock_pair

# A trekker is mailed about one person's arena request at most once in this window, however
# often the person switches between arena and tribune.
ARENA_REQUEST_MAIL_WINDOW = timedelta(hours=1)
# One person's arena requests mail the trekkers of at most this many ateliers a day.
ARENA_REQUEST_ATELIERS_PER_DAY = 5


class DeelnameError(RuleViolation):
    """A join, switch, leave, decision or merge that the rules refuse."""


def join_leeratelier(
    *, persoon: Persoon, leeratelier: Leeratelier, rol: str, now: datetime | None = None
) -> Deelname:
    """Tribune is active at once; arena is a request the trekkers decide on.

    A second call while a Deelname is open returns that Deelname unchanged (a double
    submit); changing the rol of an open Deelname is `switch_rol()`.
    """
    if rol not in Deelname.Rol.values:
        raise DeelnameError(_("Kies arena of tribune."))
    with transaction.atomic():
        # The atelier row serialises joins (and merges) of this atelier; the partial unique
        # constraint on Deelname is the last line of defence.
        leeratelier = lock_one(Leeratelier.objects, pk=leeratelier.pk)
        if leeratelier.status != Leeratelier.Status.ACTIEF:
            raise DeelnameError(_("Dit leeratelier neemt geen nieuwe deelnemers meer aan."))
        existing = Deelname.objects.open().filter(persoon=persoon, leeratelier=leeratelier).first()
        if existing is not None:
            return existing
        cache.bump("leerateliers")
        now = now or timezone.now()
        deelname = Deelname.objects.create(
            leeratelier=leeratelier,
            persoon=persoon,
            organisatie_id=persoon.organisatie_id,
            rol=rol,
            status=Deelname.Status.ACTIEF
            if rol == Deelname.Rol.TRIBUNE
            else Deelname.Status.AANGEVRAAGD,
            arena_aangevraagd_op=now if rol == Deelname.Rol.ARENA else None,
            aangemaakt_op=now,
            gewijzigd_op=now,
        )
        if rol == Deelname.Rol.ARENA:
            _mail_trekkers_about_request(deelname)
    return deelname


def switch_rol(*, deelname: Deelname, rol: str, now: datetime | None = None) -> Deelname:
    """Arena → tribune is immediate (and withdraws a pending request); tribune → arena is
    a request again, while the person stays on the tribune until the decision."""
    if rol not in Deelname.Rol.values:
        raise DeelnameError(_("Kies arena of tribune."))
    with transaction.atomic():
        deelname = _lock_open(deelname)
        now = now or timezone.now()
        if rol == Deelname.Rol.TRIBUNE:
            if deelname.rol == Deelname.Rol.TRIBUNE and deelname.arena_aangevraagd_op is None:
                return deelname
            deelname.rol = Deelname.Rol.TRIBUNE
            deelname.status = Deelname.Status.ACTIEF
            deelname.arena_aangevraagd_op = None
        else:
            if deelname.rol == Deelname.Rol.ARENA or deelname.arena_aangevraagd_op:
                return deelname
            if deelname.leeratelier.status != Leeratelier.Status.ACTIEF:
                raise DeelnameError(_("Dit leeratelier neemt geen nieuwe deelnemers meer aan."))
            deelname.arena_aangevraagd_op = now
        deelname.gewijzigd_op = now
        deelname.save(update_fields=["rol", "status", "arena_aangevraagd_op", "gewijzigd_op"])
        cache.bump("leerateliers")
        if deelname.arena_aangevraagd_op:
            _mail_trekkers_about_request(deelname)
    return deelname


def leave_leeratelier(*, deelname: Deelname) -> Deelname:
    """End the Deelname; it is kept for history."""
    with transaction.atomic():
        deelname = _lock_open(deelname)
        now = timezone.now()
        deelname.status = Deelname.Status.BEEINDIGD
        deelname.arena_aangevraagd_op = None
        deelname.beeindigd_op = now
        deelname.gewijzigd_op = now
        deelname.save(
            update_fields=["status", "arena_aangevraagd_op", "beeindigd_op", "gewijzigd_op"]
        )
        cache.bump("leerateliers")
    return deelname


def approve_arena(*, deelname: Deelname, door: Persoon) -> Deelname:
    """A trekker lets the person into the arena; the person gets a mail."""
    return _decide(deelname=deelname, door=door, approve=True)


def decline_arena(*, deelname: Deelname, door: Persoon) -> Deelname:
    """A trekker declines; a tribune member stays on the tribune. The person gets a mail."""
    return _decide(deelname=deelname, door=door, approve=False)


def _decide(*, deelname: Deelname, door: Persoon, approve: bool) -> Deelname:
    with transaction.atomic():
        deelname = (
            Deelname.objects.select_for_update()
            .select_related("leeratelier", "persoon")
            .filter(pk=deelname.pk)
            .first()
        )
        if deelname is None or not deelname.wacht_op_arena:
            raise DeelnameError(_("Over deze aanvraag is al besloten."))
        now = timezone.now()
        aangevraagd_op = deelname.arena_aangevraagd_op
        if approve:
            deelname.rol = Deelname.Rol.ARENA
            deelname.status = Deelname.Status.ACTIEF
        elif deelname.status == Deelname.Status.AANGEVRAAGD:
            deelname.status = Deelname.Status.AFGEWEZEN
            deelname.beeindigd_op = now
        deelname.arena_aangevraagd_op = None
        deelname.besloten_op = now
        deelname.besloten_door = door
        deelname.gewijzigd_op = now
        deelname.save()
        cache.bump("leerateliers")
        queue_mail(
            key=f"leerateliers:arena-besluit:{deelname.pk}:{aangevraagd_op.isoformat()}",
            to=deelname.persoon.email,
            template="leerateliers/mail/arena_besluit",
            language=deelname.persoon.taal,
            context={
                "deelname": deelname,
                "leeratelier": deelname.leeratelier,
                "goedgekeurd": approve,
                "atelier_path": deelname.leeratelier.get_absolute_url(),
            },
        )
    return deelname


@dataclass(frozen=True)
class MergeResult:
    verplaatst: int
    samengevoegd: int
    lerende_praktijken: int


def merge_leeratelier(*, bron: Leeratelier, doel: Leeratelier) -> MergeResult:
    """Merge `bron` into `doel`: open deelnames and lerende praktijken move, nothing is lost.

    A person with an open Deelname in both keeps the stronger one (arena over tribune over
    a pending request); the weaker one ends and stays in the history of its atelier.
    """
    if bron.pk == doel.pk:
        raise DeelnameError(_("Een leeratelier kan niet met zichzelf worden samengevoegd."))
    with transaction.atomic():
        # The shared merge pattern (werkplaats.merging): both locked in a fixed order, so
        # two merges cannot deadlock. Updates, kennisproducten and bijeenkomsten stay with
        # `bron` (their history) and show under `doel` marked "voorheen"
        # (leerateliers.selectors.met_voorheen): they are not moved.
        bron, doel = lock_pair(
            Leeratelier.objects,
            bron_pk=bron.pk,
            doel_pk=doel.pk,
            same_message=_("Een leeratelier kan niet met zichzelf worden samengevoegd."),
        )
        if Leeratelier.Status.SAMENGEVOEGD in (bron.status, doel.status):
            raise DeelnameError(_("Dit leeratelier is al samengevoegd."))
        now = timezone.now()
        in_doel = {
            deelname.persoon_id: deelname
            for deelname in Deelname.objects.select_for_update().open().filter(leeratelier=doel)
        }
        verplaatst = samengevoegd = 0
        for deelname in Deelname.objects.select_for_update().open().filter(leeratelier=bron):
            other = in_doel.get(deelname.persoon_id)
            if other is None:
                deelname.leeratelier = doel
                deelname.gewijzigd_op = now
                deelname.save(update_fields=["leeratelier", "gewijzigd_op"])
                verplaatst += 1
                continue
            samengevoegd += 1
            if _strength(deelname) > _strength(other):
                stronger, weaker = deelname, other
            else:
                stronger, weaker = other, deelname
            carried_request = (
                stronger.rol == Deelname.Rol.TRIBUNE
                and stronger.arena_aangevraagd_op is None
                and weaker.arena_aangevraagd_op
            )
            arena_aangevraagd_op = weaker.arena_aangevraagd_op
            # End the weaker first: the unique constraint is checked row by row.
            weaker.status = Deelname.Status.BEEINDIGD
            weaker.arena_aangevraagd_op = None
            weaker.beeindigd_op = now
            weaker.gewijzigd_op = now
            weaker.save()
            stronger.leeratelier = doel
            if carried_request:
                stronger.arena_aangevraagd_op = arena_aangevraagd_op
            stronger.gewijzigd_op = now
            stronger.save()
        lerende_praktijken = bron.lerende_praktijken.update(leeratelier=doel)
        doel.trekkers.add(*bron.trekkers.all())
        doel.voorwaarden.add(*bron.voorwaarden.all())
        Leeratelier.objects.filter(samengevoegd_in=bron).update(samengevoegd_in=doel)
        bron.status = Leeratelier.Status.SAMENGEVOEGD
        bron.samengevoegd_in = doel
        bron.einddatum = bron.einddatum or timezone.localdate()
        bron.save(update_fields=["status", "samengevoegd_in", "einddatum"])
        cache.bump("leerateliers")
    return MergeResult(
        verplaatst=verplaatst, samengevoegd=samengevoegd, lerende_praktijken=lerende_praktijken
    )


def _strength(deelname: Deelname) -> int:
    if deelname.status == Deelname.Status.ACTIEF:
        return 3 if deelname.rol == Deelname.Rol.ARENA else 2
    return 1


def _lock_open(deelname: Deelname) -> Deelname:
    locked = (
        Deelname.objects.select_for_update()
        .select_related("leeratelier", "persoon")
        .open()
        .filter(pk=deelname.pk)
        .first()
    )
    if locked is None:
        raise DeelnameError(_("Deze deelname is al beëindigd."))
    return locked


def _mail_trekkers_about_request(deelname: Deelname) -> None:
    """Each trekker hears of a person's request for an atelier once: switching to the tribune
    and back, or leaving and joining again, within ARENA_REQUEST_MAIL_WINDOW mails nobody
    again (the request is on their page anyway). A request after the trekkers decided on the
    previous one is a new one, and is mailed. One person's requests mail the trekkers of at
    most ARENA_REQUEST_ATELIERS_PER_DAY ateliers a day; the requests themselves stand.

    The key names the person, the atelier, the last decision and the window, so racing calls
    queue one mail; the previous window's key is checked too, so a switch just after a window
    boundary does not mail again.
    """
    now = deelname.arena_aangevraagd_op
    seconds = int(ARENA_REQUEST_MAIL_WINDOW.total_seconds())
    window = int(now.timestamp()) // seconds
    decided = int(deelname.besloten_op.timestamp()) if deelname.besloten_op else 0
    trekkers = list(deelname.leeratelier.trekkers.all())
    prefix = f"leerateliers:arena-aanvraag:{deelname.persoon_id}:"

    ateliers_today = {
        key.removeprefix(prefix).split(":")[0]
        for key in OutboxMessage.objects.filter(
            key__startswith=prefix, created_at__gt=now - timedelta(days=1)
        ).values_list("key", flat=True)
    }
    if (
        str(deelname.leeratelier_id) not in ateliers_today
        and len(ateliers_today) >= ARENA_REQUEST_ATELIERS_PER_DAY
    ):
        return

    def key(trekker, number):
        return f"{prefix}{deelname.leeratelier_id}:{decided}:{number}:{trekker.pk}"

    keys = {trekker.pk: (key(trekker, window), key(trekker, window - 1)) for trekker in trekkers}
    recent = set(
        OutboxMessage.objects.filter(
            key__in=[one for pair in keys.values() for one in pair],
            created_at__gt=now - ARENA_REQUEST_MAIL_WINDOW,
        ).values_list("key", flat=True)
    )
    token = make_decision_token(deelname)
    context = {
        "deelname": deelname,
        "leeratelier": deelname.leeratelier,
        "aanvrager": deelname.persoon,
        "organisatie": deelname.organisatie,
        # Until the membership is confirmed the person takes part on their own title.
        "namens_bevestigd": netwerk_selectors.is_bevestigd_lid(
            persoon=deelname.persoon, organisatie=deelname.organisatie
        ),
        "besluit_path": reverse("leerateliers:besluit", kwargs={"token": token}),
        "mijn_path": reverse("netwerk:mijn"),
    }
    for trekker in trekkers:
        if recent.intersection(keys[trekker.pk]):
            continue
        queue_mail(
            key=keys[trekker.pk][0],
            to=trekker.email,
            template="leerateliers/mail/arena_aanvraag",
            language=trekker.taal,
            context={**context, "trekker": trekker},
        )


def forget_persoon(*, persoon: Persoon) -> int:
    """A person deletes their account (privacy, in the caller's transaction): their open
    deelnames end, kept for the history and counts of the ateliers, and they are no longer
    trekker of any atelier. Returns the number of deelnames ended."""
    now = timezone.now()
    with transaction.atomic():
        ended = (
            Deelname.objects.open()
            .filter(persoon=persoon)
            .update(
                status=Deelname.Status.BEEINDIGD,
                arena_aangevraagd_op=None,
                beeindigd_op=now,
                gewijzigd_op=now,
            )
        )
        persoon.getrokken_leerateliers.clear()
        cache.bump("leerateliers")
    return ended


# What a trekker edits on the atelier page; name, status and trekkers stay with the
# coördinatoren (/beheer/), since merging and the slug hang on them.
LEERATELIER_FIELDS = [
    "sociale_kwestie",
    "samenvatting",
    "beschrijving",
    "voorwaarden",
    "startdatum",
    "einddatum",
]
LERENDE_PRAKTIJK_FIELDS = [
    "titel",
    "beschrijving",
    "partners",
    "voorwaarden",
    "startdatum",
    "einddatum",
]


def edit_leeratelier(
    *,
    leeratelier: Leeratelier,
    door: Persoon,
    sociale_kwestie: str,
    samenvatting: str,
    beschrijving: str,
    voorwaarden: list[Voorwaarde] | tuple = (),
    startdatum: date | None = None,
    einddatum: date | None = None,
) -> Leeratelier:
    """Change the atelier's page and record who changed what. The Markdown is rendered
    before the row is locked: a slow text never holds the lock."""
    beschrijving_html = render_markdown(beschrijving)
    with transaction.atomic():
        leeratelier = lock_one(Leeratelier.objects, pk=leeratelier.pk)
        before = history.values(leeratelier, LEERATELIER_FIELDS)
        leeratelier.sociale_kwestie = sociale_kwestie
        leeratelier.samenvatting = samenvatting
        leeratelier.beschrijving = beschrijving
        leeratelier.beschrijving_html = beschrijving_html
        leeratelier.startdatum = startdatum
        leeratelier.einddatum = einddatum
        leeratelier.full_clean()
        leeratelier.save()
        leeratelier.voorwaarden.set(voorwaarden)
        _record(
            leeratelier=leeratelier,
            door=door,
            wijzigingen=history.changes(
                Leeratelier, before, history.values(leeratelier, LEERATELIER_FIELDS)
            ),
        )
        cache.bump("leerateliers")
    return leeratelier


def save_lerende_praktijk(
    *,
    leeratelier: Leeratelier,
    door: Persoon,
    titel: str,
    beschrijving: str,
    praktijk: LerendePraktijk | None = None,
    partners: list[Organisatie] | tuple = (),
    voorwaarden: list[Voorwaarde] | tuple = (),
    startdatum: date | None = None,
    einddatum: date | None = None,
) -> LerendePraktijk:
    """Add a lerende praktijk to the atelier (no `praktijk`) or change one of its own."""
    beschrijving_html = render_markdown(beschrijving)
    with transaction.atomic():
        lock_one(Leeratelier.objects, pk=leeratelier.pk)
        if praktijk is None:
            praktijk = LerendePraktijk(leeratelier=leeratelier)
            before = {}
        else:
            # A praktijk of another atelier is not found here, whatever the caller sent.
            praktijk = LerendePraktijk.objects.get(pk=praktijk.pk, leeratelier=leeratelier)
            before = history.values(praktijk, LERENDE_PRAKTIJK_FIELDS)
        praktijk.titel = titel
        praktijk.beschrijving = beschrijving
        praktijk.beschrijving_html = beschrijving_html
        praktijk.startdatum = startdatum
        praktijk.einddatum = einddatum
        praktijk.full_clean()
        praktijk.save()
        praktijk.partners.set(partners)
        praktijk.voorwaarden.set(voorwaarden)
        onderdeel = _("Lerende praktijk: %(titel)s") % {"titel": praktijk.titel}
        _record(
            leeratelier=leeratelier,
            lerende_praktijk=praktijk,
            door=door,
            wijzigingen=history.changes(
                LerendePraktijk,
                before,
                history.values(praktijk, LERENDE_PRAKTIJK_FIELDS),
                onderdeel=onderdeel,
            ),
        )
        cache.bump("leerateliers")
    return praktijk


def _record(*, leeratelier, door, wijzigingen, lerende_praktijk=None) -> None:
    # Saving an unchanged form leaves no line in the history.
    if wijzigingen:
        LeeratelierWijziging.objects.create(
            leeratelier=leeratelier,
            lerende_praktijk=lerende_praktijk,
            door=door,
            wijzigingen=wijzigingen,
        )
