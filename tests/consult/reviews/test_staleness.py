"""Review writes show at once on every page that shows their figures (docs/architecture.md, "The cache"):
the doctor's profile and every thread with their byline, for anonymous and signed-in readers alike."""

from __future__ import annotations

import pytest
from django.test import Client

from consult.questions import services as question_services
from consult.reviews import services
from consult.reviews.models import WorthIt
from tests.consult.reviews.conftest import make_treatment, write_review
from tests.factories import DoctorProfileFactory, ModeratorFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def readers(client):
    member = Client()
    member.force_login(UserFactory())
    return [client, member]


@pytest.fixture
def pages():
    doctor = DoctorProfileFactory()
    tag = TagFactory()
    threads = []
    for title in ("A first question about my smile", "A second question about my brow"):
        question = question_services.question_create(author=UserFactory(), title=title, body="Details here.",
                                                     tags=[tag], display_name="Sam")
        question_services.answer_create(doctor=doctor, question=question, headline="Start with therapy", body="Text")
        threads.append(question.get_absolute_url())
    return doctor, [*threads, f"/doctors/{doctor.slug}/"]


def _shown(readers, urls, text):
    return {(url, i): text in reader.get(url).content.decode() for url in urls for i, reader in enumerate(readers)}


def _all(urls, value):
    return {(url, i): value for url in urls for i in range(2)}


def test_a_review_create_edit_hide_and_unhide_show_on_the_profile_and_every_byline_at_once(readers, pages):
    doctor, urls = pages
    assert _shown(readers, urls, "No reviews yet") == _all(urls, True)  # read, so cached

    review = write_review(doctor=doctor, treatment=make_treatment(), rating=4)
    assert _shown(readers, urls, "4.0 out of 5 stars") == _all(urls, True)
    assert _shown(readers, urls, ">1 review<") == _all(urls, True)

    services.review_update(review=review, editor=review.author, rating=2, title=review.title, body=review.body,
                           worth_it=WorthIt.NOT_SURE)
    assert _shown(readers, urls, "2.0 out of 5 stars") == _all(urls, True)

    moderator = ModeratorFactory()
    services.review_set_hidden(review=review, moderator=moderator, is_hidden=True, reason="Spam")
    assert _shown(readers, urls, "No reviews yet") == _all(urls, True)
    services.review_set_hidden(review=review, moderator=moderator, is_hidden=False)
    assert _shown(readers, urls, "2.0 out of 5 stars") == _all(urls, True)


def test_a_reply_and_a_confirmation_show_on_the_profile_at_once(readers, pages):
    doctor, urls = pages
    review = write_review(doctor=doctor, treatment=make_treatment())
    profile = [urls[-1]]
    assert _shown(readers, profile, "Verified patient") == _all(profile, False)
    services.review_reply(review=review, doctor_user=doctor.user, body="Thank you, it was a pleasure.")
    services.review_confirm_patient(review=review, doctor_user=doctor.user)
    assert _shown(readers, profile, "Thank you, it was a pleasure.") == _all(profile, True)
    assert _shown(readers, profile, "Verified patient") == _all(profile, True)
