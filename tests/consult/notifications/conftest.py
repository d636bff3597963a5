from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django_tasks_db.models import DBTaskResult

from consult.questions import services as question_services
from tests.factories import DoctorProfileFactory, TagFactory, UserFactory

#: Tests that run the worker are transaction tests: the worker (django-tasks-db's loop) closes a connection
#: found inside a transaction, which on PostgreSQL is the test's own.
WORKER = pytest.mark.django_db(transaction=True)


def run_worker() -> None:
    """What the background worker does: run every queued task once (django-tasks database queue). Each task
    commits its own transaction in production; inside a test's transaction, what a task queues on commit (the
    e-mail job a fan-out queues) is queued as the task ends."""
    if not connection.in_atomic_block:  # a transaction test: each task commits, as in production
        call_command("photos_worker", "--once", "--no-warm-up")
        return
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("photos_worker", "--once", "--no-warm-up")


def queued(task_name: str = "") -> int:
    rows = DBTaskResult.objects.filter(status="READY")
    return rows.filter(task_path__endswith=task_name).count() if task_name else rows.count()


@pytest.fixture
def asker():
    return UserFactory(display_name="Robin")


@pytest.fixture
def doctor():
    return DoctorProfileFactory(full_name="Vera Answer")


@pytest.fixture
def tag():
    return TagFactory(slug="bells-palsy", name="Bell's palsy")


@pytest.fixture
def asked(asker, tag, django_capture_on_commit_callbacks):
    """A question asked through the service (the asker follows it); its own jobs already run."""
    with django_capture_on_commit_callbacks(execute=True):
        question = question_services.question_create(
            author=asker, title="Will my smile come back after Bell's palsy?", body="It has been six weeks.",
            tags=[tag], display_name="Robin",
        )
    run_worker()
    return question


def answer(doctor, question, capture, headline="Give it three more months"):
    with capture(execute=True):
        return question_services.answer_create(doctor=doctor, question=question, headline=headline,
                                               body="Most people recover within months.")
