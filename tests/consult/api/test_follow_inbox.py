"""Follow and inbox through the API: the questions' follow rule and consult.notifications' inbox."""

from __future__ import annotations

import pytest

from consult.notifications import work
from consult.questions import services
from consult.questions.models import Follow
from tests.factories import DoctorProfileFactory, TagFactory, UserFactory

from .conftest import bearer

pytestmark = pytest.mark.django_db


def test_follow_then_a_new_answer_reaches_the_inbox_and_is_marked_read(client):
    question = services.question_create(author=UserFactory(), title="Will my smile come back after the palsy?",
                                        body="Three months on, the left side is still weak.", tags=[TagFactory()],
                                        display_name="Sam")
    reader = UserFactory()
    headers = bearer(reader)
    url = f"/api/v1/questions/{question.pk}/follow"
    assert client.get(url, headers=headers).json() == {"following": False}
    assert client.put(url, headers=headers).json() == {"following": True}
    assert client.put(url, headers=headers).json() == {"following": True}  # idempotent
    assert Follow.objects.filter(user=reader, question=question).count() == 1
    answer = services.answer_create(doctor=DoctorProfileFactory(), question=question, headline="Most people recover",
                                    body="Give it three more months; retraining helps.")
    # The fan-out the background worker runs for a new answer (consult.notifications.work), run here directly:
    # the worker command closes the test's database connection on PostgreSQL.
    work.answer_created(answer.pk)
    inbox = client.get("/api/v1/me/inbox", headers=headers).json()
    assert [n["kind"] for n in inbox["items"]] == ["answer"] and inbox["items"][0]["read"] is False
    assert inbox["items"][0]["question"] == question.pk
    note_id = inbox["items"][0]["id"]
    other = client.post(f"/api/v1/me/inbox/{note_id}/read", headers=bearer(UserFactory()))
    assert other.status_code == 404  # another member's notification
    assert client.post(f"/api/v1/me/inbox/{note_id}/read", headers=headers).json()["read"] is True
    assert client.post("/api/v1/me/inbox/read", headers=headers).json() == {"marked": 0}
    assert client.delete(url, headers=headers).json() == {"following": False}


def test_a_hidden_question_is_404_to_follow(client):
    question = services.question_create(author=UserFactory(), title="A question that will be hidden soon",
                                        body="Some text that is long enough to ask.", tags=[TagFactory()],
                                        display_name="Sam")
    services.question_set_hidden(question=question, is_hidden=True)
    assert client.put(f"/api/v1/questions/{question.pk}/follow", headers=bearer(UserFactory())).status_code == 404
