"""``request.user`` as the real object for signed-in requests, not Django's lazy proxy.

``AuthenticationMiddleware`` sets ``request.user`` to a ``SimpleLazyObject``: every attribute read
through it (templates read ``user.is_authenticated``, ``user.pk``, ``user.public_name`` ... a few
hundred times on a thread page) pays the proxy's ``__getattribute__`` + ``__getattr__`` detour, about
5 % of a signed-in thread page (bench/profile_thread.py). A request that carries a session cookie
almost always needs the user, so this middleware (right after ``AuthenticationMiddleware``) resolves
it once and stores the object itself. Requests without a session cookie keep the lazy
``AnonymousUser`` (nothing to load), so anonymous cached pages pay nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty

__all__ = ["ResolvedUserMiddleware"]


class ResolvedUserMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if settings.SESSION_COOKIE_NAME in request.COOKIES and isinstance(user, SimpleLazyObject):
            if user._wrapped is empty:
                user._setup()
            request.user = user._wrapped
        return self.get_response(request)
