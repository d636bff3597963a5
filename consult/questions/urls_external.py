"""Links into other apps, tolerant of those apps' URLs not being wired yet."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse


def doctor_profile_url(slug: str) -> str:
    try:
        return reverse("doctors:profile", kwargs={"slug": slug})
    except NoReverseMatch:
        return f"/doctors/{slug}/"
