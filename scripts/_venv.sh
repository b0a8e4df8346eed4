# Sourced by run.sh and test.sh: makes .venv with the project installed (extras in $1).
# Reinstalls only when pyproject.toml changed.
ensure_venv() {
    local extras=$1 python=${PYTHON:-python3}
    if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        echo "Python 3.11 or newer is needed (found: $("$python" --version 2>&1))." >&2
        exit 1
    fi
    if [ ! -x .venv/bin/python ]; then
        echo "==> Creating the virtualenv in .venv"
        "$python" -m venv .venv
    fi
    local stamp=".venv/.installed-${extras:-base}-$(sha256sum pyproject.toml | cut -c1-16)"
    if [ ! -f "$stamp" ]; then
        echo "==> Installing the project${extras:+ with [$extras]}"
        .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip 2>&1 | grep -v "is ignored" || true
        .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extras:+[$extras]}" 2>&1 | grep -v "is ignored" || true
        .venv/bin/python -c "import django, celery, allauth" || { echo "Installing the project failed." >&2; exit 1; }
        rm -f .venv/.installed-*
        touch "$stamp"
    fi
}
