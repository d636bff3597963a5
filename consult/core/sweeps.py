"""Recovery sweeps the background worker runs: each app's way of finding work a killed worker left behind.

The worker command lives in ``photos`` (``manage.py photos_worker``, which runs every queue), below apps that
also queue background work (``practice``'s gallery measuring). Such an app registers its sweep here from its
``AppConfig.ready()``; the worker runs every registered sweep at start and every ``--recover-every`` seconds,
without importing the apps above it. A sweep returns how many jobs it queued again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

__all__ = ["Sweep", "register", "registered", "run_all"]

logger = logging.getLogger(__name__)

Sweep = Callable[[], int]

_SWEEPS: dict[str, Sweep] = {}


def register(name: str, sweep: Sweep) -> None:
    """Register (or replace) the sweep called ``name``; idempotent."""
    _SWEEPS[name] = sweep


def registered() -> list[str]:
    return sorted(_SWEEPS)


def run_all() -> dict[str, int]:
    """Run every sweep (in name order); one that fails is logged and does not stop the others."""
    queued: dict[str, int] = {}
    for name in sorted(_SWEEPS):
        try:
            queued[name] = _SWEEPS[name]()
        except Exception:
            logger.exception("recovery sweep %s failed", name)
            queued[name] = 0
    return queued
