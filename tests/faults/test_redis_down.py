"""Scenario 3: Redis down while people register and a coördinator imports. Registrations
succeed, nothing is lost, the mail goes out once Redis is back (the sweep), the visitor's
pages are served without the cache rather than failing, and the import is confirmed while
Redis is away and registered once by the import sweep after it is back.

The portal runs in a process of its own whose REDIS_URL points at a Redis that is down (a
port nobody listens on); it is "back" when a redis-server starts on that port.
"""

import json
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from bijeenkomsten import services as bijeenkomst_services
from bijeenkomsten.models import Aanmelding, Import
from bijeenkomsten.tasks import run_import
from netwerk import outbox
from netwerk.models import OutboxMessage
from tests.bijeenkomsten.factories import BijeenkomstFactory
from tests.conftest import BASE_DIR, _test_database_url, free_port
from tests.faults.conftest import report, sending_to, wait_until
from tests.faults.sink import FaultySink
from tests.netwerk.factories import PersoonFactory, make_coordinator

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

PEOPLE = 20

PORTAL = """
import json, sys, time, django
django.setup()
from django.test import Client
from django.urls import reverse
from netwerk.models import Persoon
from django.core.files.uploadedfile import SimpleUploadedFile
slug, ids, coordinator_id, csv = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
answers = []
for persoon in Persoon.objects.filter(pk__in=ids):
    client = Client()
    client.force_login(persoon)
    started = time.monotonic()
    response = client.post(reverse("bijeenkomsten:aanmelden", args=[slug]), {"naam": persoon.naam})
    answers.append([response.status_code, round(time.monotonic() - started, 2)])
page = Client().get(reverse("bijeenkomsten:detail", args=[slug]))
coordinator = Client()
coordinator.force_login(Persoon.objects.get(pk=coordinator_id))
upload = coordinator.post(
    reverse("bijeenkomsten:importeren", args=[slug]),
    {"bestand": SimpleUploadedFile("deelnemers.csv", csv.encode(), content_type="text/csv")},
)
preview = coordinator.get(upload.url) if upload.status_code == 302 else upload
confirm = coordinator.post(upload.url + "bevestigen/") if upload.status_code == 302 else upload
progress = coordinator.get(confirm.url) if confirm.status_code == 302 else confirm
print(json.dumps({
    "registrations": answers,
    "page": page.status_code,
    "import": [upload.status_code, preview.status_code, confirm.status_code, progress.status_code],
    "import_progress": confirm.get("Location", ""),
}))
"""

IMPORTED = 10
CSV = "naam;email\n" + "".join(f"Import {n};import{n}@example.org\n" for n in range(IMPORTED))


def _redis(port, folder):
    return subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip


def test_registrations_while_redis_is_down_succeed_and_their_mail_goes_out_once_it_is_back(
    workers, tmp_path
):
    started = time.monotonic()
    bijeenkomst = BijeenkomstFactory(titel="Zonder Redis", capaciteit=50)
    people = [PersoonFactory(email=f"persoon{n}@example.org") for n in range(PEOPLE)]
    coordinator = make_coordinator()
    port = free_port()
    env = {
        "DJANGO_SETTINGS_MODULE": "werkplaats.settings",
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": f"redis://127.0.0.1:{port}/0",
        "DEBUG": "1",
        "ALLOWED_HOSTS": "testserver",
        "PATH": "/usr/bin:/bin",
    }
    portal = subprocess.run(
        [sys.executable, "-c", PORTAL, bijeenkomst.slug, json.dumps([p.pk for p in people]),
         str(coordinator.pk), CSV],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert portal.returncode == 0, portal.stderr[-3000:]
    seen = json.loads(portal.stdout.strip().splitlines()[-1])
    codes = [code for code, _ in seen["registrations"]]
    registered = Aanmelding.objects.filter(bijeenkomst=bijeenkomst, bron="zelf").count()
    queued = OutboxMessage.objects.filter(status=OutboxMessage.Status.QUEUED).count()
    job = Import.objects.filter(bijeenkomst=bijeenkomst).first()
    import_while_down = job.status if job else "geen"

    redis = _redis(port, tmp_path)
    try:
        with FaultySink() as sink:
            workers.start(sink, REDIS_URL=env["REDIS_URL"])
            # The sweep, as it runs once MAIL_STUCK_AFTER has passed: the lost tasks again.
            later = timezone.now() + timedelta(hours=1)
            with sending_to(env["REDIS_URL"]):
                outbox.requeue_stuck(now=later)
                # The import sweep, as it runs once IMPORT_STUCK_AFTER has passed: twice.
                for import_id in bijeenkomst_services.imports_to_resume(now=later) * 2:
                    run_import.delay(import_id)
            wait_until(
                lambda: not Import.objects.filter(status=Import.Status.WACHTRIJ).exists(),
                timeout=120, what="the import run after Redis came back",
            )  # fmt: skip
            with sending_to(env["REDIS_URL"]):
                outbox.requeue_stuck(now=later)
            wait_until(
                lambda: not OutboxMessage.objects.filter(status="queued").exists(),
                timeout=120, what="the mail sent after Redis came back",
            )  # fmt: skip
            received = dict(sink.received)
    finally:
        redis.terminate()
        redis.wait()
    imported = list(
        Aanmelding.objects.filter(bijeenkomst=bijeenkomst, bron="import").values_list(
            "email", flat=True
        )
    )
    job = Import.objects.filter(bijeenkomst=bijeenkomst).first()
    addresses = [p.email for p in people] + [f"import{n}@example.org" for n in range(IMPORTED)]
    lost = sum(received.get(a, 0) == 0 for a in addresses)
    doubled = sum(received.get(a, 0) > 1 for a in addresses)
    slowest = max(seconds for _, seconds in seen["registrations"])
    report(
        "3. Redis down while people register and a coördinator imports",
        [
            ("registrations answered 302", PEOPLE, codes.count(302)),
            ("registrations answered 5xx", 0, sum(code >= 500 for code in codes)),
            ("slowest registration (s)", "<5", slowest),
            ("registered", PEOPLE, registered),
            ("mail queued while down", PEOPLE, queued),
            ("visitor page without cache", 200, seen["page"]),
            ("import upload, check, confirm, progress", [302, 200, 302, 200], seen["import"]),
            ("import while Redis is down", Import.Status.WACHTRIJ, import_while_down),
            ("import after the sweep", Import.Status.KLAAR, job.status if job else "geen"),
            ("imported once", IMPORTED, len(set(imported))),
            ("imported twice", 0, len(imported) - len(set(imported))),
            ("confirmations lost", 0, lost),
            ("confirmations doubled", 0, doubled),
        ],
        time.monotonic() - started,
    )
    assert codes.count(302) == PEOPLE
    assert registered == PEOPLE
    assert seen["page"] == 200
    assert seen["import"] == [302, 200, 302, 200]
    assert import_while_down == Import.Status.WACHTRIJ
    assert job.status == Import.Status.KLAAR
    assert sorted(imported) == sorted(f"import{n}@example.org" for n in range(IMPORTED))
    assert lost == 0
    assert doubled == 0
