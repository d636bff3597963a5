import os

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on every site; answer with the static icon instead of a 404.
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"), permanent=True)),
    path("accounts/", include("consult.accounts.urls")),
    path("doctors/", include("consult.doctors.urls")),
    path("moderation/", include("consult.moderation.urls")),
    path("photos/", include("consult.photos.urls")),
    path("me/progress/", include("consult.progress.urls")),
    path("", include("consult.questions.urls")),
]


def bench_hello(request: HttpRequest) -> HttpResponse:
    """The load benchmark's baseline (bench/load.py): the same settings, middleware and server, no database."""
    return HttpResponse("Hello, world", content_type="text/plain")


if os.environ.get("BENCH_HELLO") == "1":  # only when bench/load.py starts the server
    urlpatterns.insert(0, path("bench/hello/", bench_hello))
