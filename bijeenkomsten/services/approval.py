"""Registration with approval (issue 21, point 4): with `Bijeenkomst.met_goedkeuring` a
registration of one's own (or a guest's) is `aangevraagd` and holds nothing until the team
decides. Approving gives it a place then, by the same rule a newcomer gets one
(`registration._place()`: a place, a reserved place, or the wachtlijst), never before;
declining ends it. Each decision mails the person through the outbox, in its transaction.

Approving many at once is one transaction under the bijeenkomst lock (the one
`registration.register()` takes), in the order the requests came in, so the capacity holds
however many teams approve at the same moment. A cancel of a request is `cancel()`.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bijeenkomsten.models import Aanmelding, Bijeenkomst, Handeling
from bijeenkomsten.services import sessions
from bijeenkomsten.services._common import (
    RegistrationError,
    _check_open_for_coordinators,
    _lock,
    _mail,
    _record,
)
from bijeenkomsten.services.registration import (
    _mail_confirmations,
    _mail_waitlist_places,
    _Newcomers,
    _place,
)
from netwerk.models import Persoon


def _requests(bijeenkomst: Bijeenkomst, pks: Iterable[int]) -> list[Aanmelding]:
    """The requests among `pks` still waiting for a decision, in the order they came in;
    read under the lock."""
    aanmeldingen = list(
        bijeenkomst.aanmeldingen.filter(pk__in=list(pks), status=Aanmelding.Status.AANGEVRAAGD)
        .select_related("persoon")
        .order_by("aangemeld_op", "pk")
    )
    if not aanmeldingen:
        raise RegistrationError(_("Geen van deze aanvragen wacht nog op een besluit."))
    for aanmelding in aanmeldingen:
        aanmelding.bijeenkomst = bijeenkomst
    return aanmeldingen


def approve(
    *,
    bijeenkomst: Bijeenkomst,
    aanmeldingen: Iterable[int],
    door: Persoon,
    now: datetime | None = None,
) -> list[Aanmelding]:
    """Approve the waiting requests among `aanmeldingen` (pks): each gets a place while
    there is one, else the end of the wachtlijst. When the bijeenkomst is full and has no
    wachtlijst, the rest stay aangevraagd (the returned list holds only the approved)."""
    now = now or timezone.now()
    with transaction.atomic():
        bijeenkomst = _lock(bijeenkomst.pk)
        _check_open_for_coordinators(bijeenkomst, now)
        requests = _requests(bijeenkomst, aanmeldingen)
        places = _Newcomers(bijeenkomst, now=now, emails=(), personen=[a.persoon for a in requests])
        approved = []
        for aanmelding in requests:
            try:
                _place(places, aanmelding)
            except RegistrationError:
                if not approved:
                    raise
                break
            places.take(aanmelding)
            approved.append(aanmelding)
        for aanmelding in approved:
            aanmelding.save(
                update_fields=["status", "wachtlijst_volgorde", "quotum", "gewijzigd_op"]
            )
            if aanmelding.status == Aanmelding.Status.BEVESTIGD:
                # Its chosen deelsessies waited for this place (sessions.py); the bijeenkomst
                # is locked, so their session locks follow in the documented order.
                sessions.activate_choices(bijeenkomst, aanmelding, now=now)
            _record(
                bijeenkomst,
                door=door,
                soort=Handeling.Soort.GOEDGEKEURD,
                aanmelding=aanmelding,
                omschrijving=_("%(naam)s <%(email)s>: %(status)s")
                % {
                    "naam": aanmelding.naam,
                    "email": aanmelding.email,
                    "status": aanmelding.get_status_display(),
                },
            )
        _mail_confirmations(
            bijeenkomst, [a for a in approved if a.status == Aanmelding.Status.BEVESTIGD]
        )
        _mail_waitlist_places(
            bijeenkomst,
            [a for a in approved if a.status == Aanmelding.Status.WACHTLIJST],
            first_position=places.waiting_before + 1,
        )
        return approved


def decline_requests(
    *,
    bijeenkomst: Bijeenkomst,
    aanmeldingen: Iterable[int],
    door: Persoon,
    reden: str = "",
) -> list[Aanmelding]:
    """Decline the waiting requests among `aanmeldingen` (pks); each gets a mail, with
    `reden` when given. They held no place, so nothing moves on the wachtlijst."""
    with transaction.atomic():
        bijeenkomst = _lock(bijeenkomst.pk)
        requests = _requests(bijeenkomst, aanmeldingen)
        for aanmelding in requests:
            aanmelding.status = Aanmelding.Status.AFGEWEZEN
            aanmelding.save(update_fields=["status", "gewijzigd_op"])
            _mail(aanmelding, "afgewezen", {"reden": reden.strip()})
            _record(
                bijeenkomst,
                door=door,
                soort=Handeling.Soort.AFGEWEZEN,
                aanmelding=aanmelding,
                omschrijving=_("%(naam)s <%(email)s>")
                % {"naam": aanmelding.naam, "email": aanmelding.email},
                reden=reden.strip(),
            )
        return requests
