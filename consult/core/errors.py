"""The base of every app's domain errors: a message fit to show the person who caused it.

Services raise these; views turn them into form errors (``field`` names the form field, None
means the whole form or action) or flash messages. Never a traceback, never a 500.
"""

from __future__ import annotations

__all__ = ["DomainError"]


class DomainError(Exception):
    """``str(error)``, ``error.message`` and ``error.messages`` are sentences for the user."""

    default_message = "That could not be done."
    field: str | None = None

    def __init__(self, message: str | list[str] | None = None, *, field: str | None = None) -> None:
        if message is None:
            message = self.default_message
        self.messages = [message] if isinstance(message, str) else list(message)
        self.message = " ".join(self.messages)
        super().__init__(self.message)
        if field is not None:
            self.field = field
