"""Whole-page cache for anonymous readers, keyed by the page and the versions of what it shows.

A page is cached only for a request that carries no session cookie and no messages cookie (so the
reader is certainly anonymous and has no pending flash message), only for a 200 response that sets
no cookie. Signed-in readers always get a fresh render (their vote state and controls are personal).

Each cached page names the *versions* it depends on (``"q:42"`` for question 42's thread,
``"lists"`` for the question lists and tag pages, ``"doctor:7"`` for a doctor's profile). A write that
changes what a page shows calls :func:`bump` with those names in its transaction; the page key then
changes and the next anonymous reader renders afresh. Everything else a page shows that is not tied
to a version (helpful-vote counts, bylines, related questions) is at most ``ANON_PAGE_CACHE_SECONDS``
old (default 60 s), the lifetime of a cached page.

The cache is Django's default cache: Redis when ``REDIS_URL`` is set (shared by every web process,
so a bump is seen by all of them), local memory otherwise (one process, e.g. runserver). If the cache
is unreachable, pages are rendered as if nothing were cached.

**Hot pages in process memory** (``ANON_PAGE_LOCAL_SECONDS``, default 1 s; 0 turns it off): a page
served in the last second is served again from the worker's own memory without asking Redis, which
saves the one round trip that is most of a cached page's cost (docs/benchmarks.md). At most
``LOCAL_PAGES`` pages are kept (least recently used go first). A bump clears them in the process that
wrote at once, so a writer and the tests see their change immediately; other processes may serve
the previous page for at most ``ANON_PAGE_LOCAL_SECONDS`` after a write.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

__all__ = [
    "LOCAL_PAGES",
    "anonymous_page_cache",
    "bump",
    "clear_local",
    "fetch_versioned",
    "is_cacheable_request",
    "page_ttl",
]

log = logging.getLogger(__name__)
VERSION_PREFIX = "pagever:"
PAGE_PREFIX = "page:"
HIT_HEADER = "X-Page-Cache"

VersionFn = Callable[..., Iterable[str]]


def page_ttl() -> int:
    return int(getattr(settings, "ANON_PAGE_CACHE_SECONDS", 60))


LOCAL_PAGES = 128  # ~25 kB each: about 3 MiB per worker at most
_local: OrderedDict[str, tuple[float, bytes, str]] = OrderedDict()  # page key -> (expires, content, type)
_local_lock = threading.Lock()


def _local_seconds() -> float:
    return float(getattr(settings, "ANON_PAGE_LOCAL_SECONDS", 1.0))


def clear_local() -> None:
    """Forget the hot pages this process holds (a write here, or a test that wants a cold start)."""
    with _local_lock:
        _local.clear()


def _local_get(key: str) -> tuple[bytes, str] | None:
    if _local_seconds() <= 0:
        return None
    with _local_lock:
        entry = _local.get(key)
        if entry is None:
            return None
        if entry[0] <= time.monotonic():
            del _local[key]
            return None
        _local.move_to_end(key)
        return entry[1], entry[2]


def _local_put(key: str, content: bytes, content_type: str) -> None:
    seconds = _local_seconds()
    if seconds <= 0:
        return
    with _local_lock:
        _local[key] = (time.monotonic() + seconds, content, content_type)
        _local.move_to_end(key)
        while len(_local) > LOCAL_PAGES:
            _local.popitem(last=False)


def _cached_response(content: bytes, content_type: str, hit: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response[HIT_HEADER] = hit
    patch_vary_headers(response, ("Cookie",))
    return response


def _new_version() -> str:
    return f"{time.time_ns():x}"


def _set_versions(names: Iterable[str]) -> None:
    value = _new_version()
    try:
        cache.set_many({VERSION_PREFIX + name: value for name in names}, timeout=None)
    except Exception:  # the cache is down: nothing cached can be served either
        log.warning("page cache: could not bump versions", exc_info=True)


def bump(*names: str) -> None:
    """Invalidate every cached page that depends on ``names``.

    Bumped at once (so the writer's own next request, and tests inside one transaction, see the
    change) and again when the surrounding transaction commits: a reader that rendered the old rows
    between the two bumps stored its page under the intermediate version, which nobody asks for.
    """
    if not names:
        return
    clear_local()
    _set_versions(names)

    def on_commit() -> None:
        clear_local()
        _set_versions(names)

    transaction.on_commit(on_commit)


def fetch_versioned(names: list[str], page_key: str) -> tuple[list[str], Any]:
    """The current versions of ``names`` and the cached entry at ``page_key``, in one cache round trip.

    Store an entry as ``(versions, value)`` and use it only while ``versions`` equals the current ones.
    """
    keys = [VERSION_PREFIX + name for name in names]
    found = cache.get_many([*keys, page_key])
    missing = [key for key in keys if key not in found]
    if missing:
        # A version that was never set (or was evicted) gets a fresh value: an older page can never match it.
        fresh = _new_version()
        for key in missing:
            cache.add(key, fresh, timeout=None)
        found.update(cache.get_many(missing))
    return [str(found.get(key, "")) for key in keys], found.get(page_key)


def is_cacheable_request(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and getattr(settings, "MESSAGE_COOKIE_NAME", "messages") not in request.COOKIES
        and request.headers.get("HX-Request") is None
    )


def _cacheable_response(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "no-store" not in response.get("Cache-Control", "")
        and "private" not in response.get("Cache-Control", "")
    )


def _page_key(request: HttpRequest) -> str:
    return PAGE_PREFIX + hashlib.md5(request.get_full_path().encode(), usedforsecurity=False).hexdigest()


def anonymous_page_cache(versions: VersionFn) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a GET view: anonymous readers get the cached page while its versions hold.

    ``versions(request, **view_kwargs)`` returns the version names the page depends on.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not is_cacheable_request(request):
                return view(request, *args, **kwargs)
            # One entry per URL holding (versions it was rendered under, content, content type): a hit
            # costs one round trip (versions and page together), a write makes the entry not match.
            key = _page_key(request)
            hot = _local_get(key)
            if hot is not None:
                return _cached_response(*hot, hit="hit-local")
            try:
                current, cached = fetch_versioned(list(versions(request, **kwargs)), key)
            except Exception:
                log.warning("page cache: unavailable, rendering", exc_info=True)
                return view(request, *args, **kwargs)
            if cached is not None and cached[0] == current:
                _, content, content_type = cached
                _local_put(key, content, content_type)
                return _cached_response(content, content_type, hit="hit")
            response = view(request, *args, **kwargs)
            if _cacheable_response(response):
                try:
                    cache.set(key, (current, response.content, response["Content-Type"]), timeout=page_ttl())
                except Exception:
                    log.warning("page cache: could not store a page", exc_info=True)
                else:
                    _local_put(key, response.content, response["Content-Type"])
                response[HIT_HEADER] = "miss"
            patch_vary_headers(response, ("Cookie",))
            return response

        return wrapped

    return decorator
