"""Where a thread page's time goes: one process, production settings, no network, no wrk.

    uv run --frozen python bench/profile_thread.py --database-url postgres://postgres@127.0.0.1:5432/consult_bench_1000000

Times, per request (mean of --requests after a warm-up), through Django's test client: the bare
hello view, the anonymous thread from the page cache, and the signed-in thread split into its parts
(the selector with its SQL, the template render, the rest: session, user, middleware). Then a
cProfile of the signed-in page, the top functions by own time. The same code and data as bench/load.py.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time

import inprocess  # bench/inprocess.py: production settings, requests through the WSGI handler


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1"))
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--sort", default="tottime", help="pstats order: tottime or cumulative")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--anonymous", action="store_true", help="profile the anonymous page-cache hit instead")
    parser.add_argument("--cold", action="store_true", help="profile anonymous first views (nothing cached) instead")
    args = parser.parse_args(argv)
    inprocess.setup(database_url=args.database_url, redis_url=args.redis_url, label="profile", hello=True)
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.db import connection
    from django.test import RequestFactory, override_settings
    from django.test.utils import CaptureQueriesContext

    from consult.accounts.models import User
    from consult.questions import page, selectors
    from consult.questions.models import Question

    question = (
        Question.objects.filter(is_hidden=False, answer_count=5, tags__isnull=False).order_by("-id").first()
    )
    assert question is not None
    path = question.get_absolute_url()
    user = User.objects.select_related("doctor_profile").get(email="bench@example.com")
    n = args.requests

    def per_request(fn: object) -> float:
        for _ in range(20):
            fn()  # type: ignore[operator]
        started = time.perf_counter()
        for _ in range(n):
            fn()  # type: ignore[operator]
        return (time.perf_counter() - started) / n * 1000

    # Whole requests go through Django's WSGI handler, as under gunicorn (the test client would add its
    # own template instrumentation); the session is a real signed-in session in the shared cache.
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "consult.accounts.backends.EmailBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    # as a browser: the session and the csrftoken cookie Django set on the first page (bench/load.py does the same)
    anonymous = inprocess.Wsgi()
    signed = inprocess.Wsgi(cookie=f"sessionid={session.session_key}; csrftoken={'c' * 32}")
    assert b"Sign out" in signed.get(path)
    # The page's parts called directly, for the same reader: a request as the middleware would leave it.
    request = RequestFactory(HTTP_HOST="127.0.0.1").get(path)
    request.user = user
    request.session = session
    shared = page.shared_thread(request, question.pk)
    assert shared is not None

    def from_redis() -> float:
        with override_settings(ANON_PAGE_LOCAL_SECONDS=0.0):  # past the worker's memory
            return per_request(lambda: anonymous.get(path))

    # First views: n other 5-answer threads, each requested once by an anonymous reader (the shared
    # entry read and rendered, the page rendered, both stored).
    others = [
        q.get_absolute_url()
        for q in Question.objects.filter(is_hidden=False, answer_count=5).exclude(pk=question.pk).order_by("-id")[
            : n + 20
        ]
    ]
    cold = iter(others)

    rows = {
        "hello view (baseline)": per_request(lambda: anonymous.get("/bench/hello/")),
        "thread, anonymous, hot page in the worker's memory (1 s)": per_request(lambda: anonymous.get(path)),
        "thread, anonymous, from the Redis page cache": from_redis(),
        "thread, anonymous, first view (nothing cached)": per_request(lambda: anonymous.get(next(cold))),
        "thread, signed in: whole request": per_request(lambda: signed.get(path)),
        "  shared entry from the cache (page.shared_thread)": per_request(lambda: page.shared_thread(request, question.pk)),
        "  selector thread_rows (4 queries, a first view)": per_request(lambda: selectors.thread_rows(pk=question.pk)),
        "  per-reader render (page.render_thread: votes query + template)": per_request(
            lambda: page.render_thread(request, shared)
        ),
    }
    with CaptureQueriesContext(connection) as ctx:
        signed.get(path)
    rows["  SQL queries in the request"] = len(ctx.captured_queries)
    rows["  SQL time inside the request (PostgreSQL)"] = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
    print(f"{Question.objects.count():,} questions, {n} requests each, {path}\n")
    print("| part | ms per request |")
    print("|---|---|")
    for name, value in rows.items():
        print(f"| {name} | {value:.2f} |")
    profile = cProfile.Profile()
    profile.enable()
    who = anonymous if args.anonymous else signed
    cold_paths = iter(
        q.get_absolute_url() for q in Question.objects.filter(is_hidden=False, answer_count=5).order_by("id")[:n]
    )
    for _ in range(n):
        if args.cold:
            anonymous.get(next(cold_paths))
        else:
            who.get(path)
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
    print(f"\n{len(signed.get(path)):,} bytes signed in, {len(anonymous.get(path)):,} anonymous")
    kind = "anonymous first-view" if args.cold else "anonymous" if args.anonymous else "signed-in"
    print(f"\ncProfile of the {kind} thread, top {args.top} by {args.sort}:\n")
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
