"""Domain errors raised by review services. Views turn them into form errors or messages."""

from __future__ import annotations

from consult.core.errors import DomainError


class ReviewError(DomainError):
    """Base class. ``field`` names the form field the message belongs to (None: the whole form)."""


class InvalidReview(ReviewError):
    """A field failed validation; ``field`` says which."""


class ReviewNotAllowed(ReviewError):
    """The person may not do this to this review (not its author, not the doctor, not a moderator...)."""


class AlreadyReviewed(ReviewError):
    """One review per patient per doctor per treatment: edit the existing one instead."""


class NothingToDo(ReviewError):
    """The review is already in the state asked for."""


class InvalidTreatment(ReviewError):
    """A treatment page's field failed validation (``field`` says which), e.g. a slug already taken."""
