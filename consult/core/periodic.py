"""Work the background worker runs on a schedule, registered by the apps that own it.

The worker (``manage.py photos_worker``) sits in the photos app, below apps such as notifications; those
register their periodic work here from ``AppConfig.ready`` and the worker calls :func:`run_due` between
polls, so no import points up. Each job decides itself whether it is due (the daily digest inserts a row
per day), so several workers may call it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Periodic", "register", "registered", "run_due"]

log = logging.getLogger(__name__)


@dataclass
class Periodic:
    name: str
    every: float  # seconds between calls in one worker
    job: Callable[[], object]
    last: float = float("-inf")


_JOBS: dict[str, Periodic] = {}


def register(name: str, *, every: float, job: Callable[[], object]) -> None:
    """Register (or replace) the periodic job ``name``; idempotent."""
    _JOBS[name] = Periodic(name=name, every=every, job=job)


def registered() -> list[str]:
    return sorted(_JOBS)


def run_due(*, now: float | None = None) -> list[str]:
    """Run every registered job whose interval has passed in this process; returns their names. A job that
    fails is logged and tried again at its next interval."""
    moment = time.monotonic() if now is None else now
    ran = []
    for periodic in list(_JOBS.values()):
        if moment - periodic.last < periodic.every:
            continue
        periodic.last = moment
        try:
            periodic.job()
        except Exception:
            log.exception("periodic job %s failed", periodic.name)
        ran.append(periodic.name)
    return ran
