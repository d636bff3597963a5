.PHONY: run test lint bench

run:  ## set up and run the site on SQLite with demo data
	scripts/run.sh

test:  ## set up and run every test (ruff, mypy, pytest incl. browser tests)
	scripts/test.sh

lint:
	python3 -m uv run --frozen ruff check . && python3 -m uv run --frozen mypy facemeasure consult config && python3 -m uv run --frozen lint-imports
