"""The search service: every read of the search index goes through these functions.

    search(query, filters=SearchFilters(...), page=1, per_page=20) -> SearchResults
    similar_questions(title, limit=5) -> list[Suggestion]

The pages (``views.py``) and the JSON API call these; the database-specific work is in
``backends.py`` (PostgreSQL full-text search or SQLite FTS5, picked by the database in use).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from consult.questions.models import Tag
from consult.reviews.models import Treatment

from . import backends
from .query import MAX_QUERY_CHARS, ParsedQuery, parse, title_words
from .types import SearchFilters, SearchResults, Suggestion

__all__ = [
    "MAX_PAGE",
    "PER_PAGE",
    "SIMILAR_MIN_CHARS",
    "FilterOptions",
    "filter_options",
    "search",
    "similar_questions",
]

PER_PAGE = 20
MAX_PER_PAGE = 50
MAX_PAGE = backends.CANDIDATES // PER_PAGE
SIMILAR_MIN_CHARS = 8  # fewer typed characters than this suggest nothing yet
# pg_trgm similarity below which a title is not shown as similar (see docs/search.md for how it was chosen).
SIMILAR_MIN_TRIGRAM = 0.2


def search(
    query: str, *, filters: SearchFilters | None = None, page: int = 1, per_page: int = PER_PAGE
) -> SearchResults:
    """Search questions, answers, verified doctors and treatments, best match first.

    ``query`` is what the reader typed, in the search box's language (``consult.search.query``: words,
    "phrases", -excluded); any string is accepted, and one that asks for nothing returns no hits with
    ``results.query.problem`` saying why. ``page`` counts from 1 and is clamped to 1..``MAX_PAGE``;
    ``per_page`` to 1..50. Hidden content and unverified doctors are never returned. One SQL query on
    SQLite; on PostgreSQL one per window of the index read (one for a common word) and one that ranks the
    candidates. When it finds nothing, one more to look for corrections of its words and, if there are
    any, the search again with them: results found that way say so (``results.corrected_from`` is what
    was typed).
    """
    parsed = parse(query)
    filters = filters or SearchFilters()
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(1, min(page, max(1, backends.CANDIDATES // per_page)))
    if parsed.is_empty:
        return SearchResults(
            query=parsed, filters=filters, page=page, per_page=per_page, total_cap=backends.CANDIDATES
        )
    backend = backends.for_connection()
    results = _search(backend, parsed, filters, page=page, per_page=per_page)
    if results.hits:
        return results
    # Nothing found: perhaps a typo. Each word the vocabulary (titles and tags) lacks is replaced by its
    # closest word and the search is made again; it is used only if that finds something.
    # (Later pages of a corrected search are corrected the same way: their links carry what was typed.)
    replacements = backend.corrections(parsed.correctable_words())
    if not replacements:
        return results
    corrected = _search(backend, parse(parsed.text_with(replacements)), filters, page=page, per_page=per_page)
    if not corrected.hits:
        return results
    return replace(corrected, corrected_from=parsed.text)


def _search(
    backend: backends.SearchBackend, parsed: ParsedQuery, filters: SearchFilters, *, page: int, per_page: int
) -> SearchResults:
    hits, total = backend.search(parsed, filters, offset=(page - 1) * per_page, limit=per_page + 1)
    last_page = (page * per_page) >= backends.CANDIDATES
    return SearchResults(
        query=parsed,
        filters=filters,
        hits=hits[:per_page],
        page=page,
        per_page=per_page,
        total=total,
        total_cap=backends.CANDIDATES,
        has_next=len(hits) > per_page and not last_page,
    )


def similar_questions(title: str, *, limit: int = 5) -> list[Suggestion]:
    """Visible questions whose titles look like ``title`` (typed so far), most similar first: at most
    ``limit``, none before ``SIMILAR_MIN_CHARS`` characters. One SQL query on SQLite, two to four on
    PostgreSQL (candidates by windows, then their titles' similarity); none when too short."""
    text = " ".join(title.replace("\x00", " ").split())[:MAX_QUERY_CHARS]
    words = title_words(text)
    if len(text) < SIMILAR_MIN_CHARS or not words:
        return []
    backend = backends.for_connection()
    found = backend.similar_questions(words, text, limit=max(1, min(limit, 20)))
    if isinstance(backend, backends.PostgresBackend):
        found = [s for s in found if s.score >= SIMILAR_MIN_TRIGRAM]
    return found


@dataclass(frozen=True)
class FilterOptions:
    tags: list[tuple[str, str]]  # (slug, name)
    treatments: list[tuple[str, str]]


def filter_options() -> FilterOptions:
    """The concerns and treatments offered as filters (two queries)."""
    return FilterOptions(
        tags=list(Tag.objects.order_by("name").values_list("slug", "name")),
        treatments=list(Treatment.objects.order_by("name").values_list("slug", "name")),
    )
