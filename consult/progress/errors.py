"""Domain errors raised by the progress services. Views turn them into form errors or messages."""

from __future__ import annotations

from consult.core.errors import DomainError

__all__ = ["NotYours", "ProgressError"]


class ProgressError(DomainError):
    """A progress write that cannot be done; ``field`` names the form field when there is one."""


class NotYours(ProgressError):
    """A patient acting on another patient's treatment, questionnaire or photo set."""

    default_message = "That is not yours."
