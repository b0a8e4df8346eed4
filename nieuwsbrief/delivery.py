"""Sending an edition to its subscribers: each address exactly once, resumable, at a set rate.

Every address of the audience gets a `Bezorging` row (unique per edition and address) before
the first mail goes out. Celery tasks then send them in batches of NIEUWSBRIEF_BATCH_SIZE,
one batch after the other, each over NIEUWSBRIEF_CONNECTIONS reused SMTP connections (lanes)
at NIEUWSBRIEF_MAILS_PER_SECOND in all. A batch first takes the edition's claim, so one
sender works on an edition at a time and the rate holds however many workers run; a sender
that died is replaced once its claim ran out (the periodic task `send_editions` resumes).

Each row follows the outbox's rules: it is claimed (queued → sending, committed) right before
its SMTP conversation and its outcome recorded right after, and no transaction is open while
the server talks. A sender that dies leaves at most one row per lane `sending`; the next
sender marks those onbekend, and nothing sends them again by itself. A row whose
subscription stopped before its turn is skipped (overgeslagen).

Why not one outbox row per address: the outbox stores each message's bodies, encodes each
message on its own and builds its updates with the ORM. For one edition that is 20,000
copies of the same 15-50 kB and a MIME encoding per address; measured on the project's
machine the outbox delivered 37-75 such mails per second. Here the edition is rendered once
when sending starts, encoded once per batch, and per address only the recipient, its
unsubscribe token (made at send time, stored only as its hash) and the Message-ID are
filled in; the two updates per mail are plain SQL,
and several lanes keep the server busy while each waits for its answers.
"""

import logging
import queue
import smtplib
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import sanitize_address
from django.db import connection as db_connection
from django.db import connections as db_connections
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from netwerk import outbox
from netwerk import services as netwerk_services
from netwerk.models import Abonnement
from netwerk.outbox import Outcome
from nieuwsbrief import selectors
from nieuwsbrief.models import Bezorging, Editie
from nieuwsbrief.rendering import TOKEN_PLACEHOLDER, RenderedEdition, build_message
from werkplaats import cache
from werkplaats.locking import lock_one
from werkplaats.tokens import hash_token, new_token

logger = logging.getLogger(__name__)

S = Bezorging.Status
SKIPPED_REASON = "Afgemeld of gepauzeerd voordat de editie aan de beurt was."
TO_PLACEHOLDER = "ontvanger@plaatshouder.invalid"
MESSAGE_ID_PLACEHOLDER = "<nieuwsbrief-bericht@plaatshouder.invalid>"
PREPARE_CHUNK = 2000


def deliver_batch(*, editie_id: int) -> bool:
    """Send the next batch of an edition's deliveries; True when more are due right away.

    Does nothing while another sender holds the edition's claim or when the edition is not
    being sent. Finishes the edition when nothing is left to send.
    """
    sender = uuid.uuid4().hex
    if not _take_claim(editie_id, sender):
        return False
    try:
        editie = Editie.objects.filter(pk=editie_id, status=Editie.Status.VERZENDEN).first()
        if editie is None:
            return False
        _prepare(editie)
        _declare_lost(editie)
        if not _send_due(editie, sender):
            return False  # the server cannot be reached: the periodic task tries again later
        return _after_batch(editie)
    finally:
        Editie.objects.filter(pk=editie_id, bezorger=sender).update(bezorger="", bezorger_tot=None)


def editions_to_resume(*, now=None) -> list[int]:
    """Editions being sent that no sender works on: their sender died, their next task got
    lost, or only retries were left and some are due now."""
    now = now or timezone.now()
    return list(
        Editie.objects.filter(status=Editie.Status.VERZENDEN)
        .filter(Q(bezorger_tot__isnull=True) | Q(bezorger_tot__lt=now))
        .values_list("pk", flat=True)
    )


def _claim_duration() -> timedelta:
    return timedelta(seconds=settings.NIEUWSBRIEF_CLAIM_SECONDS)


def _take_claim(editie_id: int, sender: str) -> bool:
    now = timezone.now()
    return bool(
        Editie.objects.filter(pk=editie_id, status=Editie.Status.VERZENDEN)
        .filter(Q(bezorger_tot__isnull=True) | Q(bezorger_tot__lt=now))
        .update(bezorger=sender, bezorger_tot=now + _claim_duration())
    )


class _Claim:
    """Keeps the edition's claim alive while a batch runs; says when it was lost."""

    def __init__(self, editie_id: int, sender: str):
        self.editie_id, self.sender = editie_id, sender
        self.renewed_at = time.monotonic()
        self.held = True
        self.lock = threading.Lock()

    def holds(self) -> bool:
        with self.lock:
            if self.held and time.monotonic() - self.renewed_at >= (
                settings.NIEUWSBRIEF_CLAIM_SECONDS / 3
            ):
                self.renewed_at = time.monotonic()
                self.held = bool(
                    Editie.objects.filter(pk=self.editie_id, bezorger=self.sender).update(
                        bezorger_tot=timezone.now() + _claim_duration()
                    )
                )
            return self.held


def _prepare(editie: Editie) -> None:
    """Write a delivery row for every address of the audience, once per edition."""
    if editie.aantal_ontvangers is not None:
        return
    with transaction.atomic():
        locked = lock_one(Editie.objects, pk=editie.pk)
        if locked.aantal_ontvangers is None:
            audience = selectors.ontvangers_van_editie(locked).order_by("pk")
            rows = []
            for abonnement_id, email in audience.values_list("pk", "email").iterator(
                chunk_size=PREPARE_CHUNK
            ):
                rows.append(Bezorging(editie=locked, abonnement_id=abonnement_id, email=email))
                if len(rows) == PREPARE_CHUNK:
                    Bezorging.objects.bulk_create(rows, ignore_conflicts=True)
                    rows = []
            Bezorging.objects.bulk_create(rows, ignore_conflicts=True)
            locked.aantal_ontvangers = Bezorging.objects.filter(editie=locked).count()
            locked.save(update_fields=["aantal_ontvangers"])
        editie.aantal_ontvangers = locked.aantal_ontvangers


def _declare_lost(editie: Editie) -> None:
    """Rows still `sending` when a sender takes the claim were left by one that died during
    the SMTP conversation: the server may have the mail, so they are never sent again."""
    lost = Bezorging.objects.filter(editie=editie, status=S.SENDING).update(
        status=S.ONBEKEND, fout=outbox.LOST_DELIVERY_REASON
    )
    if lost:
        logger.error(
            "Edition %s: %s deliveries of unknown fate (onbekend, not resent)", editie.pk, lost
        )


def _send_due(editie: Editie, sender: str) -> bool:
    """Send the due rows of one batch over NIEUWSBRIEF_CONNECTIONS connections at once;
    False when the mail server could not be reached.

    Each connection is a lane of its own (a thread with its own database connection) that
    claims, sends and records one row at a time, so at most one mail per lane is in flight.
    Several lanes keep the server busy while each waits for an answer.
    """
    rows = list(
        Bezorging.objects.filter(
            editie=editie, status=S.QUEUED, volgende_poging_op__lte=timezone.now()
        )
        .order_by("volgende_poging_op", "pk")
        .values_list("pk", "email", "pogingen")[: settings.NIEUWSBRIEF_BATCH_SIZE]
    )
    if not rows:
        return True
    batch = _Batch(editie, sender, rows)
    lanes = max(1, min(settings.NIEUWSBRIEF_CONNECTIONS, len(rows)))
    if lanes == 1:
        batch.run_lane()
    else:
        with ThreadPoolExecutor(max_workers=lanes) as pool:
            for lane in [pool.submit(batch.run_lane_in_thread) for _ in range(lanes)]:
                lane.result()  # an unforeseen error in a lane is raised here
    return not batch.unreachable.is_set()


class _Batch:
    """The rows of one batch, shared by its lanes, and what they share: the edition encoded
    once, the rate, the claim."""

    def __init__(self, editie: Editie, sender: str, rows: list):
        self.editie = editie
        self.rendered = RenderedEdition(
            subject=editie.onderwerp, text=editie.mail_tekst, html=editie.mail_html
        )
        self.encoded = _EncodedEdition(self.rendered)
        self.rows = queue.SimpleQueue()
        for row in rows:
            self.rows.put(row)
        self.claim = _Claim(editie.pk, sender)
        self.pacer = _Pacer(settings.NIEUWSBRIEF_MAILS_PER_SECOND)
        self.stop = threading.Event()
        self.unreachable = threading.Event()

    def run_lane_in_thread(self) -> None:
        try:
            self.run_lane()
        finally:
            db_connections.close_all()  # this thread's own database connection

    def run_lane(self) -> None:
        mailer = _Mailer(self.editie, self.rendered, self.encoded)
        try:
            while not self.stop.is_set():
                try:
                    pk, email, attempts = self.rows.get_nowait()
                except queue.Empty:
                    return
                if not self.claim.holds():
                    logger.warning("Edition %s: another sender took over", self.editie.pk)
                    self.stop.set()
                    return
                # This mail's own unsubscribe token: only its hash is stored.
                token = new_token()
                started_at = _claim_row(pk, hash_token(token))
                if started_at is None:
                    continue
                self.pacer.wait()
                outcome, reason, code = mailer.send(pk=pk, email=email, token=token)
                _record(pk, started_at, attempts + 1, outcome, reason, code)
                if mailer.unreachable:
                    self.unreachable.set()
                    self.stop.set()
        finally:
            outbox.close_quietly(mailer.connection)


# The two statements every mail costs, as plain SQL: the ORM spends about 0.8 ms of CPU
# building each update, which a worker sending hundreds of mails a second cannot afford.
# Each runs on its own in autocommit, so each is committed before the next step. Only the
# table names (from the models) are formatted in; every value is a query parameter.
_BEZORGING = Bezorging._meta.db_table
_ABONNEMENT = Abonnement._meta.db_table
# queued → sending, only while the subscription still runs (the definition of
# netwerk.selectors.ontvangers: status bevestigd).
_CLAIM_SQL = (
    f"UPDATE {_BEZORGING} SET status = %s, gestart_op = %s, pogingen = pogingen + 1, "  # nosec B608
    "token_hash = %s "
    f"WHERE id = %s AND status = %s AND EXISTS (SELECT 1 FROM {_ABONNEMENT} "
    f"WHERE {_ABONNEMENT}.id = {_BEZORGING}.abonnement_id AND {_ABONNEMENT}.status = %s)"
)
# The outcome, only while the row is still in the sending this sender started.
_RECORD_SQL = (
    f"UPDATE {_BEZORGING} SET status = %s, fout = %s, smtp_code = %s, verzonden_op = %s, "  # nosec B608
    "volgende_poging_op = COALESCE(%s, volgende_poging_op) "
    "WHERE id = %s AND status = %s AND gestart_op = %s"
)


def _execute(sql: str, params: list) -> int:
    with db_connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _moment(value):
    return db_connection.ops.adapt_datetimefield_value(value) if value is not None else None


def _claim_row(pk: int, token_hash: str):
    """queued → sending with the hash of the token its mail carries, committed on its own,
    only while its subscription still runs; the start time, or None (a row whose
    subscription stopped is marked overgeslagen). A retry gets a new token: the mail
    before it was not accepted."""
    now = timezone.now()
    params = [S.SENDING, _moment(now), token_hash, pk, S.QUEUED, Abonnement.Status.BEVESTIGD]
    if _execute(_CLAIM_SQL, params):
        return now
    Bezorging.objects.filter(pk=pk, status=S.QUEUED).update(
        status=S.OVERGESLAGEN, fout=SKIPPED_REASON
    )
    return None


def _record(pk: int, started_at, attempts: int, outcome: Outcome, reason: str, code) -> None:
    """Write the outcome, if the row is still in the sending this sender started."""
    now = timezone.now()
    sent_at = next_attempt = None
    if outcome is Outcome.SENT:
        status, sent_at = S.SENT, now
    elif outcome is Outcome.TEMPORARY and attempts < settings.MAIL_MAX_ATTEMPTS:
        status, next_attempt = S.QUEUED, now + outbox.retry_delay(attempts)
    elif outcome is Outcome.TEMPORARY:
        status, reason = S.FAILED, f"Na {attempts} pogingen opgegeven: {reason}"
    elif outcome is Outcome.PERMANENT:
        status = S.FAILED
    else:
        status = S.ONBEKEND
    params = [status, reason, code, _moment(sent_at), _moment(next_attempt)]
    params += [pk, S.SENDING, _moment(started_at)]
    if not _execute(_RECORD_SQL, params):
        logger.warning("Delivery %s was no longer being sent when its outcome came back", pk)
    elif outcome is not Outcome.SENT:
        logger.warning("Delivery %s: %s %s", pk, status, reason)


def _after_batch(editie: Editie) -> bool:
    pending = Bezorging.objects.filter(editie=editie, status__in=[S.QUEUED, S.SENDING])
    if pending.filter(status=S.QUEUED, volgende_poging_op__lte=timezone.now()).exists():
        return True
    if not pending.exists():
        _finish(editie)
    return False


def _finish(editie: Editie) -> None:
    """Everything settled: the edition is sent, and the refusals count towards a pause."""
    with transaction.atomic():
        editie = lock_one(Editie.objects, pk=editie.pk)
        if editie.status != Editie.Status.VERZENDEN:
            return
        editie.status = Editie.Status.VERZONDEN
        editie.verzonden_op = timezone.now()
        editie.save(update_fields=["status", "verzonden_op"])
        # The archive's feed shows when an edition was sent.
        cache.bump("nieuwsbrief")
        rows = Bezorging.objects.filter(editie=editie, abonnement__isnull=False)
        paused = netwerk_services.record_edition_outcomes(
            delivered_ids=rows.filter(status=S.SENT).values_list("abonnement_id", flat=True),
            refused_ids=rows.filter(
                status=S.FAILED, smtp_code__gte=500, smtp_code__lt=600
            ).values_list("abonnement_id", flat=True),
            editie=editie.titel,
        )
    if paused:
        logger.warning("Edition %s paused %s subscriptions after refusals", editie.pk, len(paused))


class _Pacer:
    """At most `per_second` sends per second over all lanes (0: as fast as they can)."""

    def __init__(self, per_second: int):
        self.interval = 1 / per_second if per_second > 0 else 0
        self.next_at = time.monotonic()
        self.lock = threading.Lock()

    def wait(self) -> None:
        with self.lock:
            now = time.monotonic()
            turn = max(self.next_at, now)
            self.next_at = turn + self.interval
        if turn > now:
            time.sleep(turn - now)


def refusal_code(error: Exception) -> int | None:
    """The code with which the recipient's server refused this address (at RCPT or after the
    data), else None: a refused sender or a lost connection says nothing about the address."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return max(code for code, _text in error.recipients.values())
    if isinstance(error, smtplib.SMTPDataError):
        return error.smtp_code
    return None


class _Mailer:
    """One lane's SMTP connection."""

    def __init__(self, editie: Editie, rendered: RenderedEdition, encoded: "_EncodedEdition"):
        self.editie = editie
        self.rendered = rendered
        self.connection = get_connection()
        self.domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
        # Already encoded for Django's SMTP backend; other backends (files in development,
        # memory in tests) get each message built on its own.
        fillable = isinstance(self.connection, SmtpBackend) and encoded.fillable
        self.encoded = encoded if fillable else None
        self.unreachable = False

    def send(self, *, pk: int, email: str, token: str) -> tuple[Outcome, str, int | None]:
        failure = outbox.open_connection(self.connection)  # a no-op while connected
        if failure is not None:
            self.unreachable = True
            return (*failure, None)
        message_id = f"<nieuwsbrief.{self.editie.pk}.{pk}@{self.domain}>"
        try:
            if self.encoded is not None:
                recipient = sanitize_address(email, "utf-8")
                raw = self.encoded.fill(to=recipient, token=token, message_id=message_id)
                self.connection.connection.sendmail(self.encoded.from_address, [recipient], raw)
            else:
                message = build_message(
                    rendered=self.rendered, to=email, token=token, message_id=message_id
                )
                self.connection.send_messages([message])
        except Exception as error:
            outcome, reason = outbox.classify_delivery(self.connection, error)
            if not outbox.still_connected(self.connection, error):
                outbox.close_quietly(self.connection)  # the next mail connects afresh
            if outcome is Outcome.UNKNOWN:
                logger.exception("Delivery %s: its fate is unknown", pk)
            return outcome, reason, refusal_code(error)
        return Outcome.SENT, "", None


class _EncodedEdition:
    """The edition as one encoded message with placeholders for the recipient, its token
    and the Message-ID, filled in per address by replacing bytes.

    Every part is 8bit (rendering keeps lines short), so each placeholder appears in the
    encoded bytes as written; `fillable` checks that, else each mail is encoded on its own.
    """

    def __init__(self, rendered: RenderedEdition):
        message = build_message(
            rendered=rendered,
            to=TO_PLACEHOLDER,
            token=TOKEN_PLACEHOLDER,
            message_id=MESSAGE_ID_PLACEHOLDER,
        )
        self.from_address = sanitize_address(message.from_email, "utf-8")
        self.raw = message.message().as_bytes(linesep="\r\n")
        token_places = rendered.text.count(TOKEN_PLACEHOLDER) + rendered.html.count(
            TOKEN_PLACEHOLDER
        )
        self.fillable = (
            self.raw.count(TOKEN_PLACEHOLDER.encode()) == token_places + 2  # + List-Unsubscribe
            and self.raw.count(TO_PLACEHOLDER.encode()) == 1
            and self.raw.count(MESSAGE_ID_PLACEHOLDER.encode()) == 1
        )

    def fill(self, *, to: str, token: str, message_id: str) -> bytes:
        """The message for one address; `to` as sanitize_address() gives it."""
        return (
            self.raw.replace(TO_PLACEHOLDER.encode(), to.encode())
            .replace(TOKEN_PLACEHOLDER.encode(), token.encode())
            .replace(MESSAGE_ID_PLACEHOLDER.encode(), message_id.encode())
        )
