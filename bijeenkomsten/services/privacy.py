"""Privacy: a person who deletes their account, and the retention of registrations; called by
the privacy app (`privacy/services.py`).
"""

import calendar
from datetime import datetime

from django.db import transaction
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Replace
from django.utils import timezone

from bijeenkomsten.models import (
    Aanmelding,
    Antwoord,
    Bijeenkomst,
    GastAanmelding,
    Handeling,
    PersoonlijkeLink,
    Uitnodiging,
)
from bijeenkomsten.services.registration import cancel
from netwerk.models import ANONYMOUS_DOMAIN, Persoon, anonymous_address, pseudonymous_address
from werkplaats import cache
from werkplaats.db_functions import replace_case_blind

ANONIEM = "geanonimiseerd"


def forget_persoon(*, persoon: Persoon) -> int:
    """A person deletes their account (privacy, in the caller's transaction). Their open
    registrations for bijeenkomsten not yet over are cancelled first, through `cancel()`, so
    each freed place goes to the wachtlijst as always; then every registration and
    invitation of theirs (by account or by address) is anonymised: counts and attendance
    stay. Log lines and contact addresses that name them are cleared. Returns the number of
    registrations cancelled."""
    email, naam = persoon.email, persoon.naam
    theirs = Q(persoon=persoon) | Q(email__iexact=email)
    with transaction.atomic():
        cancelled = 0
        still_open = Aanmelding.objects.open().filter(theirs, bijeenkomst__eind__gt=timezone.now())
        for aanmelding in still_open.order_by("pk"):
            cancel(aanmelding=aanmelding)
            cancelled += 1
        for text in (f"<{email}>", email, naam):
            named = Q(omschrijving__icontains=text) | Q(reden__icontains=text)
            Handeling.objects.filter(named).update(
                omschrijving=replace_case_blind("omschrijving", text, ANONIEM),
                reden=replace_case_blind("reden", text, ANONIEM),
            )
        # Each row's address becomes its pseudonymous one: all their rows under their own
        # address share one, the same as the retention gave the rows it anonymised before,
        # so the reach report (bereik) still counts them as one person.
        _anonymise_registrations(Aanmelding.objects.filter(theirs))
        _anonymise_invitations(Uitnodiging.objects.filter(theirs))
        GastAanmelding.objects.filter(email__iexact=email).delete()
        if Bijeenkomst.objects.filter(contact_email__iexact=email).update(contact_email=""):
            cache.bump("bijeenkomsten")
        cache.bump("aanmeldingen")
    return cancelled


def anonymise_past_registrations(*, now: datetime, months: int) -> int:
    """Registrations and invitations of bijeenkomsten that ended more than `months` ago are
    anonymised (retention): who came and how many stays, who it was does not. Idempotent.
    Returns the number of registrations anonymised."""
    cutoff = months_before(now, months)
    with transaction.atomic():
        aanmeldingen = Aanmelding.objects.filter(bijeenkomst__eind__lt=cutoff)
        count = _anonymise_registrations(aanmeldingen)
        _anonymise_invitations(Uitnodiging.objects.filter(bijeenkomst__eind__lt=cutoff))
        if count:
            cache.bump("aanmeldingen")
    return count


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the month's last day when
    that month is shorter: 31 March minus one month is 28 or 29 February)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def _anonymise_registrations(aanmeldingen) -> int:
    """One UPDATE for the rows and one for their log lines, however many rows: each gets
    the unreachable pseudonymous address of its address (one per person, whichever run
    anonymises which of their rows), its personal links die and its answers go. What they
    answered to an evaluation was never linked to them (EvaluatieInzending)."""
    todo = aanmeldingen.exclude(email__endswith=f"@{ANONYMOUS_DOMAIN}")
    PersoonlijkeLink.objects.filter(aanmelding__in=todo).delete()
    # What they answered to the bijeenkomst's questions goes with their name.
    Antwoord.objects.filter(aanmelding__in=todo).delete()
    of_row = Aanmelding.objects.filter(pk=OuterRef("aanmelding_id"))
    label = Subquery(of_row.values("naam")[:1])
    row_address = Subquery(of_row.values("email")[:1])
    logged = Handeling.objects.filter(aanmelding__in=todo)
    logged.update(
        omschrijving=Replace(
            Replace(F("omschrijving"), row_address, Value(ANONIEM)), label, Value(ANONIEM)
        ),
        reden=Replace(Replace(F("reden"), row_address, Value(ANONIEM)), label, Value(ANONIEM)),
    )
    return todo.update(
        persoon=None,
        naam=ANONIEM,
        email=pseudonymous_address("email", "aanmelding"),
        organisatie="",
        functie="",
        dieetwensen="",
        toegankelijkheid="",
        opmerkingen="",
        boven_capaciteit_reden=Case(
            When(boven_capaciteit=True, then=Value(ANONIEM)), default=Value("")
        ),
    )


def _anonymise_invitations(uitnodigingen) -> int:
    todo = uitnodigingen.exclude(email__endswith=f"@{ANONYMOUS_DOMAIN}")
    PersoonlijkeLink.objects.filter(uitnodiging__in=todo).delete()
    return todo.update(persoon=None, naam="", email=anonymous_address("uitnodiging"))
