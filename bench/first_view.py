"""What one first view of a thread costs, counted: the figures a loaded machine cannot blur.

    uv run --frozen python bench/first_view.py --database-url postgres://postgres@127.0.0.1:5432/consult_bench_1m

Anonymous first views (nothing cached: a fresh cache namespace) of --requests different 5-answer threads
through Django's WSGI handler with production settings, as bench/load.py's random-thread run makes them.
Per view: SQL queries, templates rendered (``render_to_string``/``render`` calls and every template
they include), ``reverse()`` calls, cache round trips, Python function calls (cProfile), and CPU time
(process time: less sensitive to other processes than wall time, not immune). ``--top`` prints the
functions that cost most, by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import inspect
import io
import os
import pstats
import sys
import time
from collections.abc import Callable

import inprocess  # bench/inprocess.py: production settings, requests through the WSGI handler


def _calls(stats: pstats.Stats, function: Callable[..., object]) -> int:
    """How many times ``function`` was called (primitive and recursive calls)."""
    code = inspect.unwrap(function).__code__
    return sum(
        value[1]
        for (filename, line, name), value in stats.stats.items()  # type: ignore[attr-defined]
        if filename == code.co_filename and line == code.co_firstlineno and name == code.co_name
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1"))
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--top", type=int, default=0, help="also print the top N functions by own time")
    args = parser.parse_args(argv)
    inprocess.setup(database_url=args.database_url, redis_url=args.redis_url, label="firstview")
    from django.db import connection
    from django.template.backends.django import Template as BackendTemplate
    from django.template.base import Template
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django_redis.cache import RedisCache

    from consult.questions import selectors
    from consult.questions.models import Question

    n = args.requests
    paths = [
        q.get_absolute_url()
        for q in Question.objects.filter(is_hidden=False, answer_count=5).order_by("-id")[: 3 * n + 10]
    ]
    if len(paths) < 3 * n + 10:
        raise SystemExit(f"only {len(paths)} 5-answer threads: ask for fewer --requests")
    warm, counted, profiled, timed = (
        paths[:10],
        paths[10 : 10 + n],
        paths[10 + n : 10 + 2 * n],
        paths[10 + 2 * n :],
    )
    get = inprocess.Wsgi().get  # one anonymous request through the WSGI handler, as gunicorn makes it

    for path in warm:  # imports, template compilation, connections
        get(path)
    # Every thread's rows read once, so they sit in PostgreSQL's buffers: the CPU figure is the code's, not the disk's.
    for path in paths:
        selectors.thread_rows(pk=int(path.split("/")[2]))

    with CaptureQueriesContext(connection) as ctx:
        for path in counted:
            get(path)
    queries = len(ctx.captured_queries) / n

    profile = cProfile.Profile()
    profile.enable()
    for path in profiled:
        get(path)
    profile.disable()
    stats = pstats.Stats(profile)

    total_cpu = total_wall = 0.0
    for path in timed:
        cpu, wall = time.process_time(), time.perf_counter()
        get(path)
        total_cpu += time.process_time() - cpu
        total_wall += time.perf_counter() - wall

    rows = {
        "SQL queries": queries,
        "templates rendered (render_to_string / render)": _calls(stats, BackendTemplate.render) / n,
        "templates rendered, with includes": _calls(stats, Template.render) / n,
        "reverse() calls": _calls(stats, reverse) / n,
        "cache round trips": sum(
            _calls(stats, getattr(RedisCache, name)) for name in ("get_many", "get", "set", "add", "set_many")
        )
        / n,
        "Python function calls (cProfile)": stats.total_calls / n,  # type: ignore[attr-defined]
        "CPU ms (process time, no profiler)": total_cpu / n * 1000,
        "wall ms (no profiler)": total_wall / n * 1000,
    }
    print(
        f"{Question.objects.count():,} questions; anonymous first views of {n} different 5-answer threads\n"
    )
    print("| per first view | |")
    print("|---|---|")
    for name, value in rows.items():
        print(f"| {name} | {value:,.1f} |")
    if args.top:
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(args.top)
        print("\n".join(line for line in out.getvalue().splitlines() if line.strip()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
