"""Authentication backend: e-mail sign-in as Django's ModelBackend, but the signed-in user is loaded
together with their doctor profile (one LEFT JOIN), so checking "is this a verified doctor?" on every
page costs no extra query."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from .models import User

__all__ = ["EmailBackend", "user_with_profile"]


def user_with_profile(user_id: Any) -> User | None:
    """The user with ``doctor_profile`` loaded (or known to be absent), in one query."""
    try:
        return User.objects.select_related("doctor_profile").filter(pk=user_id).first()
    except (ValidationError, ValueError, TypeError):
        return None


class EmailBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        user = user_with_profile(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
