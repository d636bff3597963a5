#!/usr/bin/env bash
# Run every check: ruff, mypy, and the whole pytest suite (engine, platform, browser).
# Uses SQLite unless DATABASE_URL is set (CI sets a PostgreSQL URL). Extra args go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh --browser
. scripts/uv.sh
echo "==> ruff"
uv run --frozen ruff check .
echo "==> mypy"
uv run --frozen mypy facemeasure consult config
echo "==> import directions (lint-imports; contracts in pyproject.toml)"
uv run --frozen lint-imports
echo "==> pytest (database: ${DATABASE_URL:-sqlite})"
uv run --frozen pytest -p no:cacheprovider "$@"
case "${DATABASE_URL:-}" in postgres://*|postgresql://*) bench/smoke.sh ;; esac  # tiny bench harness (bench/smoke.sh)
