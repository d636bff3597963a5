"""Model instances from hand-written SQL, for the two or three queries every signed-in page runs.

The ORM spends about three times as long building a ``select_related`` query with an ``Exists``
annotation and turning its rows into objects as PostgreSQL spends answering it (about 1.3 ms of a
1.9 ms thread query, ``bench/profile_thread.py``). For the hottest reads — the signed-in user with
their doctor profile, a thread's answers with their bylines — the SQL is written once per process
from the models' own metadata (so a new column is picked up) and each row becomes model instances
through ``Model.from_db``, exactly as the ORM would make them (``_state.db``, ``_state.adding``,
deferred nothing). A test per caller checks the result equals the ORM's.

The database alias comes from the router, as an ORM read's would (read replicas, docs/scaling.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from django.db import connections, router
from django.db.models import Model

__all__ = ["Columns", "read_alias", "select_rows"]

M = TypeVar("M", bound=Model)


class Columns(Generic[M]):
    """Every concrete column of ``model`` under the SQL table alias ``alias``, in field order.

    ``Columns(Answer, "a").select`` is ``a."id", a."question_id", ...``; ``build(db, row[i:j])`` makes the
    instance. Identifiers are double-quoted, which PostgreSQL and SQLite both accept.
    """

    def __init__(self, model: type[M], alias: str) -> None:
        fields = model._meta.concrete_fields
        self.model = model
        self.alias = alias
        self.attnames = [f.attname for f in fields]
        self.width = len(fields)
        self.select = ", ".join(f'{alias}."{f.column}"' for f in fields)
        self.table = f'"{model._meta.db_table}" {alias}'
        self._converters: dict[str, list[tuple[int, list[Any], Any]]] = {}

    def converters(self, db: str) -> list[tuple[int, list[Any], Any]]:
        """The ORM's value converters per column on connection ``db`` (SQLite's text datetimes, integer
        booleans and decimals; PostgreSQL needs almost none), as ``SQLCompiler.apply_converters`` uses them."""
        found = self._converters.get(db)
        if found is None:
            connection = connections[db]
            found = []
            for index, field in enumerate(self.model._meta.concrete_fields):
                column = field.get_col(self.alias)
                funcs = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
                if funcs:
                    found.append((index, funcs, column))
            self._converters[db] = found
        return found

    def build(self, db: str, values: Sequence[Any]) -> M:
        converters = self.converters(db)
        if converters:
            connection = connections[db]
            values = list(values)
            for index, funcs, column in converters:
                value = values[index]
                for func in funcs:
                    value = func(value, column, connection)
                values[index] = value
        return self.model.from_db(db, self.attnames, values)


def read_alias(model: type[Model]) -> str:
    """The database an ORM read of ``model`` would use now."""
    return router.db_for_read(model) or "default"


def select_rows(db: str, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Run ``sql`` on connection ``db`` and return every row."""
    with connections[db].cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())
