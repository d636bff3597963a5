"""Hand-written hot queries (consult/core/rows.py) must return exactly what the ORM returns."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.test.utils import CaptureQueriesContext

from consult.accounts.backends import EmailBackend, user_with_profile
from consult.accounts.models import User
from consult.doctors.models import DoctorProfile
from consult.questions import selectors, services
from consult.questions.models import Answer, HelpfulVote
from tests.factories import (
    AnswerFactory,
    DoctorProfileFactory,
    ModeratorFactory,
    QuestionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _values(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_signed_in_user_row_equals_the_orm_with_the_doctor_profile_and_no_second_query():
    profile = DoctorProfileFactory(rating_avg=Decimal("4.7"), review_count=12)
    expected = User.objects.select_related("doctor_profile").get(pk=profile.user_id)
    with CaptureQueriesContext(connection) as ctx:
        user = user_with_profile(str(profile.user_id))  # the session stores the pk as a string
        assert user is not None
        assert _values(user) == _values(expected)
        assert _values(user.doctor_profile) == _values(expected.doctor_profile)
        assert user.doctor_profile.rating_avg == Decimal("4.7")  # a Decimal on SQLite too
        assert user.doctor_profile.user is user
        assert user.is_verified_doctor if hasattr(user, "is_verified_doctor") else True
    assert len(ctx.captured_queries) == 1
    assert user._state.db == "default" and not user._state.adding
    assert user.last_login is None or user.last_login.tzinfo is not None


def test_a_patient_has_no_profile_and_asking_costs_no_query():
    patient = UserFactory()
    user = user_with_profile(patient.pk)
    assert user is not None and _values(user) == _values(User.objects.get(pk=patient.pk))
    with CaptureQueriesContext(connection) as ctx, pytest.raises(DoctorProfile.DoesNotExist):
        user.doctor_profile  # noqa: B018
    assert len(ctx.captured_queries) == 0


@pytest.mark.parametrize("bad", ["nope", "", None, "999999"])
def test_unknown_or_malformed_ids_are_nobody(bad):
    assert user_with_profile(bad) is None


def test_inactive_users_are_not_signed_in():
    user = UserFactory(is_active=False)
    assert EmailBackend().get_user(str(user.pk)) is None
    assert EmailBackend().get_user(str(UserFactory().pk)) is not None


def _orm_answers(question, viewer, moderator):
    qs = Answer.objects.filter(question=question).select_related("doctor")
    if viewer.is_authenticated:
        qs = qs.annotate(viewer_voted=Exists(HelpfulVote.objects.filter(answer=OuterRef("pk"), user_id=viewer.pk)))
        if not moderator:
            qs = qs.filter(Q(is_hidden=False) | Q(doctor__user_id=viewer.pk))
    else:
        qs = qs.filter(is_hidden=False)
    return list(qs.order_by("-helpful_count", "created_at", "id"))


def test_thread_answers_equal_the_orm_for_every_kind_of_reader():
    from django.contrib.auth.models import AnonymousUser

    question = QuestionFactory()
    shown = [AnswerFactory(question=question) for _ in range(3)]
    hidden = AnswerFactory(question=question)
    Answer.objects.filter(pk=hidden.pk).update(is_hidden=True)
    reader, moderator = UserFactory(), ModeratorFactory()
    services.vote_toggle(user=reader, answer=shown[1])
    readers = [
        (AnonymousUser(), False, 3),
        (reader, False, 3),
        (User.objects.get(pk=hidden.doctor.user_id), False, 4),  # the author of the hidden answer sees it
        (moderator, True, 4),
    ]
    for viewer, is_moderator, count in readers:
        got = selectors._thread_answers(question_id=question.pk, viewer=viewer, moderator=is_moderator)
        want = _orm_answers(question, viewer, is_moderator)
        assert len(got) == count
        assert [a.pk for a in got] == [a.pk for a in want]
        for a, b in zip(got, want, strict=True):
            assert _values(a) == _values(b)
            assert _values(a.doctor) == _values(b.doctor)
            assert a.viewer_voted is bool(getattr(b, "viewer_voted", False))
    voted = selectors._thread_answers(question_id=question.pk, viewer=reader, moderator=False)
    assert [a.viewer_voted for a in voted] == [a.pk == shown[1].pk for a in voted]
    assert voted[0].pk == shown[1].pk  # most helpful votes first
