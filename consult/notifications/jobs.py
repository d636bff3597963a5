"""Queueing the background jobs (django-tasks, run by the worker: ``manage.py photos_worker``), always after
the writing transaction commits, never in the request."""

from __future__ import annotations

from django.db import transaction

__all__ = ["enqueue_email_on_commit", "enqueue_on_commit"]


def enqueue_on_commit(job: str, pk: int) -> None:
    from .tasks import fan_out

    transaction.on_commit(lambda: fan_out.enqueue(job, pk))


def enqueue_email_on_commit(notification_id: int) -> None:
    from .tasks import send_email

    transaction.on_commit(lambda: send_email.enqueue(notification_id))
