"""The site's one cache design: versioned entries with one lifetime. Read this module first.

**One rule for staleness.** Every cached entry names the *versions* of what it shows and is served
only while they hold, and only for ``MAX_AGE`` seconds (``ANON_PAGE_CACHE_SECONDS``, default 60)
counted from the moment its data was read from the database. An entry built from another cached
entry inherits that moment (the whole-page cache below does), so ages never add up. Hence:

- a change made through the services shows at once: the service calls :func:`bump` with the
  versions of every page that shows it (in its transaction, and again when it commits);
- anything no version covers (today: the answer counts of *other* questions in a thread's "Related
  questions") is at most ``MAX_AGE`` seconds old. That is the worst-case staleness of every page.

**Version names** live here and only here: :func:`thread` (a question's thread), :data:`LISTS` (the
question lists and tag pages), :func:`doctor` (a doctor's public profile), :data:`SEARCH` (search results
and similar-question suggestions: bumped by every write to the search index).

**Two uses.**

- :func:`get_or_build` — any value shared by every reader (the thread's rows and its rendered
  parts, ``consult/questions/page.py``): one cache round trip when it holds, else ``build()``.
- :func:`anonymous_page_cache` — the whole page, for readers without a session or message cookie,
  keyed by scheme, host and path (pages embed absolute URLs). A hit is one round trip and no SQL.
  A page served in the last ``ANON_PAGE_LOCAL_SECONDS`` (default 1 s with Redis, else 0) is served
  again from the worker's memory; a bump clears that memory in the writing process at once, other
  processes follow within that second, and never beyond the entry's ``MAX_AGE``.

The cache is Django's default cache: Redis (django-redis) when ``REDIS_URL`` is set, shared by every
process; local memory otherwise. If it is unreachable, everything is built from the database.
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

__all__ = [
    "LISTS",
    "LOCAL_PAGES",
    "SEARCH",
    "anonymous_page_cache",
    "bump",
    "clear_local",
    "doctor",
    "get_or_build",
    "max_age",
    "read_at",
    "thread",
]

log = logging.getLogger(__name__)
T = TypeVar("T")

# -- version names ------------------------------------------------------------------------------

LISTS = "lists"
SEARCH = "search"


def thread(question_id: int) -> str:
    return f"q:{question_id}"


def doctor(slug: str) -> str:
    return f"doctor:{slug}"


# -- versions and entries -----------------------------------------------------------------------

_VERSION = "ver:"
_READ_AT = "_consult_read_at"  # request attribute: when the oldest data this response shows was read


def max_age() -> int:
    return int(getattr(settings, "ANON_PAGE_CACHE_SECONDS", 60))


@dataclass(frozen=True)
class _Entry:
    versions: tuple[str, ...]
    read_at: float  # time.time() when its data was read from the database
    value: Any


def _new_version() -> str:
    return f"{time.time_ns():x}"


def _set_versions(names: Iterable[str]) -> None:
    value = _new_version()
    try:
        cache.set_many({_VERSION + name: value for name in names}, timeout=None)
    except Exception:  # the cache is down: nothing cached can be served either
        log.warning("cache: could not bump versions", exc_info=True)


def bump(*names: str) -> None:
    """Invalidate every entry that shows ``names``: now (the writer's next request and tests inside one
    transaction see it) and again on commit (a reader that read the old rows in between stored its
    entry under the intermediate version, which nobody asks for)."""
    if not names:
        return

    def now() -> None:
        clear_local()
        _set_versions(names)

    now()
    transaction.on_commit(now)


def _fetch(names: list[str], key: str) -> tuple[tuple[str, ...], _Entry | None]:
    """The current versions of ``names`` and the entry at ``key``, in one round trip."""
    keys = [_VERSION + name for name in names]
    found = cache.get_many([*keys, key])
    missing = [k for k in keys if k not in found]
    if missing:  # never set, or evicted: a fresh version, so no older entry can match it
        fresh = _new_version()
        lost = [k for k in missing if not cache.add(k, fresh, timeout=None)]  # another process was first
        found.update({k: fresh for k in missing if k not in lost})
        if lost:
            found.update(cache.get_many(lost))
    entry = found.get(key)
    return tuple(str(found.get(k, "")) for k in keys), entry if isinstance(entry, _Entry) else None


def _valid(entry: _Entry | None, versions: tuple[str, ...]) -> bool:
    return entry is not None and entry.versions == versions and time.time() - entry.read_at < max_age()


def _store(key: str, entry: _Entry) -> None:
    remaining = entry.read_at + max_age() - time.time()
    if remaining <= 0:
        return
    timeout = math.ceil(remaining)  # the cache's whole seconds; _valid() holds the exact bound
    try:
        cache.set(key, entry, timeout=timeout)
    except Exception:
        log.warning("cache: could not store %s", key, exc_info=True)


def get_or_build(names: list[str], key: str, build: Callable[[], T]) -> tuple[T, float]:
    """The value cached at ``key`` while the versions of ``names`` hold and it is younger than ``MAX_AGE``,
    else ``build()`` (stored). Returns the value and when its data was read (``time.time()``)."""
    try:
        versions, entry = _fetch(names, key)
    except Exception:
        log.warning("cache: unavailable, building %s", key, exc_info=True)
        return build(), time.time()
    if entry is not None and _valid(entry, versions):
        return entry.value, entry.read_at
    read_at = time.time()  # before the reads: the entry is never younger than its data
    value = build()
    _store(key, _Entry(versions, read_at, value))
    return value, read_at


def read_at(request: HttpRequest, moment: float) -> None:
    """Tell the page cache that this response shows data read at ``moment`` (its age counts from then)."""
    setattr(request, _READ_AT, min(moment, getattr(request, _READ_AT, moment)))


# -- whole pages for anonymous readers ----------------------------------------------------------

LOCAL_PAGES = 128  # ~25 kB each: about 3 MiB per worker at most
_local: OrderedDict[str, tuple[float, bytes, str]] = OrderedDict()  # key -> (expires, content, type)
_local_lock = threading.Lock()


def clear_local() -> None:
    """Forget the hot pages this process holds."""
    with _local_lock:
        _local.clear()


def _local_get(key: str) -> tuple[bytes, str] | None:
    with _local_lock:
        hit = _local.get(key)
        if hit is None or hit[0] <= time.monotonic():
            _local.pop(key, None)
            return None
        _local.move_to_end(key)
        return hit[1], hit[2]


def _local_put(key: str, entry: _Entry) -> None:
    seconds = min(
        float(getattr(settings, "ANON_PAGE_LOCAL_SECONDS", 0.0)), entry.read_at + max_age() - time.time()
    )
    if seconds <= 0:
        return
    with _local_lock:
        _local[key] = (time.monotonic() + seconds, *entry.value)
        _local.move_to_end(key)
        while len(_local) > LOCAL_PAGES:
            _local.popitem(last=False)


def _is_anonymous_get(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and getattr(settings, "MESSAGE_COOKIE_NAME", "messages") not in request.COOKIES
        and request.headers.get("HX-Request") is None
    )


def _cacheable(response: HttpResponse) -> bool:
    control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "no-store" not in control
        and "private" not in control
    )


def _page_key(request: HttpRequest) -> str:
    url = request.build_absolute_uri()  # scheme, host and path: pages embed absolute URLs
    return "page:" + hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()


def _response(content: bytes, content_type: str, hit: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["X-Page-Cache"] = hit
    patch_vary_headers(response, ("Cookie",))
    return response


VersionFn = Callable[..., Iterable[str]]


def anonymous_page_cache(versions: VersionFn) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a GET view: anonymous readers get the cached page while its versions hold.

    ``versions(request, **view_kwargs)`` returns the version names the page depends on.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _is_anonymous_get(request):
                return view(request, *args, **kwargs)
            key = _page_key(request)
            hot = _local_get(key)
            if hot is not None:
                return _response(*hot, hit="hit-local")
            try:
                current, entry = _fetch(list(versions(request, **kwargs)), key)
            except Exception:
                log.warning("cache: unavailable, rendering", exc_info=True)
                return view(request, *args, **kwargs)
            if entry is not None and _valid(entry, current):
                _local_put(key, entry)
                content, content_type = entry.value
                return _response(content, content_type, hit="hit")
            started = time.time()
            response = view(request, *args, **kwargs)
            if _cacheable(response):
                page = _Entry(current, getattr(request, _READ_AT, started), (response.content, response["Content-Type"]))
                _store(key, page)
                _local_put(key, page)
                response["X-Page-Cache"] = "miss"
            patch_vary_headers(response, ("Cookie",))
            return response

        return wrapped

    return decorator
