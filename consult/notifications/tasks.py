"""Background tasks (django-tasks). Bodies live in :mod:`consult.notifications.work` and ``emails``."""

from __future__ import annotations

from django_tasks import task

from . import emails, work


@task()
def fan_out(job: str, pk: int) -> int:
    return work.run(job, pk)


@task()
def send_email(notification_id: int) -> bool:
    return emails.send_now(notification_id=notification_id)


@task()
def send_digests() -> int:
    return emails.digest_send_due()
