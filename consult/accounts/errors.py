"""Domain errors raised by account services. Views show them as form errors, never as a 500."""

from __future__ import annotations

from consult.core.errors import DomainError


class AccountError(DomainError):
    """Base class. ``field`` names the form field the message belongs to (None: the whole form)."""



class EmailTaken(AccountError):
    field = "email"


class InvalidEmail(AccountError):
    field = "email"


class InvalidDisplayName(AccountError):
    field = "display_name"


class WeakPassword(AccountError):
    field = "password1"


class RoleNotAllowed(AccountError):
    field = "role"


class BadSignupLink(AccountError):
    default_message = (
        "This sign-up link has expired or is not valid. Please start again: we will send you a new one."
    )
