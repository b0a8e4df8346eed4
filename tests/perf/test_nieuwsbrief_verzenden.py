"""Benchmark: one edition to 20,000 subscribers through a local SMTP sink with one Celery
worker; prints mails per second and the worker's peak memory. Not part of the default run:
`bash scripts/test.sh tests/perf/test_nieuwsbrief_verzenden.py -s`.

The worker sends without a rate limit over NIEUWSBRIEF_CONNECTIONS connections at once (8
unless the environment says otherwise).
"""

import asyncio
import io
import os
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command

from netwerk.models import Abonnement
from nieuwsbrief import services
from nieuwsbrief.models import Bezorging, Editie
from tests.conftest import free_port, start_celery_worker, stop_celery_worker
from tests.netwerk.factories import make_coordinator
from werkplaats.celery import app

SUBSCRIBERS = 20_000
CONNECTIONS = os.environ.get("NIEUWSBRIEF_CONNECTIONS", "8")
TARGET_MAILS_PER_SECOND = 300
TARGET_PEAK_MB = 300

VOORWOORD = "\n\n".join(
    [
        "Dit jaar organiseert onze werkplaats samen met de werkplaatsen Gelderse Vallei, "
        "Noord-Brabant Fontys en Zuyd op 6 juni in Ede het landelijk symposium van de "
        "werkplaatsen. Het motto van de dag is 'Werelden verbinden voor Sociale Kwaliteit'.",
        "Bijvoorbeeld de werelden van inwoners, professionals en beleidsmakers; de werelden van "
        "verschillende domeinen zoals zorg, welzijn, cultuur, wonen en werk; de werelden van "
        "ervaringskennis, professionele kennis en wetenschappelijke kennis.",
        "In deze nieuwsbrief krijg je ook de kans om een indruk te krijgen van hoe we in onze "
        "werkplaats werelden verbinden. We delen enkele *high lights* van de leerateliers.",
        "Ik hoop je te ontmoeten in Ede op ons symposium. Graag tot dan!",
    ]
)


class CountingSink:
    """A minimal SMTP server that accepts every message and remembers only who got one.

    It reads each message in one piece: aiosmtpd parses line by line and, on two shared
    cores, would mostly measure itself rather than the sender.
    """

    def __init__(self):
        self.received = Counter()
        self.first = self.last = None
        self.bytes = 0
        self.host, self.port = "127.0.0.1", free_port()
        self.loop = asyncio.new_event_loop()

    def start(self):
        self.server = self.loop.run_until_complete(
            asyncio.start_server(self.talk, self.host, self.port, limit=2**20)
        )
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.server.close()
        self.loop.run_until_complete(self.server.wait_closed())
        self.loop.close()

    async def talk(self, reader, writer):
        writer.write(b"220 sink ESMTP\r\n")
        recipients = []
        while line := await reader.readline():
            command = line[:4].upper()
            if command == b"EHLO":
                writer.write(b"250-sink\r\n250 8BITMIME\r\n")
            elif command == b"MAIL":
                recipients = []
                writer.write(b"250 OK\r\n")
            elif command == b"RCPT":
                recipients.append(line[8:].strip().strip(b"<>").decode())
                writer.write(b"250 OK\r\n")
            elif command == b"DATA":
                writer.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                await writer.drain()
                data = await reader.readuntil(b"\r\n.\r\n")
                self.accepted(recipients, len(data))
                writer.write(b"250 Message accepted for delivery\r\n")
            elif command == b"QUIT":
                writer.write(b"221 Bye\r\n")
                await writer.drain()
                break
            else:
                writer.write(b"250 OK\r\n")
            await writer.drain()
        writer.close()

    def accepted(self, recipients, size):
        now = time.monotonic()
        self.first = self.first or now
        self.last = now
        self.bytes += size
        for address in recipients:
            self.received[address] += 1


def peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


@pytest.mark.django_db(transaction=True)
def test_one_edition_reaches_20000_subscribers_once_at_300_mails_a_second():
    call_command("seed_demo", stdout=io.StringIO())
    editie = services.compose_edition(door=make_coordinator())
    services.update_edition(editie=editie, titel="Nieuwsbrief mei 2024", voorwoord=VOORWOORD)
    demo_subscribers = Abonnement.objects.bevestigd().count()
    Abonnement.objects.bulk_create(
        [
            Abonnement(email=f"abonnee{n}@example.org")
            for n in range(SUBSCRIBERS - demo_subscribers)
        ],
        batch_size=5000,
    )
    subscribers = Abonnement.objects.bevestigd().count()
    assert subscribers == SUBSCRIBERS

    sink = CountingSink()
    sink.start()
    app.control.purge()
    worker = start_celery_worker(
        sink, NIEUWSBRIEF_MAILS_PER_SECOND="0", NIEUWSBRIEF_CONNECTIONS=CONNECTIONS
    )
    try:
        started = time.monotonic()
        services.send_edition(editie=editie, doelgroep="alle")
        deadline = started + 600
        while Editie.objects.get(pk=editie.pk).status != Editie.Status.VERZONDEN:
            assert time.monotonic() < deadline, "the edition did not finish in 10 minutes"
            time.sleep(0.5)
        elapsed = time.monotonic() - started
        peak = peak_memory_mb(worker.pid)
    finally:
        app.conf.task_always_eager = True
        stop_celery_worker(worker)
        sink.stop()

    sending = sink.last - sink.first
    rate = subscribers / sending
    print(
        f"\n{subscribers} mails of {sink.bytes / subscribers / 1024:.1f} kB over {CONNECTIONS} "
        "connections: "
        f"{rate:.0f} mails/s from the first to the last accepted mail ({sending:.1f} s); "
        f"{subscribers / elapsed:.0f} mails/s from the press to the edition being sent "
        f"({elapsed:.1f} s); worker peak memory {peak:.0f} MB"
    )
    assert set(sink.received.values()) == {1}
    assert len(sink.received) == subscribers
    assert Bezorging.objects.filter(status=Bezorging.Status.SENT).count() == subscribers
    assert rate >= TARGET_MAILS_PER_SECOND
    assert peak < TARGET_PEAK_MB
