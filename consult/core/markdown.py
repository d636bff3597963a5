"""Markdown to safe HTML: markdown-it-py (CommonMark, raw HTML off) then an nh3 allow-list.

Two layers on purpose: markdown-it never passes raw HTML through, and nh3 removes anything the
renderer might still emit that is not on the list (unknown tags, event handlers, javascript: URLs).
"""

from __future__ import annotations

from typing import Any

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

__all__ = ["ALLOWED_TAGS", "render"]

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "strong", "em", "code", "pre", "blockquote",
        "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
    }
)  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
_URL_SCHEMES = frozenset({"http", "https", "mailto"})
_LINK_REL = "nofollow ugc noopener"

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def _demote_headings(tokens: list[Any]) -> None:
    """User headings sit under the page's own h1/h2, so '# x' renders as h3 (and so on, to h6)."""
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1]) + 2, 6)
            token.tag = f"h{level}"


def render(text: str) -> SafeString:
    """Render user markdown to sanitised HTML, safe to output without escaping."""
    tokens = _md.parse(text or "")
    _demote_headings(tokens)
    html = _md.renderer.render(tokens, _md.options, {})
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={k: set(v) for k, v in _ATTRIBUTES.items()},
        url_schemes=set(_URL_SCHEMES),
        link_rel=_LINK_REL,
        strip_comments=True,
    )
    return mark_safe(cleaned.strip())  # noqa: S308 - sanitised by nh3 just above
