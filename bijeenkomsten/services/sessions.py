"""Deelsessies with their own places: a registrant's choice of one deelsessie per ronde,
each deelsessie with its own capacity and its own wachtlijst, under the same offer, claim
and expiry rules as the bijeenkomst itself (`registration._offer_deadline`).

A choice takes a session place only while its registration holds a place at the
bijeenkomst (bevestigd or aangeboden); until then it is `gekozen`, and it is placed the
moment the registration gets one (`activate_choices`, called by `registration._offer`).
When a registration ends, its session places are freed and offered before the
bijeenkomst's own freed place goes to its wachtlijst, so the people already holding a
place at the bijeenkomst are served first.

Lock order, the same in every service here and in registration.py: the Bijeenkomst row
first (`_common._lock`), then the deelsessies involved, by primary key ascending
(`_lock_sessions`, which takes every deelsessie of the rondes involved, so a switch
within a ronde never needs a lock it does not hold yet). Holding the bijeenkomst lock
already serialises all changes of one bijeenkomst; the session locks keep a session's
places right for any path that changes them, and the fixed order means no two deadlock.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from bijeenkomsten.models import Aanmelding, Bijeenkomst, ProgrammaOnderdeel, SessieKeuze
from bijeenkomsten.services._common import RegistrationError, _lock, _mail, _offer_deadline

Status = SessieKeuze.Status


def _lock_sessions(bijeenkomst: Bijeenkomst, ids: Iterable[int]) -> dict[int, ProgrammaOnderdeel]:
    """Lock every deelsessie of the rondes of the deelsessies `ids` of the locked
    `bijeenkomst`, by pk ascending (see the module docstring): a switch or an offer within
    a ronde then finds all its sessions locked already. Raises RegistrationError for an id
    that is not a deelsessie of this bijeenkomst."""
    ids = set(ids)
    if not ids:
        return {}
    rondes = ProgrammaOnderdeel.objects.filter(
        pk__in=ids, bijeenkomst=bijeenkomst, soort=ProgrammaOnderdeel.Soort.DEELSESSIE
    ).values("ronde_id")
    # Found and locked in one query (a registration makes it with the bijeenkomst locked).
    rows = ProgrammaOnderdeel.objects.select_for_update().filter(ronde_id__in=rondes).order_by("pk")
    locked = {row.pk: row for row in rows}
    if not ids <= locked.keys():
        raise RegistrationError(_("Kies een deelsessie van deze bijeenkomst."))
    return locked


def check_choices(
    *, bijeenkomst: Bijeenkomst, sessies: Sequence[ProgrammaOnderdeel]
) -> list[ProgrammaOnderdeel]:
    """The choices as they may be made: deelsessies of this bijeenkomst, at most one per
    ronde. Raises RegistrationError otherwise (forms show it; services check it again)."""
    rondes = set()
    for sessie in sessies:
        if sessie.bijeenkomst_id != bijeenkomst.pk or sessie.ronde_id is None:
            raise RegistrationError(_("Kies een deelsessie van deze bijeenkomst."))
        if sessie.ronde_id in rondes:
            raise RegistrationError(_("Kies per ronde één deelsessie."))
        rondes.add(sessie.ronde_id)
    return list(sessies)


def _holds_place(aanmelding: Aanmelding) -> bool:
    return aanmelding.status in Aanmelding.TAKEN_STATUSES


def _next_order(sessie: ProgrammaOnderdeel) -> int:
    highest = sessie.keuzes.aggregate(hoogste=Max("wachtlijst_volgorde"))["hoogste"]
    return (highest or 0) + 1


def _others_wait(bijeenkomst: Bijeenkomst, sessie: ProgrammaOnderdeel, now: datetime) -> bool:
    """As for the bijeenkomst: a free place is the wachtlijst's first while it is served."""
    return (
        bijeenkomst.biedt_plaatsen_aan(now)
        and sessie.keuzes.filter(status=Status.WACHTLIJST).exists()
    )


def _place(
    bijeenkomst: Bijeenkomst, keuze: SessieKeuze, sessie: ProgrammaOnderdeel, *, now: datetime
) -> bool:
    """Give a choice a session place or a place at the end of its wachtlijst; False when
    the session is full without a wachtlijst (nothing changed). Sessions locked."""
    if sessie.plaatsen_vrij != 0 and not _others_wait(bijeenkomst, sessie, now):
        keuze.status = Status.BEVESTIGD
        keuze.wachtlijst_volgorde = None
    elif sessie.wachtlijst_open:
        keuze.status = Status.WACHTLIJST
        keuze.wachtlijst_volgorde = _next_order(sessie)
    else:
        return False
    return True


def choose_at_registration(
    *,
    bijeenkomst: Bijeenkomst,
    aanmelding: Aanmelding,
    sessies: Sequence[ProgrammaOnderdeel],
    now: datetime,
) -> list[SessieKeuze]:
    """The choices made with a new registration, in the caller's transaction with the
    bijeenkomst locked (`register()` calls it). A full session without a wachtlijst refuses
    the whole registration."""
    check_choices(bijeenkomst=bijeenkomst, sessies=sessies)
    locked = _lock_sessions(bijeenkomst, [sessie.pk for sessie in sessies])
    keuzes = []
    for sessie in sorted((locked[sessie.pk] for sessie in sessies), key=lambda row: row.pk):
        keuze = SessieKeuze(
            aanmelding=aanmelding,
            deelsessie=sessie,
            ronde_id=sessie.ronde_id,
            status=Status.GEKOZEN,
            gekozen_op=now,
        )
        if _holds_place(aanmelding) and not _place(bijeenkomst, keuze, sessie, now=now):
            raise RegistrationError(
                _("De deelsessie ‘%(titel)s’ is vol en heeft geen wachtlijst.")
                % {"titel": sessie.titel}
            )
        keuze.save()
        keuzes.append(keuze)
    return keuzes


def activate_choices(bijeenkomst: Bijeenkomst, aanmelding: Aanmelding, *, now: datetime) -> None:
    """A registration just got a place at the locked bijeenkomst: its waiting choices take
    a session place or the session's wachtlijst. A session that is full without a wachtlijst
    lets the choice go; its owner picks another on their page."""
    keuzes = list(aanmelding.sessiekeuzes.filter(status=Status.GEKOZEN).order_by("deelsessie_id"))
    if not keuzes:
        return
    locked = _lock_sessions(bijeenkomst, [keuze.deelsessie_id for keuze in keuzes])
    for keuze in keuzes:
        if not _place(bijeenkomst, keuze, locked[keuze.deelsessie_id], now=now):
            keuze.status = Status.GEANNULEERD
        keuze.save(update_fields=["status", "wachtlijst_volgorde", "gewijzigd_op"])


def release_choices(bijeenkomst: Bijeenkomst, aanmelding: Aanmelding, *, now: datetime) -> None:
    """A registration ended: its choices end too, and their freed session places go to the
    sessions' wachtlijsten. Call with the bijeenkomst locked, before its own freed place
    is offered (see the module docstring)."""
    keuzes = list(aanmelding.sessiekeuzes.filter(status__in=SessieKeuze.OPEN_STATUSES))
    if not keuzes:
        return
    locked = _lock_sessions(bijeenkomst, [keuze.deelsessie_id for keuze in keuzes])
    freed = set()
    for keuze in keuzes:
        if keuze.status in SessieKeuze.TAKEN_STATUSES:
            freed.add(keuze.deelsessie_id)
        keuze.status = Status.GEANNULEERD
        keuze.aanbod_tot = None
        keuze.save(update_fields=["status", "aanbod_tot", "gewijzigd_op"])
    for pk in sorted(freed):
        _fill_session(bijeenkomst, locked[pk], now=now)


def end_all_choices(bijeenkomst: Bijeenkomst, *, now: datetime) -> int:
    """The locked bijeenkomst is called off: every open choice ends with it (nothing is
    offered on: a cancelled bijeenkomst offers no places)."""
    ids = bijeenkomst.programma.deelsessies().values_list("pk", flat=True)
    _lock_sessions(bijeenkomst, ids)
    return SessieKeuze.objects.filter(
        deelsessie__bijeenkomst=bijeenkomst, status__in=SessieKeuze.OPEN_STATUSES
    ).update(status=Status.GEANNULEERD, aanbod_tot=None, gewijzigd_op=now)


def _fill_session(bijeenkomst: Bijeenkomst, sessie: ProgrammaOnderdeel, *, now: datetime) -> None:
    """Offer (or in direct mode: give) a session's free places to the first ones on its
    wachtlijst, in order: `registration._fill_free_places` for one deelsessie."""
    if not bijeenkomst.biedt_plaatsen_aan(now):
        return
    free = sessie.plaatsen_vrij
    if free == 0:
        return
    waiting = sessie.keuzes.filter(status=Status.WACHTLIJST).order_by("wachtlijst_volgorde")
    if free is not None:
        waiting = waiting[:free]
    for keuze in waiting.select_related("aanmelding"):
        _offer_session(bijeenkomst, keuze, now=now)


def _offer_session(bijeenkomst: Bijeenkomst, keuze: SessieKeuze, *, now: datetime) -> None:
    keuze.doorgeschoven_op = now
    keuze.aanmelding.bijeenkomst = bijeenkomst
    deadline = _offer_deadline(bijeenkomst, now)
    if deadline is None:
        _confirm(bijeenkomst, keuze, now=now)
        return
    keuze.status = Status.AANGEBODEN
    keuze.aanbod_tot = deadline
    keuze.save(update_fields=["status", "aanbod_tot", "doorgeschoven_op", "gewijzigd_op"])
    _mail(
        keuze.aanmelding,
        "sessie_aangeboden",
        {"keuze": keuze, "sessie": keuze.deelsessie},
        key_suffix=f"sessie:{keuze.pk}:aangeboden",
    )


def _confirm(bijeenkomst: Bijeenkomst, keuze: SessieKeuze, *, now: datetime) -> None:
    """The choice holds its session place; a place held before in the same ronde (a switch)
    is let go only now, in the same transaction, and offered on."""
    old = (
        SessieKeuze.objects.filter(
            aanmelding_id=keuze.aanmelding_id, ronde_id=keuze.ronde_id, status=Status.BEVESTIGD
        )
        .exclude(pk=keuze.pk)
        .first()
    )
    if old is not None:
        # Same ronde: locked already, with the rest of it (`_lock_sessions`).
        old_sessie = old.deelsessie
        old.status = Status.GEANNULEERD
        old.save(update_fields=["status", "gewijzigd_op"])
    keuze.status = Status.BEVESTIGD
    keuze.aanbod_tot = None
    keuze.wachtlijst_volgorde = None
    keuze.save(
        update_fields=[
            "status",
            "aanbod_tot",
            "wachtlijst_volgorde",
            "doorgeschoven_op",
            "gewijzigd_op",
        ]
    )
    if old is not None:
        _fill_session(bijeenkomst, old_sessie, now=now)


def _keuze_for_change(aanmelding: Aanmelding, bijeenkomst: Bijeenkomst, now: datetime) -> None:
    if not aanmelding.is_open:
        raise RegistrationError(_("Deze aanmelding is al beëindigd."))
    if bijeenkomst.status != Bijeenkomst.Status.GEPUBLICEERD or now >= bijeenkomst.start:
        raise RegistrationError(_("Je keuze van deelsessies kan niet meer veranderen."))


def change_session(
    *, aanmelding: Aanmelding, deelsessie: ProgrammaOnderdeel, now: datetime | None = None
) -> SessieKeuze:
    """Choose `deelsessie` in its ronde instead of the current choice, in one action that
    never lets go of the old session place before the new one is held: with a free place
    the switch happens at once; when it is full the registrant joins its wachtlijst and
    keeps the old place until the new one is theirs (claimed, or given in direct mode)."""
    now = now or timezone.now()
    with transaction.atomic():
        bijeenkomst = _lock(aanmelding.bijeenkomst_id)
        aanmelding = Aanmelding.objects.get(pk=aanmelding.pk)
        aanmelding.bijeenkomst = bijeenkomst
        _keuze_for_change(aanmelding, bijeenkomst, now)
        check_choices(bijeenkomst=bijeenkomst, sessies=[deelsessie])
        current = list(
            aanmelding.sessiekeuzes.filter(
                ronde_id=deelsessie.ronde_id, status__in=SessieKeuze.OPEN_STATUSES
            )
        )
        locked = _lock_sessions(
            bijeenkomst, [deelsessie.pk, *(keuze.deelsessie_id for keuze in current)]
        )
        sessie = locked[deelsessie.pk]
        held = next((k for k in current if k.status == Status.BEVESTIGD), None)
        pending = next((k for k in current if k.status in SessieKeuze.PENDING_STATUSES), None)
        if pending is not None and pending.deelsessie_id == sessie.pk:
            return pending
        if held is not None and held.deelsessie_id == sessie.pk:
            if pending is not None:
                _end_pending(bijeenkomst, pending, locked, now=now)
            return held
        keuze = SessieKeuze(
            aanmelding=aanmelding,
            deelsessie=sessie,
            ronde_id=sessie.ronde_id,
            status=Status.GEKOZEN,
            gekozen_op=now,
        )
        if _holds_place(aanmelding) and not _place(bijeenkomst, keuze, sessie, now=now):
            raise RegistrationError(
                _("De deelsessie ‘%(titel)s’ is vol en heeft geen wachtlijst.")
                % {"titel": sessie.titel}
            )
        if pending is not None:
            _end_pending(bijeenkomst, pending, locked, now=now)
        if keuze.status == Status.BEVESTIGD and held is not None:
            # The new place is taken in this transaction before the old one is let go:
            # nobody else can take either in between (both sessions are locked).
            held.status = Status.GEANNULEERD
            held.save(update_fields=["status", "gewijzigd_op"])
            keuze.save()
            _fill_session(bijeenkomst, locked[held.deelsessie_id], now=now)
        else:
            keuze.save()
        return keuze


def _end_pending(bijeenkomst, pending: SessieKeuze, locked: dict, *, now: datetime) -> None:
    was_offered = pending.status == Status.AANGEBODEN
    pending.status = Status.GEANNULEERD
    pending.aanbod_tot = None
    pending.save(update_fields=["status", "aanbod_tot", "gewijzigd_op"])
    if was_offered:
        _fill_session(bijeenkomst, locked[pending.deelsessie_id], now=now)


def _locked_keuze(keuze: SessieKeuze) -> tuple[Bijeenkomst, SessieKeuze, dict]:
    bijeenkomst = _lock(keuze.aanmelding.bijeenkomst_id)
    keuze = SessieKeuze.objects.select_related("aanmelding").get(pk=keuze.pk)
    keuze.aanmelding.bijeenkomst = bijeenkomst
    ids = SessieKeuze.objects.filter(
        aanmelding_id=keuze.aanmelding_id,
        ronde_id=keuze.ronde_id,
        status__in=SessieKeuze.OPEN_STATUSES,
    ).values_list("deelsessie_id", flat=True)
    return bijeenkomst, keuze, _lock_sessions(bijeenkomst, [keuze.deelsessie_id, *ids])


def claim_session(*, keuze: SessieKeuze, now: datetime | None = None) -> SessieKeuze:
    """Accept an offered session place before its deadline; a session place held before in
    the same ronde is let go in the same transaction."""
    now = now or timezone.now()
    with transaction.atomic():
        bijeenkomst, keuze, _locked = _locked_keuze(keuze)
        if keuze.status != Status.AANGEBODEN:
            raise RegistrationError(_("Er staat voor jou geen plek klaar om te claimen."))
        if not keuze.aanbod_loopt(now):
            raise RegistrationError(_("De termijn om deze plek te claimen is verlopen."))
        _confirm(bijeenkomst, keuze, now=now)
        return keuze


def withdraw_session_choice(*, keuze: SessieKeuze, now: datetime | None = None) -> SessieKeuze:
    """Stop waiting for a session (or turn its offered place down); a place held in the
    ronde stays held."""
    now = now or timezone.now()
    with transaction.atomic():
        bijeenkomst, keuze, locked = _locked_keuze(keuze)
        if keuze.status not in SessieKeuze.PENDING_STATUSES:
            raise RegistrationError(_("Voor deze deelsessie sta je niet op de wachtlijst."))
        _end_pending(bijeenkomst, keuze, locked, now=now)
        return keuze


def expire_session_offers(*, bijeenkomst_id: int, now: datetime | None = None) -> int:
    """Session offers past their deadline become verlopen and pass on (the choice held
    before in the ronde, if any, stays held); returns how many expired."""
    now = now or timezone.now()
    with transaction.atomic():
        bijeenkomst = _lock(bijeenkomst_id)
        expired = list(
            SessieKeuze.objects.filter(
                deelsessie__bijeenkomst=bijeenkomst,
                status=Status.AANGEBODEN,
                aanbod_tot__lte=now,
            ).order_by("deelsessie_id", "wachtlijst_volgorde", "pk")
        )
        if not expired:
            return 0
        locked = _lock_sessions(bijeenkomst, [keuze.deelsessie_id for keuze in expired])
        for keuze in expired:
            keuze.status = Status.VERLOPEN
            keuze.save(update_fields=["status", "gewijzigd_op"])
        for pk in sorted(locked):
            _fill_session(bijeenkomst, locked[pk], now=now)
        return len(expired)


def bijeenkomsten_with_expired_session_offers(*, now: datetime | None = None) -> list[int]:
    return list(
        SessieKeuze.objects.filter(status=Status.AANGEBODEN, aanbod_tot__lte=now or timezone.now())
        .values_list("deelsessie__bijeenkomst_id", flat=True)
        .distinct()
    )
