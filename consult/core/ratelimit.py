"""Fixed-window rate limits per signed-in user, per client address, or per any key a view names.

Limits live in ``settings.RATELIMITS`` as ``scope -> (max_requests, window_seconds)`` and are
switched off with ``settings.RATELIMIT_ENABLED = False`` (the test settings do). Counters live in their
own cache alias (``settings.RATELIMIT_CACHE``, ``"ratelimit"``): Redis when ``REDIS_URL`` is set, so every
process shares a limit, and never the page cache, so filling the page cache cannot evict a counter.

The client address is ``REMOTE_ADDR`` unless that is one of ``settings.RATELIMIT_TRUSTED_PROXIES`` (addresses
or networks of the site's own load balancers): then the right-most ``X-Forwarded-For`` hop that is not a
trusted proxy. ``X-Forwarded-For`` from anyone else is ignored, so a client cannot choose its own key.

Why not django-ratelimit: this module is the same fixed window on Django's cache API (``add`` + atomic
``incr``), about a hundred lines, and the sign-in views need what the library's decorator does not give
directly: counting only failed attempts, per address and per account, checked before the password is.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

__all__ = [
    "ACTIONS",
    "client_ip",
    "client_key",
    "hit",
    "is_limited",
    "limit_message",
    "ratelimit",
    "retry_after",
    "too_many_requests",
]

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponse])
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _store() -> BaseCache:
    return caches[getattr(settings, "RATELIMIT_CACHE", "ratelimit")]


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in proxies)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The address of the client, trusting ``X-Forwarded-For`` only as far as the configured proxies."""
    remote = str(request.META.get("REMOTE_ADDR", "") or "unknown")
    trusted = _networks(tuple(getattr(settings, "RATELIMIT_TRUSTED_PROXIES", ())))
    if not trusted:
        return remote

    def is_trusted(text: str) -> bool:
        address = _address(text)
        return address is not None and any(address in network for network in trusted)

    if not is_trusted(remote):
        return remote
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if _address(hop) is None:
            break  # garbage in the header: stop at the last address a trusted proxy vouched for
        remote = hop
        if not is_trusted(hop):
            return hop
    return remote


def client_key(request: HttpRequest) -> str:
    """Who is counted: the user if signed in, else the address the request came from."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u{user.pk}"
    return f"ip{client_ip(request)}"


def _key(scope: str, who: str) -> tuple[str, int, int]:
    limit, window = settings.RATELIMITS[scope]
    bucket = int(time.time() // window)
    return f"rl:{scope}:{who}:{bucket}", limit, window


def hit(scope: str, who: str) -> int:
    """Count one event for ``who`` (any string: a user, an address, an e-mail) in ``scope``; return the count."""
    key, _limit, window = _key(scope, who)
    store = _store()
    # add() is a no-op when the key exists, so the first event of a window starts the count.
    store.add(key, 0, timeout=window + 1)
    try:
        return int(store.incr(key))
    except ValueError:  # evicted between add() and incr()
        store.set(key, 1, timeout=window + 1)
        return 1


def over(scope: str, who: str) -> bool:
    """Has ``who`` used up ``scope`` in this window (without counting this look)?"""
    if not getattr(settings, "RATELIMIT_ENABLED", True):
        return False
    key, limit, _window = _key(scope, who)
    return int(_store().get(key, 0)) >= limit


def is_limited(request: HttpRequest, scope: str, *, increment: bool = True, who: str | None = None) -> bool:
    """Count this request against ``scope`` (for ``who``, default the user or address) and say whether it
    is over the limit."""
    if not getattr(settings, "RATELIMIT_ENABLED", True):
        return False
    who = who if who is not None else client_key(request)
    if not increment:
        return over(scope, who)
    limit = settings.RATELIMITS[scope][0]
    return hit(scope, who) > limit


# What each limit counts, in words for the 429 page ("You have asked 10 questions in the last hour").
ACTIONS = {
    "question_create": "questions asked",
    "answer_create": "answers published",
    "vote": "helpful votes",
    "markdown_preview": "previews",
    "flag": "reports",
    "login": "failed sign-ins from this address",
    "login_account": "failed sign-ins to this account",
    "signup": "sign-ups",
    "signup_email": "sign-up e-mails to this address",
    "password_reset": "password-reset requests",
    "password_reset_email": "password-reset e-mails to this address",
    "password_change": "wrong current passwords",
    "photo_upload": "photo uploads",
    "doctor_share": "photo shares",
    "review_write": "reviews posted",
    "api": "API requests",
    "consultation_request": "consultation requests sent",
}


def _duration(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = round(seconds / 60)
    if minutes < 90:
        return f"{minutes} minutes"
    return f"{round(minutes / 60)} hours"


def retry_after(scope: str) -> int:
    """Seconds until ``scope``'s current window ends (a fixed window: the count starts again then)."""
    window = settings.RATELIMITS[scope][1]
    return max(1, window - int(time.time()) % window)


def limit_message(scope: str) -> str:
    """What was limited and for how long, e.g. 'You have reached the limit of 10 questions asked per hour.
    You can try again in 42 minutes; nothing you wrote is lost if you go back.'"""
    limit, window = settings.RATELIMITS[scope]
    what = ACTIONS.get(scope, "requests of this kind")
    return (
        f"You have reached the limit of {limit} {what} per {_duration(window)}. You can try again in "
        f"{_duration(retry_after(scope))}; nothing you wrote is lost if you go back."
    )


def too_many_requests(request: HttpRequest, *, scope: str | None = None, message: str | None = None) -> HttpResponse:
    """A friendly 429 that says what was limited and for how long (from ``scope``; ``message`` overrides
    the sentence): a fragment for HTMX requests, the full page otherwise. ``Retry-After`` is the time left
    in the window."""
    context: dict[str, Any] = {"message": message or (limit_message(scope) if scope else None)}
    if request.headers.get("HX-Request") == "true":
        body = render_to_string("core/_ratelimited.html", context, request=request)
    else:
        body = render_to_string("429.html", context, request=request)
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(retry_after(scope) if scope else 60)
    return response


def ratelimit(scope: str, *, methods: tuple[str, ...] = ("POST",)) -> Callable[[ViewFunc], ViewFunc]:
    """Decorate a view so that requests with ``methods`` over the ``scope`` limit get a 429."""
    if scope not in settings.RATELIMITS:
        raise KeyError(f"No rate limit configured for scope {scope!r} in settings.RATELIMITS")

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in methods and is_limited(request, scope):
                return too_many_requests(request, scope=scope)
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
