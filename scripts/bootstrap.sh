#!/usr/bin/env bash
# Install everything Consult needs on a fresh Debian machine. Idempotent; safe to re-run.
#   scripts/bootstrap.sh            Python dependencies (uv, locked in uv.lock)
#   scripts/bootstrap.sh --browser  also Debian's Chromium and axe-core (npm) for the browser tests
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# Two bootstraps at once (`make run` in one terminal, `make test` in another) take turns: the second waits
# here for the first, then finds everything installed.
mkdir -p var
exec 9>var/.bootstrap.lock
flock 9

# uv is called as `python3 -m uv` (scripts/uv.sh), never through a PATH shim that may not exist yet (pyenv
# creates its shims only on `pyenv rehash`). uv never downloads an interpreter: the machine's Python 3.11 is used.
export UV_PYTHON_DOWNLOADS=never
if ! python3 -m uv --version >/dev/null 2>&1; then
    echo "==> installing uv (from PyPI)"
    python3 -m pip install --quiet "uv>=0.5"
fi
echo "==> Python dependencies (uv sync --frozen)"
python3 -m uv sync --frozen --python python3.11 --quiet

if [ "${1:-}" = "--browser" ]; then
    if [ ! -x /usr/bin/chromium ]; then
        echo "==> installing Debian's chromium (apt-get)"
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
    fi
    if [ ! -x /usr/bin/wrk ]; then
        echo "==> installing Debian's wrk (apt-get), for the bench smoke test"
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
    fi
    if [ ! -f node_modules/axe-core/axe.min.js ]; then
        echo "==> axe-core (npm ci)"
        npm ci --silent --no-audit --no-fund
    fi
fi
