"""Guests: the registration counts only once the address is confirmed through the link in a
mail. The link carries a random single-use token; what the guest entered waits here, in a
GastAanmelding, until they confirm or it expires.
"""

import hashlib
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bijeenkomsten.models import Aanmelding, Bijeenkomst, GastAanmelding, ProgrammaOnderdeel
from bijeenkomsten.services._common import RegistrationError, _account_for, _refusal_reason
from bijeenkomsten.services.questions import clean_answers, registration_questions
from bijeenkomsten.services.registration import register
from netwerk.models import OutboxMessage, normalize_email_address
from netwerk.outbox import queue_mail, recipient_language
from werkplaats.locking import lock_one
from werkplaats.tokens import hash_token, new_token

GUEST_CONFIRMATION_MAX_AGE = timedelta(days=2)
# What a guest's pending registration keeps besides naam and e-mail. Wishes about diet and
# accessibility are asked on the confirmation page, so they are stored only once confirmed.
GUEST_LINK_FIELDS = ("organisatie", "functie")
# At most one confirmation mail per address and bijeenkomst in this window, so the form
# cannot be used to flood someone's mailbox.
GUEST_MAIL_WINDOW_SECONDS = 10 * 60


class InvalidGuestLink(RegistrationError):
    """The confirmation link is unknown, expired or used: nothing can be registered with it."""


def request_guest_registration(
    *,
    bijeenkomst: Bijeenkomst,
    gegevens: dict,
    taal: str | None = None,
    antwoorden: dict | None = None,
    now: datetime | None = None,
) -> str | None:
    """Mail a guest a single-use link that makes their registration count; returns the token,
    or None when this address already got such a mail within GUEST_MAIL_WINDOW_SECONDS (then
    nothing is stored or mailed, so the form cannot flood someone's mailbox).

    `gegevens` holds email, naam, organisatie and functie. Nothing takes a place until the
    link is used, so an address nobody confirms never takes one.

    The guest's mails, this one and those of their registration, are in `taal`: the
    language they used (by default the active one). `antwoorden` (to the bijeenkomst's
    questions) are checked now and kept with the pending registration until confirmed.
    """
    now = now or timezone.now()
    taal = taal or translation.get_language() or settings.LANGUAGE_CODE
    if taal not in dict(settings.LANGUAGES):
        taal = settings.LANGUAGE_CODE
    email = normalize_email_address(gegevens["email"])
    if not bijeenkomst.aanmelden_mogelijk(now):
        raise RegistrationError(_refusal_reason(bijeenkomst, now))
    antwoorden = clean_answers(registration_questions(bijeenkomst), antwoorden)
    window = int(now.timestamp()) // GUEST_MAIL_WINDOW_SECONDS
    # Hashed: the key must stay short whatever the address, and need not reveal it.
    address_hash = hashlib.sha256(email.encode()).hexdigest()[:32]
    key = f"gast-aanmelding:{bijeenkomst.pk}:{address_hash}:{window}"
    token = new_token()
    with transaction.atomic():
        # Two requests racing past this check leave one pending row whose link was never
        # mailed; it holds nothing anyone can use and is deleted when it expires.
        if OutboxMessage.objects.filter(key=key).exists():
            return None
        pending = GastAanmelding.objects.create(
            bijeenkomst=bijeenkomst,
            token_hash=hash_token(token),
            email=email,
            naam=gegevens["naam"].strip(),
            **{field: (gegevens.get(field) or "").strip() for field in GUEST_LINK_FIELDS},
            taal=taal,
            antwoorden={str(key): value for key, value in antwoorden.items()},
            aangemaakt_op=now,
            verloopt_op=now + GUEST_CONFIRMATION_MAX_AGE,
        )
        queue_mail(
            key=key,
            to=email,
            template="bijeenkomsten/mail/email_bevestigen",
            context={
                "bijeenkomst": bijeenkomst,
                "naam": pending.naam,
                "bevestig_url": reverse(
                    "bijeenkomsten:gast-bevestigen",
                    kwargs={"slug": bijeenkomst.slug, "token": token},
                ),
                "geldig_dagen": GUEST_CONFIRMATION_MAX_AGE.days,
            },
            language=recipient_language(email, otherwise=taal),
        )
    return token


def _check_guest_link(pending: GastAanmelding | None, *, now: datetime) -> GastAanmelding:
    if pending is None:
        raise InvalidGuestLink(
            _(
                "Deze bevestigingslink klopt niet of is verlopen. Controleer of je de hele "
                "link uit de mail hebt gebruikt, of meld je opnieuw aan."
            )
        )
    if pending.gebruikt_op is not None:
        raise InvalidGuestLink(
            _(
                "Deze bevestigingslink is al gebruikt en werkt maar één keer. Je aanmelding "
                "vind je via de link in de bevestigingsmail; wil je je opnieuw aanmelden, "
                "doe dat dan via de pagina van de bijeenkomst."
            )
        )
    if pending.verloopt_op <= now:
        raise InvalidGuestLink(_("Deze bevestigingslink is verlopen. Meld je opnieuw aan."))
    return pending


def read_guest_registration(
    *, bijeenkomst: Bijeenkomst, token: str, now: datetime | None = None
) -> GastAanmelding:
    """The pending registration of a guest's link; InvalidGuestLink when the link is unknown,
    expired or already used."""
    pending = GastAanmelding.objects.filter(
        token_hash=hash_token(token), bijeenkomst=bijeenkomst
    ).first()
    return _check_guest_link(pending, now=now or timezone.now())


def confirm_guest_registration(
    *,
    bijeenkomst: Bijeenkomst,
    token: str,
    dieetwensen: str = "",
    toegankelijkheid: str = "",
    sessies: Sequence[ProgrammaOnderdeel] = (),
    now: datetime | None = None,
) -> Aanmelding:
    """Register the guest of a link through `register()`; their address is now proven.

    The pending row is locked and used up in the same transaction, so the link registers
    once, however often or concurrently it is sent; a refusal (already registered, full)
    rolls back and leaves the link as it was.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # Locked before the bijeenkomst (in register), always in that order, and with the
        # same bound on waiting.
        try:
            pending = lock_one(
                GastAanmelding.objects,
                token_hash=hash_token(token),
                bijeenkomst=bijeenkomst,
            )
        except GastAanmelding.DoesNotExist:
            pending = None
        _check_guest_link(pending, now=now)
        aanmelding = register(
            bijeenkomst=bijeenkomst,
            email=pending.email,
            naam=pending.naam,
            persoon=_account_for(pending.email),
            bron=Aanmelding.Bron.GAST,
            dieetwensen=dieetwensen,
            toegankelijkheid=toegankelijkheid,
            taal=pending.taal,
            antwoorden=pending.antwoorden,
            sessies=sessies,
            now=now,
            **{field: getattr(pending, field) for field in GUEST_LINK_FIELDS},
        )
        # Used up: the data now lives in the Aanmelding, so the row keeps none of it.
        pending.gebruikt_op = now
        pending.aanmelding = aanmelding
        pending.email = pending.naam = pending.organisatie = pending.functie = ""
        pending.antwoorden = {}
        pending.save(
            update_fields=[
                "gebruikt_op",
                "aanmelding",
                "email",
                "naam",
                "organisatie",
                "functie",
                "antwoorden",
            ]
        )
    return aanmelding


def delete_expired_guest_registrations(*, now: datetime | None = None) -> int:
    """Delete pending guest registrations past their expiry, used or not: they hold personal
    data of people who never confirmed. Returns how many were deleted."""
    deleted, _per_model = GastAanmelding.objects.verlopen(now or timezone.now()).delete()
    return deleted
