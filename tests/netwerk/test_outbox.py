import base64
import smtplib
import threading
import time
from datetime import timedelta
from email import message_from_bytes
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, connections, transaction
from django.urls import reverse
from django.utils import timezone

from netwerk import outbox
from netwerk.models import OutboxMessage, Persoon
from netwerk.tasks import deliver_mail, deliver_mail_batch, requeue_stuck_mail
from tests.netwerk.factories import PersoonFactory
from tests.roles import log_in_to_beheer

pytestmark = pytest.mark.django_db(transaction=True)
# For tests that commit nothing they rely on: much faster than a flush.
in_test_transaction = pytest.mark.django_db

TEST_TEMPLATES = Path(__file__).parent / "templates"


@pytest.fixture(autouse=True)
def _test_mail_templates(settings):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEST_TEMPLATES]}
    ]


def queue(key="test:1", to="anna@example.org", **kwargs):
    return outbox.queue_mail(
        key=key, to=to, template="testmail/bericht", context={"naam": "Anna"}, **kwargs
    )


def row(key, **fields):
    """An outbox row written directly, so no delivery is queued for it."""
    defaults = {"to": "anna@example.org", "subject": key, "body_text": "t", "body_html": "h"}
    return OutboxMessage.objects.create(key=key, **{**defaults, **fields})


S = OutboxMessage.Status


class ScriptedBackend(BaseEmailBackend):
    """Raises the scripted errors in turn (on connecting, on sending), then sends to locmem."""

    open_errors: list[Exception] = []
    send_errors: list[Exception] = []
    opened = 0

    def open(self):
        ScriptedBackend.opened += 1
        if self.open_errors:
            raise self.open_errors.pop(0)
        return True

    def send_messages(self, email_messages):
        if self.send_errors:
            raise self.send_errors.pop(0)
        mail.outbox.extend(email_messages)
        return len(email_messages)


@pytest.fixture
def scripted_backend(settings):
    settings.EMAIL_BACKEND = "tests.netwerk.test_outbox.ScriptedBackend"
    ScriptedBackend.open_errors, ScriptedBackend.send_errors = [], []
    ScriptedBackend.opened = 0
    return ScriptedBackend


def run_in_thread(target):
    """Run `target` in a thread with its own database connection; its result or error."""
    outcome = {}

    def run():
        try:
            outcome["result"] = target()
        except Exception as error:  # asserted on by the test
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def wait_until(condition, timeout=10):
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)
    return condition()


def test_a_queued_mail_is_delivered_after_commit_with_text_and_html_parts():
    with transaction.atomic():
        message = queue()
        assert mail.outbox == []

    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["anna@example.org"]
    assert sent.subject == "Bericht voor Anna"
    assert "Dit is een bericht." in sent.body
    html, mimetype = sent.alternatives[0]
    assert mimetype == "text/html"
    assert "<p>Hallo Anna,</p>" in html
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1
    assert message.sent_at is not None


def test_the_same_key_twice_sends_once():
    with transaction.atomic():
        first = queue(key="uitnodiging:7:anna@example.org")
        second = queue(key="uitnodiging:7:anna@example.org")

    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1
    assert len(mail.outbox) == 1


def test_nothing_is_queued_when_the_callers_transaction_rolls_back():
    class Boom(Exception):
        pass

    def cause_that_fails():
        with transaction.atomic():
            queue()
            raise Boom

    with pytest.raises(Boom):
        cause_that_fails()

    assert OutboxMessage.objects.count() == 0
    assert mail.outbox == []


def test_running_the_delivery_task_twice_for_one_row_sends_once():
    with transaction.atomic():
        message = queue()
    assert len(mail.outbox) == 1

    deliver_mail.apply(args=[message.pk])
    deliver_mail.apply(args=[message.pk])

    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.attempts == 1


def test_attachments_travel_with_the_mail():
    with transaction.atomic():
        queue(
            attachments=[
                ("bijeenkomst.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
            ]
        )

    filename, content, mimetype = mail.outbox[0].attachments[0]
    assert filename == "bijeenkomst.ics"
    assert mimetype == "text/calendar"
    assert "BEGIN:VCALENDAR" in (content.decode() if isinstance(content, bytes) else content)


def test_a_temporary_smtp_refusal_is_retried_and_delivered_once(smtp_sink):
    smtp_sink.refuse_next = ["451 4.3.0 Probeer het later nog eens"]

    with transaction.atomic():
        message = queue()

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 2
    assert len(smtp_sink.messages) == 1
    received = message_from_bytes(smtp_sink.messages[0].content)
    assert received["Subject"] == "Bericht voor Anna"
    assert received.is_multipart()
    assert {part.get_content_type() for part in received.walk()} >= {"text/plain", "text/html"}


@in_test_transaction
def test_a_temporary_refusal_waits_with_backoff_before_the_next_attempt(smtp_sink, settings):
    settings.MAIL_RETRY_BASE_SECONDS = 60
    smtp_sink.refuse_next = ["451 4.3.0 Even niet"]
    message = row("handmatig")

    [tried] = outbox.deliver_batch(message_ids=[message.pk])

    message.refresh_from_db()
    assert message.status == S.QUEUED
    assert message.last_error.startswith("451")
    assert message.attempts == 1
    assert (
        timezone.now() + timedelta(seconds=55)
        < message.next_attempt_at
        <= timezone.now() + timedelta(seconds=60)
    )
    assert outbox.retries([tried]) == {timedelta(seconds=60): [message.pk]}
    assert smtp_sink.messages == []


@in_test_transaction
def test_temporary_failures_in_a_batch_come_back_as_one_batch_after_their_backoff(
    smtp_sink, settings, monkeypatch
):
    settings.MAIL_RETRY_BASE_SECONDS = 60
    smtp_sink.refuse_next = ["451 4.3.0 Even niet"]
    refused, first, second = row("batch:1"), row("batch:2"), row("batch:3")
    requeued = []
    monkeypatch.setattr(deliver_mail_batch, "apply_async", lambda **kwargs: requeued.append(kwargs))

    deliver_mail_batch.apply(args=[[refused.pk, first.pk, second.pk]])

    assert requeued == [{"args": [[refused.pk]], "countdown": 60.0}]
    statuses = dict(OutboxMessage.objects.values_list("key", "status"))
    assert statuses == {"batch:1": S.QUEUED, "batch:2": S.SENT, "batch:3": S.SENT}
    assert len(set(smtp_sink.peers)) == 1  # the refusal did not cost the connection


@in_test_transaction
def test_a_batch_travels_over_one_smtp_connection(smtp_sink):
    messages = [row(f"batch:{n}", to=f"gast{n}@example.org") for n in range(3)]

    deliver_mail_batch.apply(args=[[message.pk for message in messages]])

    assert [envelope.rcpt_tos for envelope in smtp_sink.messages] == [
        ["gast0@example.org"],
        ["gast1@example.org"],
        ["gast2@example.org"],
    ]
    assert len(set(smtp_sink.peers)) == 1
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {S.SENT}


@in_test_transaction
def test_a_refusal_inside_a_batch_does_not_stop_the_rest_on_the_same_connection(smtp_sink):
    smtp_sink.refuse_next = ["550 5.1.1 Mailbox bestaat niet"]
    refused, accepted = row("batch:weg"), row("batch:goed", to="bert@example.org")

    outbox.deliver_batch(message_ids=[refused.pk, accepted.pk])

    refused.refresh_from_db()
    accepted.refresh_from_db()
    assert (refused.status, refused.last_error) == (S.FAILED, "550 5.1.1 Mailbox bestaat niet")
    assert accepted.status == S.SENT
    assert [envelope.rcpt_tos for envelope in smtp_sink.messages] == [["bert@example.org"]]


def test_a_permanent_smtp_refusal_ends_as_failed_with_the_reason_kept(smtp_sink):
    smtp_sink.refuse_next = ["550 5.1.1 Mailbox bestaat niet"]

    with transaction.atomic():
        message = queue()

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert message.last_error == "550 5.1.1 Mailbox bestaat niet"
    assert message.attempts == 1
    assert smtp_sink.messages == []


def test_temporary_failures_give_up_after_the_maximum_attempts(smtp_sink, settings):
    settings.MAIL_MAX_ATTEMPTS = 3
    smtp_sink.refuse_next = ["451 4.3.0 Vol"] * 5

    with transaction.atomic():
        message = queue()

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert message.attempts == 3
    assert "451 4.3.0 Vol" in message.last_error
    assert smtp_sink.messages == []


@in_test_transaction
def test_an_unreachable_smtp_server_is_a_temporary_failure(settings):
    settings.EMAIL_BACKEND = "netwerk.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # discard port: nothing listens, the connection is refused
    settings.EMAIL_TIMEOUT = 2
    message = row("onbereikbaar")

    outbox.deliver_batch(message_ids=[message.pk])

    message.refresh_from_db()
    assert message.status == S.QUEUED
    assert message.attempts == 1
    assert message.last_error.startswith("ConnectionRefusedError")


@in_test_transaction
def test_when_the_server_cannot_be_reached_the_batch_tries_once_and_all_wait_for_a_retry(
    scripted_backend,
):
    scripted_backend.open_errors = [ConnectionRefusedError(111, "Connection refused")]
    messages = [row(f"batch:{n}") for n in range(3)]

    outbox.deliver_batch(message_ids=[message.pk for message in messages])

    assert scripted_backend.opened == 1
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {(S.QUEUED, 1)}
    assert mail.outbox == []


SMTP_ERRORS = {
    "4xx on data": (smtplib.SMTPDataError(451, b"4.3.0 Probeer later"), S.QUEUED),
    "5xx on data": (smtplib.SMTPDataError(554, b"5.7.1 Als spam geweigerd"), S.FAILED),
    "5xx on sender": (
        smtplib.SMTPSenderRefused(550, b"5.7.1 Afzender geweigerd", "noreply@example.org"),
        S.FAILED,
    ),
    "4xx on recipient": (
        smtplib.SMTPRecipientsRefused({"anna@example.org": (450, b"4.2.0 Greylisted")}),
        S.QUEUED,
    ),
    "5xx on recipient": (
        smtplib.SMTPRecipientsRefused({"anna@example.org": (550, b"5.1.1 Onbekend adres")}),
        S.FAILED,
    ),
    "disconnected": (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), S.QUEUED),
    "socket timeout": (TimeoutError("timed out"), S.QUEUED),
    "connection reset": (ConnectionResetError(104, "Connection reset by peer"), S.QUEUED),
    "network error": (OSError(113, "No route to host"), S.QUEUED),
    "not supported": (smtplib.SMTPNotSupportedError("SMTPUTF8 not supported"), S.FAILED),
    "other smtp error": (smtplib.SMTPException("Onverwacht antwoord"), S.FAILED),
}


@in_test_transaction
@pytest.mark.parametrize(("error", "status"), SMTP_ERRORS.values(), ids=SMTP_ERRORS.keys())
def test_4xx_and_lost_connections_are_retried_5xx_and_protocol_errors_fail_with_their_reason(
    scripted_backend, error, status
):
    scripted_backend.send_errors = [error]
    message = row("fout")

    outbox.deliver_batch(message_ids=[message.pk])

    message.refresh_from_db()
    assert (message.status, message.attempts) == (status, 1)
    assert message.last_error
    if isinstance(error, smtplib.SMTPResponseException):
        assert message.last_error.startswith(str(error.smtp_code))
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        [(code, _text)] = error.recipients.values()
        assert message.last_error.startswith(str(code))


@in_test_transaction
@pytest.mark.parametrize(
    ("error", "status"),
    [
        (smtplib.SMTPConnectError(554, b"Geen SMTP-dienst hier"), S.QUEUED),
        (smtplib.SMTPAuthenticationError(535, b"5.7.8 Onjuiste inloggegevens"), S.FAILED),
        (smtplib.SMTPAuthenticationError(454, b"4.7.0 Tijdelijk niet"), S.QUEUED),
    ],
    ids=["refused greeting", "5xx login", "4xx login"],
)
def test_a_failure_to_connect_is_classified_like_a_failure_to_send(scripted_backend, error, status):
    scripted_backend.open_errors = [error]
    message = row("verbinding")

    outbox.deliver_batch(message_ids=[message.pk])

    message.refresh_from_db()
    assert message.status == status


@in_test_transaction
def test_an_unforeseen_error_mid_conversation_leaves_the_mail_onbekend_and_the_batch_goes_on(
    scripted_backend,
):
    scripted_backend.send_errors = [RuntimeError("kapot")]
    unknown, next_one = row("raadsel"), row("daarna")

    outbox.deliver_batch(message_ids=[unknown.pk, next_one.pk])

    unknown.refresh_from_db()
    next_one.refresh_from_db()
    assert (unknown.status, unknown.last_error) == (S.ONBEKEND, "RuntimeError: kapot")
    assert next_one.status == S.SENT


@pytest.mark.real_stack_only(reason="concurrent connections need PostgreSQL's row locks")
def test_no_transaction_is_open_and_no_row_locked_while_the_smtp_server_answers(smtp_sink):
    smtp_sink.hold_answers = True
    message = row("in-gesprek")

    thread, outcome = run_in_thread(lambda: outbox.deliver_batch(message_ids=[message.pk]))
    try:
        assert smtp_sink.answer_held.wait(timeout=10)
        message.refresh_from_db()
        assert message.status == S.SENDING
        assert message.attempts == 1
        assert message.sending_started_at is not None
        with transaction.atomic():
            # NOWAIT fails at once if the delivering connection still held the row.
            OutboxMessage.objects.select_for_update(nowait=True).get(pk=message.pk)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND state LIKE 'idle in transaction%%'"
            )
            assert cursor.fetchone() == (0,)
    finally:
        smtp_sink.release_answers.set()
        thread.join(timeout=10)

    assert "error" not in outcome
    message.refresh_from_db()
    assert message.status == S.SENT


def test_an_outcome_that_comes_back_after_the_sweep_declared_the_row_onbekend_changes_nothing(
    smtp_sink,
):
    smtp_sink.hold_answers = True
    message = row("te-laat")

    thread, outcome = run_in_thread(lambda: outbox.deliver_batch(message_ids=[message.pk]))
    try:
        assert smtp_sink.answer_held.wait(timeout=10)
        later = timezone.now() + timedelta(hours=1)
        assert outbox.mark_lost_deliveries_onbekend(now=later) == 1
    finally:
        smtp_sink.release_answers.set()
        thread.join(timeout=10)

    assert "error" not in outcome
    message.refresh_from_db()
    assert message.status == S.ONBEKEND
    assert message.sent_at is None


def test_the_periodic_task_requeues_a_stuck_row_and_leaves_the_rest(settings):
    stuck = OutboxMessage.objects.create(
        key="vastgelopen",
        to="anna@example.org",
        subject="Vastgelopen",
        body_text="t",
        body_html="<p>h</p>",
        next_attempt_at=timezone.now() - settings.MAIL_STUCK_AFTER - timedelta(minutes=1),
    )
    waiting = OutboxMessage.objects.create(
        key="wacht-op-nieuwe-poging",
        to="bert@example.org",
        subject="Wacht",
        body_text="t",
        body_html="<p>h</p>",
        next_attempt_at=timezone.now() + timedelta(minutes=5),
    )

    assert requeue_stuck_mail.apply().get() == 1

    stuck.refresh_from_db()
    waiting.refresh_from_db()
    assert stuck.status == OutboxMessage.Status.SENT
    assert waiting.status == OutboxMessage.Status.QUEUED
    assert [sent.subject for sent in mail.outbox] == ["Vastgelopen"]


def test_stored_attachments_are_base64_so_they_survive_json():
    with transaction.atomic():
        message = queue(attachments=[("a.bin", bytes(range(256)), "application/octet-stream")])
    message.refresh_from_db()
    assert base64.b64decode(message.attachments[0]["content"]) == bytes(range(256))


def test_the_sweep_marks_rows_left_sending_past_the_timeout_onbekend_and_never_resends_them(
    settings,
):
    settings.MAIL_SENDING_TIMEOUT = timedelta(minutes=15)
    long_ago = timezone.now() - timedelta(hours=2)
    lost = row(
        "verloren",
        status=S.SENDING,
        attempts=1,
        sending_started_at=timezone.now() - timedelta(minutes=16),
        next_attempt_at=long_ago,
    )
    busy = row(
        "bezig",
        status=S.SENDING,
        attempts=1,
        sending_started_at=timezone.now() - timedelta(minutes=1),
        next_attempt_at=long_ago,
    )
    overdue = row("achterstallig", next_attempt_at=long_ago)

    assert requeue_stuck_mail.apply().get() == 1
    assert requeue_stuck_mail.apply().get() == 0

    lost.refresh_from_db()
    busy.refresh_from_db()
    overdue.refresh_from_db()
    assert (lost.status, lost.last_error) == (S.ONBEKEND, outbox.LOST_DELIVERY_REASON)
    assert busy.status == S.SENDING
    assert overdue.status == S.SENT
    assert [sent.subject for sent in mail.outbox] == ["achterstallig"]


@in_test_transaction
def test_the_sweep_queues_overdue_rows_in_batches_of_fifty(
    monkeypatch, django_capture_on_commit_callbacks
):
    long_ago = timezone.now() - timedelta(hours=1)
    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            key=f"achterstallig:{n}",
            to="anna@example.org",
            subject="s",
            body_text="t",
            body_html="h",
            next_attempt_at=long_ago,
        )
        for n in range(120)
    )
    batches = []
    monkeypatch.setattr(deliver_mail_batch, "delay", batches.append)

    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.requeue_stuck() == 120

    assert [len(batch) for batch in batches] == [50, 50, 20]
    assert len({pk for batch in batches for pk in batch}) == 120


@pytest.mark.real_stack_only(reason="concurrent connections need PostgreSQL's row locks")
def test_a_row_claimed_by_another_delivery_is_skipped():
    message = row("al-onderweg")

    with transaction.atomic():
        OutboxMessage.objects.select_for_update().get(pk=message.pk)
        thread, outcome = run_in_thread(lambda: outbox.deliver_batch(message_ids=[message.pk]))
        thread.join(timeout=10)

    assert outcome == {"result": []}
    assert mail.outbox == []


@pytest.mark.real_stack_only(reason="concurrent connections need PostgreSQL's row locks")
def test_two_callers_racing_to_queue_one_key_both_succeed_and_one_row_is_written():
    """The loser's insert waits on the unique index until the winner commits; its savepoint
    turns the IntegrityError into the winner's row and leaves its own transaction usable."""
    key = "race:anna@example.org"
    winner_inserted, loser_blocked = threading.Event(), threading.Event()
    loser_pid = []

    def winner():
        with transaction.atomic():
            message = queue(key=key)
            winner_inserted.set()
            assert loser_blocked.wait(timeout=10)
        return message

    def loser():
        assert winner_inserted.wait(timeout=10)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                loser_pid.append(cursor.fetchone()[0])
            message = queue(key=key)
            OutboxMessage.objects.count()  # the transaction is still usable
        return message

    first_thread, first = run_in_thread(winner)
    second_thread, second = run_in_thread(loser)

    def loser_waits_on_a_lock():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", loser_pid or [0]
            )
            return cursor.fetchone() == ("Lock",)

    assert wait_until(loser_waits_on_a_lock)
    loser_blocked.set()
    first_thread.join(timeout=10)
    second_thread.join(timeout=10)

    assert "error" not in first
    assert "error" not in second
    assert first["result"].pk == second["result"].pk
    assert OutboxMessage.objects.filter(key=key).count() == 1
    assert len(mail.outbox) == 1


@pytest.fixture
def beheerder(client):
    persoon = Persoon.objects.create_superuser("beheer@example.org", "geheim")
    log_in_to_beheer(client, persoon)
    return persoon


def changelist():
    return reverse("admin:netwerk_outboxmessage_changelist")


def test_the_admin_explains_onbekend_rows_and_filters_on_them(client, beheerder):
    row("verloren", status=S.ONBEKEND, sending_started_at=timezone.now())
    row("verzonden", status=S.SENT)

    response = client.get(changelist(), {"status__exact": S.ONBEKEND})

    assert response.status_code == 200
    assert [message.key for message in response.context["cl"].result_list] == ["verloren"]
    page = response.content.decode()
    assert "1 mail heeft status onbekend" in page
    assert "niet vanzelf opnieuw verstuurd" in page


def test_opnieuw_versturen_queues_onbekend_and_failed_rows_and_delivers_them_after_commit(
    client, beheerder
):
    lost = row("verloren", status=S.ONBEKEND, attempts=1, sending_started_at=timezone.now())
    failed = row("mislukt", status=S.FAILED, attempts=8, last_error="451 Vol")
    sent = row("verzonden", status=S.SENT, attempts=1)

    response = client.post(
        changelist(),
        {"action": "resend", "_selected_action": [lost.pk, failed.pk, sent.pk]},
        follow=True,
    )

    page = response.content.decode()
    assert "2 mails staan weer in de wachtrij." in page
    assert "1 overgeslagen" in page
    for message in (lost, failed, sent):
        message.refresh_from_db()
    assert (lost.status, lost.attempts) == (S.SENT, 1)
    assert (failed.status, failed.attempts) == (S.SENT, 1)
    assert sent.status == S.SENT
    assert sorted(sent_mail.subject for sent_mail in mail.outbox) == ["mislukt", "verloren"]


def test_opnieuw_versturen_needs_the_change_permission(client):
    viewer = PersoonFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_outboxmessage"))
    log_in_to_beheer(client, viewer)
    lost = row("verloren", status=S.ONBEKEND, sending_started_at=timezone.now())

    client.post(changelist(), {"action": "resend", "_selected_action": [lost.pk]})

    lost.refresh_from_db()
    assert lost.status == S.ONBEKEND
    assert mail.outbox == []


@pytest.mark.celery_worker
def test_a_mail_committed_in_a_transaction_reaches_smtp_through_a_real_worker(
    celery_worker, smtp_sink
):
    with transaction.atomic():
        message = queue(key="worker:1", to="wim@example.nl")

    deadline = time.monotonic() + 30
    while not smtp_sink.messages and time.monotonic() < deadline:
        time.sleep(0.2)

    assert len(smtp_sink.messages) == 1
    assert smtp_sink.messages[0].rcpt_tos == ["wim@example.nl"]
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT


def test_a_delivered_mail_keeps_no_personal_link_in_its_stored_bodies_headers_or_qr_code(
    settings,
):
    """Issue 18, L3: the outbox keeps sent mails 90 days; their personal links must not
    keep working for whoever reads the table or /beheer/. Other links stay."""
    personal = f"{settings.SITE_URL}/aanmelding/{'A1b2C3d4' * 5}/"
    opt_out = f"{settings.SITE_URL}/uitnodiging/{'Z9y8X7w6' * 5}/geen-uitnodigingen/"
    public = f"{settings.SITE_URL}/bijeenkomsten/"
    with transaction.atomic():
        outbox.queue_rendered_mails(
            mails=[
                {
                    "key": "test:links",
                    "to": "anna@example.org",
                    "subject": "Je aanmelding",
                    "body_text": f"Je pagina: {personal}. Alles: {public}",
                    "body_html": f'<a href="{personal}">{personal}</a> <a href="{public}">x</a>',
                    "headers": {"List-Unsubscribe": f"<{opt_out}>"},
                    "attachments": [
                        ("toegang.png", outbox.QRCode(personal), "image/png", "qr@x"),
                        ("a.txt", b"bijlage", "text/plain"),
                    ],
                }
            ]
        )
    delivered = mail.outbox[0]
    message = OutboxMessage.objects.get(key="test:links")

    assert personal in delivered.body
    assert delivered.extra_headers["List-Unsubscribe"] == f"<{opt_out}>"
    assert message.status == OutboxMessage.Status.SENT
    assert message.body_text == f"Je pagina: {outbox.LINK_REMOVED}. Alles: {public}"
    assert message.body_html == (
        f'<a href="{outbox.LINK_REMOVED}">{outbox.LINK_REMOVED}</a> <a href="{public}">x</a>'
    )
    assert message.headers == {"List-Unsubscribe": f"<{outbox.LINK_REMOVED}>"}
    assert [a["filename"] for a in message.attachments] == ["a.txt"]


def test_a_mail_that_was_not_delivered_keeps_its_links(scripted_backend):
    scripted_backend.send_errors = [smtplib.SMTPResponseException(550, b"unknown user")]
    link = "http://127.0.0.1:8000/aanmelding/" + "A1b2C3d4" * 5 + "/"
    with transaction.atomic():
        outbox.queue_mail(
            key="test:later",
            to="anna@example.org",
            template="testmail/bericht",
            context={"naam": link},
        )

    assert OutboxMessage.objects.get(key="test:later").status == OutboxMessage.Status.FAILED
    assert link in OutboxMessage.objects.get(key="test:later").body_text


@in_test_transaction
@pytest.mark.parametrize("fault", ["drop", "hang"])
def test_a_server_that_had_the_whole_mail_and_then_hangs_or_hangs_up_makes_it_onbekend_not_resent(
    settings, fault
):
    # Found by the fault suite (scenario 2): a retry of such a mail was delivered twice.
    from tests.faults.sink import FaultySink

    with FaultySink(lambda address, attempt: fault if address.startswith("anna") else "ok") as sink:
        settings.EMAIL_BACKEND = "netwerk.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = sink.host, sink.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 1
        first = row("na-data:1", to="anna@example.org")
        second = row("na-data:2", to="bram@example.org")

        outbox.deliver_batch(message_ids=[first.pk, second.pk])

        first.refresh_from_db()
        second.refresh_from_db()
        assert first.status == S.ONBEKEND
        assert first.last_error.startswith(outbox.ANSWER_LOST_REASON)
        assert outbox.retries([first]) == {}
        # The next mail of the batch connects afresh and is sent.
        assert second.status == S.SENT
        assert sink.received[first.to.lower()] == 1
