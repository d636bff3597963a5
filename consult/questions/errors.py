"""Domain errors raised by the questions services. Views turn them into messages, never tracebacks."""

from __future__ import annotations

from consult.core.errors import DomainError

__all__ = [
    "AlreadyAnswered",
    "ContentHidden",
    "NotAllowed",
    "NotVerifiedDoctor",
    "QuestionsError",
]


class QuestionsError(DomainError):
    """Base class; ``str(error)`` is a sentence fit to show the person who caused it."""



class NotAllowed(QuestionsError):
    """The acting user may not do this (wrong role, not the owner, own answer...)."""

    default_message = "You are not allowed to do that."


class NotVerifiedDoctor(NotAllowed):
    default_message = "Only doctors whose credentials we have verified can answer questions."


class AlreadyAnswered(QuestionsError):
    default_message = "You have already answered this question. You can edit your answer instead."


class ContentHidden(QuestionsError):
    default_message = "This content has been hidden by a moderator."
