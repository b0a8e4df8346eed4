"""The fault suite's machinery: real Celery workers that can be killed, and the report.

Run by `bash scripts/faults.sh` (throwaway PostgreSQL and Redis); never by the normal test
command, which leaves tests/faults out and deselects the `faults` marker.
"""

import os
import signal
import subprocess
import sys
import time
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
