#!/usr/bin/env bash
# The HTTP benchmark of issue 11: the main pages under load, and a registration rush.
#
# Seeds `seed_demo --scale 100` into its own PostgreSQL database (werkplaats_bench, on the
# server test.sh would use, or a throwaway one), starts a throwaway Redis, collects the
# static files, starts gunicorn with DEBUG off, and loads every page with wrk (installed
# with apt-get when missing): BENCH_CLIENTS concurrent clients for BENCH_SECONDS each, each
# page right after BENCH_CEILING_SECONDS of /healthz, its ceiling (the machine's load drifts,
# so every page is compared with the ceiling of the same moment). It prints req/s,
# p50/p95/p99 and the ratio to /healthz per page, then rushes BENCH_GUESTS guest
# confirmations at BENCH_PLACES places of one bijeenkomst. Everything it started, it stops.
#
#   bash scripts/bench.sh            pages and rush
#   bash scripts/bench.sh pages      only the pages
#   bash scripts/bench.sh rush       only the rush
#   bash scripts/bench.sh rush-sessies  only the rush of issue 21: BENCH_GUESTS (1,000)
#                                    guests for BENCH_PLACES (300) places and a ronde of
#                                    BENCH_SESSIONS (3) deelsessies of BENCH_SESSION_PLACES
#                                    (100), each guest choosing one
#   bash scripts/bench.sh once       one request at a time: the reach report and its XLSX
#                                    over three years (issue 22: under 2 s and 5 s), uncached
#
# BENCH_REUSE_DB=1 keeps the database of the previous run (skips the seed of about 45 s).
# BENCH_DB_NAME names that database (werkplaats_bench), so that two checkouts can run side by side;
# BENCH_PORT fixes gunicorn's port (a free one otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh

WHAT=${1:-all}
case "$WHAT" in all | pages | rush | rush-sessies | once) ;; *)
    echo "usage: bash scripts/bench.sh [all|pages|rush|rush-sessies|once]" >&2
    exit 2
    ;;
esac
SECONDS_PER_PAGE=${BENCH_SECONDS:-8}
CEILING_SECONDS=${BENCH_CEILING_SECONDS:-4}
CLIENTS=${BENCH_CLIENTS:-20}
WORKERS=${BENCH_WORKERS:-2}
if [ "$WHAT" = rush-sessies ]; then
    GUESTS=${BENCH_GUESTS:-1000}
    PLACES=${BENCH_PLACES:-300}
else
    GUESTS=${BENCH_GUESTS:-500}
    PLACES=${BENCH_PLACES:-150}
fi
SESSIONS=${BENCH_SESSIONS:-3}
SESSION_PLACES=${BENCH_SESSION_PLACES:-100}
DB_NAME=${BENCH_DB_NAME:-werkplaats_bench}

WORK=$(mktemp -d /tmp/werkplaats-bench.XXXXXX)
chmod 755 "$WORK"
source scripts/_servers.sh
GUNICORN_PID=""
cleanup() {
    set +e
    if [ -n "$GUNICORN_PID" ]; then
        # gunicorn runs in its own session (setsid): stop its whole process group.
        kill -TERM -- "-$GUNICORN_PID" 2>/dev/null
        for _ in $(seq 100); do kill -0 "$GUNICORN_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL -- "-$GUNICORN_PID" 2>/dev/null
    fi
    stop_servers
    rm -rf "$WORK" 2>/dev/null
    return 0
}
trap cleanup EXIT

if [ -L .venv ]; then
    # A virtualenv shared with another checkout (a git worktree's link) is installed by that
    # checkout, never from here; gunicorn may also come from PYTHONPATH.
    .venv/bin/python -c "import gunicorn" 2>/dev/null ||
        fail "gunicorn is not in the shared .venv nor on PYTHONPATH: install the [prod] extra"
else
    ensure_venv "prod"
fi
if ! command -v wrk >/dev/null; then
    apt_install wrk || fail "wrk is needed: apt-get install wrk"
fi

provide_postgres
provide_redis throwaway
# The same server, its own database: the benchmark never touches another database's data.
export DATABASE_URL="${DATABASE_URL%/*}/$DB_NAME"

# Production settings, over plain HTTP on 127.0.0.1.
export DEBUG=0 SECRET_KEY="bench-$(date +%s)-not-secret" ALLOWED_HOSTS=127.0.0.1
export SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0
export EMAIL_FILE_PATH=$WORK/mail LOG_LEVEL=WARNING
unset EMAIL_HOST
export LOCK_TIMEOUT_SECONDS=${BENCH_LOCK_TIMEOUT_SECONDS:-${LOCK_TIMEOUT_SECONDS:-3}}

.venv/bin/python - "$DATABASE_URL" "${BENCH_REUSE_DB:-0}" <<'PY'
import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg

url, reuse = sys.argv[1], sys.argv[2] == "1"
name = urlsplit(url).path.lstrip("/")
with psycopg.connect(urlunsplit(urlsplit(url)._replace(path="/postgres")), autocommit=True) as db:
    exists = db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    if exists and reuse:
        print(f"==> PostgreSQL: reusing database {name}")
        sys.exit(0)
    if exists:
        db.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    db.execute(f'CREATE DATABASE "{name}"')
    print(f"==> PostgreSQL: created database {name}")
PY

echo "==> migrate"
.venv/bin/python manage.py migrate --no-input -v 0
if [ "${BENCH_REUSE_DB:-0}" != 1 ]; then
    echo "==> seed_demo --scale 100"
    .venv/bin/python manage.py seed_demo --scale 100 >/dev/null
    # Statistics for the planner, as autovacuum would gather them on a server in use: a
    # fresh seed has none, and the plans (and so the figures) would be those of empty tables.
    echo "==> ANALYZE"
    .venv/bin/python manage.py shell -c "from django.db import connection; connection.cursor().execute('ANALYZE')"
fi
echo "==> collectstatic"
.venv/bin/python manage.py collectstatic --no-input -v 0

PORT=${BENCH_PORT:-$(free_port)}
BASE_URL="http://127.0.0.1:$PORT"
echo "==> gunicorn: $WORKERS sync workers on $BASE_URL"
setsid .venv/bin/python -m gunicorn werkplaats.wsgi --workers "$WORKERS" --bind "127.0.0.1:$PORT" \
    --log-level warning --error-logfile "$WORK/gunicorn.log" &
GUNICORN_PID=$!
for _ in $(seq 100); do
    curl -fsS -o /dev/null "$BASE_URL/healthz" 2>/dev/null && break
    sleep 0.2
done
curl -fsS -o /dev/null "$BASE_URL/healthz" || fail "gunicorn did not answer: $(tail -n 20 "$WORK/gunicorn.log")"

echo
echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "Machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1), $(free -g | awk '/^Mem:/ {print $2}') GB RAM, $(uname -sr)"
echo "Load: gunicorn $WORKERS sync workers, DEBUG off; wrk $CLIENTS clients, ${SECONDS_PER_PAGE} s per page after ${CEILING_SECONDS} s of /healthz"
echo

if [ "$WHAT" = all ] || [ "$WHAT" = once ]; then
    echo "==> One request at a time (the page is made every time: the report is never cached)"
    .venv/bin/python -m tests.perf.bench once "$BASE_URL" --repeat "${BENCH_ONCE_REPEAT:-5}"
    echo
fi

if [ "$WHAT" = all ] || [ "$WHAT" = pages ]; then
    RESULTS=$WORK/results.jsonl
    .venv/bin/python -m tests.perf.bench targets >"$WORK/targets.tsv"
    load() { # name path cookie seconds
        local headers=()
        if [ -n "$3" ]; then headers=(-H "Cookie: $3"); fi
        wrk -t2 -c"$CLIENTS" -d"${4}s" --timeout 30s -s tests/perf/wrk_report.lua \
            "${headers[@]}" "$BASE_URL$2" </dev/null >"$WORK/wrk.out"
        .venv/bin/python -m tests.perf.bench record "$1" "$2" "$3" <"$WORK/wrk.out" >>"$RESULTS"
    }
    while IFS=$'\t' read -r name path cookie; do
        headers=()
        if [ -n "$cookie" ]; then headers=(-H "Cookie: $cookie"); fi
        status=$(curl -s -o /dev/null -w '%{http_code}' "${headers[@]}" "$BASE_URL$path")
        if [ "$status" != 200 ]; then
            fail "$path answered $status before the load: $(tail -n 20 "$WORK/gunicorn.log")"
        fi
        echo "--> $name ($path)"
        load /healthz /healthz "" "$CEILING_SECONDS"
        load "$name" "$path" "$cookie" "$SECONDS_PER_PAGE"
    done <"$WORK/targets.tsv"
    echo
    .venv/bin/python -m tests.perf.bench report "$RESULTS"
    echo
    echo "==> A harvester collects the kennisbank over OAI-PMH"
    .venv/bin/python -m tests.perf.bench harvest "$BASE_URL"
    echo
fi

if [ "$WHAT" = all ] || [ "$WHAT" = rush ] || [ "$WHAT" = rush-sessies ]; then
    session_args=()
    if [ "$WHAT" = rush-sessies ]; then
        session_args=(--sessions "$SESSIONS" --session-places "$SESSION_PLACES")
        echo "==> The rush with deelsessies: $GUESTS guests confirm at once, $PLACES places, $SESSIONS deelsessies of $SESSION_PLACES (lock timeout ${LOCK_TIMEOUT_SECONDS} s)"
    else
        echo "==> The rush: $GUESTS guests confirm at once, $PLACES places (lock timeout ${LOCK_TIMEOUT_SECONDS} s)"
    fi
    wrk -t2 -c"$CLIENTS" -d"${CEILING_SECONDS}s" -s tests/perf/wrk_report.lua "$BASE_URL/healthz" \
        </dev/null | .venv/bin/python -m tests.perf.bench record /healthz /healthz "" >"$WORK/ceiling.json"
    .venv/bin/python -m tests.perf.bench rush "$BASE_URL" --guests "$GUESTS" --places "$PLACES" \
        --ceiling "$WORK/ceiling.json" "${session_args[@]}"
fi
