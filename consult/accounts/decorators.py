"""View decorators built on consult.accounts.permissions."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from consult.accounts.permissions import AnyUser

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponse])


def permission_required(predicate: Callable[[AnyUser], bool]) -> Callable[[ViewFunc], ViewFunc]:
    """Anonymous visitors are sent to sign in; signed-in users who fail ``predicate`` get a 403."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


PRIVATE = "private, no-store"


def private_page(view: ViewFunc) -> ViewFunc:
    """Pages with a member's own data: ``Cache-Control: private, no-store``, so neither a shared cache nor
    the browser keeps a copy (the back button after signing out on a shared computer shows nothing)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = PRIVATE
        return response

    return wrapped  # type: ignore[return-value]
