"""Matched words marked in text from the database: escape first, then mark.

The backends wrap matches in two control characters (``START``/``STOP``) that HTML escaping leaves
alone; :func:`marked` escapes everything between them and turns only the markers into ``<mark>``
tags, so no text from a document can ever become markup.
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

__all__ = ["START", "STOP", "marked"]

START = "\x02"
STOP = "\x03"
_SPLIT = re.compile(f"([{START}{STOP}])")


def marked(text: str) -> SafeString:
    out: list[str] = []
    inside = False
    for piece in _SPLIT.split(text or ""):
        if piece == START:
            if not inside:
                out.append("<mark>")
                inside = True
        elif piece == STOP:
            if inside:
                out.append("</mark>")
                inside = False
        else:
            out.append(escape(piece))
    if inside:
        out.append("</mark>")
    return mark_safe("".join(out))  # noqa: S308 - every piece of text above is escaped
