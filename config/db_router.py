"""Opt-in read replicas: set DATABASE_REPLICA_URL and safe reads go to the replica.

A read goes to the replica unless it could see a stale copy of something this request depends on:
- inside a transaction on the primary (a service reading what it is about to write, select_for_update),
- after this request has written anything (read-your-writes: the rest of the request stays on the primary).
``ReplicaPinMiddleware`` unpins at the start of each request. Writes and migrations always use the
primary ("default"). Replication lag is invisible to a writer's own request; anonymous pages may show
a replica that is a moment behind, on top of the page cache's 60 s bound.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.db import connections
from django.http import HttpRequest, HttpResponse

PRIMARY = "default"
REPLICA = "replica"
_pinned: ContextVar[bool] = ContextVar("consult_db_pinned", default=False)


def pin_to_primary() -> None:
    _pinned.set(True)


def unpin() -> None:
    _pinned.set(False)


class PrimaryReplicaRouter:
    def db_for_read(self, model: type, **hints: Any) -> str:
        if _pinned.get() or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model: type, **hints: Any) -> str:
        pin_to_primary()
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the same data on both

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == PRIMARY


class ReplicaPinMiddleware:
    """Every request starts reading from the replica; its first write pins it to the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        unpin()
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            pin_to_primary()  # a form post reads what it then writes: keep it on the primary
        try:
            return self.get_response(request)
        finally:
            unpin()
