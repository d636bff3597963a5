"""RFC 9457 problem details (``application/problem+json``) for every error under /api/.

The API's own errors are made here by the exception handlers (``consult/api/api.py``); whatever else answers an
/api/ request with an error (the URL resolver's 404, a 405 for a method no endpoint takes, the 413 for an
oversized body, a crash turned into a 500 by Django) is rewritten by :class:`ProblemDetailsMiddleware`, so a
client never has to parse an HTML error page. A 500 says only that something went wrong: no traceback, no
exception text (Django logs it).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase

__all__ = ["API_PREFIX", "CONTENT_TYPE", "ProblemDetailsMiddleware", "problem", "problem_type"]

API_PREFIX = "/api/"
CONTENT_TYPE = "application/problem+json"


def problem_type(slug: str) -> str:
    """A problem type URI (RFC 4151 tag URI: unique without being a web address; listed in docs/api.md)."""
    return f"tag:consult,2026:problem/{slug}"


def problem(
    request: HttpRequest,
    status: int,
    *,
    detail: str | None = None,
    title: str | None = None,
    type_slug: str | None = None,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> HttpResponse:
    """A problem response. Without ``type_slug`` the type is ``about:blank`` and the title is the HTTP status
    phrase, as RFC 9457 section 4.2.1 asks."""
    phrase = HTTPStatus(status).phrase
    body: dict[str, Any] = {
        "type": problem_type(type_slug) if type_slug else "about:blank",
        "title": title if (title and type_slug) else phrase,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    body["instance"] = request.path
    body.update({key: value for key, value in extensions.items() if value is not None})
    response = HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    response["Cache-Control"] = "no-store"
    return response


# What a generic problem says for the statuses something other than the API's handlers can answer with.
_DETAIL = {
    404: "There is nothing at this address. The endpoints are listed at /api/v1/openapi.json.",
    405: "This endpoint does not take that method; the Allow header lists those it takes.",
    413: "The request body is too large.",
    500: "Something went wrong on our side. Please try again later.",
}


class ProblemDetailsMiddleware:
    """Turn any error response under /api/ that is not already a problem into one (keeping ``Allow`` and
    ``Retry-After``). Placed near the top of MIDDLEWARE so it also sees the size limit's 413."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            not request.path.startswith(API_PREFIX)
            or response.status_code < 400
            or response.get("Content-Type", "").startswith(CONTENT_TYPE)
        ):
            return response
        status = response.status_code
        try:
            HTTPStatus(status)
        except ValueError:
            status = 500
        kept = {name: response[name] for name in ("Allow", "Retry-After", "WWW-Authenticate") if response.has_header(name)}
        if status >= 500:
            status = 500  # whatever broke, the client learns no more than that
        return problem(request, status, detail=_DETAIL.get(status), headers=kept)
