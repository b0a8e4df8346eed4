"""The fault suite's machinery: real Celery workers that can be killed, and the report.

Run by `bash scripts/faults.sh` (throwaway PostgreSQL and Redis); never by the normal test
command, which leaves tests/faults out and deselects the `faults` marker.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from tests.conftest import BASE_DIR, _test_database_url


class Worker:
    """A real Celery worker process (solo pool) on Redis and the test database."""

    def __init__(self, sink, log: Path, **extra_env):
        env = {
            **os.environ,
            "DATABASE_URL": _test_database_url(),
            "DATABASE_CONN_MAX_AGE": "0",
            "REDIS_URL": django_settings.REDIS_URL,
            "EMAIL_HOST": sink.host,
            "EMAIL_PORT": str(sink.port),
            "EMAIL_USE_TLS": "0",
            "DEBUG": "1",
            **{name: str(value) for name, value in extra_env.items()},
        }
        self.log = log
        self.output = log.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "werkplaats",
                "worker",
                "--pool=solo",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
                f"--hostname=fault-{time.monotonic_ns()}@%h",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self.output,
            stderr=subprocess.STDOUT,
        )
        self.pid = self.process.pid
        self._wait_until_ready()

    def _wait_until_ready(self, timeout=60):
        from werkplaats.celery import app

        app.conf.task_always_eager = False
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"The Celery worker stopped:\n{self.log.read_text()[-3000:]}")
            if b"ready." in self.log.read_bytes():
                return
            time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"The Celery worker did not start:\n{self.log.read_text()[-3000:]}")

    def kill(self):
        """SIGKILL: no warm shutdown, no acknowledgement, no last words."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.output.close()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process.wait()
        self.output.close()


@pytest.fixture
def workers(tmp_path):
    """Start workers with `workers.start(sink, **settings)`; all are stopped at the end."""
    from werkplaats.celery import app

    app.control.purge()
    started = []

    class Workers:
        def start(self, sink, **extra_env):
            worker = Worker(sink, tmp_path / f"worker-{len(started)}.log", **extra_env)
            started.append(worker)
            return worker

    try:
        yield Workers()
    finally:
        app.conf.task_always_eager = True
        for worker in started:
            worker.stop()


@contextlib.contextmanager
def sending_to(broker_url: str):
    """This process's tasks go to another broker meanwhile. The app caches its connection
    and producer pools on the first task it sends: they are dropped on the way in and out,
    or the tasks would still go to the broker of the scenario before."""
    from werkplaats.celery import app

    def drop_pools():
        app._pool = None
        app.amqp._producer_pool = None

    before = app.conf.broker_url
    app.conf.broker_url = broker_url
    drop_pools()
    try:
        yield
    finally:
        app.conf.broker_url = before
        drop_pools()


def wait_until(condition, *, timeout: float, what: str, every: float = 0.2):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"not within {timeout:.0f} s: {what}"
        time.sleep(every)


def report(scenario: str, rows: list[tuple[str, object, object]], seconds: float) -> None:
    """Print expected vs observed; append it to FAULTS_REPORT (a file) when set."""
    width = max(len(name) for name, _, _ in rows)
    lines = [
        f"\n== {scenario} ({seconds:.1f} s)",
        f"{'':{width}}  {'expected':>10}  {'observed':>10}",
    ]
    for name, expected, observed in rows:
        lines.append(f"{name:{width}}  {expected!s:>10}  {observed!s:>10}")
    text = "\n".join(lines)
    print(text)
    if os.environ.get("FAULTS_REPORT"):
        with open(os.environ["FAULTS_REPORT"], "a") as out:
            out.write(text + "\n")


# The portal over HTTP: a real gunicorn with DEBUG off, as the benchmark starts it.

GUNICORN_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "faults-not-secret",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "SECURE_HSTS_SECONDS": "0",
    "LOG_LEVEL": "WARNING",
}


@pytest.fixture(scope="session")
def collected_static():
    """The manifest of static files that DEBUG off needs (STATIC_ROOT, as the bench does)."""
    env = {**os.environ, **GUNICORN_ENV, "DATABASE_URL": "sqlite:///:memory:"}
    env.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=BASE_DIR, env=env, check=True, timeout=300,
    )  # fmt: skip


class Gunicorn:
    """gunicorn werkplaats.wsgi with `workers` sync workers on a free port, DEBUG off, on
    the test database and Redis, with the production connection settings (CONN_MAX_AGE 60,
    health checks). Runs in its own session so that `stop` ends the master and its workers."""

    def __init__(self, log: Path, *, workers: int = 2, **extra_env):
        from tests.conftest import free_port

        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            **GUNICORN_ENV,
            "DATABASE_URL": _test_database_url(),
            "REDIS_URL": django_settings.REDIS_URL,
            "EMAIL_FILE_PATH": str(log.parent / "gunicorn-mail"),
        }
        env.pop("DATABASE_CONN_MAX_AGE", None)  # the production default: 60 s
        env.pop("EMAIL_HOST", None)  # the portal queues mail; the Celery worker sends it
        env.update({name: str(value) for name, value in extra_env.items()})
        self.log = log
        self.output = log.with_suffix(".out").open("ab")  # Django's own log (tracebacks)
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "werkplaats.wsgi",
                "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}",
                "--timeout", "60", "--log-level", "warning", "--error-logfile", str(log),
            ],
            cwd=BASE_DIR, env=env, start_new_session=True,
            stdout=self.output, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while self.get("/healthz")[0] != 200:
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"gunicorn did not answer:\n{self.log_text()[-3000:]}")
            time.sleep(0.2)

    def log_text(self) -> str:
        return self.log.read_text() if self.log.exists() else ""

    def request(self, method, path, *, body=None, headers=None, timeout=60):
        """(status, body text, headers); status 0 when the connection broke without an answer."""
        import http.client

        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.read().decode(errors="replace"), response.headers
        except (OSError, http.client.HTTPException):
            return 0, "", {}
        finally:
            connection.close()

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def open_connections(self, pid: int) -> int:
        """Client connections (ESTABLISHED TCP on the bound port) that process `pid` holds."""
        inodes = set()
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
        count = 0
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                local_port = int(fields[1].rsplit(":", 1)[1], 16)
                if local_port == self.port and fields[3] == "01" and fields[9] in inodes:
                    count += 1
        return count

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.output.close()


@pytest.fixture
def gunicorn(tmp_path, collected_static):
    """Start the portal with `gunicorn.start(workers=…, **settings)`; stopped at the end."""
    started = []

    class Starter:
        def start(self, **kwargs):
            server = Gunicorn(tmp_path / f"gunicorn-{len(started)}.log", **kwargs)
            started.append(server)
            return server

    try:
        yield Starter()
    finally:
        for server in started:
            server.stop()


class ThrowawayPostgres:
    """The fault suite's own PostgreSQL cluster (scripts/faults.sh exports where it is), which
    a scenario may stop and start. Refuses anything else: never the machine's shared server."""

    def __init__(self):
        self.bin = os.environ.get("FAULTS_PG_BIN")
        self.data = os.environ.get("FAULTS_PG_DATA")
        self.options = os.environ.get("FAULTS_PG_OPTIONS", "")
        self.logfile = os.environ.get("FAULTS_PG_LOG", "/dev/null")
        if not (self.bin and self.data and Path(self.data, "postmaster.pid").exists()):
            pytest.fail(
                "This scenario stops PostgreSQL: it runs only on the throwaway server of "
                "`bash scripts/faults.sh` (FAULTS_PG_BIN / FAULTS_PG_DATA)."
            )

    def _pg_ctl(self, *arguments):
        command = [f"{self.bin}/pg_ctl", "-D", self.data, *arguments]
        if os.getuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, timeout=60)

    def stop(self):
        """Fast shutdown: every session is ended, open transactions roll back."""
        self._pg_ctl("-m", "fast", "-w", "stop")

    def start(self):
        self._pg_ctl("-w", "-t", "30", "-l", self.logfile, "-o", self.options, "start")


@pytest.fixture
def throwaway_postgres():
    return ThrowawayPostgres()


# The guests of a registration rush: a single-use confirmation link each, opened first (the
# form's CSRF cookie and token, as a browser has them), then posted.


def guest_links(bijeenkomst, count: int, prefix: str) -> list[tuple[str, str]]:
    """(email, confirmation path) for `count` guests of `bijeenkomst`."""
    from django.urls import reverse

    from bijeenkomsten import services

    links = []
    for number in range(count):
        email = f"{prefix}{number}@example.org"
        token = services.request_guest_registration(
            bijeenkomst=bijeenkomst, gegevens={"email": email, "naam": f"Gast {number}"}
        )
        path = reverse(
            "bijeenkomsten:gast-bevestigen", kwargs={"slug": bijeenkomst.slug, "token": token}
        )
        links.append((email, path))
    return links


def open_form(server: Gunicorn, path: str) -> tuple[str, str]:
    """GET a confirmation page: (its cookies, the form's CSRF token)."""
    import re

    status, html, headers = server.get(path)
    assert status == 200, f"GET {path} answered {status}"
    cookies = "; ".join(value.split(";", 1)[0] for value in headers.get_all("Set-Cookie") or [])
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    return cookies, token


def confirm(server: Gunicorn, path: str, form: tuple[str, str], timeout=120):
    """POST a guest's confirmation: (status, body)."""
    from urllib.parse import urlencode

    cookies, token = form
    body = urlencode({"csrfmiddlewaretoken": token, "dieetwensen": "", "toegankelijkheid": ""})
    status, text, _ = server.request(
        "POST", path, body=body, timeout=timeout,
        headers={"Cookie": cookies, "Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    return status, text


def unsettled_mail() -> Counter:
    """Outbox rows still queued or sending, by status."""
    from netwerk.models import OutboxMessage

    busy = [OutboxMessage.Status.QUEUED, OutboxMessage.Status.SENDING]
    return Counter(OutboxMessage.objects.filter(status__in=busy).values_list("status", flat=True))


def _quiet_outbox(timeout=120):
    """Until nothing is queued or sending, or that has not changed for 3 s."""
    deadline, last, since = time.monotonic() + timeout, None, time.monotonic()
    while (now := unsettled_mail()) and time.monotonic() < deadline:
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since > 3:
            return
        time.sleep(0.2)


def settle_outbox():
    """Let the workers send what they have; then the sweep, as it runs once its timeouts
    have passed (a batch cut off mid-way becomes onbekend, a lost task is queued again), and
    let them send that too."""
    from datetime import timedelta

    from django.utils import timezone

    from netwerk import outbox

    _quiet_outbox()
    later = (
        timezone.now()
        + max(django_settings.MAIL_SENDING_TIMEOUT, django_settings.MAIL_STUCK_AFTER)
        + timedelta(seconds=1)
    )
    outbox.mark_lost_deliveries_onbekend(now=later)
    outbox.requeue_stuck(now=later)
    _quiet_outbox()
    time.sleep(1)  # a late double would arrive now
