"""EXPLAIN check: the hot pages' queries use indexes, no sequential scan on the big tables.

    uv run --frozen python bench/explain.py --database-url postgres://postgres@127.0.0.1:5432/consult_bench_1000000

Runs the real selectors (thread anonymous and signed in, list page 1 and page 10 000 through its
keyset cursor, a tag page and a deep tag page, a doctor profile and its recent answers) against a
database made by bench/generate.py, captures the SQL they send, and runs EXPLAIN (ANALYZE, BUFFERS)
on each. Prints every query's plan root, time and the tables it scans sequentially; exits 1 if a
big table is scanned sequentially.

Below 50 000 questions PostgreSQL rightly prefers a sequential scan of a small table, so the check
runs with enable_seqscan = off there (--force-index): it then proves an index *can* serve each query.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/consult_bench"
BIG_TABLES = {
    "questions_question",
    "questions_answer",
    "questions_helpfulvote",
    "questions_question_tags",
    "accounts_user",
    "doctors_doctorprofile",
}


def _main_table(sql: str) -> str:
    """The table after the outermost FROM (not one inside an EXISTS or subquery in the select list)."""
    depth = 0
    upper = sql.upper()
    for i, char in enumerate(sql):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and upper.startswith(" FROM ", i):
            return sql[i + 6 :].split()[0].strip('"')
    return "?"


def _walk(plan: dict[str, Any]) -> list[dict[str, Any]]:
    nodes = [plan]
    for child in plan.get("Plans", []):
        nodes += _walk(child)
    return nodes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--force-index", action="store_true", help="EXPLAIN with enable_seqscan = off")
    parser.add_argument("--deep-page", type=int, default=10_000)
    args = parser.parse_args(argv)

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["DEBUG"] = "0"
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from consult.accounts.backends import user_with_profile
    from consult.accounts.models import User
    from consult.doctors import selectors as doctor_selectors
    from consult.doctors.models import DoctorProfile
    from consult.questions import selectors
    from consult.questions.models import Question, Tag

    questions = Question.objects.count()
    force = args.force_index or questions < 50_000
    thread = (
        Question.objects.filter(is_hidden=False, answer_count=5, tags__isnull=False).order_by("-id").values("pk")[:1].get()
    )
    bench_user = User.objects.get(email="bench@example.com")
    tag = Tag.objects.order_by("-question_count").all()[len(Tag.objects.all()) // 2]
    doctor = DoctorProfile.objects.filter(status="verified").order_by("-answer_count", "id").first()
    assert doctor is not None
    page = max(1, min(args.deep_page, questions // selectors.PAGE_SIZE - 1))
    deep = Question.objects.filter(is_hidden=False).order_by("-created_at", "-id")[(page - 1) * selectors.PAGE_SIZE]
    tag_deep = Question.objects.filter(is_hidden=False, tags=tag).order_by("-id")[max(0, tag.question_count // 2)]

    cases: list[tuple[str, Any]] = [
        ("thread (the shared entry: question, tags, answers, related)", lambda: selectors.thread_rows(pk=thread["pk"])),
        (
            "thread (the reader's votes)",
            lambda: selectors.viewer_votes(viewer=bench_user, answer_ids=[a.pk for a in selectors.thread_rows(pk=thread["pk"]).answers]),  # type: ignore[union-attr]
        ),
        ("signed-in user (every signed-in page)", lambda: user_with_profile(bench_user.pk)),
        ("list page 1", lambda: selectors.question_page()),
        (f"list page {page} (cursor)", lambda: selectors.question_page(cursor=selectors.encode_cursor(deep))),
        ("unanswered page 1", lambda: selectors.question_page(kind="unanswered")),
        ("tag page 1", lambda: selectors.question_page(tag=tag)),
        ("tag page, deep cursor", lambda: selectors.question_page(tag=tag, cursor=selectors.encode_cursor(tag_deep))),
        ("doctor profile", lambda: doctor_selectors.doctor_profile_for_viewer(slug=doctor.slug, viewer=AnonymousUser())),
        ("doctor recent answers", lambda: doctor_selectors.doctor_recent_answers(profile=doctor)),
    ]
    failures = 0
    print(f"{questions:,} questions; enable_seqscan = {'off' if force else 'on'}\n")
    print("| page | query | plan root | ms | seq scans on big tables |")
    print("|---|---|---|---|---|")
    with connection.cursor() as cursor:
        if force:
            cursor.execute("SET enable_seqscan = off")
        for name, run in cases:
            with CaptureQueriesContext(connection) as ctx:
                run()
            for n, query in enumerate(ctx.captured_queries, start=1):
                sql = query["sql"]
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
                row = cursor.fetchone()
                assert row is not None
                doc = row[0] if isinstance(row[0], list) else json.loads(row[0])
                plan = doc[0]["Plan"]
                seq = sorted(
                    {node.get("Relation Name", "") for node in _walk(plan) if node["Node Type"] == "Seq Scan"}
                    & BIG_TABLES
                )
                failures += bool(seq)
                table = _main_table(sql)
                print(
                    f"| {name} | {n}: {table} | {plan['Node Type']} | {doc[0]['Execution Time']:.2f} |"
                    f" {', '.join(seq) or '-'} |"
                )
    if failures:
        print(f"\n{failures} quer{'y' if failures == 1 else 'ies'} scan a big table sequentially", file=sys.stderr)
        return 1
    print("\nno sequential scan on a big table")
    return 0


if __name__ == "__main__":
    sys.exit(main())
