"""Typed error hierarchy: every failure a user can cause has a class and a plain message."""

from __future__ import annotations

__all__ = [
    "CorruptImageError",
    "FaceError",
    "FaceMeasureError",
    "FaceTooSmallError",
    "GradeError",
    "ImageError",
    "ImageReadError",
    "ImageTooLargeError",
    "NoFaceError",
    "NotAnImageError",
]


class FaceMeasureError(Exception):
    """Base class of every error facemeasure raises on purpose.

    ``code`` is a stable machine-readable identifier (used in the CLI's JSON output);
    ``str(error)`` is a sentence meant for a person.
    """

    code = "error"


class ImageError(FaceMeasureError):
    """The input could not be turned into pixels."""

    code = "image_error"


class ImageReadError(ImageError):
    """The file does not exist or cannot be read."""

    code = "unreadable"


class NotAnImageError(ImageError):
    """The bytes are not an image format Pillow knows."""

    code = "not_an_image"


class CorruptImageError(ImageError):
    """The file is an image but is truncated or damaged."""

    code = "corrupt_image"


class ImageTooLargeError(ImageError):
    """The declared pixel count exceeds the cap (decompression-bomb protection)."""

    code = "too_many_pixels"


class FaceError(FaceMeasureError):
    """Pixels were decoded but no usable face was found."""

    code = "face_error"


class NoFaceError(FaceError):
    """The landmarker found no face."""

    code = "no_face"


class FaceTooSmallError(FaceError):
    """The face is too small for millimetre measurements (iris below the minimum pixel size)."""

    code = "face_too_small"


class GradeError(FaceMeasureError):
    """A photo set cannot be graded (missing expression, unusable photo, undecidable side)."""

    code = "grade_error"
