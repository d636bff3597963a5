"""``reverse()`` with a memo: the same name and arguments give the same path until the URLconf changes.

A thread page reverses about 40 URLs (navigation, tag and related-question links, JSON-LD); Django
resolves each from scratch, about 15 µs apiece. :func:`cached_reverse` remembers the last
``MEMO_SIZE`` results, keyed by everything ``reverse`` depends on (name, arguments, current app,
the request's script prefix and URLconf), and only for plain ``str``/``int`` arguments, so a
memoised path is always the one ``reverse`` would return. ``{% url %}`` in every template uses it
(``consult.core.templatetags.urls``, installed as a template builtin).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from django.urls import get_script_prefix, get_urlconf, reverse

__all__ = ["MEMO_SIZE", "cached_reverse"]

MEMO_SIZE = 8192


@lru_cache(maxsize=MEMO_SIZE)
def _reverse(
    viewname: str,
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
    current_app: str | None,
    prefix: str,
    urlconf: str | None,
) -> str:
    return reverse(viewname, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app)


def _plain(values: Sequence[Any]) -> bool:
    return all(type(value) in (str, int) for value in values)


def cached_reverse(
    viewname: str,
    *,
    args: Sequence[Any] = (),
    kwargs: Mapping[str, Any] | None = None,
    current_app: str | None = None,
) -> str:
    """``django.urls.reverse(viewname, args=..., kwargs=...)``, memoised for str/int arguments."""
    kwargs = dict(kwargs or {})
    urlconf = get_urlconf()
    if not isinstance(viewname, str) or not _plain(args) or not _plain(list(kwargs.values())):
        return reverse(viewname, urlconf=urlconf, args=args, kwargs=kwargs, current_app=current_app)
    if urlconf is not None and not isinstance(urlconf, str):
        return reverse(viewname, urlconf=urlconf, args=args, kwargs=kwargs, current_app=current_app)
    return _reverse(
        viewname, tuple(args), tuple(sorted(kwargs.items())), current_app, get_script_prefix(), urlconf
    )
