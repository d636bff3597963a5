"""The moderation queue's tabs run a fixed number of queries, however many flags, items and actions exist."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consult.moderation.services import content_hide, flag_create, flags_dismiss
from consult.questions.models import Question
from tests.factories import AnswerFactory, ModeratorFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

BUDGET = 6


def _queries(client, tab):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("moderation:queue"), {"tab": tab})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _counted_answer():
    answer = AnswerFactory()
    Question.objects.filter(pk=answer.question_id).update(answer_count=1)
    answer.doctor.answer_count = 1
    answer.doctor.save()
    return answer


def _add_activity(moderator, n):
    reasons = ["spam", "unsafe", "offensive", "self-promotion", "other"]
    for i in range(n):
        question, answer = QuestionFactory(), _counted_answer()
        for j in range(1 + i % 3):
            flag_create(reporter=UserFactory(), question=question, reason=reasons[j], note=f"note {j}")
            flag_create(reporter=UserFactory(), answer=answer, reason=reasons[-j])
        hidden_q, hidden_a = QuestionFactory(), _counted_answer()
        flag_create(reporter=UserFactory(), answer=hidden_a, reason="spam")
        content_hide(moderator=moderator, question=hidden_q, note="gone")
        content_hide(moderator=moderator, answer=hidden_a)
        dismissed = QuestionFactory()
        flag_create(reporter=UserFactory(), question=dismissed, reason="other")
        flags_dismiss(moderator=moderator, question=dismissed)


@pytest.mark.parametrize("tab", ["flags", "hidden", "log"])
def test_queue_query_count_is_constant(client, tab):
    moderator = ModeratorFactory()
    client.force_login(moderator)
    _add_activity(moderator, 1)
    few = _queries(client, tab)
    _add_activity(moderator, 12)
    many = _queries(client, tab)
    assert few == many <= BUDGET


def test_empty_queue_is_cheap(client):
    client.force_login(ModeratorFactory())
    assert _queries(client, "flags") <= BUDGET
