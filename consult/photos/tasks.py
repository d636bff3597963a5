"""Background tasks (django-tasks). Bodies live in :mod:`consult.photos.work`; see its docstring."""

from __future__ import annotations

from django_tasks import task

from . import work


@task()
def measure_photo(photo_id: int) -> str:
    return work.measure_photo(photo_id)


@task()
def grade_visit(visit_id: int) -> str:
    return work.grade_visit(visit_id)
