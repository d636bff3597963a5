"""/api/v1/ (the API, its OpenAPI document at /api/v1/openapi.json) and /api/docs (Swagger UI, served from
ninja's own static files: no CDN)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_GET

from .api import api


@require_GET
def docs(request: HttpRequest) -> HttpResponse:
    """Swagger UI over /api/v1/openapi.json: ninja's template, its settings in a JSON data block and its script
    files under /static/ninja/ (no inline script, so the site's CSP holds)."""
    return api.docs.render_page(request, api)


urlpatterns = [
    path("v1/", api.urls),
    path("", include(([path("docs", docs, name="docs")], "api"))),
]
