"""Domain errors raised by moderation services. Views show them as messages, never as a 500."""

from __future__ import annotations

from consult.core.errors import DomainError


class ModerationError(DomainError):
    """Base class. ``field`` names the form field the message belongs to (None: the whole action)."""



class InvalidTarget(ModerationError):
    """Not exactly one question or answer was given."""


class InvalidFlag(ModerationError):
    """Bad reason or note."""


class AlreadyFlagged(ModerationError):
    """The reporter already has an open flag on this item."""


class ContentUnavailable(ModerationError):
    """The item is hidden (or on a hidden question): there is nothing left to report."""


class ModerationNotAllowed(ModerationError):
    """The user may not do this (not signed in, or not a moderator)."""


class NothingToDo(ModerationError):
    """Already hidden, already visible, or no open flags to dismiss."""
