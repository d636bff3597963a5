"""Writes of the search app: rebuilding the whole index (``manage.py search_rebuild``).

Day-to-day the index follows the domain events (``receivers.py`` -> ``index.py``), in the writer's
transaction; a rebuild is for a new database, a bulk load that bypassed the services (the demo,
``bench/generate.py``), or after changing what is indexed.
"""

from __future__ import annotations

from . import index

__all__ = ["search_index_rebuild"]


def search_index_rebuild(*, question_chunk: int = 0) -> dict[str, int]:
    """Empty the index and fill it from the visible content. Returns the documents per kind."""
    return index.rebuild(question_chunk=question_chunk)
