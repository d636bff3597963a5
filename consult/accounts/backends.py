"""Authentication backend: e-mail sign-in as Django's ModelBackend, but the signed-in user is loaded
together with their doctor profile (one LEFT JOIN), so checking "is this a verified doctor?" on every
page costs no extra query.

The user is looked up on every signed-in request, so that one query is written by hand
(:mod:`consult.core.rows`): the ORM's ``select_related("doctor_profile").get(pk=...)`` spent about
0.6 ms of its 0.8 ms building the query and the objects.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from consult.core.rows import Columns, read_alias, select_rows

from .models import User

__all__ = ["EmailBackend", "user_with_profile"]


@cache
def _query() -> tuple[Columns[Any], Columns[Any], str]:
    profile_model = User._meta.get_field("doctor_profile").related_model
    user, profile = Columns(User, "u"), Columns(profile_model, "d")
    # identifiers from model metadata; the value is a parameter
    sql = (
        f"SELECT {user.select}, {profile.select} FROM {user.table}"  # noqa: S608
        f' LEFT JOIN {profile.table} ON d."user_id" = u."id" WHERE u."id" = %s'
    )
    return user, profile, sql


def user_with_profile(user_id: Any) -> User | None:
    """The user with ``doctor_profile`` loaded (or known to be absent): what
    ``User.objects.select_related("doctor_profile").get(pk=user_id)`` returns, in one query."""
    try:
        pk = User._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    if pk is None:
        return None
    user_cols, profile_cols, sql = _query()
    db = read_alias(User)
    rows = select_rows(db, sql, [pk])
    if not rows:
        return None
    row = rows[0]
    user: User = user_cols.build(db, row[: user_cols.width])
    profile_row = row[user_cols.width :]
    if profile_row[0] is None:
        user._state.fields_cache["doctor_profile"] = None  # no profile: user.doctor_profile raises, no query
    else:
        profile = profile_cols.build(db, profile_row)
        profile._state.fields_cache["user"] = user
        user._state.fields_cache["doctor_profile"] = profile
    return user


class EmailBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        user = user_with_profile(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
