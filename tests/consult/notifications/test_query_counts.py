"""Pinned query counts (Zulip style) of the inbox, notification settings, "My questions" and "My answers":
whatever the number of rows, so an N+1 fails here the day it appears. A signed-in request costs one query
for the user row (with the doctor profile and the unread count: the header's badge is free)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consult.notifications import services
from consult.questions import services as question_services
from tests.factories import AnswerFactory, DoctorProfileFactory, QuestionFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

USER = 1  # the user row, with the doctor profile and unread count (consult.accounts.backends)


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


def _fill_inbox(user, n):
    for i in range(n):
        question = QuestionFactory()
        services.notification_put(user_id=user.pk, kind="answer", key=f"answer:{i}", text=f"Dr. X answered {i}",
                                  url=question.get_absolute_url(), question_id=question.pk)


@pytest.mark.parametrize("n", [0, 3, 45])
def test_inbox(client, n):
    user = UserFactory()
    _fill_inbox(user, n)
    client.force_login(user)
    assert count(client, reverse("notifications:inbox")) == USER + 1
    if n > 30:
        assert count(client, reverse("notifications:inbox") + "?page=2") == USER + 1


@pytest.mark.parametrize("n", [0, 3, 25])
def test_my_questions(client, n):
    user = UserFactory()
    for _ in range(n):
        question_services.question_create(author=user, title="How long does Bell's palsy last?", body="Six weeks now.",
                                          tags=[TagFactory()], display_name="Robin")
    client.force_login(user)
    assert count(client, reverse("questions:mine")) == USER + 1


@pytest.mark.parametrize("n", [0, 3, 25])
def test_my_answers(client, n):
    doctor = DoctorProfileFactory()
    for _ in range(n):
        AnswerFactory(doctor=doctor)
    client.force_login(doctor.user)
    assert count(client, reverse("questions:my_answers")) == USER + 1


def test_settings_patient_and_doctor(client):
    client.force_login(UserFactory())
    assert count(client, reverse("notifications:settings")) == USER + 1  # their preferences (or the defaults)
    doctor = DoctorProfileFactory()
    services.preferences_save(user=doctor.user, emails={}, question_alerts="both", alert_tags=TagFactory.create_batch(3))
    client.force_login(doctor.user)
    # + the concerns they picked, the names of their specialty's concerns, every concern for the choice
    assert count(client, reverse("notifications:settings")) == USER + 4


def test_invite_page(client):
    question = QuestionFactory()
    for _ in range(5):
        DoctorProfileFactory()
    client.force_login(question.author)
    # the question, the candidate doctors, who of them is already invited
    assert count(client, reverse("notifications:invite", kwargs={"pk": question.pk})) == USER + 3
