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


class ConsentRequired(AccountError):
    field = "consent"
    default_message = (
        "To create an account, please agree to how Consult stores your health information and photos."
    )


class WrongPassword(AccountError):
    field = "password"
    default_message = "That is not your current password."


class BadEmailLink(AccountError):
    default_message = (
        "This e-mail change link has expired, has already been used or is not valid. "
        "Ask for a new one in your account settings."
    )


class TokenLimit(AccountError):
    field = "name"
    default_message = "You already have 10 active API tokens. Revoke one you no longer use first."
