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
source scripts/_servers.sh
EMBEDDED_PID=""
SECOND_PID=""
cleanup() {
    set +e
    for pid in $EMBEDDED_PID $SECOND_PID; do
        pkill -TERM -P "$pid" 2>/dev/null
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    stop_servers
    rm -rf "$WORK" 2>/dev/null
    return 0
}
trap cleanup EXIT

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
.venv/bin/bandit -q -r werkplaats netwerk leerateliers themas bijeenkomsten kennisbank nieuwsbrief privacy manage.py \
    --severity-level medium

export DEBUG=1
unset EMAIL_HOST

# Uploaded files of the tests go to this run's own folders, not the checkout's (file fields
# take their storage when the models are imported); each tier has its own.
export KENNISBANK_ROOT=$WORK/real/bestanden MEDIA_ROOT=$WORK/real/media

# The embedded tier: the same tests on the README's embedded default (SQLite, no Redis,
# Celery eager), but for the ones marked real_stack_only and the browser tests. Without
# arguments it runs beside the real stack (the machine has two cores, and the two tiers
# share no server, database or folder); alone with TEST_TIER=embedded.
run_embedded_tier() {
    echo "==> pytest on the embedded default (SQLite, no Redis)"
    env -u REDIS_URL TEST_TIER=embedded DATABASE_URL="sqlite:///$WORK/embedded.sqlite3" \
        KENNISBANK_ROOT="$WORK/embedded/bestanden" MEDIA_ROOT="$WORK/embedded/media" \
        .venv/bin/python -m pytest -p no:cacheprovider "$@"
}

if [ "${TEST_TIER:-}" = embedded ]; then
    set +e
    if [ "$#" = 0 ]; then
        run_embedded_tier tests --ignore=tests/e2e --ignore=tests/test_fuzz_forms.py -q
    else
        run_embedded_tier "$@"
    fi
    status=$?
    [ "$status" = 5 ] && fail "pytest collected no tests."
    exit "$status"
fi

provide_postgres
provide_redis
provide_chromium

# Chromium writes its profile under XDG folders; keep them out of the home directory.
export XDG_CONFIG_HOME=$WORK/xdg-config XDG_CACHE_HOME=$WORK/xdg-cache

# Without arguments the run has three lanes side by side (two cores; the tests wait on
# PostgreSQL, Redis and Chromium much of the time): the real stack's URL matrix and browser
# tests, in their own database and Redis database; the rest of the real stack; and the
# embedded default. Their output follows the real stack's, lane by lane.
SECOND_LANE=(tests/test_url_matrix.py tests/e2e)
if [ "$#" = 0 ]; then
    echo "==> pytest on the embedded default starts beside the real stack; its output follows"
    run_embedded_tier tests --ignore=tests/e2e --ignore=tests/test_fuzz_forms.py -q \
        >"$WORK/embedded.log" 2>&1 &
    EMBEDDED_PID=$!
    SECOND_REDIS_URL=$(
        .venv/bin/python - "$REDIS_URL" <<'PY'
import sys
from urllib.parse import urlsplit, urlunsplit

parts = urlsplit(sys.argv[1])
database = int(parts.path.strip("/") or 0)
print(urlunsplit(parts._replace(path=f"/{(database + 1) % 16}")))
PY
    )
    echo "==> pytest of ${SECOND_LANE[*]} starts beside the rest (Redis database ${SECOND_REDIS_URL##*/}); its output follows"
    env DATABASE_URL="${DATABASE_URL%/*}/werkplaats_lane2" REDIS_URL="$SECOND_REDIS_URL" \
        KENNISBANK_ROOT="$WORK/lane2/bestanden" MEDIA_ROOT="$WORK/lane2/media" \
        .venv/bin/python -m pytest -p no:cacheprovider "${SECOND_LANE[@]}" \
        >"$WORK/lane2.log" 2>&1 &
    SECOND_PID=$!
    set -- --ignore=tests/test_url_matrix.py --ignore=tests/e2e
fi

echo "==> pytest"
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
[ "$status" = 5 ] && fail "pytest collected no tests."
for lane in SECOND EMBEDDED; do
    pid_name=${lane}_PID
    pid=${!pid_name}
    [ -n "$pid" ] || continue
    set +e
    wait "$pid"
    lane_status=$?
    set -e
    printf -v "$pid_name" '%s' ""
    if [ "$lane" = SECOND ]; then
        echo "==> pytest of ${SECOND_LANE[*]}"
        cat "$WORK/lane2.log"
    else
        cat "$WORK/embedded.log"
    fi
    [ "$lane_status" = 5 ] && fail "pytest collected no tests in the lane of $lane."
    [ "$status" = 0 ] && status=$lane_status
done
exit "$status"
