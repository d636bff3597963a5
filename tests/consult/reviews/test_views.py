"""Writing, editing, replying and hiding through the pages; the profile's reviews and the byline's numbers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from consult.questions import services as question_services
from consult.reviews import services
from consult.reviews.models import Review, WorthIt
from tests.consult.reviews.conftest import write_review
from tests.factories import DoctorProfileFactory, ModeratorFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


def _form(treatment_, **overrides):
    data = {
        "treatment": str(treatment_.pk),
        "rating": "5",
        "worth_it": WorthIt.WORTH_IT,
        "title": "Clear advice and a natural result",
        "body": "Two sessions, explained step by step; my smile is more even now.",
        "cost": "650",
        "treated_on": "2025-05-10",
    }
    data.update(overrides)
    return data


def test_a_patient_writes_a_review_and_sees_it_on_the_profile_and_the_byline(client, doctor, treatment):
    question = question_services.question_create(author=UserFactory(), title="Is Botox safe for synkinesis?",
                                                 body="Details of my case.", tags=[TagFactory()], display_name="Sam")
    question_services.answer_create(doctor=doctor, question=question, headline="Yes, in small doses", body="Text")
    assert "No reviews yet" in client.get(question.get_absolute_url()).content.decode()

    client.force_login(UserFactory(display_name="Robin P."))
    url = reverse("reviews:write", kwargs={"slug": doctor.slug})
    assert client.get(url).status_code == 200
    response = client.post(url, _form(treatment))
    review = Review.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/doctors/{doctor.slug}/#review-{review.pk}"

    profile = client.get(f"/doctors/{doctor.slug}/").content.decode()
    assert 'id="reviews"' in profile and "Clear advice and a natural result" in profile
    assert "5.0 out of 5 stars" in profile and "Robin P." in profile and "about $650" in profile
    assert "Edit your review" in profile

    thread = client.get(question.get_absolute_url()).content.decode()
    assert "5.0 out of 5 stars" in thread
    assert f'href="/doctors/{doctor.slug}/#reviews">1 review</a>' in thread


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"rating": "7"}, "Choose from 1 to 5 stars."),
        ({"rating": ""}, "Choose from 1 to 5 stars."),
        ({"cost": "-20"}, "The cost cannot be negative."),
        ({"cost": "99999999"}, "That cost looks wrong"),
        ({"cost": "lots"}, "Enter the cost as a whole number"),
        ({"body": "Meh."}, "at least 20 characters"),
        ({"treatment": "999999"}, "Choose a treatment from the list."),
        ({"treated_on": "2999-01-01"}, "cannot be in the future"),
    ],
)
def test_bad_input_gets_a_clear_message_and_saves_nothing(client, doctor, treatment, overrides, message):
    client.force_login(UserFactory())
    response = client.post(reverse("reviews:write", kwargs={"slug": doctor.slug}), _form(treatment, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Review.objects.exists()


def test_a_duplicate_review_is_refused_with_a_message(client, doctor, treatment):
    patient = UserFactory()
    write_review(author=patient, doctor=doctor, treatment=treatment)
    client.force_login(patient)
    response = client.post(reverse("reviews:write", kwargs={"slug": doctor.slug}), _form(treatment))
    assert response.status_code == 200
    assert "already reviewed this doctor for this treatment" in response.content.decode()
    assert Review.objects.count() == 1


def test_doctors_cannot_review_themselves_or_others(client, doctor, treatment):
    client.force_login(doctor.user)
    for slug in (doctor.slug, DoctorProfileFactory().slug):
        response = client.post(reverse("reviews:write", kwargs={"slug": slug}), _form(treatment))
        assert response.status_code == 403
        assert "Only patients can review doctors" in response.content.decode()
    assert not Review.objects.exists()
    assert "Write a review" not in client.get(f"/doctors/{doctor.slug}/").content.decode()


def test_the_author_edits_and_nobody_else_can_open_the_edit_page(client, doctor, treatment):
    review = write_review(doctor=doctor, treatment=treatment, rating=2)
    url = reverse("reviews:edit", kwargs={"pk": review.pk})
    for other in (doctor.user, UserFactory(), ModeratorFactory()):
        client.force_login(other)
        assert client.post(url, _form(treatment, rating="5")).status_code == 404
    client.force_login(review.author)
    assert client.get(url).status_code == 200
    assert client.post(url, _form(treatment, rating="3")).status_code == 302
    assert Review.objects.get(pk=review.pk).rating == 3


def test_the_doctor_replies_and_confirms_from_the_profile(client, doctor, treatment):
    review = write_review(doctor=doctor, treatment=treatment)
    client.force_login(doctor.user)
    profile = client.get(f"/doctors/{doctor.slug}/").content.decode()
    assert "Reply publicly" in profile
    client.post(reverse("reviews:reply", kwargs={"pk": review.pk}), {"body": "Thank you for trusting us."})
    client.post(reverse("reviews:confirm", kwargs={"pk": review.pk}))
    client.logout()
    profile = client.get(f"/doctors/{doctor.slug}/").content.decode()
    assert "Thank you for trusting us." in profile and "Verified patient" in profile


def test_a_moderator_hides_with_a_reason_and_the_numbers_follow(client, doctor, treatment):
    review = write_review(doctor=doctor, treatment=treatment, rating=1, worth_it=WorthIt.NOT_WORTH_IT)
    client.force_login(ModeratorFactory())
    profile = client.get(f"/doctors/{doctor.slug}/").content.decode()
    url = reverse("moderation:act", kwargs={"kind": "review", "pk": review.pk, "action": "hide"})
    assert f'action="{url}"' in profile and 'name="note"' in profile  # the profile's form: the moderation action
    back = f"/doctors/{doctor.slug}/#review-{review.pk}"
    response = client.post(url, {"note": "", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    assert not Review.objects.get(pk=review.pk).is_hidden  # no reason, no hiding
    client.post(url, {"note": "Contains another patient's name", "next": back})
    assert Review.objects.get(pk=review.pk).is_hidden
    # recorded in the moderators' log like a hide from the queue (and so its author is told: test_kinds.py)
    from consult.moderation.models import ModerationAction

    assert ModerationAction.objects.filter(review=review, kind=ModerationAction.Kind.HIDE).count() == 1
    moderator_view = client.get(f"/doctors/{doctor.slug}/").content.decode()
    assert "Hidden by a moderator: Contains another patient&#x27;s name" in moderator_view
    client.logout()
    public = client.get(f"/doctors/{doctor.slug}/").content.decode()
    assert review.title not in public and "No reviews yet" in public


def test_treatment_page_shows_computed_figures_reviews_questions_and_doctors(client, treatment):
    doctor = DoctorProfileFactory(full_name="Ada Injector")
    question = question_services.question_create(author=UserFactory(), title="How long does Botox last?",
                                                 body="Details.", tags=[treatment.tag], display_name="Sam")
    question_services.answer_create(doctor=doctor, question=question, headline="Three to four months", body="Text")
    write_review(doctor=doctor, treatment=treatment, rating=5, cost=300, title="Worth every dollar")
    write_review(doctor=doctor, treatment=treatment, rating=3, cost=500, worth_it=WorthIt.NOT_SURE)
    write_review(doctor=DoctorProfileFactory(), treatment=treatment, rating=4, worth_it=WorthIt.WORTH_IT)
    page = client.get(treatment.get_absolute_url()).content.decode()
    assert "<strong>67%</strong> of 3 reviews" in page
    assert "average $400 (from $300 to $500, 2 reports)" in page
    assert "Worth every dollar" in page and "How long does Botox last?" in page
    assert "Dr. Ada Injector, MD, FACS" in page and "1 answer about botox" in page
    listing = client.get(reverse("reviews:treatments")).content.decode()
    assert "67% Worth It · 3 reviews" in listing


def test_unknown_treatment_and_doctor_are_404_not_500(client):
    assert client.get("/treatments/no-such-thing/").status_code == 404
    client.force_login(UserFactory())
    assert client.get("/reviews/new/nobody/").status_code == 404
    assert client.get("/reviews/999999/edit/").status_code == 404
    assert client.post("/reviews/999999/reply/", {"body": "x"}).status_code == 404


def test_services_are_what_the_views_call(doctor, treatment):
    assert services.can_review(UserFactory(), doctor)
    assert not services.can_review(doctor.user, doctor)


def test_the_profile_carries_physician_json_ld_with_the_computed_aggregate_rating(client, doctor, treatment):
    import json
    import re

    def data():
        page = client.get(f"/doctors/{doctor.slug}/").content.decode()
        block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
        assert block
        return json.loads(block.group(1))

    assert data()["@type"] == "Physician" and "aggregateRating" not in data()  # no reviews, no rating
    write_review(doctor=doctor, treatment=treatment, rating=5)
    write_review(doctor=doctor, treatment=treatment, rating=4, title="</script><b>x</b>")
    rating = data()["aggregateRating"]
    assert rating == {"@type": "AggregateRating", "ratingValue": "4.5", "reviewCount": 2, "bestRating": 5,
                      "worstRating": 1}
