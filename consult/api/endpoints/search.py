"""Search (consult.search's one service: PostgreSQL full-text search or SQLite FTS5) and similar questions."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from django.utils.html import strip_tags
from ninja import Router
from ninja.params.functions import Query

from consult.search import selectors
from consult.search.types import SearchFilters

from .. import cursors
from ..params import CURSOR, NO_NUL, SLUG_OR_EMPTY
from ..schemas import Problem, SearchPage, SimilarOut

router = Router(tags=["search"])


@router.get("/search", response={200: SearchPage, 400: Problem, 401: Problem, 422: Problem, 429: Problem},
            summary="Search questions, answers, doctors and treatments")
def search(
    request: HttpRequest,
    q: str = Query(..., max_length=500, pattern=NO_NUL, description='Words, "a phrase", -excluded (the site\'s search box).'),
    kind: Literal["", "question", "answer", "doctor", "treatment"] = "",
    tag: str = Query("", max_length=50, pattern=SLUG_OR_EMPTY, description="Only this concern (tag slug)."),
    treatment: str = Query("", max_length=80, pattern=SLUG_OR_EMPTY, description="Only this treatment's concern (treatment slug)."),
    answered: bool | None = Query(None, description="Questions with (true) or without (false) a doctor's answer."),
    specialty: str = Query("", max_length=32, pattern=SLUG_OR_EMPTY, description="Doctors of, and answers by, this specialty."),
    cursor: str | None = CURSOR,
) -> dict[str, object]:
    """Best match first; hidden content and unverified doctors never. ``title_html`` and ``snippet_html`` are
    escaped text with the matched words in ``<mark>``. At most the first 1000 matches are reachable."""
    filters = SearchFilters(kind=kind, tag=tag, treatment=treatment, answered=answered, specialty=specialty)
    list_name = f"search:{q}:{filters}"
    page = cursors.unsign(list_name, cursor) or 1
    if not isinstance(page, int) or page < 1:
        raise cursors.InvalidCursor()
    results = selectors.search(q, filters=filters, page=page)
    next_cursor = cursors.sign(list_name, results.page + 1) if results.has_next else None
    return {
        "items": [
            {
                "kind": hit.kind,
                "url": request.build_absolute_uri(hit.url),
                "title": strip_tags(hit.title_html),
                "title_html": str(hit.title_html),
                "snippet_html": str(hit.snippet_html),
                "context": hit.context,
                "answered": hit.answered,
                "created_at": hit.created_at,
            }
            for hit in results.hits
        ],
        "total": results.total,
        "total_is_capped": results.total_is_capped,
        "notes": [
            *results.query.notes,
            *([results.query.problem] if results.query.problem else []),
            *(
                [f"No results for “{results.corrected_from}”. Showing results for “{results.query.text}”."]
                if results.corrected_from
                else []
            ),
        ],
        "next_cursor": next_cursor,
        "next": cursors.next_url(request, next_cursor),
    }


@router.get("/questions/similar", response={200: SimilarOut, 401: Problem, 422: Problem, 429: Problem},
            summary="Existing questions whose titles look like a title being typed")
def similar(request: HttpRequest, title: str = Query(..., max_length=200, pattern=NO_NUL)) -> dict[str, object]:
    """What the ask page suggests before someone asks again (none for fewer than 8 characters)."""
    return {
        "items": [
            {"url": request.build_absolute_uri(s.url), "title": s.title, "answered": s.answered}
            for s in selectors.similar_questions(title)
        ]
    }
