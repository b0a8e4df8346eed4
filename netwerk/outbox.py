"""The mail outbox every app sends through.

A cause writes its mail with `queue_mail()` inside its own transaction; the row is delivered
by a Celery task queued after commit (`deliver_batch()`), and the periodic sweep
(`mark_lost_deliveries_onbekend()`, `requeue_stuck()`) handles rows whose delivery never
ended or never started, so a broker outage delays mail but never loses it.

A row goes queued → sending → sent / failed, or back to queued after a temporary failure.
No transaction is open while an SMTP server talks: a row is marked `sending` and committed
first, and its outcome is recorded afterwards. A row left `sending` (its worker died during
the conversation) becomes `onbekend`: the server may have accepted it, so it is never sent
again unless someone asks for it (`resend()`, an admin action). So does a row whose server
had the whole message and then hung or hung up before answering (`classify_delivery()`).
"""

import base64
import enum
import io
import logging
import re
import smtplib
import socket
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import encoders
from email.mime.base import MIMEBase
from urllib.parse import urlsplit

import segno
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.message import SafeMIMEMultipart
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.html import escape

from netwerk import smtp
from netwerk.models import OutboxMessage, Persoon, normalize_email_address
from werkplaats.db_functions import replace_case_blind

logger = logging.getLogger(__name__)

# How many messages one delivery task sends over one SMTP connection.
BATCH_SIZE = 50

# Failures to reach the server or to keep talking to it: it may accept the same message
# later. (smtplib's exceptions are OSErrors too, so these are checked after them.)
CONNECTION_ERRORS = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    socket.timeout,
    ConnectionError,
    OSError,
)

LOST_DELIVERY_REASON = (
    "Het versturen is begonnen maar nooit afgerond (de verwerking stopte tijdens het gesprek "
    "met de mailserver). Of de mail is aangekomen is onbekend; hij wordt niet vanzelf "
    "opnieuw verstuurd."
)


@dataclass(frozen=True)
class QRCode:
    """An attachment made when the mail is delivered, not when it is queued: a PNG of a QR
    code of `text`. Drawing one takes milliseconds, which thousands of mails queued in one
    transaction (an import) would otherwise spend while holding its locks."""

    text: str


# A fixed mask: any of the eight is valid QR, and searching for the "best" one took two
# thirds of the time.
QR_MASK = 4


def qr_png(text: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(text, error="m", mask=QR_MASK).save(buffer, kind="png", scale=5, border=2)
    return buffer.getvalue()


class Outcome(enum.Enum):
    SENT = "sent"
    TEMPORARY = "temporary"  # try again after the backoff
    PERMANENT = "permanent"  # refused for good: failed with the reason
    UNKNOWN = "unknown"  # something unforeseen mid-conversation: onbekend


def queue_mail(
    *,
    key: str,
    to: str,
    template: str,
    context: dict | None = None,
    headers: dict[str, str] | None = None,
    attachments: list[tuple] | None = None,
    language: str | None = None,
) -> OutboxMessage:
    """Render `<template>_subject.txt`, `.txt` and `.html` and queue them for `to`.

    `template` is the path without suffix, e.g. "netwerk/mail/welkom". The mail is in
    `language`, or when that is None in the recipient's (`recipient_language()`). Queueing
    the same key again returns the existing message and sends nothing more.
    """
    existing = OutboxMessage.objects.filter(key=key).first()
    if existing:
        return existing
    parts = render_mail(template, context or {}, language or recipient_language(to))
    return queue_rendered_mail(
        key=key,
        to=to,
        **parts,
        headers=headers,
        attachments=attachments,
    )


def render_mail(template: str, context: dict, language: str) -> dict[str, str]:
    """Subject and bodies of `template` in `language`: its words, and its dates and numbers
    (month and day names, formats) too."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        return {
            "subject": render_to_string(f"{template}_subject.txt", context),
            "body_text": render_to_string(f"{template}.txt", context),
            "body_html": render_to_string(f"{template}.html", context),
        }


class RecipientLanguages:
    """The language to write to each of many addresses in, read in one query.

    A person's mails are in the language stored on them (`Persoon.taal`: their profile, the
    language switch); an address without an account gets `otherwise` when given (the
    language a guest used) and else the site's default.
    """

    def __init__(self, addresses: Iterable[str]):
        wanted = {normalize_email_address(address) for address in addresses} - {""}
        self.chosen = dict(
            Persoon.objects.filter(email__in=wanted).order_by().values_list("email", "taal")
            if wanted
            else ()
        )

    def of(self, address: str, otherwise: str = "") -> str:
        return (
            _supported(self.chosen.get(normalize_email_address(address)) or otherwise)
            or settings.LANGUAGE_CODE
        )


def recipient_language(address: str, otherwise: str = "") -> str:
    """The language of the mails to one address (see `RecipientLanguages`)."""
    return RecipientLanguages([address]).of(address, otherwise)


def _supported(language: str | None) -> str:
    return language if language in dict(settings.LANGUAGES) else ""


def queue_rendered_mail(
    *,
    key: str,
    to: str,
    subject: str,
    body_text: str,
    body_html: str,
    headers: dict[str, str] | None = None,
    attachments: list[tuple] | None = None,
) -> OutboxMessage:
    """Queue a mail whose parts are already rendered (allauth renders its own)."""
    # A savepoint keeps the caller's transaction usable when a concurrent caller won
    # the race for the same key.
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                key=key,
                to=to,
                subject=" ".join(subject.split())[:255],
                body_text=body_text,
                body_html=body_html,
                headers=headers or {},
                attachments=[_stored_attachment(*attachment) for attachment in attachments or []],
            )
    except IntegrityError:
        return OutboxMessage.objects.get(key=key)
    _deliver_after_commit([message.pk])
    return message


def queue_rendered_mails(*, mails: list[dict], new_keys: bool = False) -> list[OutboxMessage]:
    """Queue many rendered mails in one go: a mailing to thousands of addresses.

    Each dict holds the keyword arguments of `queue_rendered_mail()`. One multi-row insert
    instead of a savepoint per message, delivery in batches after commit; keys already
    queued are skipped, as `queue_mail()` does. Returns the messages of the keys that were
    not queued yet.

    `new_keys`: every key names a row this transaction inserted (a new registration's
    mails), so none can be queued yet: the mails are inserted without looking for them
    first and without a savepoint, three queries less inside the caller's lock.
    """
    if new_keys:
        created = OutboxMessage.objects.bulk_create(
            [_message(mail) for mail in mails], batch_size=500
        )
        _deliver_after_commit([message.pk for message in created])
        return created
    keys = [mail["key"] for mail in mails]
    existing = set(OutboxMessage.objects.filter(key__in=keys).values_list("key", flat=True))
    rows, seen = [], set()
    for mail in mails:
        if mail["key"] in existing or mail["key"] in seen:
            continue
        seen.add(mail["key"])
        rows.append(_message(mail))
    try:
        with transaction.atomic():
            created = OutboxMessage.objects.bulk_create(rows, batch_size=500)
    except IntegrityError:
        # A concurrent caller queued one of these keys meanwhile: one by one, each a no-op
        # when its key is taken.
        by_key = {mail["key"]: mail for mail in mails}
        return [queue_rendered_mail(**by_key[row.key]) for row in rows]
    _deliver_after_commit([message.pk for message in created])
    return created


def _message(mail: dict) -> OutboxMessage:
    return OutboxMessage(
        key=mail["key"],
        to=mail["to"],
        subject=" ".join(mail["subject"].split())[:255],
        body_text=mail["body_text"],
        body_html=mail["body_html"],
        headers=mail.get("headers") or {},
        attachments=[
            _stored_attachment(*attachment) for attachment in mail.get("attachments") or []
        ],
    )


def _deliver_after_commit(message_ids: list[int]) -> None:
    from netwerk.tasks import deliver_mail_batch

    for batch in _batches(message_ids):
        # robust: a broker that is away must not turn the committed change into an error
        # page; the mail waits as queued and the periodic sweep sends it.
        transaction.on_commit(lambda batch=batch: deliver_mail_batch.delay(batch), robust=True)


def _batches(message_ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(message_ids), BATCH_SIZE):
        yield message_ids[start : start + BATCH_SIZE]


def _stored_attachment(
    filename: str, content: bytes | QRCode, mimetype: str, content_id: str = ""
) -> dict:
    """An attachment as the row keeps it; with a `content_id` it is shown inline in the
    HTML part (`<img src="cid:…">`), which needs nothing loaded from elsewhere. A QRCode is
    kept as its text and drawn at delivery."""
    stored = {"filename": filename, "mimetype": mimetype}
    if isinstance(content, QRCode):
        stored["qr"] = content.text
    else:
        stored["content"] = base64.b64encode(content).decode("ascii")
    if content_id:
        stored["content_id"] = content_id
    return stored


class _EmailWithInlineImages(EmailMultiAlternatives):
    """multipart/mixed[ related[ alternative[text, html], inline images ], attachments ]:
    the HTML shows its images from the message itself, files stay ordinary attachments."""

    def __init__(self, *args, inline_parts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.inline_parts = list(inline_parts)

    def _create_alternatives(self, msg):
        msg = super()._create_alternatives(msg)
        if not self.inline_parts:
            return msg
        related = SafeMIMEMultipart(_subtype="related", encoding=self.encoding)
        related.attach(msg)
        for part in self.inline_parts:
            related.attach(part)
        return related


def _attachment_content(attachment: dict) -> bytes:
    if "qr" in attachment:
        return qr_png(attachment["qr"])
    return base64.b64decode(attachment["content"])


def build_email(message: OutboxMessage) -> EmailMultiAlternatives:
    inline = [
        _inline_part(attachment, _attachment_content(attachment))
        for attachment in message.attachments
        if attachment.get("content_id")
    ]
    email = _EmailWithInlineImages(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers=message.headers,
        inline_parts=inline,
    )
    email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments:
        if not attachment.get("content_id"):
            email.attach(
                attachment["filename"],
                _attachment_content(attachment),
                attachment["mimetype"],
            )
    return email


def _inline_part(attachment: dict, content: bytes) -> MIMEBase:
    maintype, subtype = attachment["mimetype"].split("/", 1)
    part = MIMEBase(maintype, subtype)
    part.set_payload(content)
    encoders.encode_base64(part)
    part.add_header("Content-ID", f"<{attachment['content_id']}>")
    part.add_header("Content-Disposition", "inline", filename=attachment["filename"])
    return part


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: base, 2×base, 4×base … capped at six hours."""
    seconds = settings.MAIL_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, 6 * 3600))


def deliver_batch(*, message_ids: Iterable[int]) -> list[OutboxMessage]:
    """Send the queued messages among `message_ids` over one SMTP connection.

    Each row is claimed (marked sending, committed) just before its turn and its outcome
    recorded right after, so a worker that dies mid-batch leaves at most one row whose fate
    is unknown, and the rows it never reached stay queued. Rows not queued are skipped.
    Returns the messages it tried, in their new state; those queued again failed
    temporarily (see `retries()`).
    """
    connection = get_connection()
    unreachable: tuple[Outcome, str] | None = None
    tried = []
    try:
        for message_id in message_ids:
            message = _claim(message_id)
            if message is None:
                continue
            if unreachable is None:
                unreachable = open_connection(connection)
            outcome, reason = unreachable or _send(connection, message)
            _record(message, outcome, reason)
            tried.append(message)
    finally:
        close_quietly(connection)
    return tried


def retries(messages: Iterable[OutboxMessage]) -> dict[timedelta, list[int]]:
    """The messages of a batch that failed temporarily, grouped by their backoff."""
    due: dict[timedelta, list[int]] = defaultdict(list)
    for message in messages:
        if message.status == OutboxMessage.Status.QUEUED:
            due[retry_delay(message.attempts)].append(message.pk)
    return dict(due)


def _claim(message_id: int) -> OutboxMessage | None:
    """Mark one queued row as being sent, in its own short transaction."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=OutboxMessage.Status.QUEUED)
            .first()
        )
        if message is None:
            return None
        message.status = OutboxMessage.Status.SENDING
        message.sending_started_at = timezone.now()
        message.attempts += 1
        message.save(update_fields=["status", "sending_started_at", "attempts"])
    return message


def open_connection(connection) -> tuple[Outcome, str] | None:
    """Connect (a no-op while connected); the outcome for every message when that fails."""
    try:
        connection.open()
    except Exception as error:
        outcome, reason = classify(error)
        # Nothing reached the server, so an unforeseen error here is no mystery.
        return (Outcome.PERMANENT if outcome is Outcome.UNKNOWN else outcome), reason
    return None


def _send(connection, message: OutboxMessage) -> tuple[Outcome, str]:
    try:
        connection.send_messages([build_email(message)])
    except Exception as error:
        outcome, reason = classify_delivery(connection, error)
        if not still_connected(connection, error):
            close_quietly(connection)  # the next message connects afresh
        if outcome is Outcome.UNKNOWN:
            logger.exception("Mail %s: its fate is unknown", message.pk)
        return outcome, reason
    return Outcome.SENT, ""


def still_connected(connection, error: Exception) -> bool:
    # After a refusal smtplib resets the conversation and the connection can carry the
    # next message, unless the server closed it (421); after anything else, start over.
    refusal = isinstance(error, smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused)
    smtp = getattr(connection, "connection", None)
    return refusal and getattr(smtp, "sock", None) is not None


def classify(error: Exception) -> tuple[Outcome, str]:
    """What an SMTP failure means for the message: 4xx and lost connections are temporary,
    5xx and protocol errors permanent (RFC 5321 4yz / 5yz)."""
    if isinstance(error, smtplib.SMTPConnectError):
        # A server that refuses to talk (a 421 or 554 greeting) refuses no message in
        # particular: try again later.
        return Outcome.TEMPORARY, _reason(error)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = list(error.recipients.values())
        reason = "; ".join(f"{code} {_decode(text)}" for code, text in answers)
        temporary = all(400 <= code < 500 for code, _text in answers)
        return (Outcome.TEMPORARY if temporary else Outcome.PERMANENT), reason
    if isinstance(error, smtplib.SMTPResponseException):
        reason = f"{error.smtp_code} {_decode(error.smtp_error)}"
        temporary = 400 <= error.smtp_code < 500
        return (Outcome.TEMPORARY if temporary else Outcome.PERMANENT), reason
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return Outcome.TEMPORARY, _reason(error)
    if isinstance(error, smtplib.SMTPException):
        # SMTPNotSupportedError and the like: asking again gets the same answer.
        return Outcome.PERMANENT, _reason(error)
    if isinstance(error, CONNECTION_ERRORS):
        return Outcome.TEMPORARY, _reason(error)
    return Outcome.UNKNOWN, _reason(error)


ANSWER_LOST_REASON = (
    "De mailserver had het hele bericht, maar antwoordde niet (time-out of verbroken "
    "verbinding na de gegevens). Of de mail is aangekomen is onbekend; hij wordt niet "
    "vanzelf opnieuw verstuurd."
)


def classify_delivery(connection, error: Exception) -> tuple[Outcome, str]:
    """`classify()` for a failure while sending through `connection`: a lost connection or
    a time-out after the server had the whole message is onbekend, not temporary, because
    the server may have accepted it and a retry would deliver it twice (netwerk.smtp)."""
    outcome, reason = classify(error)
    answered = isinstance(error, smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused)
    if outcome is Outcome.TEMPORARY and not answered and smtp.handed_over(connection):
        return Outcome.UNKNOWN, f"{ANSWER_LOST_REASON} ({reason})"
    return outcome, reason


def _reason(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"


def _decode(text: bytes | str) -> str:
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)


def _record(message: OutboxMessage, outcome: Outcome, reason: str) -> None:
    """Write the outcome, if the row is still in the sending this worker started."""
    now = timezone.now()
    Status = OutboxMessage.Status
    changes: dict = {"last_error": reason}
    if outcome is Outcome.SENT:
        changes.update(status=Status.SENT, sent_at=now, **without_personal_links(message))
    elif outcome is Outcome.TEMPORARY and message.attempts < settings.MAIL_MAX_ATTEMPTS:
        changes.update(status=Status.QUEUED, next_attempt_at=now + retry_delay(message.attempts))
    elif outcome is Outcome.TEMPORARY:
        changes.update(
            status=Status.FAILED,
            last_error=f"Na {message.attempts} pogingen opgegeven: {reason}",
        )
    elif outcome is Outcome.PERMANENT:
        changes.update(status=Status.FAILED)
    else:
        changes.update(status=Status.ONBEKEND)
    # One conditional UPDATE, a short transaction of its own: a row the sweep has meanwhile
    # declared onbekend (or someone has queued again) keeps that state.
    updated = OutboxMessage.objects.filter(
        pk=message.pk, status=Status.SENDING, sending_started_at=message.sending_started_at
    ).update(**changes)
    if not updated:
        logger.warning(
            "Mail %s was no longer being sent when its outcome came back (%s %s)",
            message.pk,
            outcome.value,
            reason,
        )
        message.refresh_from_db()
        return
    for field, value in changes.items():
        setattr(message, field, value)
    if message.status == Status.QUEUED:
        logger.warning("Mail %s will be retried: %s", message.pk, reason)
    elif message.status != Status.SENT:
        logger.error("Mail %s ended %s: %s", message.pk, message.status, message.last_error)


LINK_REMOVED = "[link verwijderd]"
# The parts of the portal's URLs that make a link personal: a bearer token or a signed key
# (registrations, invitations, guests, the nieuwsbrief, trekkers' decisions, allauth).
PERSONAL_LINK_ARGUMENTS = {"token", "key", "uidb36", "ondertekend"}


def without_personal_links(message: OutboxMessage) -> dict:
    """The stored parts of a delivered mail with every personal link replaced by
    LINK_REMOVED (and a QR code that holds one left out): the recipient has the mail, and a
    copy of the outbox, or a look at it in /beheer/, must not open anyone's registration
    for the 90 days the mail is kept. Saved in the same UPDATE that marks the mail sent."""
    return {
        "body_text": _strip_links(message.body_text),
        "body_html": _strip_links(message.body_html),
        "headers": {name: _strip_links(value) for name, value in message.headers.items()},
        "attachments": [
            attachment
            for attachment in message.attachments
            if _strip_links(attachment.get("qr", "")) == attachment.get("qr", "")
        ],
    }


def _strip_links(text: str) -> str:
    # A URL of the portal ends before whitespace, quotes or markup, and before punctuation
    # that closes a sentence.
    pattern = re.compile(
        re.escape(settings.SITE_URL.rstrip("/")) + r"""(/[^\s"'<>]*[^\s"'<>.,;:!?)])"""
    )
    return pattern.sub(lambda url: LINK_REMOVED if _is_personal(url[1]) else url[0], text)


def _is_personal(path: str) -> bool:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return False
    return not PERSONAL_LINK_ARGUMENTS.isdisjoint(match.kwargs)


def close_quietly(connection) -> None:
    try:
        connection.close()
    except OSError as error:
        logger.info("Closing the SMTP connection failed: %s", error)


def mark_lost_deliveries_onbekend(*, now: datetime | None = None) -> int:
    """Rows left sending longer than MAIL_SENDING_TIMEOUT become onbekend; returns how many.

    Their worker died during the SMTP conversation: the server may have accepted the mail,
    so it is not sent again by itself.
    """
    started_before = (now or timezone.now()) - settings.MAIL_SENDING_TIMEOUT
    lost = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.SENDING, sending_started_at__lt=started_before
    )
    with transaction.atomic():
        message_ids = list(lost.select_for_update(skip_locked=True).values_list("pk", flat=True))
        OutboxMessage.objects.filter(pk__in=message_ids).update(
            status=OutboxMessage.Status.ONBEKEND, last_error=LOST_DELIVERY_REASON
        )
    if message_ids:
        logger.error("Mail whose fate is unknown (onbekend, not resent): %s", message_ids)
    return len(message_ids)


def requeue_stuck(*, now: datetime | None = None) -> int:
    """Queue delivery again, in batches, for queued rows that are overdue; returns how many."""
    overdue = (now or timezone.now()) - settings.MAIL_STUCK_AFTER
    message_ids = list(
        OutboxMessage.objects.filter(
            status=OutboxMessage.Status.QUEUED, next_attempt_at__lt=overdue
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:1000]
    )
    _deliver_after_commit(message_ids)
    return len(message_ids)


def resend(*, message_ids: Iterable[int]) -> list[int]:
    """Queue onbekend or failed messages again, because someone decided they should go.

    Starts a fresh series of attempts; other rows are left alone. Returns the ids queued.
    """
    with transaction.atomic():
        queued = list(
            OutboxMessage.objects.select_for_update()
            .filter(
                pk__in=list(message_ids),
                status__in=[OutboxMessage.Status.ONBEKEND, OutboxMessage.Status.FAILED],
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        OutboxMessage.objects.filter(pk__in=queued).update(
            status=OutboxMessage.Status.QUEUED, attempts=0, next_attempt_at=timezone.now()
        )
        _deliver_after_commit(queued)
    return queued


# Privacy: what the outbox keeps of a mail once it was sent, and of a person who left.

# Mails whose subject names another person than the recipient (a request to decide on):
# after the retention period their subject goes too.
KEYS_NAMING_ANOTHER_PERSON = ("leerateliers:arena-aanvraag:", "netwerk:lidmaatschap-aanvraag:")
SUBJECT_REMOVED = "(onderwerp verwijderd)"
SETTLED_STATUSES = (
    OutboxMessage.Status.SENT,
    OutboxMessage.Status.FAILED,
    OutboxMessage.Status.ONBEKEND,
)


def empty_old_mails(*, before: datetime) -> int:
    """Sent (or given-up) mails created before `before` lose their content: bodies,
    attachments, headers (personal links) and errors. Recipient, subject, status and dates
    stay, as the record of what was sent to whom; subjects that name another person go too.
    Idempotent: an emptied row is not touched again. Returns the number of rows emptied."""
    old = OutboxMessage.objects.filter(created_at__lt=before, status__in=SETTLED_STATUSES)
    naming = Q()
    for prefix in KEYS_NAMING_ANOTHER_PERSON:
        naming |= Q(key__startswith=prefix)
    with transaction.atomic():
        old.filter(naming).exclude(subject=SUBJECT_REMOVED).update(subject=SUBJECT_REMOVED)
        return old.exclude(
            body_text="", body_html="", attachments=[], headers={}, last_error=""
        ).update(body_text="", body_html="", attachments=[], headers={}, last_error="")


def forget_recipient(*, email: str, naam: str) -> None:
    """Remove a person who deleted their account from the outbox (in the caller's
    transaction): mails to them not sent yet are dropped, mails sent to them are emptied and
    no longer name their address, and their name or address in mails to others becomes
    "voormalig lid"."""
    from netwerk.models import VOORMALIG_LID, anonymous_address

    to_them = OutboxMessage.objects.filter(to__iexact=email)
    # A queued mail is never claimed once its row is gone (the delivery task skips it).
    to_them.filter(status=OutboxMessage.Status.QUEUED).delete()
    to_them.update(
        to=anonymous_address("ontvanger"),
        body_text="",
        body_html="",
        attachments=[],
        headers={},
        last_error="",
    )
    for text in {naam, escape(naam), email} - {""}:
        mentioning = Q(subject__icontains=text) | Q(body_text__icontains=text)
        mentioning |= Q(body_html__icontains=text) | Q(last_error__icontains=text)
        OutboxMessage.objects.filter(mentioning).update(
            **{
                field: replace_case_blind(field, text, VOORMALIG_LID)
                for field in ("subject", "body_text", "body_html", "last_error")
            }
        )
