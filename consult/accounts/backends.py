"""Authentication backend: e-mail sign-in as Django's ModelBackend, but the signed-in user is loaded
together with their doctor profile (one LEFT JOIN), so checking "is this a verified doctor?" on every
page costs no extra query."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from .models import User

__all__ = ["EmailBackend"]


class EmailBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User._default_manager.select_related("doctor_profile").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
