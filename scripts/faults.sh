#!/usr/bin/env bash
# The fault suite of issue 24 (tests/faults): the whole stack running, a process killed or a
# server stopped at the worst moment, then every row and every received mail counted.
#
# Always on a throwaway PostgreSQL and a throwaway Redis (never the machine's shared servers:
# scenarios stop and kill things); each scenario starts its own real Celery workers and its
# own SMTP sink. Prints a table expected vs observed per scenario, and the tables again at
# the end; fails when anything is lost or doubled.
#
#   bash scripts/faults.sh                  every scenario
#   bash scripts/faults.sh -k nieuwsbrief   arguments go to pytest
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh

WORK=$(mktemp -d /tmp/werkplaats-faults.XXXXXX)
chmod 755 "$WORK"
source scripts/_servers.sh
cleanup() {
    set +e
    stop_servers
    rm -rf "$WORK" 2>/dev/null
    return 0
}
trap cleanup EXIT

if [ -L .venv ]; then
    # A virtualenv shared with another checkout (a git worktree's link) is installed there;
    # scenarios 4 and 5 run gunicorn, which may also come from PYTHONPATH.
    .venv/bin/python -c "import gunicorn" 2>/dev/null ||
        fail "gunicorn is not in the shared .venv nor on PYTHONPATH: install the [prod] extra"
else
    ensure_venv "test,prod"
fi

provide_postgres throwaway
provide_redis throwaway
export DEBUG=1 FAULTS_REPORT=$WORK/report.txt
# Scenario 4 stops and starts this throwaway server (and refuses to run without it).
export FAULTS_PG_BIN=$PG_BIN FAULTS_PG_DATA=$PG_DATA FAULTS_PG_OPTIONS=$PG_OPTIONS FAULTS_PG_LOG=$PG_LOG
unset EMAIL_HOST

started=$(date +%s)
set +e
.venv/bin/python -m pytest tests/faults -m faults -p no:cacheprovider -q "$@"
status=$?
set -e
echo
echo "==> Fault suite: $(($(date +%s) - started)) s, commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
[ -f "$FAULTS_REPORT" ] && cat "$FAULTS_REPORT"
[ "$status" = 5 ] && fail "pytest collected no fault scenarios."
exit "$status"
