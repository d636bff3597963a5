"""Keep the search index in step with the domain events (``consult.core.events``).

Each receiver runs inside the sender's transaction (the services send events after their write), so
a document is written or deleted together with the change it follows: hiding a question removes it
from search results in the same commit.
"""

from __future__ import annotations

from typing import Any

from consult.core import events

from . import index


def _question_saved(*, question: Any, created: bool, **_: Any) -> None:
    index.refresh_question(question.pk)
    if not created:
        index.refresh_question_answers(question.pk)  # their context shows the question's title


def _question_visibility(*, question: Any, **_: Any) -> None:
    index.refresh_question(question.pk)
    index.refresh_question_answers(question.pk)


def _answer_changed(*, answer: Any, **_: Any) -> None:
    index.refresh_answer(answer.pk)
    index.refresh_question(answer.question_id)  # answered / unanswered


def _doctor_changed(*, profile: Any, **_: Any) -> None:
    index.refresh_doctor(profile.pk)


def _treatment_saved(*, treatment: Any, **_: Any) -> None:
    index.refresh_treatment(treatment.pk)


def connect() -> None:
    events.question_saved.connect(_question_saved, dispatch_uid="search.question_saved")
    events.question_visibility_changed.connect(_question_visibility, dispatch_uid="search.question_visibility")
    events.answer_saved.connect(_answer_changed, dispatch_uid="search.answer_saved")
    events.answer_visibility_changed.connect(_answer_changed, dispatch_uid="search.answer_visibility")
    events.doctor_verification_decided.connect(_doctor_changed, dispatch_uid="search.doctor_decided")
    events.doctor_profile_saved.connect(_doctor_changed, dispatch_uid="search.doctor_saved")
    events.treatment_saved.connect(_treatment_saved, dispatch_uid="search.treatment_saved")
