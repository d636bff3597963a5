"""Fixed-window rate limits per signed-in user (or per client IP for anonymous requests).

Limits live in ``settings.RATELIMITS`` as ``scope -> (max_requests, window_seconds)`` and are
switched off with ``settings.RATELIMIT_ENABLED = False`` (the test settings do). Counters live in
the default cache, so several processes share a limit only when they share a cache (Redis).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

__all__ = ["client_key", "is_limited", "ratelimit", "too_many_requests"]

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponse])


def client_key(request: HttpRequest) -> str:
    """Who is counted: the user if signed in, else the address the request came from."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u{user.pk}"
    return f"ip{request.META.get('REMOTE_ADDR', 'unknown')}"


def is_limited(request: HttpRequest, scope: str, *, increment: bool = True) -> bool:
    """Count this request against ``scope`` and say whether it is over the limit."""
    if not getattr(settings, "RATELIMIT_ENABLED", True):
        return False
    limit, window = settings.RATELIMITS[scope]
    bucket = int(time.time() // window)
    key = f"rl:{scope}:{client_key(request)}:{bucket}"
    if not increment:
        return int(cache.get(key, 0)) >= limit
    # add() is a no-op when the key exists, so the first request of a window starts the count.
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add() and incr()
        cache.set(key, 1, timeout=window + 1)
        count = 1
    return count > limit


def too_many_requests(request: HttpRequest) -> HttpResponse:
    """A friendly 429: a fragment for HTMX requests, the full page otherwise."""
    if request.headers.get("HX-Request") == "true":
        body = render_to_string("core/_ratelimited.html", request=request)
    else:
        body = render_to_string("429.html", request=request)
    response = HttpResponse(body, status=429)
    response["Retry-After"] = "60"
    return response


def ratelimit(scope: str, *, methods: tuple[str, ...] = ("POST",)) -> Callable[[ViewFunc], ViewFunc]:
    """Decorate a view so that requests with ``methods`` over the ``scope`` limit get a 429."""
    if scope not in settings.RATELIMITS:
        raise KeyError(f"No rate limit configured for scope {scope!r} in settings.RATELIMITS")

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in methods and is_limited(request, scope):
                return too_many_requests(request)
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
