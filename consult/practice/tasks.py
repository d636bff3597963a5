"""Background tasks (django-tasks, run by ``manage.py photos_worker``, which runs every queue). Bodies live in
:mod:`consult.practice.work`."""

from __future__ import annotations

from django_tasks import task

from . import work


@task()
def measure_pair(pair_id: int) -> str:
    return work.measure_pair(pair_id)
