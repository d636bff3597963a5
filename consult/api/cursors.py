"""Opaque, signed pagination cursors.

A cursor wraps a position (whatever the list's selector understands: a keyset position or an offset) signed with
the site's secret and the list's name, so a client cannot forge one, edit one, or use one list's cursor on
another; a bad cursor is a 400 problem, not a silent first page. ``next`` in every page is the whole next URL.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core import signing
from django.http import HttpRequest

__all__ = ["InvalidCursor", "next_url", "sign", "unsign"]


class InvalidCursor(Exception):
    """The cursor was not made by this site for this list."""


def _salt(kind: str) -> str:
    return f"consult.api.cursor.{kind}"


def sign(kind: str, position: Any) -> str:
    return signing.dumps(position, salt=_salt(kind), compress=False)


def unsign(kind: str, cursor: str | None) -> Any:
    """The position in ``cursor`` (None for no cursor: the first page). Raises InvalidCursor."""
    if not cursor:
        return None
    try:
        return signing.loads(cursor, salt=_salt(kind))
    except signing.BadSignature as exc:
        raise InvalidCursor() from exc


def next_url(request: HttpRequest, cursor: str | None) -> str | None:
    """This request's URL with ``cursor`` replaced (None when there is no next page)."""
    if cursor is None:
        return None
    params = [(key, value) for key, values in request.GET.lists() for value in values if key != "cursor"]
    params.append(("cursor", cursor))
    return request.build_absolute_uri(f"{request.path}?{urlencode(params)}")
