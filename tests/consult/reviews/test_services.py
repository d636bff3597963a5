"""Review rules: who may review, reply, confirm and hide; validation; and the figures stay exact."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from consult.accounts.models import Role
from consult.doctors.models import DoctorProfile
from consult.questions.recount import recount_all
from consult.reviews import services
from consult.reviews.errors import AlreadyReviewed, InvalidReview, NothingToDo, ReviewNotAllowed
from consult.reviews.figures import rating_average
from consult.reviews.models import Review, Treatment, WorthIt
from tests.consult.reviews.conftest import make_treatment, write_review
from tests.factories import (
    DoctorProfileFactory,
    ModeratorFactory,
    UnverifiedDoctorProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _figures(doctor, treatment):
    doctor = DoctorProfile.objects.get(pk=doctor.pk)
    t = Treatment.objects.get(pk=treatment.pk)
    return (
        (doctor.rating_avg, doctor.review_count),
        (t.review_count, t.worth_it_count, t.cost_count, t.cost_avg, t.cost_min, t.cost_max),
    )


def test_rating_average_rounds_half_up():
    assert rating_average(17, 4) == Decimal("4.3")  # 4.25
    assert rating_average(81, 20) == Decimal("4.1")  # 4.05, which a float would round down
    assert rating_average(0, 0) is None


def test_figures_stay_exact_through_create_edit_and_hide(doctor, treatment):
    a = write_review(doctor=doctor, treatment=treatment, rating=5, cost=400)
    assert _figures(doctor, treatment) == ((Decimal("5.0"), 1), (1, 1, 1, 400, 400, 400))
    b = write_review(doctor=doctor, treatment=treatment, rating=2, cost=701, worth_it=WorthIt.NOT_WORTH_IT)
    write_review(doctor=doctor, treatment=treatment, rating=4, worth_it=WorthIt.NOT_SURE)  # no cost given
    assert _figures(doctor, treatment) == ((Decimal("3.7"), 3), (3, 1, 2, 551, 400, 701))

    services.review_update(review=b, editor=b.author, rating=3, title=b.title, body=b.body,
                           worth_it=WorthIt.WORTH_IT, cost=900)
    assert _figures(doctor, treatment) == ((Decimal("4.0"), 3), (3, 2, 2, 650, 400, 900))

    moderator = ModeratorFactory()
    services.review_set_hidden(review=a, moderator=moderator, is_hidden=True, reason="Names another patient")
    assert _figures(doctor, treatment) == ((Decimal("3.5"), 2), (2, 1, 1, 900, 900, 900))
    services.review_set_hidden(review=a, moderator=moderator, is_hidden=False)
    assert _figures(doctor, treatment) == ((Decimal("4.0"), 3), (3, 2, 2, 650, 400, 900))

    # The recount agrees with the services (nothing to correct) and repairs drift.
    before = _figures(doctor, treatment)
    assert recount_all()["doctor review figures"] == 0
    assert recount_all()["treatment review figures"] == 0
    DoctorProfile.objects.filter(pk=doctor.pk).update(rating_avg="1.0", review_count=99)
    Treatment.objects.filter(pk=treatment.pk).update(worth_it_count=0, cost_max=None)
    fixed = recount_all()
    assert fixed["doctor review figures"] == 1 and fixed["treatment review figures"] == 1
    assert _figures(doctor, treatment) == before


def test_a_doctor_without_reviews_has_no_rating(doctor, treatment):
    review = write_review(doctor=doctor, treatment=treatment)
    services.review_set_hidden(review=review, moderator=ModeratorFactory(), is_hidden=True, reason="Spam")
    assert _figures(doctor, treatment) == ((None, 0), (0, 0, 0, None, None, None))
    assert Review.objects.filter(pk=review.pk).exists()  # hidden, never deleted


def test_one_review_per_patient_per_doctor_per_treatment(doctor, treatment):
    patient = UserFactory()
    write_review(author=patient, doctor=doctor, treatment=treatment)
    with pytest.raises(AlreadyReviewed):
        write_review(author=patient, doctor=doctor, treatment=treatment)
    write_review(author=patient, doctor=doctor, treatment=make_treatment("fillers", "Fillers"))  # another treatment
    write_review(author=patient, doctor=DoctorProfileFactory(), treatment=treatment)  # another doctor
    assert Review.objects.filter(author=patient).count() == 3


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"rating": 0}, "rating"),
        ({"rating": 6}, "rating"),
        ({"title": "  "}, "title"),
        ({"body": "Too short"}, "body"),
        ({"worth_it": "maybe"}, "worth_it"),
        ({"cost": -5}, "cost"),
        ({"cost": 10_000_000}, "cost"),
        ({"treated_on": timezone.localdate() + dt.timedelta(days=2)}, "treated_on"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(doctor, treatment, fields, field):
    with pytest.raises(InvalidReview) as caught:
        write_review(doctor=doctor, treatment=treatment, **fields)
    assert caught.value.field == field and caught.value.message
    assert not Review.objects.exists()
    assert _figures(doctor, treatment) == ((None, 0), (0, 0, 0, None, None, None))


def test_who_may_review(doctor, treatment):
    with pytest.raises(ReviewNotAllowed, match="yourself"):
        write_review(author=doctor.user, doctor=doctor, treatment=treatment)
    for role in (Role.DOCTOR, Role.MODERATOR, Role.STAFF):
        with pytest.raises(ReviewNotAllowed, match="Only patients"):
            write_review(author=UserFactory(role=role), doctor=doctor, treatment=treatment)
    with pytest.raises(ReviewNotAllowed, match="not public"):
        write_review(doctor=UnverifiedDoctorProfileFactory(), treatment=treatment)


def test_only_the_author_edits_and_the_doctor_can_neither_edit_nor_delete(doctor, treatment):
    review = write_review(doctor=doctor, treatment=treatment, rating=1, worth_it=WorthIt.NOT_WORTH_IT)
    for editor in (doctor.user, UserFactory(), ModeratorFactory()):
        with pytest.raises(ReviewNotAllowed):
            services.review_update(review=review, editor=editor, rating=5, title="Great", body="x" * 30,
                                   worth_it=WorthIt.WORTH_IT)
    assert Review.objects.get(pk=review.pk).rating == 1
    assert not hasattr(services, "review_delete")  # nobody deletes a review
    edited = services.review_update(review=review, editor=review.author, rating=2, title="Better on reflection",
                                    body=review.body, worth_it=WorthIt.NOT_SURE)
    assert edited.rating == 2 and edited.edited_at is not None


def test_hiding_needs_a_moderator_and_a_reason(doctor, treatment):
    review = write_review(doctor=doctor, treatment=treatment, rating=1, worth_it=WorthIt.NOT_WORTH_IT)
    for user in (doctor.user, review.author, UserFactory()):
        with pytest.raises(ReviewNotAllowed):
            services.review_set_hidden(review=review, moderator=user, is_hidden=True, reason="I disagree")
    with pytest.raises(InvalidReview, match="reason"):
        services.review_set_hidden(review=review, moderator=ModeratorFactory(), is_hidden=True, reason=" ")
    services.review_set_hidden(review=review, moderator=ModeratorFactory(), is_hidden=True, reason="Personal data")
    assert Review.objects.get(pk=review.pk).hidden_reason == "Personal data"
    with pytest.raises(NothingToDo):
        services.review_set_hidden(review=review, moderator=ModeratorFactory(), is_hidden=True, reason="Again")


def test_the_reviewed_doctor_replies_once_and_confirms_the_patient(doctor, treatment):
    review = write_review(doctor=doctor, treatment=treatment)
    for user in (review.author, DoctorProfileFactory().user, ModeratorFactory()):
        with pytest.raises(ReviewNotAllowed):
            services.review_reply(review=review, doctor_user=user, body="Thanks")
        with pytest.raises(ReviewNotAllowed):
            services.review_confirm_patient(review=review, doctor_user=user)
    services.review_reply(review=review, doctor_user=doctor.user, body="Thank you for the kind words.")
    services.review_reply(review=review, doctor_user=doctor.user, body="Thank you, edited.")
    review.refresh_from_db()
    assert review.reply == "Thank you, edited." and review.replied_at is not None
    with pytest.raises(InvalidReview):
        services.review_reply(review=review, doctor_user=doctor.user, body="x" * 2001)
    services.review_confirm_patient(review=review, doctor_user=doctor.user)
    assert Review.objects.get(pk=review.pk).is_verified_patient
    services.review_confirm_patient(review=review, doctor_user=doctor.user, confirmed=False)
    assert not Review.objects.get(pk=review.pk).is_verified_patient
    services.review_reply(review=review, doctor_user=doctor.user, body="")
    assert Review.objects.get(pk=review.pk).reply == ""
