"""Domain errors raised by account services. Views show them as form errors, never as a 500."""

from __future__ import annotations


class AccountError(Exception):
    """Base class. ``field`` names the form field the message belongs to (None: the whole form)."""

    field: str | None = None

    def __init__(self, message: str | list[str], *, field: str | None = None) -> None:
        self.messages = [message] if isinstance(message, str) else list(message)
        super().__init__(" ".join(self.messages))
        if field is not None:
            self.field = field


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
