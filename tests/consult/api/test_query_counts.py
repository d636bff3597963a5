"""The API's lists cost a fixed number of SQL queries whatever the number of rows (pinned, like the pages)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consult.accounts.tokens import token_create
from tests.consult.reviews.conftest import make_treatment, write_review
from tests.factories import AnswerFactory, DoctorProfileFactory, QuestionFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


def _count(client, url: str, **headers: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


@pytest.mark.parametrize("n", [3, 30])
def test_list_endpoints_cost_a_fixed_number_of_queries(client, n):
    tag = TagFactory(slug="synkinesis")
    treatment = make_treatment(slug="botox", tag=tag)
    doctor = DoctorProfileFactory(slug="dr-counted")
    for _ in range(n):
        question = QuestionFactory()
        question.tags.set([tag, TagFactory()])
        AnswerFactory(question=question, doctor=DoctorProfileFactory())
        write_review(doctor=doctor, treatment=treatment)
    make_treatment(slug=f"other-{n}")
    expected = {
        "/api/v1/questions": 2,  # the page (with the measured-photo flag), the tags of its questions
        "/api/v1/questions?kind=unanswered": 2,
        "/api/v1/questions?tag=synkinesis": 3,  # + the tag
        "/api/v1/tags": 1,
        "/api/v1/doctors": 1,
        "/api/v1/doctors?sort=rating&topic=synkinesis": 1,
        f"/api/v1/doctors/{doctor.slug}/reviews": 2,  # the profile, the reviews with author and treatment
        "/api/v1/treatments": 1,
        # consult.search: one query when it finds something; the factories' rows are not indexed, so here it
        # finds nothing and one more looks for a correction of "smile" (none: no document has a close word)
        "/api/v1/search?q=smile": 2,
    }
    for url, budget in expected.items():
        assert _count(client, url) == budget, url


def test_a_thread_costs_four_queries_and_a_signed_in_reader_two_more(client):
    question = QuestionFactory()
    for _ in range(5):
        AnswerFactory(question=question)
    url = f"/api/v1/questions/{question.pk}"
    assert _count(client, url) == 4  # question, its tags, answers with doctors, related questions
    secret = token_create(user=UserFactory(), name="t").secret
    # the token (with its member), the first use's last_used_at, then the thread and the reader's votes
    assert _count(client, url, Authorization=f"Bearer {secret}") == 1 + 1 + 4 + 1
    assert _count(client, url, Authorization=f"Bearer {secret}") == 1 + 4 + 1  # last_used_at is fresh


def test_my_measurements_cost_three_queries_whatever_the_history(client):
    from django.utils import timezone

    from consult.photos.services import visit_create

    user = UserFactory()
    for _ in range(3):
        visit_create(patient=user, taken_on=timezone.localdate())
    secret = token_create(user=user, name="t").secret
    client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})  # last_used_at written
    assert _count(client, "/api/v1/me/measurements", Authorization=f"Bearer {secret}") == 1 + 2


def test_the_inbox_costs_one_query_whatever_it_holds(client):
    from consult.notifications.models import Notification

    user = UserFactory()
    Notification.objects.bulk_create(
        Notification(user=user, kind="answer", key=f"answer:{n}", text=f"Answer {n}", url="/") for n in range(40)
    )
    secret = token_create(user=user, name="t").secret
    client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})  # last_used_at written
    assert _count(client, "/api/v1/me/inbox", Authorization=f"Bearer {secret}") == 1 + 1
