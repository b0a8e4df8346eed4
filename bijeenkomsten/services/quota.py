"""Quota (issue 21, point 6): places of a bijeenkomst held for one network until a date,
for the arena of its linked leerateliers or a co-organising organisatie. Taking a place of
a quotum is a registration rule (`registration._place`), and so is releasing the unused
ones (`registration.release_reserved_places`); this module keeps the quota themselves and
the one rule they share with the capacity: together they never hold more than it.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from bijeenkomsten.models import Bijeenkomst, Handeling, Quotum
from bijeenkomsten.services._common import RegistrationError, _lock, _record
from bijeenkomsten.services.registration import _fill_free_places
from netwerk.models import Organisatie, Persoon


def save_quotum(
    *,
    bijeenkomst: Bijeenkomst,
    door: Persoon | None,
    organisatie: Organisatie | None,
    aantal: int,
    tot: datetime,
    now: datetime | None = None,
) -> Quotum:
    """Hold `aantal` places until `tot` for the organisatie (None: the arena deelnemers of
    the linked leerateliers), or change what it holds. The quota together never hold more
    than the capacity; places a quotum no longer holds are offered to the wachtlijst."""
    now = now or timezone.now()
    with transaction.atomic():
        bijeenkomst = _lock(bijeenkomst.pk)
        quotum = bijeenkomst.quota.met_gebruik().filter(organisatie=organisatie).first() or Quotum(
            bijeenkomst=bijeenkomst, organisatie=organisatie
        )
        if quotum.vrijgegeven_op is not None:
            raise RegistrationError(_("Dit quotum is al vrijgegeven."))
        if aantal < getattr(quotum, "gebruikt", 0):
            raise RegistrationError(
                _("Er zijn al %(gebruikt)s plaatsen van dit quotum bezet.")
                % {"gebruikt": quotum.gebruikt}
            )
        quotum.aantal, quotum.tot = aantal, tot
        try:
            quotum.full_clean(exclude=["bijeenkomst", "organisatie"], validate_constraints=False)
        except ValidationError as error:
            raise RegistrationError(" ".join(error.messages)) from error
        _check_quota_fit(bijeenkomst, bijeenkomst.capaciteit, quotum=quotum)
        try:
            with transaction.atomic():
                quotum.save()
        except IntegrityError as error:
            raise RegistrationError(_("Deze organisatie heeft al een quotum.")) from error
        _record(
            bijeenkomst,
            door=door,
            soort=Handeling.Soort.QUOTUM,
            omschrijving=_("%(aantal)s plaatsen voor %(houder)s tot %(tot)s")
            % {
                "aantal": aantal,
                "houder": quotum.houder,
                "tot": timezone.localtime(tot).strftime("%d-%m-%Y %H:%M"),
            },
        )
        _fill_free_places(bijeenkomst, now=now)
        return quotum


def _check_quota_fit(
    bijeenkomst: Bijeenkomst, capaciteit: int | None, *, quotum: Quotum | None = None
) -> None:
    """Refuse when the quota of this locked bijeenkomst (with `quotum` as it is about to be
    saved) would hold more places than `capaciteit`; an unlimited capacity holds no quota."""
    others = bijeenkomst.quota.all()
    if quotum is not None and quotum.pk is not None:
        others = others.exclude(pk=quotum.pk)
    held = (others.aggregate(total=Sum("aantal"))["total"] or 0) + (
        quotum.aantal if quotum is not None else 0
    )
    if held == 0:
        return
    if capaciteit is None:
        raise RegistrationError(_("Plaatsen vasthouden kan alleen bij een capaciteit."))
    if held > capaciteit:
        raise RegistrationError(
            _("De quota houden samen %(quota)s plaatsen vast: meer dan de capaciteit (%(cap)s).")
            % {"quota": held, "cap": capaciteit}
        )
