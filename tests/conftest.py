"""Shared fixtures: the real stack (PostgreSQL, Redis, Celery, SMTP, Chromium), made fast."""

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings

# Playwright's sync API runs an event loop in the test thread; the ORM calls in browser
# tests happen outside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

BASE_DIR = Path(__file__).resolve().parent.parent

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


# `TEST_TIER=embedded` runs the tests on the README's embedded default (SQLite, no Redis,
# eager Celery): scripts/test.sh does so for the permission matrix and the main service
# tests after the run on the real stack, so a feature that breaks on SQLite fails too.
EMBEDDED_TIER = os.environ.get("TEST_TIER") == "embedded"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "real_stack_only(reason): left out of the embedded tier (SQLite), with why"
    )
    engine = django_settings.DATABASES["default"]["ENGINE"]
    if EMBEDDED_TIER:
        if engine != "django.db.backends.sqlite3" or django_settings.REDIS_URL:
            raise pytest.UsageError(
                "TEST_TIER=embedded runs on the embedded default: DATABASE_URL=sqlite:///…, "
                "no REDIS_URL."
            )
    else:
        # The suite runs on the real stack; a run on SQLite would pass things PostgreSQL refuses.
        if engine != "django.db.backends.postgresql":
            raise pytest.UsageError(
                "The tests need PostgreSQL (DATABASE_URL=postgres://…). Run them with `make test`, "
                "which provides PostgreSQL, Redis and Chromium."
            )
        if not django_settings.REDIS_URL:
            raise pytest.UsageError("The tests need Redis (REDIS_URL). Run them with `make test`.")
    # pytest-django turns DEBUG off, so WhiteNoise would look for collected static files (and
    # warn that there are none, also in the live server); tests serve them from the finders.
    django_settings.WHITENOISE_AUTOREFRESH = True


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Plain database tests first, transactional ones (and browser tests) after.

    pytest-django orders them so, but pytest then regroups the tests by the session-scoped
    browser parameter of pytest-playwright and undoes it; a transactional test's flush would
    then remove the rows of the data migrations (groups, reference data) from under the
    plain tests that follow it.
    """

    def transactional(item) -> bool:
        marker = item.get_closest_marker("django_db")
        if marker is not None:
            transaction = marker.kwargs.get("transaction", marker.args[0] if marker.args else False)
            if transaction or marker.kwargs.get("reset_sequences"):
                return True
        return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))

    items.sort(key=transactional)
    if EMBEDDED_TIER:
        skip = pytest.mark.skip(reason="needs the real stack")
        for item in items:
            if item.get_closest_marker("real_stack_only") or item.get_closest_marker(
                "celery_worker"
            ):
                item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "kennisbank": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "bestanden", "base_url": None},
        },
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    # A fresh cache per test: allauth's rate limits must not carry over between tests, and
    # flushing Redis would also flush the Celery broker.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": str(tmp_path),
        }
    }
    settings.LANGUAGE_CODE = "nl"


@pytest.fixture(autouse=True)
def _celery_eager():
    """Tasks run in the test's process, unless a test asks for the real worker."""
    from werkplaats.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSinkHandler:
    """Collects what an aiosmtpd server accepts; `refuse_next` scripts refusals first.

    With `hold_answers` on, a message is kept as soon as its data arrives, `answer_held` is
    set, and the 250 waits until `release_answers` is set: the moment a sender can die after
    the server has the message but before it knows. `peers` holds each accepted message's
    client address, so a test can tell how many connections carried them.
    """

    def __init__(self):
        self.messages = []
        self.peers = []
        self.refuse_next: list[str] = []
        self.hold_answers = False
        self.answer_held = threading.Event()
        self.release_answers = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_next:
            return self.refuse_next.pop(0)
        self.messages.append(envelope)
        self.peers.append(session.peer)
        if self.hold_answers:
            self.answer_held.set()
            deadline = time.monotonic() + 30
            while not self.release_answers.is_set() and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server on 127.0.0.1; the portal's mail goes to it over SMTP."""
    from aiosmtpd.controller import Controller

    handler = SmtpSinkHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "netwerk.smtp.EmailBackend"
    settings.EMAIL_HOST = controller.hostname
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    handler.host, handler.port = controller.hostname, controller.port
    yield handler
    handler.release_answers.set()
    controller.stop()


def _test_database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    credentials = quote(db["USER"] or "")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"])
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{db['NAME']}"


def start_celery_worker(smtp_sink, **extra_env) -> subprocess.Popen:
    """A real Celery worker process on Redis and the test database, mailing the SMTP sink;
    `extra_env` sets more of its environment (settings). Stop it with `stop_celery_worker`."""
    from werkplaats.celery import app

    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "REDIS_URL": django_settings.REDIS_URL,
        "EMAIL_HOST": smtp_sink.host,
        "EMAIL_PORT": str(smtp_sink.port),
        "EMAIL_USE_TLS": "0",
        "DEBUG": "1",
        **extra_env,
    }
    process = subprocess.Popen(
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
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    app.conf.task_always_eager = False
    try:
        _wait_until_worker_answers(app, process)
    except BaseException:
        stop_celery_worker(process)
        raise
    return process


def stop_celery_worker(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    process.stdout.close()


@pytest.fixture
def celery_worker(transactional_db, smtp_sink):
    """A real Celery worker process on Redis, on the test database, mailing the SMTP sink."""
    from werkplaats.celery import app

    app.control.purge()
    process = start_celery_worker(smtp_sink)
    try:
        yield process
    finally:
        app.conf.task_always_eager = True
        stop_celery_worker(process)


def _wait_until_worker_answers(app, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The Celery worker stopped:\n{process.stdout.read()}")
        if app.control.ping(timeout=0.5):
            return
    process.kill()
    raise RuntimeError(f"The Celery worker did not answer in time:\n{process.stdout.read()}")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not executable:
        pytest.fail("Chromium is needed for the browser tests: run them with `make test`.")
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


# --- the roles (tests/roles.py) ----------------------------------------------------------


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's admin client, logged in the way the admin asks: TOTP set up and the
    session passed it."""
    from tests.roles import log_in_to_beheer

    return log_in_to_beheer(client, admin_user)


@pytest.fixture
def people(db):
    """role → Persoon for the six roles (None for anonymous)."""
    from tests.roles import make_people

    return make_people()


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """tests/roles.py's world, built once per module in a transaction rolled back at its end;
    each test (marked django_db) runs in a savepoint inside it, so what one test changes the
    next does not see. Not for transactional tests."""
    from django.db import transaction
    from django.test import override_settings

    from tests.roles import make_world

    fast = {
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    }
    with django_db_blocker.unblock(), override_settings(**fast):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield make_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
