"""One search implementation per database, behind one interface (:class:`SearchBackend`).

``for_connection()`` picks PostgreSQL full-text search or SQLite FTS5 by the database in use. A
dedicated engine (OpenSearch, Meilisearch) would be a third class with the same two methods; see
docs/scaling.md.

Ranking on PostgreSQL is ``ts_rank`` over the weighted ``vector`` (title A > tags B > body D) among
the newest ``CANDIDATES`` matches: a word found in 300 000 documents is ranked among its newest
matches rather than all of them. That bounds the ranking, not the scan that finds the candidates: at 1M
questions multi-word and filtered searches are far slower than single words (docs/benchmarks.md).
On SQLite, FTS5's ``bm25`` with the same column order ranks every match.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from django.db import connection
from django.utils.dateparse import parse_datetime

from .highlight import START, STOP, marked
from .models import Kind
from .query import ParsedQuery
from .types import Hit, SearchFilters, Suggestion

__all__ = ["CANDIDATES", "PostgresBackend", "SearchBackend", "SqliteBackend", "for_connection"]

CANDIDATES = 1000
_ALL_KINDS = frozenset(Kind.values)


class SearchBackend(Protocol):
    def search(
        self, query: ParsedQuery, filters: SearchFilters, *, offset: int, limit: int
    ) -> tuple[list[Hit], int]:
        """Up to ``limit`` hits from ``offset``, best first, and how many matched (at most ``CANDIDATES``)."""
        ...

    def similar_questions(self, words: list[str], text: str, *, limit: int) -> list[Suggestion]:
        """Visible questions whose titles are like ``text`` (its significant ``words``), most similar first."""
        ...


def _kinds(filters: SearchFilters) -> frozenset[str]:
    kinds = frozenset({filters.kind}) & _ALL_KINDS if filters.kind else _ALL_KINDS
    if filters.tag or filters.treatment or filters.answered is not None:
        kinds &= {Kind.QUESTION, Kind.ANSWER}
    if filters.specialty:
        kinds &= {Kind.DOCTOR, Kind.ANSWER}
    return kinds


def _filter_sql(filters: SearchFilters, kinds: frozenset[str]) -> tuple[str, list[Any]]:
    """SQL conditions on ``d`` (search_searchdocument), the same on both databases."""
    clauses: list[str] = []
    params: list[Any] = []
    if kinds != _ALL_KINDS:
        ordered = sorted(kinds)
        clauses.append(f"d.kind IN ({', '.join(['%s'] * len(ordered))})")
        params.extend(ordered)
    if filters.tag:
        clauses.append(
            "d.question_id IN (SELECT qt.question_id FROM questions_question_tags qt "
            "JOIN questions_tag t ON t.id = qt.tag_id WHERE t.slug = %s)"
        )
        params.append(filters.tag)
    if filters.treatment:
        clauses.append(
            "d.question_id IN (SELECT qt.question_id FROM questions_question_tags qt "
            "JOIN reviews_treatment tr ON tr.tag_id = qt.tag_id WHERE tr.slug = %s)"
        )
        params.append(filters.treatment)
    if filters.answered is not None:
        clauses.append("d.answered = %s")
        params.append(filters.answered)
    if filters.specialty:
        clauses.append("d.specialty = %s")
        params.append(filters.specialty)
    return "".join(f" AND {clause}" for clause in clauses), params


def _when(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return parse_datetime(str(value))


def _hit(kind: str, url: str, context: str, answered: Any, created_at: Any, title: str, snippet: str) -> Hit:
    return Hit(
        kind=kind,
        url=url,
        title_html=marked(" ".join(title.split())),
        snippet_html=marked(" ".join(snippet.split())),
        context=context,
        answered=bool(answered),
        created_at=None if kind == Kind.TREATMENT else _when(created_at),
    )


class PostgresBackend:
    HEADLINE_TITLE = f"HighlightAll=true, StartSel={START}, StopSel={STOP}"
    HEADLINE_BODY = (
        f'StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "'
    )

    def search(
        self, query: ParsedQuery, filters: SearchFilters, *, offset: int, limit: int
    ) -> tuple[list[Hit], int]:
        kinds = _kinds(filters)
        if query.is_empty or not kinds:
            return [], 0
        where, params = _filter_sql(filters, kinds)
        # Only constant SQL is interpolated (_filter_sql's conditions); every value is a parameter.
        sql = f"""
            WITH candidates AS (
                SELECT d.id, d.vector FROM search_searchdocument d
                WHERE d.vector @@ websearch_to_tsquery('english', %s){where}
                ORDER BY d.id DESC LIMIT %s
            ),
            ranked AS (
                SELECT c.id, ts_rank(c.vector, websearch_to_tsquery('english', %s), 1) AS rank, count(*) OVER () AS total
                FROM candidates c
                ORDER BY rank DESC, c.id DESC LIMIT %s OFFSET %s
            )
            SELECT d.kind, d.url, d.context, d.answered, d.created_at, r.total,
                ts_headline('english', d.title, websearch_to_tsquery('english', %s), %s),
                ts_headline('english', left(d.body, 5000), websearch_to_tsquery('english', %s), %s)
            FROM ranked r JOIN search_searchdocument d ON d.id = r.id
            ORDER BY r.rank DESC, r.id DESC
        """  # noqa: S608 - constant SQL only; values are parameters
        # The tsquery is written where it is used, not in a CTE: a constant the planner can fold, so it
        # estimates the match count from the column's statistics (a CTE hid it, and a word found nowhere
        # was then looked for by walking the whole table in id order).
        text = query.websearch()
        with connection.cursor() as cursor:
            cursor.execute(
                sql,
                [text, *params, CANDIDATES, text, limit, offset, text, self.HEADLINE_TITLE, text, self.HEADLINE_BODY],
            )
            rows = cursor.fetchall()
        total = rows[0][5] if rows else 0
        return [_hit(kind, url, context, answered, created, title, snippet)
                for kind, url, context, answered, created, _, title, snippet in rows], total

    def similar_questions(self, words: list[str], text: str, *, limit: int) -> list[Suggestion]:
        if not words:
            return []
        sql = """
            SELECT d.url, d.title, d.answered, similarity(d.title, %s) AS score
            FROM search_searchdocument d WHERE d.kind = 'question'
            ORDER BY d.title <-> %s LIMIT %s
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [text, text, limit])
            rows = cursor.fetchall()
        return [Suggestion(url=url, title=title, answered=bool(answered), score=float(score))
                for url, title, answered, score in rows]


class SqliteBackend:
    def search(
        self, query: ParsedQuery, filters: SearchFilters, *, offset: int, limit: int
    ) -> tuple[list[Hit], int]:
        kinds = _kinds(filters)
        if query.is_empty or not kinds:
            return [], 0
        where, params = _filter_sql(filters, kinds)
        match = query.fts5()
        sql = f"""
            WITH matches AS MATERIALIZED (
                SELECT search_fts.rowid AS id, bm25(search_fts, 10.0, 4.0, 1.0) AS score
                FROM search_fts WHERE search_fts MATCH %s
            ),
            ranked AS (
                SELECT m.id, m.score, count(*) OVER () AS total
                FROM matches m JOIN search_searchdocument d ON d.id = m.id
                WHERE 1 = 1{where}
                ORDER BY m.score, m.id DESC LIMIT %s OFFSET %s
            )
            SELECT d.kind, d.url, d.context, d.answered, d.created_at, r.total,
                highlight(search_fts, 0, char(2), char(3)),
                snippet(search_fts, 2, char(2), char(3), ' … ', 30)
            FROM ranked r JOIN search_fts ON search_fts.rowid = r.id JOIN search_searchdocument d ON d.id = r.id
            WHERE search_fts MATCH %s
            ORDER BY r.score, r.id DESC
        """  # noqa: S608 - constant SQL only; values are parameters
        with connection.cursor() as cursor:
            cursor.execute(sql, [match, *params, limit, offset, match])
            rows = cursor.fetchall()
        total = min(rows[0][5], CANDIDATES) if rows else 0
        return [_hit(kind, url, context, answered, created, title, snippet)
                for kind, url, context, answered, created, _, title, snippet in rows], total

    def similar_questions(self, words: list[str], text: str, *, limit: int) -> list[Suggestion]:
        if not words:
            return []
        # Any of the title's words, the last one as a prefix (it may be half typed), in titles only.
        alternatives = [f'"{word}"' for word in words[:-1]] + [f'"{words[-1]}" *']
        match = "{title} : (" + " OR ".join(alternatives) + ")"
        sql = """
            SELECT d.url, d.title, d.answered, -bm25(search_fts, 10.0, 4.0, 1.0) AS score
            FROM search_fts JOIN search_searchdocument d ON d.id = search_fts.rowid
            WHERE search_fts MATCH %s AND d.kind = 'question'
            ORDER BY bm25(search_fts, 10.0, 4.0, 1.0), d.id DESC LIMIT %s
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [match, limit])
            rows = cursor.fetchall()
        return [Suggestion(url=url, title=title, answered=bool(answered), score=float(score))
                for url, title, answered, score in rows]


def for_connection() -> SearchBackend:
    """The implementation for the default database."""
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SqliteBackend()
    raise NotImplementedError(f"search has no backend for {connection.vendor}")
