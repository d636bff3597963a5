import os

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path


def favicon(request: HttpRequest) -> HttpResponse:
    """The icon's hashed static URL is looked up per request, never at import: with the manifest storage,
    importing the URLconf before collectstatic (migrate, check --deploy on a fresh checkout) must not fail."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


urlpatterns = [
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on every site; answer with the static icon instead of a 404.
    path("favicon.ico", favicon),
    path("accounts/", include("consult.accounts.urls")),
    path("doctors/", include("consult.doctors.urls")),
    path("moderation/", include("consult.moderation.urls")),
    path("photos/", include("consult.photos.urls")),
    path("practice/", include("consult.practice.urls")),
    path("me/progress/", include("consult.progress.urls")),
    path("", include("consult.reviews.urls")),  # /reviews/..., /treatments/...
    path("", include("consult.questions.urls")),
]


def bench_hello(request: HttpRequest) -> HttpResponse:
    """The load benchmark's baseline (bench/load.py): the same settings, middleware and server, no database."""
    return HttpResponse("Hello, world", content_type="text/plain")


if os.environ.get("BENCH_HELLO") == "1":  # only when bench/load.py starts the server
    urlpatterns.insert(0, path("bench/hello/", bench_hello))
