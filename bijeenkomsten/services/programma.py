"""Keeping a bijeenkomst's programme: its items, their sprekers and the deelsessies' places.

Who may is `permissions.can_edit_programme` (the views ask it). A deelsessie's capacity
changes under the same locks as its places (sessions.py: the bijeenkomst, then the
deelsessies by pk), and places it frees go to its wachtlijst at once.
"""

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bijeenkomsten.models import Bijeenkomst, ProgrammaOnderdeel, Spreker
from bijeenkomsten.services import sessions
from bijeenkomsten.services._common import RegistrationError, _lock
from netwerk.models import Persoon
from themas.rendering import render_markdown
from werkplaats import cache


def save_onderdeel(
    *,
    bijeenkomst: Bijeenkomst,
    soort: str,
    titel: str,
    start: datetime,
    eind: datetime,
    zaal: str = "",
    beschrijving: str = "",
    ronde: ProgrammaOnderdeel | None = None,
    capaciteit: int | None = None,
    wachtlijst_open: bool = True,
    sprekers: Sequence[tuple[Persoon | None, str, str]] = (),
    onderdeel: ProgrammaOnderdeel | None = None,
) -> ProgrammaOnderdeel:
    """Add a programme item (or change `onderdeel`, but not its capacity: that is
    `change_session_capacity`), with its sprekers as (persoon or None, naam, bio). The
    description is Markdown, rendered by the project's bounded renderer before the
    transaction; a refusal raises RegistrationError and changes nothing."""
    beschrijving_html = render_markdown(beschrijving) if beschrijving.strip() else ""
    with transaction.atomic():
        bijeenkomst = _lock(bijeenkomst.pk)
        # The programme is on the bijeenkomst's page (the lock marks only its places).
        cache.bump("bijeenkomsten")
        if onderdeel is None:
            onderdeel = ProgrammaOnderdeel(bijeenkomst=bijeenkomst, capaciteit=capaciteit)
        elif onderdeel.bijeenkomst_id != bijeenkomst.pk:
            raise RegistrationError(_("Dit onderdeel hoort niet bij deze bijeenkomst."))
        onderdeel.soort = soort
        onderdeel.titel = titel.strip()
        onderdeel.start, onderdeel.eind = start, eind
        onderdeel.zaal = zaal.strip()
        onderdeel.beschrijving, onderdeel.beschrijving_html = beschrijving, beschrijving_html
        onderdeel.ronde = ronde
        onderdeel.wachtlijst_open = wachtlijst_open
        try:
            onderdeel.full_clean()
        except ValidationError as error:
            raise RegistrationError(" ".join(error.messages)) from error
        onderdeel.save()
        onderdeel.sprekers.all().delete()
        rows = [
            Spreker(
                onderdeel=onderdeel, persoon=persoon, naam=naam.strip(), bio=bio.strip(), volgorde=n
            )
            for n, (persoon, naam, bio) in enumerate(sprekers)
        ]
        for row in rows:
            if row.persoon is None and not row.naam:
                raise RegistrationError(_("Kies een persoon of geef een naam."))
            try:
                row.full_clean(exclude=["onderdeel", "persoon"])
            except ValidationError as error:
                raise RegistrationError(" ".join(error.messages)) from error
        Spreker.objects.bulk_create(rows)
        return onderdeel


def change_session_capacity(
    *, deelsessie: ProgrammaOnderdeel, capaciteit: int | None, now: datetime | None = None
) -> ProgrammaOnderdeel:
    """Set a deelsessie's capacity (None: unlimited); places it frees are offered to its
    wachtlijst in order. Lowering it never takes anyone's place away."""
    now = now or timezone.now()
    with transaction.atomic():
        bijeenkomst = _lock(deelsessie.bijeenkomst_id)
        locked = sessions._lock_sessions(bijeenkomst, [deelsessie.pk])
        sessie = locked[deelsessie.pk]
        sessie.capaciteit = capaciteit
        try:
            sessie.full_clean()
        except ValidationError as error:
            raise RegistrationError(" ".join(error.messages)) from error
        sessie.save(update_fields=["capaciteit"])
        sessions._fill_session(bijeenkomst, sessie, now=now)
        return sessie
