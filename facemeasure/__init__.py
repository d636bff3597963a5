"""facemeasure: clinical facial-symmetry measurements (mm) from frontal face photos.

Importing this package is cheap: mediapipe loads on the first measurement, once per process.

>>> import facemeasure
>>> m = facemeasure.measure("face.jpg")          # doctest: +SKIP
>>> m.measures.commissure_height.left            # doctest: +SKIP
"""

from ._api import DEFAULT_MIN_IRIS_PX, MeasureOptions, measure, measure_set
from ._errors import (
    CorruptImageError,
    FaceError,
    FaceMeasureError,
    FaceTooSmallError,
    GradeError,
    ImageError,
    ImageReadError,
    ImageTooLargeError,
    NoFaceError,
    NotAnImageError,
)
from ._grade import (
    EXPRESSIONS,
    GRADING_OPTIONS,
    GradeItem,
    GradeResult,
    check_expressions,
    grade,
    grade_photos,
)
from ._image import DEFAULT_MAX_PIXELS, ImageInput
from ._landmarks import Landmarker, MediaPipeLandmarker
from ._measures import HVID_MM
from ._overlay import draw_overlay
from ._types import MEASURE_NAMES, Confidence, Measurement, Measures, Notice, Point, ScaleEstimate, Sides

__all__ = [
    "DEFAULT_MAX_PIXELS",
    "DEFAULT_MIN_IRIS_PX",
    "EXPRESSIONS",
    "GRADING_OPTIONS",
    "HVID_MM",
    "MEASURE_NAMES",
    "Confidence",
    "CorruptImageError",
    "FaceError",
    "FaceMeasureError",
    "FaceTooSmallError",
    "GradeError",
    "GradeItem",
    "GradeResult",
    "ImageError",
    "ImageInput",
    "ImageReadError",
    "ImageTooLargeError",
    "Landmarker",
    "MeasureOptions",
    "Measurement",
    "Measures",
    "MediaPipeLandmarker",
    "NoFaceError",
    "NotAnImageError",
    "Notice",
    "Point",
    "ScaleEstimate",
    "Sides",
    "check_expressions",
    "draw_overlay",
    "grade",
    "grade_photos",
    "measure",
    "measure_set",
]

__version__ = "0.1.0"
