# Sourced by test.sh and bench.sh: PostgreSQL and Redis, running ones or throwaway ones.
#
# The caller sets WORK (a temporary folder) and calls stop_servers when it exits.
# provide_postgres and provide_redis export DATABASE_URL / REDIS_URL; with "throwaway" as
# their argument (or TEST_SERVERS=throwaway) they ignore running servers and start their own.

PG_DATA=""
PG_OPTIONS=""
PG_LOG=""
REDIS_PIDFILE=""
APT_UPDATED=""

fail() {
    echo "ERROR: $*" >&2
    exit 1
}

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
    if [ "${1:-}" = throwaway ] || [ "${TEST_SERVERS:-}" = throwaway ]; then
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
    # Kept in PG_OPTIONS and PG_LOG: the fault suite restarts this server with them.
    PG_OPTIONS="-p $port -k $WORK/pgsock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    PG_LOG=$WORK/pgsock/server.log
    echo "==> PostgreSQL: starting a throwaway server on port $port"
    as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 30 -o "$PG_OPTIONS" \
        start >/dev/null || fail "the throwaway PostgreSQL did not start: $(tail -n 5 "$PG_LOG")"
    export DATABASE_URL="postgres://postgres@127.0.0.1:$port/werkplaats"
}

provide_redis() {
    # Database 9 keeps the tests away from whatever else uses the default database 0.
    if [ "${1:-}" = throwaway ] || [ "${TEST_SERVERS:-}" = throwaway ]; then
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

stop_servers() {
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
    return 0
}
