"""Queueing measuring work for the background worker (see :mod:`consult.photos.tasks`)."""

from __future__ import annotations

from django.db import transaction

__all__ = ["enqueue_grade_on_commit", "enqueue_measure_on_commit"]


def enqueue_measure_on_commit(photo_id: int) -> None:
    from .tasks import measure_photo

    transaction.on_commit(lambda: measure_photo.enqueue(photo_id))


def enqueue_grade_on_commit(visit_id: int) -> None:
    from .tasks import grade_visit

    transaction.on_commit(lambda: grade_visit.enqueue(visit_id))
