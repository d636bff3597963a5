"""The one adapter between the platform and the ``facemeasure`` engine.

Nothing else in ``consult/`` imports ``facemeasure``. This module turns stored JPEG bytes into plain JSON
(``Measurement.to_dict()``, ``GradeResult.to_dict()``) and overlay JPEG bytes, maps the platform's
expression labels onto the engine's, and turns the engine's typed errors into a message and a retake hint
for the patient. It knows nothing about models or storage; :mod:`consult.photos.work` does the I/O.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from PIL import Image

import facemeasure

__all__ = [
    "ENGINE_EXPRESSION",
    "ENGINE_VERSION",
    "EngineFailure",
    "PhotoResult",
    "VisitResult",
    "measure_photo",
    "measure_visit",
    "warm_up",
]

ENGINE_VERSION = facemeasure.__version__

#: Platform expression value -> facemeasure expression name (``facemeasure.EXPRESSIONS``).
ENGINE_EXPRESSION: dict[str, str] = {
    "neutral": "neutral",
    "brows_raised": "brows_up",
    "eyes_closed_gentle": "eyes_closed",
    "eyes_closed_tight": "eyes_closed_tight",
    "smile": "smile",
    "pucker": "pucker",
    "show_teeth": "teeth",
    "lip_down": "lip_down",
}
assert set(ENGINE_EXPRESSION.values()) == set(facemeasure.EXPRESSIONS), "facemeasure expressions changed"

#: What to tell a patient when the engine refuses a photo, by error ``code``.
_HINTS: dict[str, str] = {
    "no_face": "Retake the photo facing the camera, with your whole face in the frame, in even light.",
    "face_too_small": "Move closer, or upload the full-size photo, so your face fills most of the picture.",
    "too_many_pixels": "Upload a smaller photo, straight from your phone's camera.",
    "corrupt_image": "The file looks damaged. Upload the photo again.",
    "not_an_image": "Upload the photo again as a JPEG or PNG.",
    "unreadable": "Upload the photo again.",
}
_DEFAULT_HINT = "Retake the photo facing the camera in even light, glasses off and hair off the brows."
#: Engine notices that mean the numbers exist but the photo should be retaken.
_NOTICE_HINTS: dict[str, str] = {
    "head_turn": "Your head is turned: retake the photo looking straight into the camera.",
    "head_tilt": "Your head is tilted: retake the photo holding your head level.",
    "low_resolution": "The face is small in the picture: move closer for more precise numbers.",
    "iris_mismatch": "Take off your glasses and look straight into the camera for more reliable numbers.",
    "multiple_faces": "Only one face should be in the photo.",
    "scale_uncertain": "Retake the photo facing the camera in even light, glasses off, eyes wide open and hair off the eyes.",
    "expression_mismatch": "Retake this photo showing the expression it is labelled with (see the photo guide).",
}
#: Checked in this order, so the most useful hint wins.
_HINT_ORDER = ("expression_mismatch", "scale_uncertain", "head_turn", "head_tilt", "low_resolution", "iris_mismatch",
               "multiple_faces")


class EngineFailure(Exception):
    """The engine could not measure a photo. ``message`` is the engine's sentence, ``hint`` how to retake."""

    def __init__(self, *, code: str, message: str, hint: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class PhotoResult:
    measurement: dict[str, Any]
    overlay_jpeg: bytes
    hint: str


@dataclass(frozen=True)
class VisitResult:
    measurements: dict[str, dict[str, Any]]  # by platform expression
    grade: dict[str, Any]  # GradeResult.to_dict(), or {} when the set cannot be graded
    grade_note: str  # why there is no grade (e.g. missing expressions), else ""
    #: by platform expression: the overlay drawn with the visit's numbers (the table shows the same)
    overlays: dict[str, bytes] = field(default_factory=dict)
    #: by platform expression: the retake hint for the visit's numbers ("" when none)
    hints: dict[str, str] = field(default_factory=dict)


def _platform_names(text: str) -> str:
    """Put the platform's expression names back into an engine sentence ("brows_up" -> "brows raised")."""
    back = {engine: platform for platform, engine in ENGINE_EXPRESSION.items()}
    return re.sub(r"[a-z_]+", lambda m: back.get(m.group(0), m.group(0)).replace("_", " ")
                  if m.group(0) in back else m.group(0), text)


def _failure(exc: facemeasure.FaceMeasureError) -> EngineFailure:
    message = str(exc)
    if message:
        message = message[0].upper() + message[1:]
        if not message.endswith("."):
            message += "."
    return EngineFailure(code=exc.code, message=message, hint=_HINTS.get(exc.code, _DEFAULT_HINT))


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image.convert("RGB")


#: How the platform measures every photo: the engine's grading options (twelve averaged landmark passes
#: on a crop low-pass filtered, sigma 1.5 crop pixels), which keep a JPEG re-encode from moving a grade
#: (docs/measurement.md, "Grade stability"); what they cost per photo: docs/measurement.md, "Speed".
OPTIONS = facemeasure.GRADING_OPTIONS


def _options(image: Image.Image) -> facemeasure.MeasureOptions:
    # Stored photos are already upright, metadata-free and at most a few megapixels: measure them on
    # exactly this pixel grid so the overlay drawn on it lines up.
    return dataclasses.replace(OPTIONS, max_side=max(image.size))


def _hint_for(record: Mapping[str, Any]) -> str:
    codes = {notice.get("code", "") for notice in record.get("warnings", [])}
    for code in _HINT_ORDER:
        if code in codes:
            return _NOTICE_HINTS[code]
    return ""


def _mismatch(m: facemeasure.Measurement, label: str, why: str) -> facemeasure.Measurement:
    """``m`` with an ``expression_mismatch`` warning, and every measure flagged with that reason."""
    notice = facemeasure.Notice("expression_mismatch", f"This photo does not look like {label}: {why}.")
    confidence = {
        name: dataclasses.replace(c, reasons=(*c.reasons, "expression_mismatch")) for name, c in m.confidence.items()
    }
    return dataclasses.replace(m, warnings=(*m.warnings, notice), confidence=confidence)


def _overlay_jpeg(image: Image.Image, m: facemeasure.Measurement) -> bytes:
    out = io.BytesIO()
    facemeasure.draw_overlay(image, m).save(out, format="JPEG", quality=85)
    return out.getvalue()


def measure_photo(data: bytes) -> PhotoResult:
    """Measure one stored photo (its own iris scale) and draw its overlay. Raises :class:`EngineFailure`."""
    image = _open(data)
    try:
        m = facemeasure.measure(image, options=_options(image))
    except facemeasure.FaceMeasureError as exc:
        raise _failure(exc) from exc
    record = m.to_dict()
    return PhotoResult(measurement=record, overlay_jpeg=_overlay_jpeg(image, m), hint=_hint_for(record))


#: How the expression check names each platform expression in its sentence.
_EXPRESSION_LABEL = {
    "neutral": "a neutral face",
    "brows_raised": "raised eyebrows",
    "eyes_closed_gentle": "gently closed eyes",
    "eyes_closed_tight": "tightly closed eyes",
    "smile": "a big smile",
    "pucker": "puckered lips",
    "show_teeth": "showing the teeth",
    "lip_down": "the lower lip pulled down",
}


def measure_visit(photos: Mapping[str, bytes]) -> VisitResult:
    """Re-measure a visit's usable photos on the face's shared scale, check each against its label, grade.

    ``photos`` maps platform expression values to stored JPEG bytes. Every photo gets its own scale
    from the face-level ratios the visit shares (``facemeasure.measure_set``), so a photo taken from
    farther away neither gets a wrong scale nor moves the others. A photo that does not show its
    expression says so and stays out of the grade; the overlays are redrawn with the visit's
    numbers so the table and the overlay always agree. Raises :class:`EngineFailure` if a photo
    cannot be measured (callers pass only photos that measured on their own).
    """
    names = list(photos)
    images = [_open(photos[name]) for name in names]
    side = max(max(im.size) for im in images) if images else 0
    options = dataclasses.replace(OPTIONS, max_side=side) if images else None
    try:
        ms = facemeasure.measure_set(images, options=options)
    except facemeasure.FaceMeasureError as exc:
        raise _failure(exc) from exc
    by_name = dict(zip(names, ms, strict=True))
    by_engine = {ENGINE_EXPRESSION[name]: m for name, m in by_name.items()}
    back = {engine: platform for platform, engine in ENGINE_EXPRESSION.items()}
    for engine_name, why in facemeasure.check_expressions(by_engine).items():
        name = back[engine_name]
        by_name[name] = _mismatch(by_name[name], _EXPRESSION_LABEL.get(name, name.replace("_", " ")), why)
    grade: dict[str, Any] = {}
    note = ""
    try:
        grade = facemeasure.grade(by_engine).to_dict()
    except facemeasure.GradeError as exc:
        note = _platform_names(str(exc))
    records = {name: m.to_dict() for name, m in by_name.items()}
    return VisitResult(
        measurements=records,
        grade=grade,
        grade_note=note,
        overlays={name: _overlay_jpeg(image, by_name[name]) for name, image in zip(names, images, strict=True)},
        hints={name: _hint_for(record) for name, record in records.items()},
    )


def warm_up() -> None:
    """Load the landmarker once (the worker calls this at start so the first photo is not slow)."""
    blank = Image.new("RGB", (64, 64), (128, 128, 128))
    with contextlib.suppress(facemeasure.FaceMeasureError):
        facemeasure.measure(blank)
