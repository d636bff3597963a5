"""A cap on the size of a whole request body, checked before Django reads any of it.

Django limits form fields (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but not uploaded files: a client could
stream gigabytes into temporary files before any form sees them. ``RequestSizeLimitMiddleware``
answers 413 with a page that says what the limit is, from the Content-Length header alone, for any
request larger than ``settings.MAX_REQUEST_BYTES`` (the most photos one form takes, each at its size
limit, plus 2 MB for the other fields; a test keeps it in step with consult.photos' limits). Requests without a Content-Length have an empty body
for Django (WSGI), so they cannot get round it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

__all__ = ["RequestSizeLimitMiddleware", "max_request_bytes"]

MB = 1024 * 1024


def _mb(size: int) -> str:
    return f"{size / MB:.0f}" if size >= 10 * MB else f"{size / MB:.1f}"


def max_request_bytes() -> int:
    return int(settings.MAX_REQUEST_BYTES)


class RequestSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = max_request_bytes()
        if length > limit:
            context = {"sent_mb": _mb(length), "limit_mb": _mb(limit)}
            # No "Connection: close" here: it is a hop-by-hop header, which WSGI forbids an application to set
            # (runserver's wsgiref asserts on it); the server decides what to do with the unread body.
            return HttpResponse(render_to_string("413.html", context, request=request), status=413)
        return self.get_response(request)
