"""Domain errors raised by practice services."""

from __future__ import annotations

from consult.core.errors import DomainError


class PracticeError(DomainError):
    pass


class InvalidHeadshot(PracticeError):
    field = "image"


class HeadshotNotAllowed(PracticeError):
    pass
