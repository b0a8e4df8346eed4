"""Scenario 2: outbox batches under 451-then-OK, 550, a server that hangs past EMAIL_TIMEOUT
after the data, one that drops the connection after the data, and a worker killed during a
batch. Each mail ends sent once, failed with its reason, or onbekend; none twice."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from netwerk import outbox
from netwerk.models import OutboxMessage
from tests.faults.conftest import report, wait_until
from tests.faults.sink import FaultySink

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

S = OutboxMessage.Status
EMAIL_TIMEOUT = 2
# kind → (how many, what the server does on the first attempt, the end expected)
KINDS = {
    "gewoon": (60, "ok", S.SENT),
    "tijdelijk": (30, "451", S.SENT),  # 451 first, 250 on the retry
    "geweigerd": (20, "550", S.FAILED),
    "hangt": (4, "hang", S.ONBEKEND),  # the data arrived, the answer never did
    "valt": (10, "drop", S.ONBEKEND),  # the data arrived, then the connection closed
}
KILLED_BATCH = 50
KILL_AT = 20  # the batch's 21st mail is in flight when the worker dies


def _mails(kind: str, count: int) -> list[dict]:
    return [
        {
            "key": f"storing-{kind}-{n}",
            "to": f"{kind}-{n}@example.org",
            "subject": f"Storing {kind} {n}",
            "body_text": "Tekst.",
            "body_html": "<p>Tekst.</p>",
        }
        for n in range(count)
    ]


def _behaviour(sink):
    def behaviour(address, attempt):
        kind = address.split("-")[0]
        if kind == "gedood":
            gedood = sum(n for a, n in sink.received.items() if a.startswith("gedood-"))
            return "hold" if gedood >= KILL_AT else "ok"
        first = KINDS[kind][1]
        return first if attempt == 1 or first == "550" else "ok"

    return behaviour


def _settled() -> bool:
    return not OutboxMessage.objects.filter(status__in=[S.QUEUED, S.SENDING]).exists()


def _count(kind: str, expected_end, received) -> dict:
    rows = OutboxMessage.objects.filter(key__startswith=f"storing-{kind}-")
    ends = dict(rows.values_list("to", "status"))
    lost = doubled = unknown = wrong = 0
    for address, end in ends.items():
        got = received.get(address.lower(), 0)
        doubled += got > 1
        unknown += end == S.ONBEKEND
        lost += end == S.SENT and got == 0
        lost += end in (S.QUEUED, S.SENDING)
        wrong += end != expected_end and end != S.ONBEKEND
    reasons = rows.filter(status=S.FAILED).exclude(last_error="").count()
    return {
        "rows": len(ends),
        "lost": lost,
        "doubled": doubled,
        "unknown": unknown,
        "wrong": wrong,
        "failed with reason": reasons,
    }


def test_outbox_batches_under_smtp_faults_and_a_kill_end_once_failed_or_onbekend(workers):
    started = time.monotonic()
    env = {"EMAIL_TIMEOUT": EMAIL_TIMEOUT, "MAIL_RETRY_BASE_SECONDS": 1}
    with FaultySink() as sink:
        sink.behaviour = _behaviour(sink)
        first = workers.start(sink, **env)
        outbox.queue_rendered_mails(
            mails=[mail for kind, (count, _, _) in KINDS.items() for mail in _mails(kind, count)]
        )
        wait_until(_settled, timeout=240, what="every faulty mail settled")

        # A worker killed during a batch: one mail in flight, the rest not reached yet.
        outbox.queue_rendered_mails(mails=_mails("gedood", KILLED_BATCH))
        wait_until(lambda: sink.held >= 1, timeout=60, what="a mail of the batch in flight")
        first.kill()
        sink.release.set()
        workers.start(sink, **env)
        # The periodic sweep, as it runs once MAIL_SENDING_TIMEOUT and MAIL_STUCK_AFTER passed.
        later = timezone.now() + max(settings.MAIL_SENDING_TIMEOUT, settings.MAIL_STUCK_AFTER)
        outbox.mark_lost_deliveries_onbekend(now=later + timedelta(seconds=1))
        outbox.requeue_stuck(now=later + timedelta(seconds=1))
        wait_until(_settled, timeout=120, what="the killed batch settled")
        received = dict(sink.received)

    expected = {kind: end for kind, (_, _, end) in KINDS.items()} | {"gedood": S.SENT}
    counts = {kind: _count(kind, end, received) for kind, end in expected.items()}
    rows = []
    for kind, count in counts.items():
        unknown_only = expected[kind] == S.ONBEKEND
        allowed_unknown = (
            1 if kind == "gedood" else (count["rows"] if expected[kind] == S.ONBEKEND else 0)
        )
        rows += [
            (
                f"{kind}: ending {expected[kind]}" + ("" if unknown_only else " (or onbekend)"),
                count["rows"],
                count["rows"] - count["wrong"],
            ),
            (f"{kind}: lost", 0, count["lost"]),
            (f"{kind}: doubled", 0, count["doubled"]),
            (f"{kind}: onbekend", f"≤{allowed_unknown}", count["unknown"]),
        ]
        if expected[kind] == S.FAILED:
            rows.append((f"{kind}: failed with reason", count["rows"], count["failed with reason"]))
    report(
        "2. outbox: 451, 550, hang, drop after DATA, kill mid-batch",
        rows,
        time.monotonic() - started,
    )
    for kind, count in counts.items():
        assert count["lost"] == 0, kind
        assert count["doubled"] == 0, kind
        assert count["wrong"] == 0, kind
    assert counts["gedood"]["unknown"] <= 1
    assert counts["geweigerd"]["failed with reason"] == KINDS["geweigerd"][0]
