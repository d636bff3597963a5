"""Search latency inside one process, per kind of query: the service itself (consult.search.selectors), no HTTP.

    uv run --frozen python bench/search_latency.py --database-url postgres://postgres@127.0.0.1:5432/bench_search

Runs every query of bench/load.py's search mix (``search_paths``) ``--passes`` times through
``selectors.search`` (the page's one search query: ranking, count and snippets), then ``--titles``
similar-question lookups with titles like the generator's, and prints p50 / p95 / p99 / max in ms, overall
and per kind of query (for two and three words and exclusions, also the searches among them that found
nothing). The first pass is reported apart (cold caches). Writes bench/out/search-<db>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load import SEARCH_PROCEDURES, SEARCH_WORDS, search_paths  # noqa: E402

KINDS = ["one word", "two words", "three words", "a concern's name", "phrase", "exclusion", "word + concern filter",
         "concern, unanswered", "doctors: city + specialty", "typo", "no match"]  # fmt: skip


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50": round(statistics.median(values), 2),
        "p95": round(pct(values, 95), 2),
        "p99": round(pct(values, 99), 2),
        "max": round(max(values), 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--queries", type=int, default=330)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--titles", type=int, default=200)
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.db import connection

    from consult.search import selectors
    from consult.search.types import SearchFilters

    paths = search_paths(args.queries)
    calls = []
    for i, path in enumerate(paths):
        params = {k: v[0] for k, v in parse_qs(urlsplit(path).query).items()}
        answered = {"yes": True, "no": False}.get(params.get("answered", ""))
        filters = SearchFilters(kind=params.get("kind", ""), tag=params.get("tag", ""), answered=answered,
                                specialty=params.get("specialty", ""))  # fmt: skip
        calls.append((KINDS[i % len(KINDS)], params.get("q", ""), filters))

    by_kind: dict[str, list[float]] = {kind: [] for kind in KINDS}
    # Word combinations found nowhere cost differently from those found (docs/search.md): their own rows too.
    nowhere: dict[str, list[float]] = {kind: [] for kind in ("two words", "three words", "exclusion")}
    cold: list[float] = []
    warm: list[float] = []
    totals: dict[str, int] = {}
    for n in range(args.passes):
        for kind, query, filters in calls:
            started = time.perf_counter()
            results = selectors.search(query, filters=filters)
            ms = (time.perf_counter() - started) * 1000
            (cold if n == 0 else warm).append(ms)
            if n:
                by_kind[kind].append(ms)
                if kind in nowhere and results.total == 0:
                    nowhere[kind].append(ms)
            totals[kind] = max(totals.get(kind, 0), results.total)

    rng = random.Random(3)
    templates = ["How long until {p} results settle?", "Is {p} worth it after onset", "uneven smile after {p} normal?",
                 "{p} swelling three weeks", "does {p} need repeating", "twitching after {p}"]  # fmt: skip
    similar: list[float] = []
    for _ in range(args.titles):
        title = rng.choice(templates).format(p=rng.choice(SEARCH_PROCEDURES)[1])
        if rng.random() < 0.3:
            title = title.replace(rng.choice(SEARCH_WORDS[:5]), "")[: rng.randrange(12, 40)]
        started = time.perf_counter()
        selectors.similar_questions(title)
        similar.append((time.perf_counter() - started) * 1000)

    dbname = connection.settings_dict.get("NAME", "db")
    record = {
        "database": dbname,
        "vendor": connection.vendor,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "loadavg": os.getloadavg(),
        "first_pass": summary(cold),
        "later_passes": summary(warm) if warm else None,
        "by_kind": {k: {**summary(v), "matches_counted": totals.get(k, 0)} for k, v in by_kind.items() if v},
        "found_nowhere": {k: summary(v) for k, v in nowhere.items() if v},
        "similar_questions": summary(similar),
    }
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"search-{dbname}.json").write_text(json.dumps(record, indent=2))
    print(f"\n{dbname} ({connection.vendor}), {len(calls)} queries x {args.passes} passes, "
          f"load average {record['loadavg'][0]:.1f}\n")  # fmt: skip
    print("| queries | n | p50 ms | p95 ms | p99 ms | max ms | matches counted (cap 1000) |")
    print("|---|---|---|---|---|---|---|")
    rows = [("first pass (cold)", record["first_pass"], "")]
    if warm:
        rows.append(("later passes, all", record["later_passes"], ""))
    for k, v in record["by_kind"].items():
        rows.append((k, v, str(v["matches_counted"])))
        if k in record["found_nowhere"]:
            rows.append((f"{k}: of which found nowhere", record["found_nowhere"][k], "0"))
    rows.append(("similar questions (ask page)", record["similar_questions"], ""))
    for name, row, matches in rows:
        print(f"| {name} | {row['n']} | {row['p50']} | {row['p95']} | {row['p99']} | {row['max']} | {matches} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
