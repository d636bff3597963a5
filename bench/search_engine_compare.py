"""Would a dedicated search engine meet issue 14's p95 <= 50 ms at 1M questions? PostgreSQL against Tantivy.

    pip install tantivy==0.27.0   # not a project dependency: this is a measurement, not a backend
    uv run --frozen python bench/search_engine_compare.py \
        --database-url postgres://postgres@127.0.0.1:5432/consult_bench_1m --index-dir /tmp/tantivy-1m

Builds (once; reused when ``--index-dir`` holds one) a Tantivy index (the Rust search library behind
Quickwit, through its Python bindings) of the platform's own search documents, ``search_searchdocument``:
title, tags and body with English stemming, the filter words of ``facets`` (``tag:12`` -> ``tag12``), and
the document id. Then runs bench/search_latency.py's query mix (bench/load.py ``search_paths``) through
both, in the same process and the same run, alternating query by query:

- **PostgreSQL**: ``consult.search.selectors.search`` as the site calls it (matches, count capped at
  1 000, ranking among the newest 1 000 matches, snippets of one page);
- **Tantivy**: the same parsed query (``consult.search.query.parse``: every word or phrase required,
  exclusions excluded, filters required), BM25 over *all* matches with title x10 and tags x4 boosts, the
  top 20 and the exact count (``--no-count``: the top 20 alone), then one PostgreSQL query for those 20 documents' rows (what a page would
  show, without snippets).

Prints p50 / p95 / p99 / max per kind of query for both and the ratio of their p95. Nothing here is used
by the site.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load import search_paths  # noqa: E402
from search_latency import KINDS, summary  # noqa: E402


def facet_word(word: str) -> str:
    """A facet word of the site's index (``kind:question``, ``tag:12``, ``specialty:facial-plastic``) as one
    token of Tantivy's default tokenizer (letters and digits only): the index and the queries both use it."""
    return re.sub(r"[^a-z0-9]", "", word.lower())


def build(index_dir: Path, database_url: str) -> Any:
    import psycopg
    import tantivy

    schema_builder = tantivy.SchemaBuilder()
    schema_builder.add_integer_field("id", stored=True, indexed=True, fast=True)
    for name in ("title", "tags", "body"):
        schema_builder.add_text_field(name, stored=False, tokenizer_name="en_stem")
    schema_builder.add_text_field("facets", stored=False, tokenizer_name="default")
    schema = schema_builder.build()
    if (index_dir / "meta.json").exists():
        return tantivy.Index(schema, path=str(index_dir))
    index_dir.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(schema, path=str(index_dir))
    writer = index.writer(heap_size=1_000_000_000, num_threads=2)
    started = time.perf_counter()
    n = 0
    with psycopg.connect(database_url) as conn, conn.cursor(name="docs") as cur:
        cur.itersize = 20_000
        cur.execute("SELECT id, title, tags, left(body, 20000), facets FROM search_searchdocument")
        for pk, title, tags, body, facets in cur:
            writer.add_document(
                tantivy.Document(
                    id=pk, title=title, tags=tags, body=body, facets=" ".join(map(facet_word, facets.split()))
                )
            )
            n += 1
            if n % 500_000 == 0:
                print(f"  {n:,} documents, {time.perf_counter() - started:.0f} s", flush=True)
    writer.commit()
    writer.wait_merging_threads()
    print(f"indexed {n:,} documents in {time.perf_counter() - started:.0f} s")
    return tantivy.Index(schema, path=str(index_dir))


def tantivy_query(index: Any, parsed: Any, facets: list[str]) -> Any | None:
    """The parsed query in Tantivy's query language: each term required (+) or excluded (-)."""
    parts = []
    for term in parsed.terms:
        words = " ".join(term.words)
        parts.append(
            f'{"-" if term.negated else "+"}"{words}"'
            if term.is_phrase
            else f"{'-' if term.negated else '+'}{words}"
        )
    parts += [f"+facets:{f}" for f in facets]
    if not any(p.startswith("+") for p in parts):
        return None
    return index.parse_query(
        " ".join(parts), ["title", "tags", "body"], field_boosts={"title": 10.0, "tags": 4.0}
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=330)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument(
        "--no-count",
        action="store_true",
        help="Tantivy: the top 20 only (block-max WAND skips what cannot rank), no exact count of the matches",
    )
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from consult.questions.models import Tag
    from consult.search import query as search_query
    from consult.search import selectors
    from consult.search.models import SearchDocument
    from consult.search.types import SearchFilters

    index = build(args.index_dir, args.database_url)
    index.reload()
    searcher = index.searcher()
    print(f"Tantivy index: {searcher.num_docs:,} documents in {args.index_dir}")
    tag_ids = dict(Tag.objects.values_list("slug", "id"))

    calls = []
    for i, path in enumerate(search_paths(args.queries)):
        params = {k: v[0] for k, v in parse_qs(urlsplit(path).query).items()}
        answered = {"yes": True, "no": False}.get(params.get("answered", ""))
        filters = SearchFilters(kind=params.get("kind", ""), tag=params.get("tag", ""), answered=answered,
                                specialty=params.get("specialty", ""))  # fmt: skip
        # the filters as the site's facet words (consult/search/index.py ``facets``)
        words = [f"kind:{params['kind']}"] if params.get("kind") else []
        words += [f"tag:{tag_ids[params['tag']]}"] if params.get("tag") else []
        words += [f"answered:{'yes' if answered else 'no'}"] if answered is not None else []
        words += [f"specialty:{params['specialty']}"] if params.get("specialty") else []
        calls.append((KINDS[i % len(KINDS)], params.get("q", ""), filters, [facet_word(w) for w in words]))

    times: dict[str, dict[str, list[float]]] = {
        "postgres": {k: [] for k in KINDS},
        "tantivy": {k: [] for k in KINDS},
    }
    counts: dict[str, dict[str, int]] = {"postgres": {}, "tantivy": {}}
    for n in range(args.passes):
        for kind, text, filters, facets in calls:
            started = time.perf_counter()
            results = selectors.search(text, filters=filters)
            pg_ms = (time.perf_counter() - started) * 1000
            started = time.perf_counter()
            q = tantivy_query(index, search_query.parse(text), facets)
            total = 0
            if q is not None:
                found = searcher.search(q, limit=20, count=not args.no_count)
                total = found.count or 0
                ids = [searcher.doc(address)["id"][0] for _score, address in found.hits]
                list(SearchDocument.objects.filter(id__in=ids).values("id", "title", "url", "kind"))
            tv_ms = (time.perf_counter() - started) * 1000
            if n:  # the first pass warms both caches
                times["postgres"][kind].append(pg_ms)
                times["tantivy"][kind].append(tv_ms)
            counts["postgres"][kind] = max(counts["postgres"].get(kind, 0), results.total)
            counts["tantivy"][kind] = max(counts["tantivy"].get(kind, 0), total)

    print(
        f"\n{len(calls)} queries x {args.passes - 1} passes after one warm-up pass, load average {os.getloadavg()[0]:.1f}\n"
    )
    print(
        "| queries | PostgreSQL p50 / p95 / p99 / max ms | Tantivy p50 / p95 / p99 / max ms | p95 ratio | most matches PG (cap 1000) / Tantivy |"
    )
    print("|---|---|---|---|---|")
    rows = [
        (
            "all",
            [v for vs in times["postgres"].values() for v in vs],
            [v for vs in times["tantivy"].values() for v in vs],
        )
    ]
    rows += [(k, times["postgres"][k], times["tantivy"][k]) for k in KINDS]
    for name, pg, tv in rows:
        a, b = summary(pg), summary(tv)
        matches = "" if name == "all" else f"{counts['postgres'][name]} / {counts['tantivy'][name]}"
        print(
            f"| {name} | {a['p50']} / {a['p95']} / {a['p99']} / {a['max']} | {b['p50']} / {b['p95']} / {b['p99']} / {b['max']}"
            f" | {b['p95'] / a['p95']:.2f} | {matches} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
