"""schema.org Physician structured data for a public doctor profile, embedded as a data block.

The profile is a third-party page (Consult, not the doctor's own site) and its reviews are written by
patients here, so an AggregateRating is allowed by Google's review-snippet rules (which exclude
self-serving reviews an entity publishes about itself). It is only given when there are reviews:
https://developers.google.com/search/docs/appearance/structured-data/review-snippet
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from consult.doctors.models import DoctorProfile

__all__ = ["physician", "script_content"]

# A data block ends at the first "</script"; these JSON escapes make that impossible.
_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def physician(profile: DoctorProfile, absolute: Callable[[str], str]) -> dict[str, Any]:
    # schema.org PostalAddress: addressCountry is the ISO 3166-1 alpha-2 code (as Google asks); addressRegion the
    # US state's code, or elsewhere the region as the doctor wrote it, left out when none was given.
    address: dict[str, Any] = {
        "@type": "PostalAddress",
        "addressLocality": profile.city,
        "addressCountry": profile.country,
    }
    if profile.state:
        address["addressRegion"] = profile.state
    if profile.practice_address:
        address["streetAddress"] = profile.practice_address
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Physician",
        "name": profile.display_name,
        "url": absolute(reverse("doctors:profile", kwargs={"slug": profile.slug})),
        "medicalSpecialty": profile.get_specialty_display(),
        "address": address,
    }
    if profile.practice_phone:
        data["telephone"] = profile.practice_phone
    if profile.language_list:
        data["knowsLanguage"] = profile.language_list
    if profile.review_count and profile.rating_avg is not None:
        data["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": str(profile.rating_avg),
            "reviewCount": profile.review_count,
            "bestRating": 5,
            "worstRating": 1,
        }
    return data


def script_content(data: dict[str, Any]) -> SafeString:
    """JSON safe to place between <script type="application/ld+json"> and </script>."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_ESCAPES))  # noqa: S308
