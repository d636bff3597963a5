"""sitemap.xml section for doctor profiles: verified doctors (the directory's people)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from .models import DoctorProfile, VerificationStatus

__all__ = ["DoctorSitemap"]


class DoctorSitemap(Sitemap[DoctorProfile]):
    limit = 10_000

    def items(self) -> QuerySet[DoctorProfile]:
        return DoctorProfile.objects.filter(status=VerificationStatus.VERIFIED).only("id", "slug", "updated_at").order_by("id")

    def lastmod(self, item: DoctorProfile) -> datetime:
        return item.updated_at

    def location(self, item: DoctorProfile) -> str:
        return reverse("doctors:profile", kwargs={"slug": item.slug})
