"""sitemap.xml sections for the public question pages: visible questions and concern (tag) pages.

Only what an anonymous reader can open is listed: hidden questions never. Django's sitemap framework
pages each section (``limit`` URLs per file) and ``config/urls.py`` serves the index of all sections.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet

from .models import Question, Tag

__all__ = ["QuestionSitemap", "TagSitemap"]


class QuestionSitemap(Sitemap[Question]):
    limit = 10_000  # URLs per sitemap file (Google allows 50 000); keyset-friendly pages of the newest index

    def items(self) -> QuerySet[Question]:
        # Answered first matters little to crawlers; the id order keeps pages stable as questions arrive.
        return Question.objects.filter(is_hidden=False).only("id", "slug", "updated_at").order_by("id")

    def lastmod(self, item: Question) -> datetime:
        return item.updated_at


class TagSitemap(Sitemap[Tag]):
    def items(self) -> QuerySet[Tag]:
        return Tag.objects.filter(question_count__gt=0).order_by("slug")
