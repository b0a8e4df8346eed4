"""The settings module boots on its embedded default and is strict in production."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "productie-sleutel-met-genoeg-lengte-en-variatie-0123456789-abcdefXYZ!",
    "ALLOWED_HOSTS": "werkplaats.example.org",
    "SITE_URL": "https://werkplaats.example.org",
    "DATABASE_URL": "postgres://werkplaats:geheim@db.example.org:5432/werkplaats",
    "REDIS_URL": "redis://redis.example.org:6379/0",
    "EMAIL_HOST": "smtp.example.org",
    "DEFAULT_FROM_EMAIL": "Werkplaats <noreply@example.org>",
}


def without_test_only_variables(environ) -> dict[str, str]:
    # The browser tests allow sync ORM calls next to Playwright's loop; production never does.
    return {key: value for key, value in environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}


def run_django(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        key: value
        for key, value in without_test_only_variables(os.environ).items()
        if key not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "EMAIL_HOST"}
    }
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "werkplaats.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_debug_is_off_unless_asked_for_so_an_unconfigured_server_refuses_to_start():
    result = run_django("pass", env={})

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_the_embedded_default_boots_on_sqlite_with_eager_celery_and_file_mail():
    # `make run` turns DEBUG on; nothing else needs to be set.
    result = run_django(
        "from django.conf import settings as s; from werkplaats.celery import app; "
        "print(s.DATABASES['default']['ENGINE'], app.conf.task_always_eager, s.EMAIL_BACKEND)",
        env={"DEBUG": "1"},
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "django.core.mail.backends.filebased.EmailBackend",
    ]


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {key: value for key, value in PRODUCTION.items() if key != "SECRET_KEY"}

    result = run_django("pass", env=env)

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_check_deploy_reports_nothing_with_production_values():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=BASE_DIR,
        env={**without_test_only_variables(os.environ), **PRODUCTION},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_uses_redis_as_broker_and_smtp_for_mail():
    result = run_django(
        "from django.conf import settings as s; from werkplaats.celery import app; "
        "print(app.conf.broker_url, app.conf.task_always_eager, s.EMAIL_BACKEND, "
        "s.DATABASES['default']['HOST'], s.STORAGES['staticfiles']['BACKEND'])",
        env=PRODUCTION,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "redis://redis.example.org:6379/0",
        "False",
        "netwerk.smtp.EmailBackend",
        "db.example.org",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ]


def test_celery_accepts_json_only_and_schedules_the_stuck_mail_sweep():
    from werkplaats.celery import app

    assert app.conf.accept_content == ["json"]
    assert app.conf.task_serializer == "json"
    assert "netwerk.tasks.requeue_stuck_mail" in {
        entry["task"] for entry in app.conf.beat_schedule.values()
    }


def test_a_unix_socket_host_in_database_url_is_decoded():
    result = run_django(
        "from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(d['HOST'], d['NAME'], d['USER'], d['OPTIONS'])",
        env={
            **PRODUCTION,
            "DATABASE_URL": "postgres://werkplaats@%2Fvar%2Frun%2Fpostgresql/portal?sslmode=disable",
        },
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split(maxsplit=3) == [
        "/var/run/postgresql",
        "portal",
        "werkplaats",
        "{'sslmode': 'disable'}",
    ]
