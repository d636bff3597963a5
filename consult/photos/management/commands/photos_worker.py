"""``manage.py photos_worker``: the background worker that measures photos.

It is django-tasks-db's database worker (tasks are rows in the ``django_tasks_db`` table, so it needs
nothing but the database) with three additions: the periodic work other apps register in
:mod:`consult.core.periodic` (the daily notification digest) runs between polls; every ``--recover-every`` seconds, and at start, it runs
:func:`consult.photos.work.recover_stalled`, which re-queues photos a killed worker left half-done, and the
sweeps other apps registered in :mod:`consult.core.sweeps` (before/after gallery pairs), and
every ``--prune-every`` seconds :func:`consult.photos.work.prune_task_results` deletes old task rows and
:func:`consult.photos.services.orphan_files_delete` the files of uploads whose transaction rolled back.
Several workers may run at once. Stop it with Ctrl+C / SIGTERM (the current task finishes first).
"""

from __future__ import annotations

import os
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from consult.core import periodic, sweeps
from consult.photos import engine, services, work


class Command(BaseCommand):
    help = "Run the background worker that measures photos (django-tasks database queue + recovery sweep)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--interval", type=float, default=0.5, help="Seconds between queue polls when idle.")
        parser.add_argument(
            "--recover-every", type=float,
            default=float(os.environ.get("PHOTOS_RECOVER_EVERY", "10")),
            help="Seconds between sweeps for work a dead worker left behind.",
        )
        parser.add_argument(
            "--prune-every", type=float, default=3600.0,
            help="Seconds between deletions of old task rows (finished > 14 days, stuck running > 1 day).",
        )
        parser.add_argument("--once", action="store_true", help="Recover, run every queued task, then exit.")
        parser.add_argument("--no-warm-up", action="store_true", help="Do not load the landmarker at start.")

    def handle(self, *args: Any, interval: float, recover_every: float, prune_every: float, once: bool,
               no_warm_up: bool, **options: Any) -> None:
        worker_id = f"photos-{os.getpid()}-{get_random_string(8)}"
        worker = Worker(
            queue_names=["*"], interval=interval, batch=True, backend_name="default", startup_delay=False,
            max_tasks=None, worker_id=worker_id, excluded_queue_names=[],
        )
        worker.configure_signals()
        if not no_warm_up:
            engine.warm_up()
        self.stdout.write(f"photos worker {worker_id} ready", ending="\n")
        self.stdout.flush()
        last_sweep = last_prune = 0.0
        while worker.running:
            now = time.monotonic()
            if now - last_sweep >= recover_every:
                close_old_connections()
                work.recover_stalled()
                sweeps.run_all()  # the other apps' background work (consult.core.sweeps: gallery pairs)
                last_sweep = now
            if now - last_prune >= prune_every:
                work.prune_task_results()
                services.orphan_files_delete()  # files a rolled-back upload left behind
                last_prune = now
            periodic.run_due()  # other apps' scheduled work (the notifications' daily digest)
            worker.run()  # batch mode: runs every ready task, returns when the queue is empty
            if once:
                return
            close_old_connections()
            time.sleep(interval)
