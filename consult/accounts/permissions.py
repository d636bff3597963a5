"""Who may do what. Small predicates every app imports; views turn a False into a 403 or a redirect.

Each takes whatever ``request.user`` is (a signed-in ``User`` or ``AnonymousUser``) so callers never
have to check ``is_authenticated`` first.
"""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist

from consult.accounts.models import Role, User

AnyUser: TypeAlias = User | AnonymousUser

__all__ = [
    "AnyUser",
    "can_flag",
    "can_moderate",
    "can_verify_doctors",
    "is_staff_member",
    "is_verified_doctor",
]


def _member(user: AnyUser) -> User | None:
    """The user if signed in and active, else None."""
    if isinstance(user, User) and user.is_active:
        return user
    return None


def is_verified_doctor(user: AnyUser) -> bool:
    """A signed-in doctor whose profile staff have verified. Only they may answer questions."""
    member = _member(user)
    if member is None or member.role != Role.DOCTOR:
        return False
    try:
        profile = member.doctor_profile
    except ObjectDoesNotExist:
        return False
    return profile.is_verified


def is_staff_member(user: AnyUser) -> bool:
    """Staff run the site: the staff role or Django's ``is_staff`` flag (superusers included)."""
    member = _member(user)
    return member is not None and (member.is_staff or member.role == Role.STAFF)


def can_moderate(user: AnyUser) -> bool:
    """Moderators and staff see the flag queue and may hide or unhide content."""
    member = _member(user)
    return member is not None and (member.role in {Role.MODERATOR.value, Role.STAFF.value} or member.is_staff)


def can_verify_doctors(user: AnyUser) -> bool:
    """Only staff approve or reject doctors; moderators handle content, not credentials."""
    return is_staff_member(user)


def can_flag(user: AnyUser) -> bool:
    """Any signed-in, active member may report a question or an answer."""
    return _member(user) is not None
