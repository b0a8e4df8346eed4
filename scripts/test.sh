#!/usr/bin/env bash
# Lint and the whole test suite on the real stack: PostgreSQL, Redis, a real Celery worker
# (started by the tests that need one) and headless Chromium.
#
# Uses DATABASE_URL / REDIS_URL when they point at running servers, then the servers of the
# project's machines (127.0.0.1:5432 as postgres, 127.0.0.1:6379); otherwise it starts
# throwaway servers from the local binaries, installing them with apt-get where it can.
# It never skips a tier: what it cannot provide, it names, and it fails.
# TEST_SERVERS=throwaway skips the running servers and always starts throwaway ones.
# Arguments are passed to pytest (e.g. scripts/test.sh tests/netwerk -k outbox).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh

WORK=$(mktemp -d /tmp/werkplaats-test.XXXXXX)
chmod 755 "$WORK"
PG_DATA=""
REDIS_PIDFILE=""
cleanup() {
    set +e
    if [ -n "$PG_DATA" ]; then
        as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null 2>&1
    fi
    if [ -n "$REDIS_PIDFILE" ] && [ -f "$REDIS_PIDFILE" ]; then
        local pid
        pid=$(cat "$REDIS_PIDFILE")
        kill "$pid" 2>/dev/null
        # Wait until Redis has gone, or it may still write into the folder being removed.
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -rf "$WORK" 2>/dev/null
    return 0
}
trap cleanup EXIT

fail() {
    echo "ERROR: $*" >&2
    exit 1
}

APT_UPDATED=""
apt_install() {
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
        return 1
    fi
    echo "==> Installing $* with apt-get"
    if [ -z "$APT_UPDATED" ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null && APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

free_port() {
    .venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

postgres_answers() {
    .venv/bin/python - "$1" <<'PY' >/dev/null 2>&1
import sys
import psycopg
from urllib.parse import urlsplit, urlunsplit
# Connect to the maintenance database: the test database itself may not exist yet.
parts = urlsplit(sys.argv[1])
psycopg.connect(urlunsplit(parts._replace(path="/postgres")), connect_timeout=3).close()
PY
}

redis_answers() {
    .venv/bin/python -c 'import sys, redis; redis.Redis.from_url(sys.argv[1], socket_timeout=3).ping()' "$1" >/dev/null 2>&1
}

provide_postgres() {
    local local_url="postgres://postgres@127.0.0.1:5432/werkplaats"
    if [ "${TEST_SERVERS:-}" = throwaway ]; then
        :
    elif [ -n "${DATABASE_URL:-}" ] && postgres_answers "$DATABASE_URL"; then
        echo "==> PostgreSQL: using DATABASE_URL"
        return
    elif postgres_answers "$local_url"; then
        echo "==> PostgreSQL: using the server on 127.0.0.1:5432"
        export DATABASE_URL=$local_url
        return
    fi
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -z "$PG_BIN" ]; then
        apt_install postgresql || fail "PostgreSQL is not running and not installed. Install it (apt-get install postgresql) or set DATABASE_URL."
        PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    fi
    local port
    port=$(free_port)
    PG_DATA=$WORK/pgdata
    mkdir -p "$PG_DATA" "$WORK/pgsock"
    if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$PG_DATA" "$WORK/pgsock"; fi
    chmod 700 "$PG_DATA"
    echo "==> PostgreSQL: starting a throwaway server on port $port"
    as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$WORK/pgsock/server.log" -w -t 30 \
        -o "-p $port -k $WORK/pgsock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null || fail "the throwaway PostgreSQL did not start: $(tail -n 5 "$WORK/pgsock/server.log")"
    export DATABASE_URL="postgres://postgres@127.0.0.1:$port/werkplaats"
}

provide_redis() {
    # Database 9 keeps the tests away from whatever else uses the default database 0.
    if [ "${TEST_SERVERS:-}" = throwaway ]; then
        :
    elif [ -n "${REDIS_URL:-}" ] && redis_answers "$REDIS_URL"; then
        echo "==> Redis: using REDIS_URL"
        return
    elif redis_answers "redis://127.0.0.1:6379/9"; then
        echo "==> Redis: using the server on 127.0.0.1:6379"
        export REDIS_URL="redis://127.0.0.1:6379/9"
        return
    fi
    if ! command -v redis-server >/dev/null; then
        apt_install redis-server || fail "Redis is not running and not installed. Install it (apt-get install redis-server) or set REDIS_URL."
    fi
    local port
    port=$(free_port)
    REDIS_PIDFILE=$WORK/redis.pid
    echo "==> Redis: starting a throwaway server on port $port"
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
        --pidfile "$REDIS_PIDFILE" --logfile "$WORK/redis.log" --dir "$WORK" >/dev/null
    for _ in $(seq 50); do
        redis_answers "redis://127.0.0.1:$port/0" && break
        sleep 0.1
    done
    redis_answers "redis://127.0.0.1:$port/0" || fail "the throwaway Redis did not start."
    export REDIS_URL="redis://127.0.0.1:$port/0"
}

provide_chromium() {
    CHROMIUM_PATH=${CHROMIUM_PATH:-$(command -v chromium || command -v chromium-browser || true)}
    if [ -z "$CHROMIUM_PATH" ]; then
        apt_install chromium || fail "Chromium is needed for the browser tests. Install it (apt-get install chromium) or set CHROMIUM_PATH."
        CHROMIUM_PATH=$(command -v chromium)
    fi
    export CHROMIUM_PATH
    echo "==> Chromium: $CHROMIUM_PATH"
}

ensure_venv "test"

echo "==> ruff check"
.venv/bin/ruff check .
echo "==> ruff format --check"
.venv/bin/ruff format --check .
# Security lint of the project's own code: nothing above low severity. A deliberate one is
# marked where it stands with `# nosec <test id>: <reason>`.
echo "==> bandit"
.venv/bin/bandit -q -r werkplaats netwerk leerateliers themas bijeenkomsten manage.py \
    --severity-level medium

provide_postgres
provide_redis
provide_chromium

# Chromium writes its profile under XDG folders; keep them out of the home directory.
export XDG_CONFIG_HOME=$WORK/xdg-config XDG_CACHE_HOME=$WORK/xdg-cache
export DEBUG=1
unset EMAIL_HOST

echo "==> pytest"
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" = 5 ]; then
    fail "pytest collected no tests."
fi
exit "$status"
