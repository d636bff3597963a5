"""django-csp's middleware, with the policy built once instead of on every response.

``csp.middleware.CSPMiddleware`` rebuilds both headers from settings for every response (about a
tenth of a cached page's time here). Our policy is the same for every response unless a view uses
django-csp's decorators (``@csp_update`` and friends set ``response._csp_*``) or a template asks for a
nonce; those responses still go through django-csp unchanged. The memo is keyed by the settings
objects, so ``override_settings`` in tests gets a fresh build.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase

__all__ = ["FastCSPMiddleware"]

_CUSTOM = (
    "_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro",
    "_csp_exempt", "_csp_exempt_ro",
)  # fmt: skip


class FastCSPMiddleware(CSPMiddleware):
    _memo: tuple[Any, Any, tuple[tuple[str, str], ...]] | None = None

    def _constant_headers(self, request: HttpRequest, response: HttpResponseBase) -> tuple[tuple[str, str], ...]:
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        memo = FastCSPMiddleware._memo
        if memo is not None and memo[0] is policy and memo[1] is report_only:
            return memo[2]
        headers: list[tuple[str, str]] = []
        csp = build_policy(**asdict(self.get_policy_parts(request=request, response=response)))
        if csp:
            headers.append(("Content-Security-Policy", csp))
        parts_ro = self.get_policy_parts(request=request, response=response, report_only=True)
        csp_ro = build_policy(**asdict(parts_ro), report_only=True)
        if csp_ro:
            headers.append(("Content-Security-Policy-Report-Only", csp_ro))
        FastCSPMiddleware._memo = (policy, report_only, tuple(headers))
        return tuple(headers)

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        custom = any(hasattr(response, name) for name in _CUSTOM)
        excluded = any(
            (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES")
            for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
        )
        if custom or excluded or getattr(request, "_csp_nonce", None) is not None or settings.DEBUG:
            return super().process_response(request, response)
        for header, value in self._constant_headers(request, response):
            if header not in response:
                response[header] = value
        # as django-csp does once the headers are written: asking for a nonce now is an error
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response

