"""Lists and tag pages are keyset-paginated: every page is one index range, page 10 000 costs page 1."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from consult.questions import selectors
from consult.questions.models import Question
from tests.factories import QuestionFactory, TagFactory

pytestmark = pytest.mark.django_db


def _walk(**kwargs):
    seen, cursor, pages = [], None, 0
    while True:
        page = selectors.question_page(cursor=cursor, page_size=3, **kwargs)
        seen += [q.pk for q in page.questions]
        pages += 1
        if not page.next_cursor:
            return seen, pages
        cursor = page.next_cursor


def test_tag_pages_walk_every_visible_tagged_question_once_newest_first():
    tag, other = TagFactory(), TagFactory()
    tagged = []
    for i in range(10):
        q = QuestionFactory(is_hidden=(i == 4))
        q.tags.set([tag] if i % 3 else [tag, other])
        tagged.append(q)
    QuestionFactory().tags.set([other])
    seen, pages = _walk(tag=tag)
    expected = [q.pk for q in reversed(tagged) if not q.is_hidden]
    assert seen == expected and pages == 3


def test_list_keyset_walk_handles_equal_timestamps():
    stamp = timezone.now() - timedelta(days=1)
    made = QuestionFactory.create_batch(7)
    Question.objects.filter(pk__in=[q.pk for q in made[2:6]]).update(created_at=stamp)
    seen, _ = _walk()
    assert sorted(seen) == sorted(q.pk for q in made) and len(seen) == len(set(seen))
    rows = list(Question.objects.filter(pk__in=seen).order_by("-created_at", "-id").values_list("pk", flat=True))
    assert seen == rows


def test_a_deep_cursor_costs_one_page_query_plus_tags(django_assert_num_queries):
    tag = TagFactory()
    for q in QuestionFactory.create_batch(8):
        q.tags.set([tag])
    first = selectors.question_page(page_size=3)
    with django_assert_num_queries(2):
        selectors.question_page(cursor=first.next_cursor, page_size=3)
    first = selectors.question_page(tag=tag, page_size=3)
    with django_assert_num_queries(2):
        selectors.question_page(tag=tag, cursor=first.next_cursor, page_size=3)
