"""Public reads: questions with answers, concerns, doctors, reviews, treatments; hidden content stays hidden."""

from __future__ import annotations

import pytest

from consult.questions import services
from tests.consult.reviews.conftest import make_treatment, write_review
from tests.factories import AnswerFactory, DoctorProfileFactory, ModeratorFactory, QuestionFactory, TagFactory

from .conftest import bearer

pytestmark = pytest.mark.django_db


def test_question_list_pages_with_a_signed_cursor_and_hides_hidden_questions(client):
    tag = TagFactory()
    questions = QuestionFactory.create_batch(25)
    for q in questions:
        q.tags.set([tag])
    hidden = QuestionFactory(is_hidden=True)
    first = client.get("/api/v1/questions").json()
    assert len(first["items"]) == 20
    assert first["items"][0]["tags"] == [{"slug": tag.slug, "name": tag.name}]
    second = client.get("/api/v1/questions", {"cursor": first["next_cursor"]}).json()
    assert first["next"].endswith(first["next_cursor"].replace(":", "%3A"))
    ids = [q["id"] for q in first["items"] + second["items"]]
    assert sorted(ids) == sorted(q.pk for q in questions) and hidden.pk not in ids
    assert second["next_cursor"] is None and second["next"] is None


def test_a_cursor_that_was_tampered_with_or_belongs_to_another_list_is_a_400_problem(client):
    QuestionFactory.create_batch(21)
    cursor = client.get("/api/v1/questions").json()["next_cursor"]
    for bad in (cursor[:-2] + "xx", "garbage"):
        response = client.get("/api/v1/questions", {"cursor": bad})
        assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
        assert response.json()["type"] == "tag:consult,2026:problem/invalid-cursor"
    assert client.get("/api/v1/questions", {"cursor": cursor, "kind": "unanswered"}).status_code == 400


def test_question_detail_shows_visible_answers_and_hides_the_hidden_ones_except_to_moderators(client):
    question = QuestionFactory()
    shown = AnswerFactory(question=question)
    hidden = AnswerFactory(question=question, is_hidden=True)
    body = client.get(f"/api/v1/questions/{question.pk}").json()
    assert [a["id"] for a in body["answers"]] == [shown.pk]
    assert body["answers"][0]["doctor"]["slug"] == shown.doctor.slug
    moderator_view = client.get(f"/api/v1/questions/{question.pk}", headers=bearer(ModeratorFactory())).json()
    assert {a["id"] for a in moderator_view["answers"]} == {shown.pk, hidden.pk}


def test_a_hidden_question_is_404_to_the_public_and_readable_by_a_moderator(client):
    question = QuestionFactory()
    services.question_set_hidden(question=question, is_hidden=True)
    response = client.get(f"/api/v1/questions/{question.pk}")
    assert response.status_code == 404 and response.json()["status"] == 404
    assert client.get(f"/api/v1/questions/{question.pk}", headers=bearer(ModeratorFactory())).status_code == 200


def test_doctors_reviews_and_treatments(client):
    doctor = DoctorProfileFactory()
    DoctorProfileFactory(status="pending")
    treatment = make_treatment()
    review = write_review(doctor=doctor, treatment=treatment)
    listed = client.get("/api/v1/doctors").json()
    assert [d["slug"] for d in listed["items"]] == [doctor.slug]
    assert listed["items"][0]["rating"] == 4.0 and listed["items"][0]["review_count"] == 1
    assert client.get(f"/api/v1/doctors/{doctor.slug}").json()["verified"] is True
    reviews = client.get(f"/api/v1/doctors/{doctor.slug}/reviews").json()
    assert [r["id"] for r in reviews["items"]] == [review.pk]
    treatments = client.get("/api/v1/treatments").json()["items"]
    assert [t["slug"] for t in treatments] == [treatment.slug] and treatments[0]["review_count"] == 1
    assert client.get(f"/api/v1/treatments/{treatment.slug}").status_code == 200
    assert client.get("/api/v1/doctors/nobody").status_code == 404
