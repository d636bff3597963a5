#!/usr/bin/env bash
# Set up and run the site on the embedded default (SQLite) with synthetic demo content.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
. scripts/uv.sh
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.dev}"
PORT="${PORT:-8000}"
# Links in e-mails start with SITE_URL: the port this run serves on, unless set.
export SITE_URL="${SITE_URL:-http://127.0.0.1:${PORT}}"
uv run --frozen python manage.py migrate --noinput
uv run --frozen python manage.py load_demo
echo
echo "  Consult is running: open http://127.0.0.1:${PORT}/"
echo "  Demo sign-ins (password 'demo-pass-123'): patient@example.com, doctor@example.com, moderator@example.com, staff@example.com"
echo
# The background worker that measures uploaded photos (django-tasks database queue) runs beside the
# web server and stops with it. It gets its own process group (set -m) so the trap stops all of it
# (a uv shim, uv, python), not only the first process, which may not pass the signal on.
set -m
uv run --frozen python manage.py photos_worker &
WORKER_PID=$!
set +m
trap 'kill -TERM -- "-$WORKER_PID" 2>/dev/null; wait "$WORKER_PID" 2>/dev/null' EXIT
uv run --frozen python manage.py runserver "127.0.0.1:${PORT}"
