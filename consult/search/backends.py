"""One search implementation per database, behind one interface (:class:`SearchBackend`).

``for_connection()`` picks PostgreSQL full-text search or SQLite FTS5 by the database in use. A
dedicated engine (OpenSearch, Meilisearch) would be a third class with the same three methods; see
docs/scaling.md.

Ranking on PostgreSQL is ``ts_rank`` over the weighted ``vector`` (title A > tags B > body D) among
the newest ``CANDIDATES`` matches: a word found in 300 000 documents is ranked among its newest
matches rather than all of them. The candidates come from the GIN index alone, by windows of the newest
documents (:class:`PostgresBackend`), so the scan that finds them is bounded too.
On SQLite, FTS5's ``bm25`` with the same column order ranks every match.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Protocol

from django.db import connection
from django.utils.dateparse import parse_datetime

from .highlight import START, STOP, marked
from .models import Kind
from .query import ParsedQuery, edit_distance, trigram_similarity
from .types import Hit, SearchFilters, Suggestion

__all__ = [
    "CANDIDATES",
    "CORRECTION_MIN_SIMILARITY",
    "PostgresBackend",
    "SearchBackend",
    "SqliteBackend",
    "for_connection",
]

CANDIDATES = 1000
CORRECTION_MIN_SIMILARITY = 0.3  # pg_trgm's default threshold: "botx" -> "botox" is 0.375
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

    def corrections(self, words: list[str]) -> dict[str, str]:
        """For each of ``words`` that the vocabulary (titles and tags) does not have, the closest word it has
        (trigram similarity >= ``CORRECTION_MIN_SIMILARITY``, then the fewest letters changed, then the most
        documents); others are left out."""
        ...


def _closest(words: list[str], candidates: list[tuple[str, str, int]]) -> dict[str, str]:
    """From (typed, candidate, documents) rows: each typed word's best candidate, when it is another word.
    Candidates need trigram similarity >= ``CORRECTION_MIN_SIMILARITY``; the best is the fewest letters
    away (``edit_distance``), then the one in the most documents, then the most similar: "botx" is one
    letter from "both" and from "botox", and "botox" is the more common word of titles and tags."""
    best: dict[str, tuple[int, int, float, str]] = {}
    for typed, word, documents in candidates:
        score = trigram_similarity(typed, word)
        if score < CORRECTION_MIN_SIMILARITY:
            continue
        key = (-edit_distance(typed, word), documents, score, word)
        if typed not in best or key > best[typed]:
            best[typed] = key
    return {typed: key[3] for typed, key in best.items() if key[3] != typed and typed in words}


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


LEVELS = 7  # bucket lexemes per document (migration 0003): ~a (4 096 documents) to ~g (16M)
# After a window, the rest of the index is read in one pass when at most this many matches are expected there.
REST_MATCHES = 2000
SIMILAR_CANDIDATES = 300  # questions whose titles are compared with the one being typed (PostgreSQL)
_FACET_VALUE = re.compile(r"[a-z0-9-]{1,32}")


def _facet_query(filters: SearchFilters, kinds: frozenset[str]) -> tuple[str, list[Any]] | None:
    """The filters as a tsquery over the documents' facet lexemes (``index.facets``), to AND with the
    words: SQL and its parameters ("" when nothing narrows), or None when nothing can match."""
    parts: list[str] = []
    params: list[Any] = []
    if kinds != _ALL_KINDS:
        parts.append("%s::tsquery")
        params.append(" | ".join(f"'kind:{kind}'" for kind in sorted(kinds)))
    if filters.tag:
        # The tag's id, looked up in the same statement; an unknown tag gives NULL, which matches nothing.
        parts.append(
            "(SELECT ('''tag:' || t.id::text || '''')::tsquery FROM questions_tag t WHERE t.slug = %s)"
        )
        params.append(filters.tag)
    if filters.treatment:
        parts.append(
            "(SELECT ('''tag:' || tr.tag_id::text || '''')::tsquery FROM reviews_treatment tr WHERE tr.slug = %s)"
        )
        params.append(filters.treatment)
    if filters.answered is not None:
        parts.append("%s::tsquery")
        params.append("'answered:yes'" if filters.answered else "'answered:no'")
    if filters.specialty:
        if not _FACET_VALUE.fullmatch(filters.specialty):
            return None
        parts.append("%s::tsquery")
        params.append(f"'specialty:{filters.specialty}'")
    return " && ".join(parts), params


BUCKET = 4096  # documents per bucket of the lowest level (~a); each level above holds four of the one below


def bucket_query(low: int, high: int) -> str:
    """The tsquery (text) of the documents with ids in buckets ``low`` to ``high - 1`` (units of ``BUCKET``
    ids): the fewest bucket lexemes covering them (migration 0003 gives each document its buckets at seven
    levels, ``~a<id >> 12>`` to ``~g<id >> 24>``), ORed."""
    lexemes = []
    while low < high:
        level = 0
        while level < LEVELS - 1 and low % 4 ** (level + 1) == 0 and low + 4 ** (level + 1) <= high:
            level += 1
        lexemes.append(f"'~{chr(97 + level)}{low >> (2 * level)}'")
        low += 4**level
    return " | ".join(lexemes)


# One pass of the GIN index: the newest ``%s`` documents matching the tsquery ``q.query`` and the buckets
# ``q.part``. The tsquery comes from a materialised CTE, so the plan is always the index whatever the words
# (with a literal the planner may choose a sequential scan for common words), and OFFSET 0 keeps the pass one
# bitmap scan (without it the planner may walk the primary key backwards through all newer rows, testing
# each: the old plan, seconds at 1M).
_SCAN = """
    SELECT w.id FROM (
        SELECT d.id FROM search_searchdocument d WHERE d.vector @@ (SELECT q.query && q.part FROM q) OFFSET 0
    ) w ORDER BY w.id DESC LIMIT %s
"""


def newest_matches(
    cursor: Any, tsquery_sql: str, params: list[Any], want: int, *, exclude: frozenset[int] = frozenset()
) -> list[int]:
    """Ids of the newest ``want`` documents matching the tsquery ``tsquery_sql`` (SQL with ``params``;
    NULL matches nothing), newest first, read from the GIN index a window of the newest documents at a time.

    The first window is the two newest buckets (4 097 to 8 192 documents), read by the statement that makes
    the tsquery: a common word costs one statement. Each next window is sized from the matches seen so far
    to hold the ones still wanted (with a quarter more), so few more rows are read than are kept. Once the
    matches seen say that at most ``REST_MATCHES`` are left in all the older documents ("rule of three"
    bound: found + 3 per document seen), those are read in one pass: a combination of words that occurs
    rarely or nowhere then costs about one walk of its rarest word's postings (GIN starts from the rarest
    entry) rather than one per window. The same statement reads the oldest id: when the first window
    already reaches it, no older window is read (a small index costs one statement wherever its ids start).
    ``exclude``: ids not to count (found before)."""
    more = want + len(exclude)
    cursor.execute(
        f"WITH q AS MATERIALIZED (SELECT ({tsquery_sql}) AS query, top.id AS top, top.bottom,"  # noqa: S608
        " search_window(top.id, 0) AS part FROM (SELECT COALESCE((SELECT max(id) FROM search_searchdocument), 0) AS id,"
        " COALESCE((SELECT min(id) FROM search_searchdocument), 0) AS bottom) top)"
        f" SELECT q.query::text, q.top, q.bottom, ARRAY({_SCAN}) FROM q",
        [*params, more],
    )
    tsquery, top, bottom, ids = cursor.fetchone()
    found = [i for i in ids if i not in exclude]
    low = max(0, (top // BUCKET) - 1)  # the first window's lowest bucket
    # Older windows are read only while documents older than the last window exist (ids need not start at 1).
    while len(found) < want and low * BUCKET > bottom and tsquery:
        seen = top + 1 - low * BUCKET
        documents = (want - len(found)) * 1.25 * seen / max(len(found), 1)
        start = max(0, low - max(1, -(-int(documents) // BUCKET)))
        if start == 0 or (len(found) + 3) * low * BUCKET / seen <= REST_MATCHES:
            # The rest, as "not the newer buckets": GIN then walks the rarest word's postings (as positive
            # buckets, big boundary buckets could come before that word in the index's choice of what to walk).
            start, part = 0, f"!({bucket_query(low, top // BUCKET + 1)})"
        else:
            part = bucket_query(start, low)
        cursor.execute(
            f"WITH q AS MATERIALIZED (SELECT %s::tsquery AS query, %s::tsquery AS part) {_SCAN}",
            [tsquery, part, more - len(found)],
        )
        found += [i for (i,) in cursor.fetchall() if i not in exclude]
        low = start
    return found[:want]


class PostgresBackend:
    """Candidates come from the GIN index alone: the words, the filters (facet lexemes) and a window of
    the newest documents (id-bucket lexemes, ``search_window()``, migration 0003) in one tsquery, so the
    index, not a walk over the table, decides which rows are read. Windows are tried newest first and the
    scan stops once ``CANDIDATES`` matches are found, or reads the rest in one pass when few matches are
    left there (:func:`newest_matches`): a common word costs the newest few thousand rows, a rare word or a
    combination found nowhere about one walk of its rarest word's postings. The candidates are then ranked
    by ``ts_rank`` (a second statement, with the headlines of one page)."""

    HEADLINE_TITLE = f"HighlightAll=true, StartSel={START}, StopSel={STOP}"
    HEADLINE_BODY = (
        f'StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "'
    )

    def search(
        self, query: ParsedQuery, filters: SearchFilters, *, offset: int, limit: int
    ) -> tuple[list[Hit], int]:
        kinds = _kinds(filters)
        facet = _facet_query(filters, kinds)
        if query.is_empty or not kinds or facet is None:
            return [], 0
        facet_sql, facet_params = facet
        narrowed = f" && {facet_sql}" if facet_sql else ""
        text = query.websearch()
        with connection.cursor() as cursor:
            # The words and the filters as one tsquery (NULL, which matches nothing, for an unknown tag).
            ids = newest_matches(cursor, f"websearch_to_tsquery('english', %s){narrowed}", [text, *facet_params], CANDIDATES)
            if not ids or offset >= len(ids):
                return [], len(ids)
            cursor.execute(
                """
                WITH ranked AS (
                    SELECT d.id, ts_rank(d.vector, websearch_to_tsquery('english', %s), 1) AS rank
                    FROM search_searchdocument d WHERE d.id = ANY(%s::bigint[])
                    ORDER BY rank DESC, d.id DESC LIMIT %s OFFSET %s
                )
                SELECT d.kind, d.url, d.context, d.answered, d.created_at,
                    ts_headline('english', d.title, websearch_to_tsquery('english', %s), %s),
                    ts_headline('english', left(d.body, 5000), websearch_to_tsquery('english', %s), %s)
                FROM ranked r JOIN search_searchdocument d ON d.id = r.id
                ORDER BY r.rank DESC, r.id DESC
                """,
                [text, ids, limit, offset, text, self.HEADLINE_TITLE, text, self.HEADLINE_BODY],
            )
            rows = cursor.fetchall()
        return [
            _hit(kind, url, context, answered, created, title, snippet)
            for kind, url, context, answered, created, title, snippet in rows
        ], len(ids)

    def similar_questions(self, words: list[str], text: str, *, limit: int) -> list[Suggestion]:
        if not words:
            return []
        # Candidates from the full-text index first, then trigram similarity of whole titles among them
        # (a trigram KNN over every title took 0.5 s at 1M questions). The candidates are questions whose
        # titles hold the two rarest of the typed words known to the vocabulary (document counts), then
        # any of its four rarest, newest first by the same windows as search() (newest_matches): at most
        # SIMILAR_CANDIDATES, so the cost does not grow with the number of questions.
        def rarest(count: int, operator: str) -> str:  # the tsquery of the vocabulary's ``count`` rarest words
            return (
                f"to_tsquery('english', (SELECT string_agg(quote_literal(r.word) || ':A', '{operator}') FROM ("  # noqa: S608
                "SELECT s.word FROM search_searchword s WHERE s.word = ANY(%s::text[]) ORDER BY s.documents, s.word"
                f" LIMIT {count}) r)) && '''kind:question'''::tsquery"
            )

        with connection.cursor() as cursor:
            ids = newest_matches(cursor, rarest(2, " & "), [words], SIMILAR_CANDIDATES)
            if len(ids) < SIMILAR_CANDIDATES and len(words) > 1:
                ids += newest_matches(
                    cursor, rarest(4, " | "), [words], SIMILAR_CANDIDATES - len(ids), exclude=frozenset(ids)
                )
            if not ids:
                return []
            cursor.execute(
                """
                SELECT d.url, d.title, d.answered, similarity(d.title, %s) AS score
                FROM search_searchdocument d WHERE d.id = ANY(%s::bigint[])
                ORDER BY score DESC, d.id DESC LIMIT %s
                """,
                [text, ids, limit],
            )
            rows = cursor.fetchall()
        return [
            Suggestion(url=url, title=title, answered=bool(answered), score=float(score))
            for url, title, answered, score in rows
        ]

    def corrections(self, words: list[str]) -> dict[str, str]:
        if not words:
            return {}
        # For each word, the nearest words of the vocabulary by its trigram GiST index (KNN), a few each;
        # ranked in Python (a word the vocabulary has is its own nearest, and is kept).
        sql = """
            SELECT t.typed, w.word, w.documents FROM unnest(%s::text[]) AS t(typed)
            CROSS JOIN LATERAL (
                SELECT s.word, s.documents FROM search_searchword s ORDER BY s.word <-> t.typed LIMIT 10
            ) w
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [list(words)])
            rows = cursor.fetchall()
        return _closest(words, [(typed, word, int(documents)) for typed, word, documents in rows])


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

    def corrections(self, words: list[str]) -> dict[str, str]:
        if not words:
            return {}
        # For each typed word, the words sharing trigrams with it, by the FTS5 trigram table (bm25), then
        # ranked in Python with pg_trgm's similarity. Trigrams are letters only, so quoting them is enough.
        selects, params = [], []
        for word in words:
            grams = sorted({word[i : i + 3] for i in range(len(word) - 2)})
            selects.append(
                "SELECT * FROM (SELECT %s, s.word, s.documents FROM search_word_fts f"
                " JOIN search_searchword s ON s.id = f.rowid WHERE search_word_fts MATCH %s ORDER BY f.rank LIMIT 30)"
            )
            params += [word, " OR ".join(f'"{gram}"' for gram in grams)]
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(selects), params)
            rows = cursor.fetchall()
        return _closest(words, [(typed, word, int(documents)) for typed, word, documents in rows])


def for_connection() -> SearchBackend:
    """The implementation for the default database."""
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SqliteBackend()
    raise NotImplementedError(f"search has no backend for {connection.vendor}")
