#!/usr/bin/env bash
# The bench harness in miniature, for CI (scripts/test.sh runs it when DATABASE_URL is PostgreSQL):
# generate ~1 000 questions into a throwaway database, the EXPLAIN check, ~2 s of load per page,
# and the two-instance check (vote across instances; photo measured by a separate worker).
# Uses the PostgreSQL server of DATABASE_URL and the Redis at REDIS_URL (default 127.0.0.1:6379).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL to a postgres:// URL}"
. scripts/uv.sh
DB="consult_bench_smoke_$$"
URL="$(python3 -c 'import sys, urllib.parse as u; print(u.urlsplit(sys.argv[1])._replace(path="/" + sys.argv[2]).geturl())' "$DATABASE_URL" "$DB")"
ADMIN="$(uv run --frozen python -c 'import sys, psycopg; print(psycopg.conninfo.make_conninfo(sys.argv[1], dbname="postgres"))' "$DATABASE_URL")"
REDIS="${REDIS_URL:-redis://127.0.0.1:6379/14}"
cleanup() { uv run --frozen python -c 'import sys, psycopg; c = psycopg.connect(sys.argv[1], autocommit=True); c.execute(f"DROP DATABASE IF EXISTS \"{sys.argv[2]}\" WITH (FORCE)")' "$ADMIN" "$DB" || true; }
trap cleanup EXIT
started=$(date +%s)
echo "==> bench smoke: generate 1 000 questions into $DB"
uv run --frozen python bench/generate.py --questions 1000 --doctors 200 --database-url "$URL" --quiet
echo "==> bench smoke: EXPLAIN check"
uv run --frozen python bench/explain.py --database-url "$URL"
echo "==> bench smoke: load (2 s per page)"
uv run --frozen python bench/load.py --database-url "$URL" --redis-url "$REDIS" --duration 2 --warmup 1 --workers 2 --label smoke
echo "==> bench smoke: two instances sharing PostgreSQL and Redis"
uv run --frozen python bench/two_instances.py --database-url "$URL" --redis-url "$REDIS"
echo "==> bench smoke passed in $(( $(date +%s) - started )) s"
