"""Domain errors raised by practice services."""

from __future__ import annotations

from consult.core.errors import DomainError


class PracticeError(DomainError):
    pass


class InvalidHeadshot(PracticeError):
    field = "image"


class HeadshotNotAllowed(PracticeError):
    pass


class InvalidGalleryPair(PracticeError):
    """A gallery upload was refused; ``field`` names the form field."""


class GalleryNotAllowed(PracticeError):
    pass


class InvalidConsultation(PracticeError):
    """A consultation request or reply was refused; ``field`` names the form field."""


class ConsultationNotAllowed(PracticeError):
    pass
