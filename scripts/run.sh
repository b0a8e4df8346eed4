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
export PORT=${PORT:-8000}  # SITE_URL, the address in mail links, follows it (settings)
# The periodic tasks (publishing scheduled updates, expiring offers, starting planned
# editions, ...) run beside the server, in a process that stops with it.
echo "==> Starting the periodic tasks (manage.py run_schedule)"
.venv/bin/python manage.py run_schedule &
SCHEDULER_PID=$!
trap 'kill "$SCHEDULER_PID" 2>/dev/null; wait "$SCHEDULER_PID" 2>/dev/null' EXIT
echo "==> Serving http://127.0.0.1:$PORT/ (stop with Ctrl+C)"
.venv/bin/python manage.py runserver "127.0.0.1:$PORT"
