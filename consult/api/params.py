"""Shared query and path parameters: their patterns keep what no field may hold (a NUL character, which
PostgreSQL cannot store or compare) out before any selector runs, and document the shape in the schema."""

from __future__ import annotations

from typing import Any

from ninja.params.functions import Path, Query

__all__ = ["CURSOR", "NO_NUL", "SLUG", "SLUG_OR_EMPTY"]

NO_NUL = r"^[^\x00]*$"
SLUG_OR_EMPTY = r"^[-a-zA-Z0-9_]*$"
SLUG: Any = Path(..., max_length=120, pattern=r"^[-a-zA-Z0-9_]+$")
CURSOR: Any = Query(None, max_length=500, pattern=r"^[-A-Za-z0-9_:]*$",
                    description="From the previous page's next_cursor (or follow next).")
