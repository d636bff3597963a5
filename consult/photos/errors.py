"""Domain errors raised by the photos services. Views turn them into form errors, never tracebacks."""

from __future__ import annotations

from consult.core.errors import DomainError

__all__ = [
    "BadPhoto",
    "DuplicateExpression",
    "NotAllowed",
    "PhotosError",
    "StorageUnavailable",
    "TooManyPhotos",
]


class PhotosError(DomainError):
    """Base class; ``str(error)`` is a sentence fit to show the person who caused it."""



class NotAllowed(PhotosError):
    default_message = "You are not allowed to do that."


class BadPhoto(PhotosError):
    """The upload is not a usable photo (not an image, too big, truncated, a decompression bomb...)."""

    default_message = "That file is not a photo we can use. Please upload a JPEG or PNG photo."


class TooManyPhotos(PhotosError):
    default_message = "A photo set holds at most 8 photos. Delete one or start a new photo set."


class DuplicateExpression(PhotosError):
    default_message = "This photo set already has a photo with that expression. Delete it first to replace it."


class StorageUnavailable(PhotosError):
    default_message = (
        "We could not store the photo just now (our photo storage is full or unreachable). Nothing was saved; "
        "please try again later."
    )
