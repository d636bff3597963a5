"""Typed requests for views that require a signed-in user (``login_required`` or a permission check)."""

from __future__ import annotations

from django.http import HttpRequest

from .models import User

__all__ = ["AuthenticatedRequest"]


class AuthenticatedRequest(HttpRequest):
    """``request.user`` is a signed-in :class:`User` (the view is behind ``login_required``)."""

    user: User
