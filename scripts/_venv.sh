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
    local hash
    hash=$(sha256sum pyproject.toml | cut -c1-16)
    local stamp=".venv/.installed-${extras:-base}-$hash"
    if [ ! -f "$stamp" ]; then
        echo "==> Installing the project${extras:+ with [$extras]}"
        local log=.venv/pip-install.log
        if ! { .venv/bin/python -m pip install --disable-pip-version-check --upgrade pip &&
            .venv/bin/python -m pip install --disable-pip-version-check -e ".${extras:+[$extras]}"; } >"$log" 2>&1; then
            grep -v "is ignored" "$log" | tail -n 30 >&2
            echo "Installing the project failed; the whole log is in $log." >&2
            exit 1
        fi
        find .venv -maxdepth 1 -name '.installed-*' ! -name "*-$hash" -delete
        touch "$stamp"
    fi
}
