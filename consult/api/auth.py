"""Who is calling: a personal token (scripts) or the site's session (with its CSRF token on writes).

- ``Authorization: Bearer cst_...``: a token made on the settings page (``consult.accounts.tokens``). A bad,
  revoked or malformed token is a 401, never a silent fall-back to anonymous.
- The session cookie the site signs in with: reads need nothing more; writes need the ``X-CSRFToken`` header
  (Django's CSRF check), so another site cannot make a signed-in browser write through the API.

Endpoints that need a member use ``auth=MEMBER``; public reads use :func:`viewer` (anonymous unless a token or
a session says otherwise, so a moderator's token sees what a moderator sees).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import patch_vary_headers
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from consult.accounts.models import User
from consult.accounts.permissions import AnyUser
from consult.accounts.tokens import token_authenticate

from .problems import API_PREFIX, problem

__all__ = ["MEMBER", "InvalidToken", "SessionAuth", "TokenAuth", "TokenMiddleware", "member", "unauthenticated", "viewer"]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class InvalidToken(AuthenticationError):
    """An Authorization header was sent but names no active token of an active member."""


TOKEN_USER = "consult_token_user"  # noqa: S105  # an attribute name, not a secret


def _bearer(request: HttpRequest) -> str | None:
    """The token text of an ``Authorization: Bearer`` header; None without the header; InvalidToken when the
    header is there but is not a bearer token."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, secret = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise InvalidToken()
    return secret.strip()


class TokenMiddleware:
    """Under /api/, a request with an ``Authorization`` header is that token's member (``request.user``), or a
    401 problem at once: a bad, revoked or malformed token is never silently anonymous, on any endpoint. Runs
    after Django's AuthenticationMiddleware; the token replaces any session user for the request. Responses to
    a member are ``private, no-store``, and every API response varies on Authorization and Cookie."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path.startswith(API_PREFIX) and "Authorization" in request.headers:
            try:
                secret = _bearer(request)
                user = token_authenticate(secret or "")
            except InvalidToken:
                user = None
            if user is None:
                return unauthenticated(request)
            request.user = user
            setattr(request, TOKEN_USER, user)
        response = self.get_response(request)
        if request.path.startswith(API_PREFIX):
            # What a member reads through the API is theirs (or shaped by who they are): no shared cache keeps it.
            patch_vary_headers(response, ("Authorization", "Cookie"))
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
                response["Cache-Control"] = "private, no-store"
        return response


def unauthenticated(request: HttpRequest) -> HttpResponse:
    """The 401 problem: what to send, and whether the token sent was the trouble."""
    bad_token = request.headers.get("Authorization") is not None
    detail = (
        "The token is not valid: it may be mistyped or revoked. Make a new one on your account settings page."
        if bad_token
        else "Sign in: send a personal token (Authorization: Bearer ...) or use the site's session."
    )
    header = 'Bearer realm="consult", error="invalid_token"' if bad_token else 'Bearer realm="consult"'
    return problem(request, 401, detail=detail, headers={"WWW-Authenticate": header})


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` (checked by TokenMiddleware; this declares the scheme to ninja and
    the OpenAPI document)."""

    def __call__(self, request: HttpRequest) -> User | None:
        user = getattr(request, TOKEN_USER, None)
        return user if isinstance(user, User) else None

    def authenticate(self, request: HttpRequest, token: str) -> User | None:  # pragma: no cover - __call__ decides
        return None


class SessionAuth(APIKeyCookie):
    """The site's session cookie; unsafe methods also pass Django's CSRF check (403 otherwise)."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> User | None:
        user = getattr(request, "user", None)
        if not isinstance(user, User) or not user.is_active:
            return None  # not signed in: a 401, before any CSRF question
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed: send the csrftoken cookie's value in the X-CSRFToken header.")
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:  # pragma: no cover - __call__ decides
        return None


#: Endpoints for members: a token first (a script), else the session (the site).
MEMBER = [TokenAuth(), SessionAuth()]


def viewer(request: HttpRequest) -> AnyUser:
    """Who reads a public endpoint: the token's member, the session's, or anonymous (a bad token never gets
    this far: TokenMiddleware answered 401)."""
    current = getattr(request, "user", None)
    return current if isinstance(current, User) and current.is_active else AnonymousUser()


def member(request: HttpRequest) -> User:
    """The member an ``auth=MEMBER`` endpoint was called by (ninja has checked it)."""
    user = getattr(request, "auth", None)
    assert isinstance(user, User)
    return user
