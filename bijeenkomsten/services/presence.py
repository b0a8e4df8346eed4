"""Check-in at the door: a confirmed attendee is marked present once, under the bijeenkomst
lock, and each check-in and its undoing is logged; someone who arrives unregistered is
registered there and then (a walk-in).
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bijeenkomsten.models import Aanmelding, Bijeenkomst, Handeling
from bijeenkomsten.services._common import (
    RegistrationError,
    _account_for,
    _check_open_for_coordinators,
    _lock,
    _record,
    _reload,
)
from bijeenkomsten.services.registration import _add, _Newcomers
from netwerk.models import Persoon

# Why a walk-in is above capacity, in the registration and so in the export.
WALK_IN_REASON = "ter plekke aangemeld"


def check_in(*, aanmelding: Aanmelding, door: Persoon, now: datetime | None = None) -> Aanmelding:
    """Mark a confirmed attendee present at the door, once: a second check-in (another
    coördinator at the same moment) is refused with who did it first."""
    return _set_presence(aanmelding, door=door, aanwezig_op=now or timezone.now())


def undo_check_in(*, aanmelding: Aanmelding, door: Persoon) -> Aanmelding:
    """Take back a check-in made by mistake; logged like the check-in itself."""
    return _set_presence(aanmelding, door=door, aanwezig_op=None)


def _set_presence(
    aanmelding: Aanmelding, *, door: Persoon, aanwezig_op: datetime | None
) -> Aanmelding:
    """Check in (`aanwezig_op` set) or undo it (None), under the bijeenkomst lock, logged."""
    with transaction.atomic():
        bijeenkomst = _lock(aanmelding.bijeenkomst_id)
        aanmelding = _reload(aanmelding, bijeenkomst)
        if aanwezig_op is not None:
            _check_can_check_in(aanmelding)
        elif aanmelding.aanwezig_op is None:
            raise RegistrationError(
                _("%(naam)s is niet aanwezig gemeld.") % {"naam": aanmelding.naam}
            )
        aanmelding.aanwezig_op = aanwezig_op
        aanmelding.aanwezig_gemeld_door = door if aanwezig_op is not None else None
        aanmelding.save(update_fields=["aanwezig_op", "aanwezig_gemeld_door", "gewijzigd_op"])
        _record(
            bijeenkomst,
            door=door,
            soort=Handeling.Soort.AANWEZIG
            if aanwezig_op is not None
            else Handeling.Soort.AANWEZIG_ONGEDAAN,
            aanmelding=aanmelding,
            omschrijving=_attendee(aanmelding),
        )
        return aanmelding


def _check_can_check_in(aanmelding: Aanmelding) -> None:
    if aanmelding.status != Aanmelding.Status.BEVESTIGD:
        raise RegistrationError(
            _("Alleen iemand met een bevestigde aanmelding kan aanwezig gemeld worden.")
        )
    if aanmelding.aanwezig_op is not None:
        door_eerder = aanmelding.aanwezig_gemeld_door
        raise RegistrationError(
            _("%(naam)s is al aanwezig gemeld om %(tijd)s door %(door)s.")
            % {
                "naam": aanmelding.naam,
                "tijd": timezone.localtime(aanmelding.aanwezig_op).strftime("%H:%M"),
                "door": door_eerder.naam if door_eerder else _("iemand anders"),
            }
        )


def _attendee(aanmelding: Aanmelding) -> str:
    # A long name and a long address together can exceed what the log's line holds.
    label = _("%(naam)s <%(email)s>") % {"naam": aanmelding.naam, "email": aanmelding.email}
    return label[: Handeling._meta.get_field("omschrijving").max_length]


def register_walk_in(
    *,
    bijeenkomst: Bijeenkomst,
    door: Persoon,
    naam: str,
    email: str,
    organisatie: str = "",
    now: datetime | None = None,
) -> Aanmelding:
    """Register someone who arrives at the door without a registration: bevestigd and
    present at once, with `bron` "ter plekke", logged, and without a mail (they are here).

    A walk-in does not count against the capacity: they are above it, as a speaker is
    (`boven_capaciteit`, with the reason "ter plekke aangemeld"). So they take no place
    from anyone on the wachtlijst or with an offered place, and a place freed later still
    goes to the wachtlijst; whether the room holds one more is the call of whoever is at
    the door. Possible from the day of the bijeenkomst until its end, also when it is
    full or its registration has closed. The e-mail address is required: the rule of one
    open registration per address, the messages to attendees and forgetting a person all
    rest on it. An address that is already registered is refused with its status, so the
    door finds that registration in the list instead.
    """
    now = now or timezone.now()
    with transaction.atomic():
        bijeenkomst = _lock(bijeenkomst.pk)
        _check_open_for_coordinators(bijeenkomst, now)
        if bijeenkomst.status != Bijeenkomst.Status.GEPUBLICEERD:
            raise RegistrationError(_("Deze bijeenkomst is niet gepubliceerd."))
        if timezone.localdate(now) < timezone.localdate(bijeenkomst.start):
            raise RegistrationError(_("Ter plekke aanmelden kan vanaf de dag van de bijeenkomst."))
        persoon = _account_for(email)
        newcomers = _Newcomers(bijeenkomst, now=now, emails=[email], personen=[persoon])
        try:
            aanmelding = _add(
                newcomers,
                bron=Aanmelding.Bron.TER_PLEKKE,
                email=email,
                naam=naam,
                persoon=persoon,
                aangemeld_door=door,
                organisatie=organisatie,
                boven_capaciteit_reden=WALK_IN_REASON,
            )
        except RegistrationError as error:
            if error.aanmelding is None:
                raise
            raise RegistrationError(
                _("%(email)s is al aangemeld (%(status)s). Zoek %(naam)s in de lijst hieronder.")
                % {
                    "email": error.aanmelding.email,
                    "status": error.aanmelding.get_status_display(),
                    "naam": error.aanmelding.naam,
                },
                aanmelding=error.aanmelding,
            ) from error
        aanmelding.aanwezig_op = now
        aanmelding.aanwezig_gemeld_door = door
        newcomers.save(mail=False)
        _record(
            bijeenkomst,
            door=door,
            soort=Handeling.Soort.TER_PLEKKE,
            aanmelding=aanmelding,
            omschrijving=_attendee(aanmelding),
        )
        return aanmelding
