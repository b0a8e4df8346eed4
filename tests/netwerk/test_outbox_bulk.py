"""Queueing a mailing of many rendered mails at once: the same guarantees as one by one."""

import base64
import threading

import pytest
from django.core import mail
from django.db import transaction

from netwerk import outbox
from netwerk.models import OutboxMessage
from tests.bijeenkomsten.test_concurrency import in_parallel
from werkplaats import cache


def rendered(n, **extra):
    return {
        "key": f"mailing:{n}",
        "to": f"ontvanger{n}@example.org",
        "subject": f"Onderwerp\n{n}",
        "body_text": f"Tekst {n}",
        "body_html": f"<p>Tekst {n}</p>",
        **extra,
    }


@pytest.mark.django_db
def test_a_mailing_is_queued_once_per_key_and_keys_already_queued_are_left_alone():
    outbox.queue_rendered_mail(**rendered(1, subject="Al eerder"))

    created = outbox.queue_rendered_mails(
        mails=[rendered(1), rendered(2), rendered(2), rendered(3, headers={"X-Test": "ja"})]
    )

    assert [message.key for message in created] == ["mailing:2", "mailing:3"]
    assert OutboxMessage.objects.count() == 3
    assert OutboxMessage.objects.get(key="mailing:1").subject == "Al eerder"
    third = OutboxMessage.objects.get(key="mailing:3")
    assert (third.subject, third.headers) == ("Onderwerp 3", {"X-Test": "ja"})


@pytest.mark.django_db
def test_a_mailing_is_delivered_after_commit_in_batches_of_fifty(
    django_capture_on_commit_callbacks,
):
    attachment = [("bijeenkomst.ics", b"BEGIN:VCALENDAR", "text/calendar")]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        outbox.queue_rendered_mails(mails=[rendered(n, attachments=attachment) for n in range(120)])

    # Besides the cache's one callback that bumps the versions of the tables written.
    assert len([c for c in callbacks if not isinstance(c, cache.BumpOnCommit)]) == 3
    assert len(mail.outbox) == 120
    stored = OutboxMessage.objects.first().attachments[0]
    assert base64.b64decode(stored["content"]) == b"BEGIN:VCALENDAR"


@pytest.mark.django_db
def test_nothing_is_queued_when_the_callers_transaction_rolls_back():
    def cause_that_fails():
        with transaction.atomic():
            outbox.queue_rendered_mails(mails=[rendered(n) for n in range(5)])
            raise RuntimeError

    with pytest.raises(RuntimeError):
        cause_that_fails()

    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


@pytest.mark.real_stack_only(reason="concurrent connections need PostgreSQL's row locks")
@pytest.mark.django_db(transaction=True)
def test_two_mailings_with_the_same_keys_at_once_queue_each_key_once(monkeypatch):
    # Both find no key queued yet, then both insert: the unique key refuses the second
    # insert and it falls back to one by one, each a no-op.
    both_checked = threading.Barrier(2, timeout=10)
    bulk_create = OutboxMessage.objects.bulk_create

    def wait_then_insert(rows, **kwargs):
        both_checked.wait()
        return bulk_create(rows, **kwargs)

    monkeypatch.setattr(OutboxMessage.objects, "bulk_create", wait_then_insert)
    mails = [rendered(n) for n in range(30)]

    results = in_parallel([lambda: outbox.queue_rendered_mails(mails=mails) for _ in range(2)])

    assert [result for result in results if isinstance(result, Exception)] == []
    assert OutboxMessage.objects.count() == 30
    assert len(mail.outbox) == 30
