"""Check-in at the door: a confirmed attendee is marked present once, under the bijeenkomst
lock, and each check-in and its undoing is logged.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bijeenkomsten.models import Aanmelding, Handeling
from bijeenkomsten.services._common import RegistrationError, _lock, _record, _reload
from netwerk.models import Persoon


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
