"""Rate limits for the API, on the site's one rate limiter (``consult.core.ratelimit``: fixed windows in the
``ratelimit`` cache alias, the client address through ``TRUSTED_PROXIES`` only).

- Every request counts against ``api`` (``settings.RATELIMITS``): per member (by token or session), else per
  client address.
- Writes also count against the scope the site's own form uses (``question_create``, ``answer_create``, ``vote``,
  ``review_write``): the API is no way around the site's limits.

Over a limit: 429 problem with ``Retry-After`` (seconds to the end of the window).
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from consult.core.ratelimit import is_limited, limit_message, retry_after

__all__ = ["ApiThrottle", "RateLimited", "check"]

SCOPE = "api"


class RateLimited(Exception):
    def __init__(self, scope: str) -> None:
        self.scope = scope
        super().__init__(limit_message(scope))

    @property
    def retry_after(self) -> int:
        return retry_after(self.scope)


class ApiThrottle(BaseThrottle):
    """ninja's throttle hook, counting on our limiter (ninja answers a refusal with its Throttled error, which
    the API's handler turns into the 429 problem)."""

    scope = SCOPE

    def allow_request(self, request: HttpRequest) -> bool:
        return not is_limited(request, self.scope)

    def wait(self) -> float:
        return float(retry_after(self.scope))


def check(request: HttpRequest, scope: str) -> None:
    """Count one write against ``scope`` for the caller; RateLimited when over."""
    if is_limited(request, scope):
        raise RateLimited(scope)
