"""sitemap.xml section for treatment pages."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet

from .models import Treatment

__all__ = ["TreatmentSitemap"]


class TreatmentSitemap(Sitemap[Treatment]):
    def items(self) -> QuerySet[Treatment]:
        return Treatment.objects.order_by("slug")
