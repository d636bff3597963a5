"""Writes through the API go through the same services and rules as the site."""

from __future__ import annotations

import pytest

from consult.questions.models import Answer, HelpfulVote, Question
from consult.reviews.models import Review
from tests.consult.reviews.conftest import make_treatment
from tests.factories import (
    AnswerFactory,
    DoctorProfileFactory,
    QuestionFactory,
    TagFactory,
    UnverifiedDoctorProfileFactory,
    UserFactory,
)

from .conftest import bearer

pytestmark = pytest.mark.django_db

ASK = {
    "title": "Will my smile come back after Bell's palsy?",
    "body": "Three months ago my left side went weak; the smile is still lopsided.",
    "display_name": "Sam",
}


def test_a_patient_asks_and_the_question_is_on_the_site(client):
    tag = TagFactory(slug="bells-palsy", name="Bell's palsy")
    response = client.post("/api/v1/questions", {**ASK, "tags": [tag.slug], "age": 41}, content_type="application/json",
                           headers=bearer(UserFactory()))
    assert response.status_code == 201
    body = response.json()
    question = Question.objects.get(pk=body["id"])
    assert question.title == ASK["title"] and list(question.tags.all()) == [tag]
    assert client.get(question.get_absolute_url()).status_code == 200
    tag.refresh_from_db()
    assert tag.question_count == 1  # through the service: the counters moved


def test_asking_keeps_the_forms_rules(client):
    TagFactory(slug="botox")
    headers = bearer(UserFactory())
    unknown = client.post("/api/v1/questions", {**ASK, "tags": ["no-such"]}, content_type="application/json",
                          headers=headers)
    assert unknown.status_code == 422 and "Unknown concern" in unknown.json()["detail"]
    no_letters = client.post("/api/v1/questions", {**ASK, "title": "1234567890 12345 ?", "tags": ["botox"]},
                             content_type="application/json", headers=headers)
    assert no_letters.status_code == 422 and "Write your question in words." in no_letters.json()["detail"]
    doctor = client.post("/api/v1/questions", {**ASK, "tags": ["botox"]}, content_type="application/json",
                         headers=bearer(DoctorProfileFactory().user))
    assert doctor.status_code == 403
    assert not Question.objects.exists()


def test_only_verified_doctors_answer_and_only_once(client):
    question = QuestionFactory()
    payload = {"headline": "Most people recover well", "body": "Facial retraining helps; give it six months."}
    url = f"/api/v1/questions/{question.pk}/answers"
    assert client.post(url, payload, content_type="application/json",
                       headers=bearer(UnverifiedDoctorProfileFactory().user)).status_code == 403
    assert client.post(url, payload, content_type="application/json", headers=bearer(UserFactory())).status_code == 403
    doctor = DoctorProfileFactory()
    headers = bearer(doctor.user)
    created = client.post(url, payload, content_type="application/json", headers=headers)
    assert created.status_code == 201 and created.json()["doctor"]["slug"] == doctor.slug
    again = client.post(url, payload, content_type="application/json", headers=headers)
    assert again.status_code == 409 and again.json()["type"].endswith("already-answered")
    assert Answer.objects.count() == 1
    question.refresh_from_db()
    assert question.answer_count == 1


def test_a_vote_toggles_and_a_doctor_cannot_vote_on_their_own_answer(client):
    answer = AnswerFactory()
    headers = bearer(UserFactory())
    url = f"/api/v1/answers/{answer.pk}/vote"
    assert client.post(url, headers=headers).json() == {"voted": True, "helpful_count": 1}
    assert client.post(url, headers=headers).json() == {"voted": False, "helpful_count": 0}
    own = client.post(url, headers=bearer(answer.doctor.user))
    assert own.status_code == 403 and "your own answer" in own.json()["detail"]
    assert not HelpfulVote.objects.exists()


def test_a_patient_reviews_a_doctor_once_per_treatment(client):
    doctor = DoctorProfileFactory()
    make_treatment(slug="botox")
    headers = bearer(UserFactory())
    payload = {"treatment": "botox", "rating": 5, "title": "Careful and kind",
               "body": "Explained every step; the result looks natural.", "worth_it": "worth-it"}
    url = f"/api/v1/doctors/{doctor.slug}/reviews"
    assert client.post(url, payload, content_type="application/json", headers=headers).status_code == 201
    assert client.post(url, payload, content_type="application/json", headers=headers).status_code == 409
    doctor.refresh_from_db()
    assert doctor.review_count == 1 and Review.objects.count() == 1
    future = client.post(url, {**payload, "treated_on": "2999-01-01"}, content_type="application/json",
                         headers=bearer(UserFactory()))
    assert future.status_code == 422 and future.json()["errors"][0]["loc"][-1] == "treated_on"
    assert client.post(url, payload, content_type="application/json",
                       headers=bearer(doctor.user)).status_code == 403
