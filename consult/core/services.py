"""Helpers for the apps' services."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def model_update(*, instance: M, fields: Iterable[str], data: Mapping[str, Any]) -> tuple[M, bool]:
    """Set each of ``fields`` that ``data`` holds and that differs, then save only those.

    Returns ``(instance, changed)``. Nothing changed: nothing is written (``updated_at`` stays).
    Something changed: one ``save(update_fields=...)`` of the changed fields plus the model's
    ``auto_now`` fields (``updated_at``), in the style of the HackSoft Django styleguide's helper.
    """
    changed = [name for name in fields if name in data and getattr(instance, name) != data[name]]
    if not changed:
        return instance, False
    for name in changed:
        setattr(instance, name, data[name])
    stamps = [f.name for f in instance._meta.get_fields() if getattr(f, "auto_now", False)]
    instance.save(update_fields=[*changed, *(name for name in stamps if name not in changed)])
    return instance, True
