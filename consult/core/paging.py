"""Page numbers from query strings, read one way everywhere."""

from __future__ import annotations

__all__ = ["LAST_PAGE", "page_number"]

#: No list is paged further than this (a crawler asking for page 10**9 gets the last page's neighbourhood).
LAST_PAGE = 10_000


def page_number(raw: str | None) -> int:
    """A 1-based page number from the query string; anything that is not a number is page 1."""
    try:
        number = int(raw or 1)
    except ValueError:
        return 1
    return min(max(number, 1), LAST_PAGE)
