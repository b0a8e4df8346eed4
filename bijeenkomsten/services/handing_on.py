"""Handing a place on (`doorgeven`): a confirmed person, or their contactpersoon, gives
their place to a colleague in one transaction.

The place never becomes free in between, so the wachtlijst never sees it: under the
bijeenkomst lock the giver's registration ends and the colleague's begins as bevestigd,
and nothing is offered to anyone. The giver's deelsessies go with the place to a new
registration; a colleague who was already waiting keeps their own choices, which then take
their session places (or the session's wachtlijst), and the giver's session places are
freed for those sessions' wachtlijsten. Where the team approves who comes
(`met_goedkeuring`), a place is not handed on: the colleague asks for one. The colleague
gets the normal confirmation, the giver a cancellation that says to whom the place went,
and the coördinatoren see it in the log.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bijeenkomsten.models import Aanmelding, Bijeenkomst, Handeling, SessieKeuze
from bijeenkomsten.services import sessions
from bijeenkomsten.services._common import (
    RegistrationError,
    _account_for,
    _check_open_for_coordinators,
    _lock,
    _mail,
    _record,
    _reload,
)
from bijeenkomsten.services.registration import _fill_free_places, _mail_confirmation
from netwerk import selectors as netwerk_selectors
from netwerk.models import Persoon, normalize_email_address


def hand_on(
    *,
    aanmelding: Aanmelding,
    door: Persoon,
    email: str,
    naam: str,
    now: datetime | None = None,
) -> Aanmelding:
    """Give the confirmed place of `aanmelding` to the colleague at `email`; returns the
    colleague's registration. Whether `door` may is netwerk.permissions.can_hand_on.

    The colleague is of the giver's organisatie (a confirmed member, or an address on its
    mail domain). A colleague already waiting (or offered a place) for this bijeenkomst
    takes the place with that registration; an offered place they held then goes on to
    the wachtlijst. A place above capacity is the speaker's own and is not handed on.
    """
    now = now or timezone.now()
    email = normalize_email_address(email)
    naam = naam.strip()
    if not email or not naam:
        raise RegistrationError(_("Vul de naam en het e-mailadres van je collega in."))
    with transaction.atomic():
        bijeenkomst = _lock(aanmelding.bijeenkomst_id)
        gever = _reload(aanmelding, bijeenkomst)
        _check_open_for_coordinators(bijeenkomst, now)
        if bijeenkomst.met_goedkeuring:
            raise RegistrationError(
                _(
                    "Bij deze bijeenkomst beslist het team wie er komt: een plek doorgeven "
                    "kan hier niet. Je collega kan zelf een plek aanvragen."
                )
            )
        if gever.status != Aanmelding.Status.BEVESTIGD:
            raise RegistrationError(_("Alleen een bevestigde plek kun je doorgeven."))
        if gever.boven_capaciteit:
            raise RegistrationError(
                _("Een plaats boven de capaciteit is persoonlijk en gaat niet over.")
            )
        if email == gever.email:
            raise RegistrationError(_("Geef de plek door aan iemand anders dan jezelf."))
        organisatie = netwerk_selectors.bevestigde_organisatie_van(gever.persoon)
        if organisatie is None or not netwerk_selectors.is_collega_adres(
            organisatie=organisatie, email=email
        ):
            raise RegistrationError(
                _("Je kunt je plek alleen doorgeven aan een collega van je organisatie.")
            )
        existing = bijeenkomst.aanmeldingen.open().filter(email__iexact=email).first()
        if existing is not None and existing.status == Aanmelding.Status.BEVESTIGD:
            raise RegistrationError(_("Je collega heeft al een plek bij deze bijeenkomst."))

        held_an_offer = existing is not None and existing.status == Aanmelding.Status.AANGEBODEN
        gever.status = Aanmelding.Status.GEANNULEERD
        gever.save(update_fields=["status", "gewijzigd_op"])
        ontvanger = _take_place(
            bijeenkomst,
            gever=gever,
            existing=existing,
            door=door,
            email=email,
            naam=naam,
            organisatie=organisatie,
            now=now,
        )
        _hand_on_sessions(bijeenkomst, gever=gever, ontvanger=ontvanger, existing=existing, now=now)
        _mail(gever, "geannuleerd", {"doorgegeven_aan": ontvanger.naam})
        _mail_confirmation(ontvanger)
        _record(
            bijeenkomst,
            door=door,
            soort=Handeling.Soort.DOORGEGEVEN,
            aanmelding=ontvanger,
            omschrijving=_("%(van)s <%(van_email)s> gaf de plek aan %(naar)s <%(naar_email)s>")
            % {
                "van": gever.naam,
                "van_email": gever.email,
                "naar": ontvanger.naam,
                "naar_email": ontvanger.email,
            },
        )
        if held_an_offer:
            # Only an offered place the colleague held is free now; theirs was taken over.
            _fill_free_places(bijeenkomst, now=now)
        return ontvanger


def _take_place(
    bijeenkomst: Bijeenkomst,
    *,
    gever: Aanmelding,
    existing: Aanmelding | None,
    door: Persoon,
    email: str,
    naam: str,
    organisatie,
    now: datetime,
) -> Aanmelding:
    if existing is not None:
        existing.bijeenkomst = bijeenkomst
        existing.status = Aanmelding.Status.BEVESTIGD
        existing.aanbod_tot = None
        existing.quotum_id = gever.quotum_id
        existing.doorgegeven_van = gever
        existing.save(
            update_fields=[
                "status",
                "aanbod_tot",
                "quotum",
                "doorgegeven_van",
                "gewijzigd_op",
            ]
        )
        return existing
    ontvanger = Aanmelding(
        bijeenkomst=bijeenkomst,
        persoon=_account_for(email),
        aangemeld_door=door,
        naam=naam,
        email=email,
        organisatie=organisatie.naam,
        gekoppelde_organisatie=organisatie,
        organisatie_bekeken=True,
        status=Aanmelding.Status.BEVESTIGD,
        # A place of a quotum stays one: the quotum's use is unchanged.
        quotum_id=gever.quotum_id,
        aangemeld_op=now,
        bron=Aanmelding.Bron.DOORGEGEVEN,
        doorgegeven_van=gever,
    )
    try:
        ontvanger.full_clean(
            exclude=["bijeenkomst", "persoon", "aangemeld_door", "gekoppelde_organisatie"],
            validate_constraints=False,
        )
    except ValidationError as error:
        raise RegistrationError(" ".join(error.messages)) from error
    try:
        with transaction.atomic():
            ontvanger.save()
    except IntegrityError as error:
        # Only reachable when the row lock is bypassed; the database still says no.
        raise RegistrationError(_("Je collega heeft al een plek bij deze bijeenkomst.")) from error
    return ontvanger


def _hand_on_sessions(bijeenkomst, *, gever, ontvanger, existing, now) -> None:
    """The deelsessies of the place (sessions.py; the bijeenkomst is locked already)."""
    if existing is None:
        # A new registration takes the giver's choices as they stand, places held included.
        SessieKeuze.objects.filter(aanmelding=gever, status__in=SessieKeuze.OPEN_STATUSES).update(
            aanmelding=ontvanger
        )
        return
    sessions.release_choices(bijeenkomst, gever, now=now)
    sessions.activate_choices(bijeenkomst, existing, now=now)
