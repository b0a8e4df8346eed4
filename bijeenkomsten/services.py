"""The rules of registering: capacity, the wachtlijst and offers of freed places.

Every service is one transaction that first locks the Bijeenkomst row, so all changes to
one bijeenkomst's registrations happen one after the other, whatever the concurrency. Mail
is queued through the outbox in that same transaction.
"""

import hashlib
import io
from datetime import datetime, timedelta

import segno
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bijeenkomsten.ics import invitation_for
from bijeenkomsten.models import Aanmelding, Bijeenkomst, Handeling
from leerateliers.models import Deelname
from netwerk.models import Persoon, normalize_email_address
from netwerk.outbox import queue_mail
from werkplaats import cache
from werkplaats.exceptions import RuleViolation
from werkplaats.locking import lock_one
from werkplaats.slugs import save_with_unique_slug

REMINDER_BEFORE_DEADLINE = timedelta(hours=12)
GUEST_CONFIRMATION_MAX_AGE = timedelta(days=2)
GUEST_CONFIRMATION_SALT = "bijeenkomsten.gast-aanmelding"
OPTIONAL_FIELDS = ("organisatie", "functie", "dieetwensen", "toegankelijkheid")
# What a guest's signed link carries. Wishes about diet and accessibility are asked on the
# confirmation page instead: they do not belong in a URL that ends up in logs.
GUEST_LINK_FIELDS = ("organisatie", "functie")
# At most one confirmation mail per address and bijeenkomst in this window, so the form
# cannot be used to flood someone's mailbox.
GUEST_MAIL_WINDOW_SECONDS = 10 * 60


class RegistrationError(RuleViolation):
    """A registration rule refused the change; `.aanmelding` is the existing open one when
    the refusal is "already registered"."""

    def __init__(self, message: str, *, aanmelding: Aanmelding | None = None):
        super().__init__(message)
        self.aanmelding = aanmelding


def _lock(bijeenkomst_id: int) -> Bijeenkomst:
    # Every change to a bijeenkomst's registrations queues behind this lock, for a bounded
    # time (LOCK_TIMEOUT_SECONDS): a request that cannot get it ends as a "try again" page.
    bijeenkomst = lock_one(Bijeenkomst.objects, pk=bijeenkomst_id)
    # So every service that locks also marks the places shown on pages as changed, once its
    # transaction commits; a service that refuses rolls back and changes nothing.
    cache.bump("aanmeldingen")
    return bijeenkomst


def _reload(aanmelding: Aanmelding, bijeenkomst: Bijeenkomst) -> Aanmelding:
    # Read again under the bijeenkomst lock: the caller's copy may be stale.
    fresh = Aanmelding.objects.get(pk=aanmelding.pk)
    fresh.bijeenkomst = bijeenkomst
    return fresh


def register(
    *,
    bijeenkomst: Bijeenkomst,
    email: str,
    naam: str,
    persoon: Persoon | None = None,
    aangemeld_door: Persoon | None = None,
    organisatie: str = "",
    functie: str = "",
    dieetwensen: str = "",
    toegankelijkheid: str = "",
    now: datetime | None = None,
) -> Aanmelding:
    """Register one address: bevestigd while places are free, else at the end of the wachtlijst.

    An arena deelnemer of a linked leeratelier may take one of the reserved places while the
    reservation runs. Raises RegistrationError when registration is closed, the bijeenkomst
    is full without a wachtlijst, or the address already has an open registration (then
    `.aanmelding` is it).
    """
    now = now or timezone.now()
    with transaction.atomic():
        bijeenkomst = _lock(bijeenkomst.pk)
        if not bijeenkomst.aanmelden_mogelijk(now):
            raise RegistrationError(_refusal_reason(bijeenkomst, now))
        return _add(
            bijeenkomst,
            now=now,
            email=email,
            naam=naam,
            persoon=persoon,
            aangemeld_door=aangemeld_door,
            organisatie=organisatie,
            functie=functie,
            dieetwensen=dieetwensen,
            toegankelijkheid=toegankelijkheid,
        )


def register_on_behalf(
    *,
    bijeenkomst: Bijeenkomst,
    door: Persoon,
    email: str,
    naam: str,
    boven_capaciteit_reden: str = "",
    now: datetime | None = None,
    **gegevens: str,
) -> Aanmelding:
    """A coördinator registers someone, who gets the normal mails.

    Also while the registration window is closed (a late speaker), but never for a
    cancelled or finished bijeenkomst. With a reason, the place is above capacity (a
    speaker, a guest of honour) and takes nobody else's place.
    """
    now = now or timezone.now()
    with transaction.atomic():
        bijeenkomst = _lock(bijeenkomst.pk)
        _check_open_for_coordinators(bijeenkomst, now)
        aanmelding = _add(
            bijeenkomst,
            now=now,
            email=email,
            naam=naam,
            persoon=_account_for(email),
            aangemeld_door=door,
            boven_capaciteit_reden=boven_capaciteit_reden,
            **gegevens,
        )
        boven = bool(boven_capaciteit_reden.strip())
        _record(
            bijeenkomst,
            door=door,
            soort=Handeling.Soort.BOVEN_CAPACITEIT if boven else Handeling.Soort.AANGEMELD_NAMENS,
            aanmelding=aanmelding,
            omschrijving=_("%(naam)s <%(email)s>: %(status)s")
            % {
                "naam": aanmelding.naam,
                "email": aanmelding.email,
                "status": aanmelding.get_status_display(),
            },
            reden=boven_capaciteit_reden.strip(),
        )
        return aanmelding


def _check_open_for_coordinators(bijeenkomst: Bijeenkomst, now: datetime) -> None:
    if bijeenkomst.status == Bijeenkomst.Status.GEANNULEERD:
        raise RegistrationError(_("Deze bijeenkomst is geannuleerd."))
    if bijeenkomst.eind <= now:
        raise RegistrationError(_("Deze bijeenkomst is al voorbij."))


def _account_for(email: str) -> Persoon | None:
    return Persoon.objects.filter(email=normalize_email_address(email)).first()


def _add(
    bijeenkomst: Bijeenkomst,
    *,
    now: datetime,
    email: str,
    naam: str,
    persoon: Persoon | None = None,
    aangemeld_door: Persoon | None = None,
    organisatie: str = "",
    functie: str = "",
    dieetwensen: str = "",
    toegankelijkheid: str = "",
    opmerkingen: str = "",
    boven_capaciteit_reden: str = "",
    mail: bool = True,
) -> Aanmelding:
    """Add one registration to a bijeenkomst the caller has locked: the one place where a
    newcomer's status is decided."""
    email = normalize_email_address(email)
    naam = naam.strip()
    if not email or not naam:
        raise RegistrationError(_("Vul je naam en e-mailadres in."))
    _release_reserved_places_if_due(bijeenkomst, now)
    existing = bijeenkomst.aanmeldingen.open().filter(email__iexact=email).first()
    if existing:
        raise RegistrationError(
            _("Je bent al aangemeld voor deze bijeenkomst."), aanmelding=existing
        )
    aanmelding = Aanmelding(
        bijeenkomst=bijeenkomst,
        persoon=persoon,
        aangemeld_door=aangemeld_door,
        naam=naam,
        email=email,
        organisatie=organisatie.strip(),
        functie=functie.strip(),
        dieetwensen=dieetwensen.strip(),
        toegankelijkheid=toegankelijkheid.strip(),
        opmerkingen=opmerkingen.strip(),
        aangemeld_op=now,
    )
    if boven_capaciteit_reden.strip():
        aanmelding.status = Aanmelding.Status.BEVESTIGD
        aanmelding.boven_capaciteit = True
        aanmelding.boven_capaciteit_reden = boven_capaciteit_reden.strip()
    elif bijeenkomst.gereserveerd_vrij(now) > 0 and _is_arena_deelnemer(bijeenkomst, persoon):
        aanmelding.status = Aanmelding.Status.BEVESTIGD
        aanmelding.op_reservering = True
    elif (
        bijeenkomst.open_plaatsen_vrij(now) != 0
        and not bijeenkomst.aanmeldingen.wachtend().exists()
    ):
        aanmelding.status = Aanmelding.Status.BEVESTIGD
    elif bijeenkomst.wachtlijst_open:
        aanmelding.status = Aanmelding.Status.WACHTLIJST
        aanmelding.wachtlijst_volgorde = _next_waitlist_order(bijeenkomst)
    else:
        raise RegistrationError(_("Deze bijeenkomst is vol en heeft geen wachtlijst."))
    try:
        # The fields only, while the bijeenkomst is locked: the relations are rows in hand,
        # the one open registration per address was checked above, and the database checks
        # every constraint on insert. Validating them here would cost a query each, and
        # every other registration for this bijeenkomst waits for this one.
        aanmelding.full_clean(
            exclude=["token", "bijeenkomst", "persoon", "aangemeld_door"],
            validate_constraints=False,
        )
    except ValidationError as error:
        raise RegistrationError(" ".join(error.messages)) from error
    try:
        with transaction.atomic():
            aanmelding.save()
    except IntegrityError as error:
        # Only reachable when the row lock is bypassed; the database still says no.
        raise RegistrationError(_("Je bent al aangemeld voor deze bijeenkomst.")) from error
    if mail:
        _mail_about_new(aanmelding)
    return aanmelding


def _mail_about_new(aanmelding: Aanmelding) -> None:
    if aanmelding.status == Aanmelding.Status.BEVESTIGD:
        _mail_confirmation(aanmelding)
    else:
        _mail(aanmelding, "wachtlijst", {"positie": aanmelding.wachtlijst_positie()})


def _is_arena_deelnemer(bijeenkomst: Bijeenkomst, persoon: Persoon | None) -> bool:
    if persoon is None:
        return False
    return (
        Deelname.objects.actief()
        .filter(persoon=persoon, rol=Deelname.Rol.ARENA, leeratelier__bijeenkomsten=bijeenkomst)
        .exists()
    )


def release_reserved_places(*, bijeenkomst_id: int, now: datetime | None = None) -> bool:
    """Open the unused reserved places to everyone once their date has passed and offer
    them to the wachtlijst; exactly once (True when this call did it)."""
    now = now or timezone.now()
    with transaction.atomic():
        bijeenkomst = _lock(bijeenkomst_id)
        return _release_reserved_places_if_due(bijeenkomst, now)


def bijeenkomsten_with_reservations_due(*, now: datetime | None = None) -> list[int]:
    return list(
        Bijeenkomst.objects.filter(
            gereserveerd__gt=0,
            reservering_vrijgegeven_op__isnull=True,
            gereserveerd_tot__lte=now or timezone.now(),
        ).values_list("pk", flat=True)
    )


def _release_reserved_places_if_due(bijeenkomst: Bijeenkomst, now: datetime) -> bool:
    # Under the bijeenkomst lock: registrations, the periodic task and this never race.
    if (
        bijeenkomst.gereserveerd == 0
        or bijeenkomst.reservering_vrijgegeven_op is not None
        or bijeenkomst.gereserveerd_tot is None
        or now < bijeenkomst.gereserveerd_tot
    ):
        return False
    bijeenkomst.reservering_vrijgegeven_op = now
    bijeenkomst.save(update_fields=["reservering_vrijgegeven_op", "gewijzigd_op"])
    _record(
        bijeenkomst,
        door=None,
        soort=Handeling.Soort.RESERVERING_VRIJGEGEVEN,
        omschrijving=_("%(aantal)s gereserveerde plaatsen voor iedereen open")
        % {"aantal": bijeenkomst.gereserveerd},
    )
    _fill_free_places(bijeenkomst, now=now)
    return True


def _refusal_reason(bijeenkomst: Bijeenkomst, now: datetime) -> str:
    if bijeenkomst.status == Bijeenkomst.Status.GEANNULEERD:
        return _("Deze bijeenkomst is geannuleerd.")
    if bijeenkomst.status != Bijeenkomst.Status.GEPUBLICEERD:
        return _("Voor deze bijeenkomst kun je je nog niet aanmelden.")
    if bijeenkomst.aanmelden_vanaf and now < bijeenkomst.aanmelden_vanaf:
        return _("De aanmelding is nog niet open.")
    return _("De aanmelding voor deze bijeenkomst is gesloten.")


def cancel(*, aanmelding: Aanmelding, door: Persoon | None = None, reden: str = "") -> Aanmelding:
    """Cancel an open registration; a freed place goes to the next on the wachtlijst.

    With `door`, a coördinator did it (from the list or the wachtlijst), logged with `reden`.
    """
    with transaction.atomic():
        bijeenkomst = _lock(aanmelding.bijeenkomst_id)
        aanmelding = _reload(aanmelding, bijeenkomst)
        if not aanmelding.is_open:
            raise RegistrationError(_("Deze aanmelding is al beëindigd."))
        if bijeenkomst.eind <= timezone.now():
            raise RegistrationError(_("Deze bijeenkomst is al voorbij."))
        aanmelding.status = Aanmelding.Status.GEANNULEERD
        aanmelding.aanbod_tot = None
        aanmelding.save(update_fields=["status", "aanbod_tot", "gewijzigd_op"])
        _mail(aanmelding, "geannuleerd", {"door_coordinator": door is not None})
        if door is not None:
            _record(
                bijeenkomst,
                door=door,
                soort=Handeling.Soort.AANMELDING_GEANNULEERD,
                aanmelding=aanmelding,
                omschrijving=_("%(naam)s <%(email)s> geannuleerd")
                % {"naam": aanmelding.naam, "email": aanmelding.email},
                reden=reden.strip(),
            )
        _fill_free_places(bijeenkomst)
        return aanmelding


def claim(*, aanmelding: Aanmelding, now: datetime | None = None) -> Aanmelding:
    """Accept an offered place before its deadline: the registration becomes bevestigd."""
    now = now or timezone.now()
    with transaction.atomic():
        bijeenkomst = _lock(aanmelding.bijeenkomst_id)
        aanmelding = _reload(aanmelding, bijeenkomst)
        if aanmelding.status != Aanmelding.Status.AANGEBODEN:
            raise RegistrationError(_("Er staat voor jou geen plek klaar om te claimen."))
        if not aanmelding.aanbod_loopt(now):
            raise RegistrationError(_("De termijn om deze plek te claimen is verlopen."))
        aanmelding.status = Aanmelding.Status.BEVESTIGD
        aanmelding.aanbod_tot = None
        aanmelding.save(update_fields=["status", "aanbod_tot", "gewijzigd_op"])
        _mail_confirmation(aanmelding)
        return aanmelding


def decline(*, aanmelding: Aanmelding) -> Aanmelding:
    """Turn an offered place down; it goes to the next on the wachtlijst."""
    with transaction.atomic():
        bijeenkomst = _lock(aanmelding.bijeenkomst_id)
        aanmelding = _reload(aanmelding, bijeenkomst)
        if aanmelding.status != Aanmelding.Status.AANGEBODEN:
            raise RegistrationError(_("Er staat voor jou geen plek klaar om af te wijzen."))
        aanmelding.status = Aanmelding.Status.GEANNULEERD
        aanmelding.aanbod_tot = None
        aanmelding.save(update_fields=["status", "aanbod_tot", "gewijzigd_op"])
        _mail(aanmelding, "geannuleerd", {"afgewezen": True})
        _fill_free_places(bijeenkomst)
        return aanmelding


def expire_offers(*, bijeenkomst_id: int, now: datetime | None = None) -> int:
    """Offers past their deadline become verlopen and pass on; returns how many expired."""
    now = now or timezone.now()
    with transaction.atomic():
        bijeenkomst = _lock(bijeenkomst_id)
        expired = list(
            bijeenkomst.aanmeldingen.filter(
                status=Aanmelding.Status.AANGEBODEN, aanbod_tot__lte=now
            ).order_by("wachtlijst_volgorde", "pk")
        )
        for aanmelding in expired:
            aanmelding.bijeenkomst = bijeenkomst
            aanmelding.status = Aanmelding.Status.VERLOPEN
            aanmelding.save(update_fields=["status", "gewijzigd_op"])
            _mail(aanmelding, "verlopen")
        if expired:
            _fill_free_places(bijeenkomst, now=now)
        return len(expired)


def bijeenkomsten_with_expired_offers(*, now: datetime | None = None) -> list[int]:
    return list(
        Aanmelding.objects.filter(
            status=Aanmelding.Status.AANGEBODEN, aanbod_tot__lte=now or timezone.now()
        )
        .values_list("bijeenkomst_id", flat=True)
        .distinct()
    )


def remind_offer(*, aanmelding_id: int, now: datetime | None = None) -> bool:
    """Send the one reminder of an open offer when its deadline is near; True when sent."""
    now = now or timezone.now()
    with transaction.atomic():
        bijeenkomst_id = Aanmelding.objects.values_list("bijeenkomst_id", flat=True).get(
            pk=aanmelding_id
        )
        bijeenkomst = _lock(bijeenkomst_id)
        aanmelding = Aanmelding.objects.get(pk=aanmelding_id)
        aanmelding.bijeenkomst = bijeenkomst
        if (
            aanmelding.status != Aanmelding.Status.AANGEBODEN
            or aanmelding.herinnerd_op is not None
            or not now < aanmelding.aanbod_tot <= now + REMINDER_BEFORE_DEADLINE
            or aanmelding.doorgeschoven_op >= aanmelding.aanbod_tot - REMINDER_BEFORE_DEADLINE
        ):
            return False
        aanmelding.herinnerd_op = now
        aanmelding.save(update_fields=["herinnerd_op", "gewijzigd_op"])
        _mail(aanmelding, "herinnering")
        return True


def offers_due_for_reminder(*, now: datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(
        Aanmelding.objects.filter(
            status=Aanmelding.Status.AANGEBODEN,
            herinnerd_op__isnull=True,
            aanbod_tot__gt=now,
            aanbod_tot__lte=now + REMINDER_BEFORE_DEADLINE,
            # An offer that was short from the start needs no reminder on top of itself.
            doorgeschoven_op__lt=F("aanbod_tot") - REMINDER_BEFORE_DEADLINE,
        ).values_list("pk", flat=True)
    )


def change_capacity(
    *, bijeenkomst: Bijeenkomst, capaciteit: int | None, door: Persoon | None = None
) -> Bijeenkomst:
    """Raise or lower the capacity (None: unlimited).

    Raised: the freed places are offered in wachtlijst order. Lowered: nobody loses a
    confirmed place or an offer; newcomers wait until the number drops below the capacity.
    """
    if capaciteit is not None and capaciteit < 0:
        raise RegistrationError(_("De capaciteit kan niet negatief zijn."))
    with transaction.atomic():
        bijeenkomst = _lock(bijeenkomst.pk)
        oud = bijeenkomst.capaciteit
        if oud == capaciteit:
            return bijeenkomst
        bijeenkomst.capaciteit = capaciteit
        bijeenkomst.save(update_fields=["capaciteit", "gewijzigd_op"])
        if door is not None:
            _record(
                bijeenkomst,
                door=door,
                soort=Handeling.Soort.CAPACITEIT,
                omschrijving=_("van %(oud)s naar %(nieuw)s")
                % {"oud": _capacity_label(oud), "nieuw": _capacity_label(capaciteit)},
            )
        _fill_free_places(bijeenkomst)
        return bijeenkomst


def _capacity_label(capaciteit: int | None) -> str:
    return _("onbeperkt") if capaciteit is None else str(capaciteit)


def cancel_bijeenkomst(
    *, bijeenkomst: Bijeenkomst, door: Persoon | None = None, reden: str = ""
) -> Bijeenkomst:
    """Call the whole bijeenkomst off: every open registration ends and everyone is told,
    with a METHOD:CANCEL calendar file so the event leaves their calendars."""
    with transaction.atomic():
        bijeenkomst = _lock(bijeenkomst.pk)
        if bijeenkomst.status == Bijeenkomst.Status.GEANNULEERD:
            return bijeenkomst
        bijeenkomst.status = Bijeenkomst.Status.GEANNULEERD
        bijeenkomst.ics_volgnummer += 1
        bijeenkomst.save(update_fields=["status", "ics_volgnummer", "gewijzigd_op"])
        cache.bump("bijeenkomsten")
        if door is not None:
            _record(
                bijeenkomst,
                door=door,
                soort=Handeling.Soort.BIJEENKOMST_GEANNULEERD,
                omschrijving=str(bijeenkomst),
                reden=reden.strip(),
            )
        for aanmelding in bijeenkomst.aanmeldingen.open():
            aanmelding.bijeenkomst = bijeenkomst
            had_place = aanmelding.status in Aanmelding.TAKEN_STATUSES
            aanmelding.status = Aanmelding.Status.GEANNULEERD
            aanmelding.aanbod_tot = None
            aanmelding.save(update_fields=["status", "aanbod_tot", "gewijzigd_op"])
            _mail(
                aanmelding,
                "bijeenkomst_geannuleerd",
                {"reden": reden.strip()},
                key_suffix="bijeenkomst-geannuleerd",
                attachments=[("bijeenkomst.ics", invitation_for(aanmelding), "text/calendar")]
                if had_place
                else None,
            )
        return bijeenkomst


def _record(
    bijeenkomst: Bijeenkomst, *, door: Persoon | None, soort: str, omschrijving: str, **extra
):
    """Log what a coördinator did, in the transaction of the change itself."""
    Handeling.objects.create(
        bijeenkomst=bijeenkomst, door=door, soort=soort, omschrijving=omschrijving, **extra
    )


def _next_waitlist_order(bijeenkomst: Bijeenkomst) -> int:
    # Under the bijeenkomst lock, so max + 1 cannot be handed out twice; orders of people
    # who left stay taken, so an order never changes meaning.
    highest = bijeenkomst.aanmeldingen.aggregate(highest=Max("wachtlijst_volgorde"))["highest"]
    return (highest or 0) + 1


def _fill_free_places(bijeenkomst: Bijeenkomst, *, now: datetime | None = None) -> None:
    """Offer (or in direct mode: give) free places to the first ones waiting, in order.

    Call only with the bijeenkomst locked. A cancelled or past bijeenkomst offers nothing.
    """
    now = now or timezone.now()
    if not bijeenkomst.biedt_plaatsen_aan(now):
        return
    free = bijeenkomst.open_plaatsen_vrij(now)
    if free == 0:
        return
    waiting = bijeenkomst.aanmeldingen.wachtend()
    if free is not None:
        waiting = waiting[:free]
    for aanmelding in waiting:
        _offer(bijeenkomst, aanmelding, now=now)


def _offer(bijeenkomst: Bijeenkomst, aanmelding: Aanmelding, *, now: datetime) -> None:
    """Offer one waiting person a place (in direct mode: give it); the bijeenkomst is locked."""
    aanmelding.bijeenkomst = bijeenkomst
    aanmelding.doorgeschoven_op = now
    if bijeenkomst.wachtlijst_modus == Bijeenkomst.WachtlijstModus.DIRECT:
        aanmelding.status = Aanmelding.Status.BEVESTIGD
        aanmelding.save(update_fields=["status", "doorgeschoven_op", "gewijzigd_op"])
        _mail_confirmation(aanmelding)
    else:
        aanmelding.status = Aanmelding.Status.AANGEBODEN
        aanmelding.aanbod_tot = min(
            now + timedelta(hours=bijeenkomst.bedenktijd_uren), bijeenkomst.start
        )
        aanmelding.save(update_fields=["status", "doorgeschoven_op", "aanbod_tot", "gewijzigd_op"])
        _mail(aanmelding, "aangeboden")


def _mail(
    aanmelding: Aanmelding,
    name: str,
    extra: dict | None = None,
    *,
    key_suffix: str | None = None,
    attachments: list | None = None,
) -> None:
    # One key per transition of one registration: each can happen to it at most once.
    queue_mail(
        key=f"aanmelding:{aanmelding.pk}:{key_suffix or name}",
        to=aanmelding.email,
        template=f"bijeenkomsten/mail/{name}",
        context={
            "aanmelding": aanmelding,
            "bijeenkomst": aanmelding.bijeenkomst,
            "aanmelding_url": aanmelding.get_absolute_url(),
            **(extra or {}),
        },
        attachments=attachments,
    )


QR_CONTENT_ID = "toegang@werkplaats"


def _mail_confirmation(aanmelding: Aanmelding) -> None:
    """The confirmation with the calendar invitation and the personal link as a QR code,
    shown at the door (it opens the aanmelding page, where a coördinator checks in)."""
    link = settings.SITE_URL + aanmelding.get_absolute_url()
    _mail(
        aanmelding,
        "bevestiging",
        {"qr_cid": QR_CONTENT_ID},
        key_suffix="bevestigd",
        attachments=[
            ("bijeenkomst.ics", invitation_for(aanmelding), "text/calendar"),
            ("toegang.png", _qr_png(link), "image/png", QR_CONTENT_ID),
        ],
    )


def _qr_png(text: str) -> bytes:
    buffer = io.BytesIO()
    # A fixed mask: trying all eight for the best one takes 5 ms of pure Python, while the
    # bijeenkomst is locked and the next registration waits; phones scan either just as well.
    segno.make(text, error="m", mask=0).save(buffer, kind="png", scale=5, border=2)
    return buffer.getvalue()


# Guests: the registration counts only once the address is confirmed through a signed link.


def request_guest_registration(*, bijeenkomst: Bijeenkomst, gegevens: dict) -> str:
    """Mail a guest a signed link that makes their registration count; returns the token.

    `gegevens` holds email, naam, organisatie and functie. Nothing is stored until the
    link is used, so an address nobody confirms never takes a place.
    """
    email = normalize_email_address(gegevens["email"])
    if not bijeenkomst.aanmelden_mogelijk():
        raise RegistrationError(_refusal_reason(bijeenkomst, timezone.now()))
    payload = {
        "b": bijeenkomst.pk,
        "email": email,
        "naam": gegevens["naam"].strip(),
        **{field: (gegevens.get(field) or "").strip() for field in GUEST_LINK_FIELDS},
    }
    token = signing.dumps(payload, salt=GUEST_CONFIRMATION_SALT, compress=True)
    window = int(timezone.now().timestamp()) // GUEST_MAIL_WINDOW_SECONDS
    # Hashed: the key must stay short whatever the address, and need not reveal it.
    address_hash = hashlib.sha256(email.encode()).hexdigest()[:32]
    with transaction.atomic():
        queue_mail(
            key=f"gast-aanmelding:{bijeenkomst.pk}:{address_hash}:{window}",
            to=email,
            template="bijeenkomsten/mail/email_bevestigen",
            context={
                "bijeenkomst": bijeenkomst,
                "naam": payload["naam"],
                "bevestig_url": reverse(
                    "bijeenkomsten:gast-bevestigen",
                    kwargs={"slug": bijeenkomst.slug, "ondertekend": token},
                ),
                "geldig_dagen": GUEST_CONFIRMATION_MAX_AGE.days,
            },
        )
    return token


def read_guest_registration(*, bijeenkomst: Bijeenkomst, ondertekend: str) -> dict:
    """The data of a guest's signed link; RegistrationError when it is wrong or too old."""
    try:
        payload = signing.loads(
            ondertekend,
            salt=GUEST_CONFIRMATION_SALT,
            max_age=GUEST_CONFIRMATION_MAX_AGE,
        )
    except signing.SignatureExpired as error:
        raise RegistrationError(
            _("Deze bevestigingslink is verlopen. Meld je opnieuw aan.")
        ) from error
    except signing.BadSignature as error:
        raise RegistrationError(_("Deze bevestigingslink klopt niet.")) from error
    if payload.get("b") != bijeenkomst.pk:
        raise RegistrationError(_("Deze bevestigingslink hoort niet bij deze bijeenkomst."))
    return payload


def confirm_guest_registration(
    *,
    bijeenkomst: Bijeenkomst,
    ondertekend: str,
    dieetwensen: str = "",
    toegankelijkheid: str = "",
) -> Aanmelding:
    """Register the guest of a signed link; their address is now proven."""
    payload = read_guest_registration(bijeenkomst=bijeenkomst, ondertekend=ondertekend)
    return register(
        bijeenkomst=bijeenkomst,
        email=payload["email"],
        naam=payload["naam"],
        persoon=Persoon.objects.filter(email=payload["email"]).first(),
        dieetwensen=dieetwensen,
        toegankelijkheid=toegankelijkheid,
        **{field: payload.get(field, "") for field in GUEST_LINK_FIELDS},
    )


# Beheer: coördinatoren create, edit, publish and cancel bijeenkomsten, and keep the
# wachtlijst by hand. Every change is logged as a Handeling in its own transaction.

# What people's calendars and travel plans depend on: a change here is mailed to everyone
# with an open registration, with the updated calendar invitation.
TIME_AND_PLACE = ("start", "eind", "locatie_naam", "locatie_adres", "locatie_plaats", "online_link")
RELATIONS = ("leerateliers", "themas", "organisaties")


def create_bijeenkomst(*, door: Persoon, **fields) -> Bijeenkomst:
    """A new bijeenkomst, as a concept: nobody sees it until it is published."""
    relations = {name: fields.pop(name, ()) for name in RELATIONS}
    with transaction.atomic():
        bijeenkomst = Bijeenkomst(status=Bijeenkomst.Status.CONCEPT, **fields)
        _validate(bijeenkomst, exclude=["slug"])
        save_with_unique_slug(bijeenkomst, text=bijeenkomst.titel, fallback="bijeenkomst")
        for name, values in relations.items():
            getattr(bijeenkomst, name).set(values)
        _record(
            bijeenkomst, door=door, soort=Handeling.Soort.AANGEMAAKT, omschrijving=str(bijeenkomst)
        )
        cache.bump("bijeenkomsten")
    return bijeenkomst


def update_bijeenkomst(*, bijeenkomst: Bijeenkomst, door: Persoon, **fields) -> Bijeenkomst:
    """Change a bijeenkomst. A new time or place of a published one is mailed to everyone
    with an open registration, with a calendar update (same UID, next SEQUENCE); a higher
    capacity or fewer reserved places are offered to the wachtlijst at once."""
    relations = {name: list(fields.pop(name)) for name in RELATIONS if name in fields}
    with transaction.atomic():
        bijeenkomst = _lock(bijeenkomst.pk)
        if bijeenkomst.status == Bijeenkomst.Status.GEANNULEERD:
            raise RegistrationError(_("Een geannuleerde bijeenkomst wijzig je niet meer."))
        changed = [name for name, value in fields.items() if getattr(bijeenkomst, name) != value]
        for name in changed:
            setattr(bijeenkomst, name, fields[name])
        _validate(bijeenkomst)
        moved = bijeenkomst.status == Bijeenkomst.Status.GEPUBLICEERD and any(
            name in TIME_AND_PLACE for name in changed
        )
        if moved:
            bijeenkomst.ics_volgnummer += 1
        bijeenkomst.save()
        for name, values in relations.items():
            if {item.pk for item in values} != set(
                getattr(bijeenkomst, name).values_list("pk", flat=True)
            ):
                getattr(bijeenkomst, name).set(values)
                changed.append(name)
        if changed:
            cache.bump("bijeenkomsten")
            _record(
                bijeenkomst,
                door=door,
                soort=Handeling.Soort.GEWIJZIGD,
                omschrijving=", ".join(
                    str(Bijeenkomst._meta.get_field(name).verbose_name) for name in changed
                ),
            )
        if moved:
            for aanmelding in bijeenkomst.aanmeldingen.open():
                aanmelding.bijeenkomst = bijeenkomst
                _mail_change(aanmelding)
        _fill_free_places(bijeenkomst)
    return bijeenkomst


def _mail_change(aanmelding: Aanmelding) -> None:
    holds_place = aanmelding.status in Aanmelding.TAKEN_STATUSES
    _mail(
        aanmelding,
        "gewijzigd",
        key_suffix=f"gewijzigd:{aanmelding.bijeenkomst.ics_volgnummer}",
        attachments=[("bijeenkomst.ics", invitation_for(aanmelding), "text/calendar")]
        if holds_place
        else None,
    )


def publish_bijeenkomst(*, bijeenkomst: Bijeenkomst, door: Persoon) -> Bijeenkomst:
    """A concept goes live: visible, and open for registration within its window."""
    with transaction.atomic():
        bijeenkomst = _lock(bijeenkomst.pk)
        if bijeenkomst.status != Bijeenkomst.Status.CONCEPT:
            raise RegistrationError(_("Alleen een concept kan worden gepubliceerd."))
        if bijeenkomst.eind <= timezone.now():
            raise RegistrationError(_("Deze bijeenkomst is al voorbij."))
        _validate(bijeenkomst)
        bijeenkomst.status = Bijeenkomst.Status.GEPUBLICEERD
        bijeenkomst.save(update_fields=["status", "gewijzigd_op"])
        cache.bump("bijeenkomsten")
        _record(
            bijeenkomst,
            door=door,
            soort=Handeling.Soort.GEPUBLICEERD,
            omschrijving=str(bijeenkomst),
        )
    return bijeenkomst


def _validate(bijeenkomst: Bijeenkomst, exclude: list[str] | None = None) -> None:
    try:
        bijeenkomst.full_clean(exclude=exclude)
    except ValidationError as error:
        raise RegistrationError(" ".join(error.messages)) from error


def offer_next_place(*, bijeenkomst: Bijeenkomst, door: Persoon) -> Aanmelding:
    """There is room for one more: the capacity goes up by one and the first one waiting
    gets that place offered now (in direct mode: given). Logged with the new capacity."""
    now = timezone.now()
    with transaction.atomic():
        bijeenkomst = _lock(bijeenkomst.pk)
        first = bijeenkomst.aanmeldingen.wachtend().first()
        if first is None:
            raise RegistrationError(_("Er staat niemand op de wachtlijst."))
        if not bijeenkomst.biedt_plaatsen_aan(now):
            raise RegistrationError(
                _("Deze bijeenkomst biedt geen plaatsen meer aan: hij is begonnen of geannuleerd.")
            )
        if bijeenkomst.open_plaatsen_vrij(now) == 0:
            bijeenkomst.capaciteit += 1
            bijeenkomst.save(update_fields=["capaciteit", "gewijzigd_op"])
        _offer(bijeenkomst, first, now=now)
        _record(
            bijeenkomst,
            door=door,
            soort=Handeling.Soort.PLEK_AANGEBODEN,
            aanmelding=first,
            omschrijving=_("%(naam)s <%(email)s>: %(status)s; capaciteit nu %(capaciteit)s")
            % {
                "naam": first.naam,
                "email": first.email,
                "status": first.get_status_display(),
                "capaciteit": bijeenkomst.capaciteit,
            },
        )
        return first


def move_on_waitlist(
    *, aanmelding: Aanmelding, door: Persoon, omhoog: bool, reden: str
) -> Aanmelding:
    """Swap someone with their neighbour on the wachtlijst; the reason goes in the log."""
    reden = reden.strip()
    if not reden:
        raise RegistrationError(_("Geef een reden om iemand te verschuiven."))
    with transaction.atomic():
        bijeenkomst = _lock(aanmelding.bijeenkomst_id)
        aanmelding = _reload(aanmelding, bijeenkomst)
        if aanmelding.status != Aanmelding.Status.WACHTLIJST:
            raise RegistrationError(_("Deze aanmelding staat niet op de wachtlijst."))
        waiting = bijeenkomst.aanmeldingen.wachtend()
        neighbour = (
            waiting.filter(wachtlijst_volgorde__lt=aanmelding.wachtlijst_volgorde).last()
            if omhoog
            else waiting.filter(wachtlijst_volgorde__gt=aanmelding.wachtlijst_volgorde).first()
        )
        if neighbour is None:
            raise RegistrationError(
                _("Staat al bovenaan de wachtlijst.") if omhoog else _("Staat al onderaan.")
            )
        mine, theirs = aanmelding.wachtlijst_volgorde, neighbour.wachtlijst_volgorde
        # The orders are unique per bijeenkomst: park one on a free number while swapping.
        parked = _next_waitlist_order(bijeenkomst)
        Aanmelding.objects.filter(pk=aanmelding.pk).update(wachtlijst_volgorde=parked)
        Aanmelding.objects.filter(pk=neighbour.pk).update(wachtlijst_volgorde=mine)
        Aanmelding.objects.filter(pk=aanmelding.pk).update(wachtlijst_volgorde=theirs)
        aanmelding.wachtlijst_volgorde = theirs
        _record(
            bijeenkomst,
            door=door,
            soort=Handeling.Soort.VERSCHOVEN,
            aanmelding=aanmelding,
            omschrijving=(
                _("%(naam)s een plaats omhoog") if omhoog else _("%(naam)s een plaats omlaag")
            )
            % {"naam": aanmelding.naam},
            reden=reden,
        )
        return aanmelding
