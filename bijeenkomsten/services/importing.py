"""The coördinator's import: the confirmed rows of a checked file are kept as an Import that a
task registers, all or none. Reading and checking the CSV is `bijeenkomsten/imports.py`
(bytes in, rows and errors out); this module registers what it produced.
"""

import logging
import secrets
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from bijeenkomsten.imports import ImportRow, ParseResult
from bijeenkomsten.models import Aanmelding, Bijeenkomst, Handeling, Import, ImportControle
from bijeenkomsten.services._common import (
    RegistrationError,
    _check_open_for_coordinators,
    _lock,
    _record,
)
from bijeenkomsten.services.questions import clean_answers, registration_questions
from bijeenkomsten.services.registration import _add, _Newcomers
from netwerk.models import Persoon, normalize_email_address
from werkplaats.exceptions import Busy
from werkplaats.locking import lock_one

logger = logging.getLogger(__name__)


def import_aanmeldingen(
    *,
    bijeenkomst: Bijeenkomst,
    door: Persoon,
    rows: Sequence[ImportRow],
    bron: str = "",
    now: datetime | None = None,
) -> list[Aanmelding]:
    """Register the confirmed rows of an import, all or none.

    Every row goes through `_add()` under one bijeenkomst lock in one transaction, so the
    capacity and the wachtlijst hold as for anyone registering, and everyone gets the
    normal mail. A row that is refused now (registered since the preview, the bijeenkomst
    full without a wachtlijst) raises RegistrationError naming its row; nothing is kept.
    What is the same for every row is done once: the counts are read once, the rows and
    their mails written in bulk.
    """
    now = now or timezone.now()
    if not rows:
        raise RegistrationError(_("Er zijn geen rijen om te importeren."))
    with transaction.atomic():
        bijeenkomst = _lock(bijeenkomst.pk)
        _check_open_for_coordinators(bijeenkomst, now)
        emails = {normalize_email_address(row.email) for row in rows}
        accounts = {persoon.email: persoon for persoon in Persoon.objects.filter(email__in=emails)}
        newcomers = _Newcomers(bijeenkomst, now=now, emails=emails, personen=accounts.values())
        vragen = registration_questions(bijeenkomst)
        for row in rows:
            try:
                _add(
                    newcomers,
                    email=row.email,
                    naam=row.naam,
                    persoon=accounts.get(normalize_email_address(row.email)),
                    aangemeld_door=door,
                    bron=Aanmelding.Bron.IMPORT,
                    organisatie=row.organisatie,
                    functie=row.functie,
                    opmerkingen=row.opmerkingen,
                    # Checked again: the questions may have changed since the preview.
                    antwoorden=clean_answers(vragen, row.antwoorden, verplicht=False),
                )
            except RegistrationError as error:
                reason = (
                    _("is al aangemeld voor deze bijeenkomst.")
                    if error.aanmelding is not None
                    else str(error)
                )
                raise RegistrationError(
                    _("Rij %(rij)s (%(adres)s): %(reden)s Er is niets geïmporteerd.")
                    % {"rij": row.number, "adres": row.email, "reden": reason}
                ) from error
        aanmeldingen = newcomers.save()
        bevestigd = sum(1 for a in aanmeldingen if a.status == Aanmelding.Status.BEVESTIGD)
        _record(
            bijeenkomst,
            door=door,
            soort=Handeling.Soort.GEIMPORTEERD,
            omschrijving=ngettext(
                "%(aantal)s aanmelding: %(bevestigd)s bevestigd, %(wachtlijst)s op de wachtlijst",
                "%(aantal)s aanmeldingen: %(bevestigd)s bevestigd, %(wachtlijst)s op de wachtlijst",
                len(aanmeldingen),
            )
            % {
                "aantal": len(aanmeldingen),
                "bevestigd": bevestigd,
                "wachtlijst": len(aanmeldingen) - bevestigd,
            },
            reden=_("uit %(bron)s") % {"bron": bron[:100]} if bron else "",
        )
        return aanmeldingen


def keep_checked_import(
    *, bijeenkomst: Bijeenkomst, door: Persoon, bestand: str, result: ParseResult
) -> ImportControle:
    """Keep a checked file for its confirmation (step two), under a new random token that
    only `door` can use for this bijeenkomst (`selectors.checked_import`)."""
    return ImportControle.objects.create(
        token=secrets.token_urlsafe(16),
        bijeenkomst=bijeenkomst,
        door=door,
        bestand=bestand[: ImportControle._meta.get_field("bestand").max_length],
        rijen=[asdict(row) for row in result.rows],
        fouten=[asdict(error) for error in result.errors],
        genegeerde_kolommen=list(result.ignored_columns),
    )


def delete_expired_import_checks(*, now: datetime | None = None) -> int:
    """Checked files nobody confirmed within IMPORT_CHECK_KEPT are deleted (retention: they
    hold names and addresses); returns how many."""
    before = (now or timezone.now()) - settings.IMPORT_CHECK_KEPT
    deleted, _by_model = ImportControle.objects.filter(aangemaakt_op__lte=before).delete()
    return deleted


def queue_import(
    *,
    bijeenkomst: Bijeenkomst,
    door: Persoon,
    token: str,
    rows: Sequence[ImportRow],
    bron: str = "",
    now: datetime | None = None,
) -> Import:
    """Keep the confirmed rows of a checked file and have a task register them
    (`run_import()`): thousands of rows take longer than a web request may last.

    One Import per checked file (its token): confirming twice, or two tabs at once, queues
    it once and answers with the same Import.
    """
    now = now or timezone.now()
    if not rows:
        raise RegistrationError(_("Er zijn geen rijen om te importeren."))
    _check_open_for_coordinators(bijeenkomst, now)
    with transaction.atomic():
        job, created = Import.objects.get_or_create(
            token=token,
            defaults={
                "bijeenkomst": bijeenkomst,
                "door": door,
                "bestand": bron[: Import._meta.get_field("bestand").max_length],
                "rijen": [asdict(row) for row in rows],
                "aantal": len(rows),
                "aangemaakt_op": now,
            },
        )
        if job.bijeenkomst_id != bijeenkomst.pk:
            raise RegistrationError(_("Deze import hoort niet bij deze bijeenkomst."))
        if not created and job.status == Import.Status.MISLUKT:
            # Refused before (say the wachtlijst was closed): the coördinator tries again.
            job = lock_one(Import.objects, pk=job.pk)
            if job.status == Import.Status.MISLUKT:
                job.status = Import.Status.WACHTRIJ
                job.rijen = [asdict(row) for row in rows]
                job.melding = ""
                job.afgerond_op = None
                job.save()
                created = True
        if created:
            from bijeenkomsten.tasks import run_import as task

            transaction.on_commit(lambda: task.delay(job.pk), robust=True)
    return job


def run_import(*, import_id: int, now: datetime | None = None) -> Import:
    """Register the rows of a queued import through `import_aanmeldingen()`, all or none,
    and record the outcome in the same transaction. Exactly once: a second run (a task
    delivered again after its worker died) finds it done and changes nothing."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            job = lock_one(Import.objects, pk=import_id)
            if job.status != Import.Status.WACHTRIJ:
                return job
            aanmeldingen = import_aanmeldingen(
                bijeenkomst=job.bijeenkomst,
                door=job.door,
                rows=[ImportRow(**row) for row in job.rijen],
                bron=job.bestand,
                now=now,
            )
            job.bevestigd = sum(a.status == Aanmelding.Status.BEVESTIGD for a in aanmeldingen)
            job.wachtlijst = len(aanmeldingen) - job.bevestigd
            _finish(job, Import.Status.KLAAR, now=now)
            return job
    except RegistrationError as error:
        # Nothing was registered; say why, once, unless another run finished it meanwhile.
        return _fail(import_id, str(error), now=now)
    except (Busy, DatabaseError):
        raise  # the task tries again (Busy) or the sweep does (the database was away)
    except Exception:
        # A bug: nothing was registered (the transaction rolled back). Without this the
        # Import would say "wacht op verwerking" for ever (found by the fault suite's
        # scenario 6); now the coördinator sees it failed and can confirm it again.
        logger.exception("Import %s failed on an unforeseen error", import_id)
        _fail(import_id, IMPORT_BUG_MESSAGE, now=now)
        raise


IMPORT_BUG_MESSAGE = _lazy(
    "Er ging iets mis bij het verwerken; er is niemand aangemeld. Bevestig de import opnieuw "
    "of begin opnieuw met het bestand."
)


def _fail(import_id: int, melding, *, now: datetime) -> Import:
    with transaction.atomic():
        job = lock_one(Import.objects, pk=import_id)
        if job.status == Import.Status.WACHTRIJ:
            job.melding = str(melding)[: Import._meta.get_field("melding").max_length]
            _finish(job, Import.Status.MISLUKT, now=now)
        return job


def imports_to_resume(*, now: datetime | None = None) -> list[int]:
    """Imports still waiting IMPORT_STUCK_AFTER after they were queued whose row nobody
    holds locked: their task got lost, or their worker died halfway (the transaction rolled
    back, nothing was registered). Running them again is safe: `run_import()` runs once."""
    before = (now or timezone.now()) - settings.IMPORT_STUCK_AFTER
    # An Import row is locked by its run for the whole transaction (`run_import()`).
    with transaction.atomic():
        return list(
            Import.objects.filter(status=Import.Status.WACHTRIJ, aangemaakt_op__lt=before)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )


def _finish(job: Import, status: str, *, now: datetime) -> None:
    # The rows are personal data that did their work: they are not kept. A failed import's
    # checked file stays (until it expires) so the coördinator can confirm it again.
    job.status = status
    job.rijen = []
    job.afgerond_op = now
    job.save()
    if status == Import.Status.KLAAR:
        ImportControle.objects.filter(token=job.token).delete()
