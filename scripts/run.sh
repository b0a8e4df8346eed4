#!/usr/bin/env bash
# Starts the portal with demo content on its embedded default (SQLite, eager Celery, mail
# written to var/mail/), unless DATABASE_URL, REDIS_URL or EMAIL_HOST say otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
ensure_venv ""

export DEBUG=${DEBUG:-1}
echo "==> Migrating the database"
.venv/bin/python manage.py migrate --no-input -v 0
echo "==> Loading demo content"
.venv/bin/python manage.py seed_demo
echo "==> Serving http://127.0.0.1:${PORT:-8000}/ (stop with Ctrl+C)"
exec .venv/bin/python manage.py runserver "127.0.0.1:${PORT:-8000}"
