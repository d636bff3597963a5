"""Parallel answers and edits on PostgreSQL (issue 11): counters exact, no lost update, no duplicate rows.

PostgreSQL only: SQLite serialises writers with a database lock, so it cannot show these races.
(50 parallel votes: tests/consult/questions/test_vote_concurrency.py.)
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from consult.questions import services
from consult.questions.errors import QuestionsError
from consult.questions.models import Answer, AnswerRevision, Question
from tests.factories import DoctorProfileFactory, QuestionFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locking"),
]

THREADS = 20


def _race(jobs: list[Callable[[], None]]) -> list[Exception]:
    barrier = threading.Barrier(len(jobs))
    errors: list[Exception] = []

    def run(job: Callable[[], None]) -> None:
        try:
            barrier.wait()
            job()
        except Exception as exc:  # surfaced in the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_twenty_doctors_answering_at_once_are_all_counted():
    question = QuestionFactory()
    doctors = DoctorProfileFactory.create_batch(THREADS)

    def answer(doctor_id: int) -> Callable[[], None]:
        def job() -> None:
            from consult.doctors.models import DoctorProfile

            services.answer_create(doctor=DoctorProfile.objects.get(pk=doctor_id),
                                   question=Question.objects.get(pk=question.pk),
                                   headline=f"Advice {doctor_id}", body="Physical therapy first.")
        return job

    assert _race([answer(d.pk) for d in doctors]) == []
    question.refresh_from_db()
    assert Answer.objects.filter(question=question).count() == THREADS == question.answer_count


def test_one_doctor_answering_twenty_times_at_once_makes_one_answer():
    question = QuestionFactory()
    doctor = DoctorProfileFactory()

    def job() -> None:
        from consult.doctors.models import DoctorProfile

        services.answer_create(doctor=DoctorProfile.objects.get(pk=doctor.pk),
                               question=Question.objects.get(pk=question.pk), headline="Mine", body="Once.")

    errors = _race([job] * THREADS)
    assert all(isinstance(error, QuestionsError) for error in errors), errors  # a sentence, never a 500
    question.refresh_from_db()
    assert Answer.objects.filter(question=question).count() == 1 == question.answer_count


def test_twenty_edits_at_once_lose_no_text():
    """Every edit's text is either the answer's text now or kept in its history: no edit vanishes."""
    doctor = DoctorProfileFactory()
    answer = services.answer_create(doctor=doctor, question=QuestionFactory(), headline="Original", body="v0")

    def edit(i: int) -> Callable[[], None]:
        def job() -> None:
            from consult.accounts.models import User

            target = Answer.objects.select_related("doctor", "question").get(pk=answer.pk)
            editor = User.objects.select_related("doctor_profile").get(pk=doctor.user_id)
            services.answer_update(answer=target, editor=editor, headline=f"Edit {i}", body=f"v{i + 1}")
        return job

    assert _race([edit(i) for i in range(THREADS)]) == []
    answer.refresh_from_db()
    kept = set(AnswerRevision.objects.filter(answer=answer).values_list("body", flat=True)) | {answer.body}
    assert kept == {f"v{i}" for i in range(THREADS + 1)}
    assert AnswerRevision.objects.filter(answer=answer).count() == THREADS
