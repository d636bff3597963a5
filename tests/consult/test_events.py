"""The domain events fire from the services, once per real change (receivers in other apps rely on it)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.dispatch import Signal

from consult.core import events
from consult.questions import services
from tests.factories import DoctorProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


@contextmanager
def caught(signal: Signal) -> Iterator[list[dict[str, Any]]]:
    seen: list[dict[str, Any]] = []

    def receiver(sender: object, **kwargs: Any) -> None:
        seen.append(kwargs)

    signal.connect(receiver, weak=False)
    try:
        yield seen
    finally:
        signal.disconnect(receiver)


def test_question_answer_vote_and_hide_events() -> None:
    patient, other_patient = UserFactory(), UserFactory()
    verified_doctor = DoctorProfileFactory()
    with caught(events.question_saved) as asked:
        question = services.question_create(
            author=patient,
            title="Is a droop after Botox permanent?",
            body="Body text.",
            tags=[],
            display_name="",
        )
    assert [(e["question"].pk, e["created"]) for e in asked] == [(question.pk, True)]

    with caught(events.answer_saved) as answered:
        answer = services.answer_create(
            doctor=verified_doctor, question=question, headline="Usually not", body="It wears off."
        )
    assert [(e["answer"].pk, e["created"]) for e in answered] == [(answer.pk, True)]

    with caught(events.vote_toggled) as votes:
        services.vote_toggle(user=other_patient, answer=answer)
        services.vote_toggle(user=other_patient, answer=answer)
    assert [e["voted"] for e in votes] == [True, False]

    with caught(events.question_visibility_changed) as hidden:
        services.question_set_hidden(question=question, is_hidden=True)
        services.question_set_hidden(question=question, is_hidden=True)  # no change: no event
    assert [e["is_hidden"] for e in hidden] == [True]


def test_hiding_and_restoring_a_review_fires_once_per_change() -> None:
    from consult.reviews.errors import NothingToDo
    from consult.reviews.services import review_set_hidden
    from tests.consult.reviews.conftest import make_treatment, write_review
    from tests.factories import ModeratorFactory

    review = write_review(treatment=make_treatment())
    moderator = ModeratorFactory()
    with caught(events.review_visibility_changed) as changed:
        review_set_hidden(review=review, moderator=moderator, is_hidden=True, reason="Names a nurse")
        with pytest.raises(NothingToDo):
            review_set_hidden(review=review, moderator=moderator, is_hidden=True, reason="Again")
        review_set_hidden(review=review, moderator=moderator, is_hidden=False)
    assert [(c["review"].pk, c["is_hidden"]) for c in changed] == [(review.pk, True), (review.pk, False)]
