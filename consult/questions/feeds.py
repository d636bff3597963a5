"""RSS and Atom feeds of new questions: all of them, or one concern's (tag's). Visible questions only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.utils.feedgenerator import Atom1Feed

from .jsonld import plain_text
from .models import Question, Tag

__all__ = ["AtomQuestionsFeed", "QuestionsFeed"]

ITEMS = 30


class QuestionsFeed(Feed):  # type: ignore[type-arg]
    """/feed/ (all new questions) and /tags/<slug>/feed/ (one concern's)."""

    def get_object(self, request: HttpRequest, slug: str | None = None) -> Tag | None:
        if slug is None:
            return None
        tag = Tag.objects.filter(slug=slug).first()
        if tag is None:
            raise Http404("No such concern.")
        return tag

    def title(self, obj: Tag | None) -> str:
        return f"New questions about {obj.name} · Consult" if obj else "New questions · Consult"

    def link(self, obj: Tag | None) -> str:
        return obj.get_absolute_url() if obj else "/"

    def description(self, obj: Tag | None) -> str:
        return "Questions patients asked, answered by verified doctors."

    def items(self, obj: Tag | None) -> Any:
        questions = Question.objects.filter(is_hidden=False).order_by("-created_at", "-id")
        if obj is not None:
            questions = questions.filter(tags=obj)
        return questions.only("id", "slug", "title", "body_html", "created_at", "display_name")[:ITEMS]

    def item_title(self, item: Question) -> str:
        return item.title

    def item_description(self, item: Question) -> str:
        return plain_text(item.body_html)[:500]

    def item_pubdate(self, item: Question) -> datetime:
        return item.created_at

    def item_author_name(self, item: Question) -> str:
        return item.display_name


class AtomQuestionsFeed(QuestionsFeed):
    feed_type = Atom1Feed
    subtitle = QuestionsFeed.description
