import os

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_GET

from consult.doctors.sitemaps import DoctorSitemap
from consult.questions.feeds import AtomQuestionsFeed, QuestionsFeed
from consult.questions.sitemaps import QuestionSitemap, TagSitemap
from consult.reviews.sitemaps import TreatmentSitemap

# sitemap.xml: an index of paginated sections (public, non-hidden content only), each file cached for the site's
# one staleness bound (ANON_PAGE_CACHE_SECONDS, docs/architecture.md "The cache").
SITEMAPS = {"questions": QuestionSitemap, "concerns": TagSitemap, "doctors": DoctorSitemap, "treatments": TreatmentSitemap}
# Private areas crawlers need not try (they answer 404 or a sign-in page anyway), and the public pages inside
# them that crawlers may read. Allow lines come first: RFC 9309 picks the longest matching rule whatever the
# order, simpler parsers (Python's urllib.robotparser) the first one; both read this file the same way.
# tests/consult/seo/test_robots.py checks every URL of the access matrix against it.
ROBOTS_ALLOW = (
    "/photos/guide/",  # the photo guide: public help page
    "/practice/gallery/doctor/",  # a doctor's public before/after gallery page
    "/practice/headshots/",  # verified doctors' headshots (public, shown on their profiles)
)
# /practice/ also holds the gallery photos themselves (/practice/gallery/<pk>/...jpg): kept out of image search
# because a patient may withdraw consent and a search engine's copy cannot be recalled; the pages showing them
# are crawlable. Everything else there is private (headshot and gallery forms, consultation requests). /answers/
# and /reviews/ hold only forms and actions (an answer's edit form, a review's form); the content is on threads,
# profiles and treatment pages.
ROBOTS_DISALLOW = (
    "/accounts/", "/admin/", "/dashboard/", "/me/", "/moderation/", "/notifications/", "/photos/", "/practice/",
    "/markdown/", "/doctors/me/", "/doctors/verification/", "/answers/", "/reviews/",
)


def favicon(request: HttpRequest) -> HttpResponse:
    """The icon's hashed static URL is looked up per request, never at import: with the manifest storage,
    importing the URLconf before collectstatic (migrate, check --deploy on a fresh checkout) must not fail."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        *(f"Allow: {prefix}" for prefix in ROBOTS_ALLOW),
        *(f"Disallow: {prefix}" for prefix in ROBOTS_DISALLOW),
    ]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('seo:sitemap_index'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


seo_patterns = [
    path("sitemap.xml", cache_page(settings.ANON_PAGE_CACHE_SECONDS)(sitemap_views.index),
         {"sitemaps": SITEMAPS, "sitemap_url_name": "seo:sitemap_section"}, name="sitemap_index"),
    path("sitemap-<section>.xml", cache_page(settings.ANON_PAGE_CACHE_SECONDS)(sitemap_views.sitemap),
         {"sitemaps": SITEMAPS}, name="sitemap_section"),
    path("feed/", QuestionsFeed(), name="feed"),
    path("feed/atom/", AtomQuestionsFeed(), name="feed_atom"),
    path("tags/<slug:slug>/feed/", QuestionsFeed(), name="tag_feed"),
]

urlpatterns = [
    path("robots.txt", robots_txt),
    path("", include((seo_patterns, "seo"))),
    path("admin/", admin.site.urls),
    path("api/", include("consult.api.urls")),
    # Browsers ask for /favicon.ico on every site; answer with the static icon instead of a 404.
    path("favicon.ico", favicon),
    path("accounts/", include("consult.accounts.urls")),
    path("doctors/", include("consult.doctors.urls")),
    path("moderation/", include("consult.moderation.urls")),
    path("notifications/", include("consult.notifications.urls")),
    path("photos/", include("consult.photos.urls")),
    path("practice/", include("consult.practice.urls")),
    path("dashboard/", include("consult.dashboard.urls")),
    path("me/progress/", include("consult.progress.urls")),
    path("search/", include("consult.search.urls")),
    path("", include("consult.reviews.urls")),  # /reviews/..., /treatments/...
    path("", include("consult.questions.urls")),
]


def bench_hello(request: HttpRequest) -> HttpResponse:
    """The load benchmark's baseline (bench/load.py): the same settings, middleware and server, no database."""
    return HttpResponse("Hello, world", content_type="text/plain")


if os.environ.get("BENCH_HELLO") == "1":  # only when bench/load.py starts the server
    urlpatterns.insert(0, path("bench/hello/", bench_hello))
