"""Sending an edition to its subscribers: each address exactly once, resumable, at a set rate.

Every address of the audience gets a `Bezorging` row (unique per edition and address) before
the first mail goes out. Celery tasks then send them in batches of NIEUWSBRIEF_BATCH_SIZE,
one batch after the other, each over one SMTP connection at NIEUWSBRIEF_MAILS_PER_SECOND. A
batch first takes the edition's claim, so one sender works on an edition at a time and the
rate holds however many workers run; a sender that died is replaced once its claim ran out
(the periodic task `send_editions` resumes the edition).

Each row follows the outbox's rules: it is claimed (queued → sending, committed) right before
its SMTP conversation and its outcome recorded right after, and no transaction is open while
the server talks. A sender that dies leaves at most the row it was sending; the next sender
marks it onbekend, and nothing sends it again by itself. A row whose subscription stopped
before its turn is skipped (overgeslagen).

Why not one outbox row per address: the outbox stores each message's bodies, encodes each
message on its own and commits twice per row with those bodies in it. For one edition that is
20,000 copies of the same 15-50 kB and a MIME encoding per address; measured on the
project's machine the outbox delivered 37-75 such mails per second. Here the edition is
rendered once when sending starts, encoded once per batch, and per address only the
recipient, its unsubscribe token and the Message-ID are filled in.
"""

import logging
import smtplib
import time
import uuid
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import sanitize_address
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from netwerk import outbox
from netwerk import selectors as netwerk_selectors
from netwerk import services as netwerk_services
from netwerk.outbox import Outcome
from nieuwsbrief import selectors
from nieuwsbrief.models import Bezorging, Editie
from nieuwsbrief.rendering import TOKEN_PLACEHOLDER, RenderedEdition, build_message
from werkplaats.locking import lock_one

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

    def holds(self) -> bool:
        if time.monotonic() - self.renewed_at < settings.NIEUWSBRIEF_CLAIM_SECONDS / 3:
            return True
        self.renewed_at = time.monotonic()
        return bool(
            Editie.objects.filter(pk=self.editie_id, bezorger=self.sender).update(
                bezorger_tot=timezone.now() + _claim_duration()
            )
        )


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
    """Send the due rows of one batch; False when the mail server could not be reached."""
    rows = list(
        Bezorging.objects.filter(
            editie=editie, status=S.QUEUED, volgende_poging_op__lte=timezone.now()
        )
        .order_by("volgende_poging_op", "pk")
        .values_list("pk", "email", "pogingen", "abonnement__token")[
            : settings.NIEUWSBRIEF_BATCH_SIZE
        ]
    )
    if not rows:
        return True
    claim = _Claim(editie.pk, sender)
    pacer = _Pacer(settings.NIEUWSBRIEF_MAILS_PER_SECOND)
    mailer = _Mailer(editie)
    try:
        for pk, email, attempts, token in rows:
            if not claim.holds():
                logger.warning("Edition %s: another sender took over; this batch stops", editie.pk)
                return True
            started_at = _claim_row(pk)
            if started_at is None:
                continue
            pacer.wait()
            outcome, reason, code = mailer.send(pk=pk, email=email, token=token)
            _record(pk, started_at, attempts + 1, outcome, reason, code)
            if mailer.unreachable:
                return False
    finally:
        outbox.close_quietly(mailer.connection)
    return True


def _claim_row(pk: int):
    """queued → sending, committed on its own, only while its subscription still runs; the
    start time, or None (a row whose subscription stopped is marked overgeslagen)."""
    now = timezone.now()
    subscribed = netwerk_selectors.ontvangers().filter(pk=OuterRef("abonnement_id"))
    claimed = (
        Bezorging.objects.filter(pk=pk, status=S.QUEUED)
        .filter(Exists(subscribed))
        .update(status=S.SENDING, gestart_op=now, pogingen=F("pogingen") + 1)
    )
    if claimed:
        return now
    Bezorging.objects.filter(pk=pk, status=S.QUEUED).update(
        status=S.OVERGESLAGEN, fout=SKIPPED_REASON
    )
    return None


def _record(pk: int, started_at, attempts: int, outcome: Outcome, reason: str, code) -> None:
    """Write the outcome, if the row is still in the sending this sender started."""
    now = timezone.now()
    changes: dict = {"fout": reason, "smtp_code": code}
    if outcome is Outcome.SENT:
        changes.update(status=S.SENT, verzonden_op=now)
    elif outcome is Outcome.TEMPORARY and attempts < settings.MAIL_MAX_ATTEMPTS:
        changes.update(status=S.QUEUED, volgende_poging_op=now + outbox.retry_delay(attempts))
    elif outcome is Outcome.TEMPORARY:
        changes.update(status=S.FAILED, fout=f"Na {attempts} pogingen opgegeven: {reason}")
    elif outcome is Outcome.PERMANENT:
        changes.update(status=S.FAILED)
    else:
        changes.update(status=S.ONBEKEND)
    updated = Bezorging.objects.filter(pk=pk, status=S.SENDING, gestart_op=started_at).update(
        **changes
    )
    if not updated:
        logger.warning("Delivery %s was no longer being sent when its outcome came back", pk)
    elif outcome is not Outcome.SENT:
        logger.warning("Delivery %s: %s %s", pk, changes["status"], reason)


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
    """At most `per_second` sends per second (0: as fast as the server takes them)."""

    def __init__(self, per_second: int):
        self.interval = 1 / per_second if per_second > 0 else 0
        self.next_at = time.monotonic()

    def wait(self) -> None:
        now = time.monotonic()
        if self.next_at > now:
            time.sleep(self.next_at - now)
            now = self.next_at
        self.next_at = now + self.interval


def refusal_code(error: Exception) -> int | None:
    """The code with which the recipient's server refused this address (at RCPT or after the
    data), else None: a refused sender or a lost connection says nothing about the address."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return max(code for code, _text in error.recipients.values())
    if isinstance(error, smtplib.SMTPDataError):
        return error.smtp_code
    return None


class _Mailer:
    """One connection for a batch, and the edition encoded once for it."""

    def __init__(self, editie: Editie):
        self.editie = editie
        self.rendered = RenderedEdition(
            subject=editie.onderwerp, text=editie.mail_tekst, html=editie.mail_html
        )
        self.connection = get_connection()
        self.domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
        self.encoded = None
        if isinstance(self.connection, SmtpBackend):
            encoded = _EncodedEdition(self.rendered)
            self.encoded = encoded if encoded.fillable else None
        self.unreachable = False

    def send(self, *, pk: int, email: str, token: str) -> tuple[Outcome, str, int | None]:
        failure = outbox.open_connection(self.connection)  # a no-op while connected
        if failure is not None:
            self.unreachable = True
            return (*failure, None)
        message_id = f"<nieuwsbrief.{self.editie.pk}.{pk}@{self.domain}>"
        if self.encoded is not None:
            message = self.encoded.for_address(to=email, token=token, message_id=message_id)
        else:
            message = build_message(
                rendered=self.rendered, to=email, token=token, message_id=message_id
            )
        try:
            self.connection.send_messages([message])
        except Exception as error:
            outcome, reason = outbox.classify(error)
            if not outbox.still_connected(self.connection, error):
                outbox.close_quietly(self.connection)  # the next mail connects afresh
            if outcome is Outcome.UNKNOWN:
                logger.exception("Delivery %s ran into an unforeseen error", pk)
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
        self.from_email = message.from_email
        self.raw = message.message().as_bytes(linesep="\r\n")
        token_places = rendered.text.count(TOKEN_PLACEHOLDER) + rendered.html.count(
            TOKEN_PLACEHOLDER
        )
        self.fillable = (
            self.raw.count(TOKEN_PLACEHOLDER.encode()) == token_places + 2  # + List-Unsubscribe
            and self.raw.count(TO_PLACEHOLDER.encode()) == 1
            and self.raw.count(MESSAGE_ID_PLACEHOLDER.encode()) == 1
        )

    def for_address(self, *, to: str, token: str, message_id: str) -> "_EncodedMessage":
        raw = (
            self.raw.replace(TO_PLACEHOLDER.encode(), sanitize_address(to, "utf-8").encode())
            .replace(TOKEN_PLACEHOLDER.encode(), token.encode())
            .replace(MESSAGE_ID_PLACEHOLDER.encode(), message_id.encode())
        )
        return _EncodedMessage(from_email=self.from_email, to=to, raw=raw)


class _EncodedMessage:
    """What Django's SMTP backend asks of a message, for one that is already encoded."""

    encoding = None

    def __init__(self, *, from_email: str, to: str, raw: bytes):
        self.from_email, self.to, self.raw = from_email, to, raw

    def recipients(self) -> list[str]:
        return [self.to]

    def message(self):
        return self

    def as_bytes(self, linesep: str = "\r\n") -> bytes:
        return self.raw
