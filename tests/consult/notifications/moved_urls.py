"""The site's URLs with the doctors' pages mounted under /physicians/ (a test that no link is hard-coded)."""

from django.urls import include, path

from config.urls import urlpatterns as site

urlpatterns = [
    path("physicians/", include("consult.doctors.urls")),
    *(p for p in site if str(getattr(p, "pattern", "")) != "doctors/"),
]
