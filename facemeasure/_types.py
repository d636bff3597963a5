"""Frozen result types. The engine returns these; the CLI and adapters only format them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "MEASURE_NAMES",
    "Confidence",
    "Measurement",
    "Measures",
    "Notice",
    "Point",
    "ScaleEstimate",
    "Sides",
]

#: Every per-side measure, in report order. Millimetres except ``smile_angle`` (degrees).
MEASURE_NAMES: tuple[str, ...] = (
    "brow_height",
    "palpebral_fissure_height",
    "mrd1",
    "mrd2",
    "commissure_height",
    "commissure_excursion",
    "smile_angle",
    "dental_show",
    "upper_lip_height",
    "lower_lip_height",
)


#: Warning codes that make a photo's millimetres unusable ("Needs retake").
RETAKE_CODES = frozenset({"scale_uncertain", "head_turn", "expression_mismatch"})


def _r(value: float, precision: int | None) -> float:
    return float(value) if precision is None else round(float(value), precision)


@dataclass(frozen=True)
class Point:
    """A point in image pixel coordinates (x to the right, y down)."""

    x: float
    y: float

    def to_dict(self, precision: int | None = None) -> dict[str, float]:
        return {"x": _r(self.x, precision), "y": _r(self.y, precision)}


@dataclass(frozen=True)
class Sides:
    """One value per side of the face. ``left``/``right`` are the subject's own sides."""

    left: float
    right: float

    @property
    def deviation(self) -> float:
        """Absolute left-right difference."""
        return abs(self.left - self.right)

    def asymmetry_pct(self, healthy: str | None = None) -> float:
        """``|L - R|`` as a percentage of the larger side, or of the ``healthy`` side if given."""
        if healthy == "left":
            ref = abs(self.left)
        elif healthy == "right":
            ref = abs(self.right)
        else:
            ref = max(abs(self.left), abs(self.right))
        return 0.0 if ref == 0 else 100.0 * self.deviation / ref

    def to_dict(self, precision: int | None = None) -> dict[str, float]:
        return {"left": _r(self.left, precision), "right": _r(self.right, precision)}


@dataclass(frozen=True)
class Notice:
    """A warning attached to a result: the measurement exists but deserves a second look."""

    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True)
class ScaleEstimate:
    """One independent estimate of the iris diameter (photo pixels) and whether the scale used it."""

    source: str
    iris_px: float
    used: bool

    def to_dict(self, precision: int | None = None) -> dict[str, Any]:
        return {"source": self.source, "iris_px": _r(self.iris_px, precision), "used": self.used}


@dataclass(frozen=True)
class Confidence:
    """How far one measure may be off, from the engine's own consistency signals.

    ``uncertainty`` is per side, in the measure's unit: the disagreement between the two landmark
    passes (photo and levelled crop) combined with half a photo pixel; the scale's own uncertainty
    (``Measurement.scale_uncertainty_pct``) comes on top as a percentage. ``reasons`` lists why the
    value should not be trusted (empty = trustworthy): ``scale`` (the iris estimates disagree),
    ``scale_mixed`` (in a visit, no limbus was fitted on this photo, so its pupils and scale come from
    FaceMesh while the other photos' pupils are fitted),
    ``landmark_jitter``, ``edge_disagrees`` (the brow's image edge is far from the landmarks'),
    ``corner_disagrees`` (a mouth corner's lip seam is far from the landmarks' corner),
    ``head_turn``, ``low_resolution``, ``expression_mismatch``.
    """

    uncertainty: Sides
    reasons: tuple[str, ...] = ()

    @property
    def low(self) -> bool:
        return bool(self.reasons)

    def to_dict(self, precision: int | None = None) -> dict[str, Any]:
        return {**self.uncertainty.to_dict(precision), "low": self.low, "reasons": list(self.reasons)}


@dataclass(frozen=True)
class Measures:
    """The per-side measures defined in docs/measurement.md."""

    brow_height: Sides
    palpebral_fissure_height: Sides
    mrd1: Sides
    mrd2: Sides
    commissure_height: Sides
    commissure_excursion: Sides
    smile_angle: Sides
    dental_show: Sides
    upper_lip_height: Sides
    lower_lip_height: Sides

    def items(self) -> list[tuple[str, Sides]]:
        return [(f.name, getattr(self, f.name)) for f in fields(self)]

    def deviation(self) -> dict[str, float]:
        return {name: s.deviation for name, s in self.items()}

    def asymmetry_pct(self, healthy: str | None = None) -> dict[str, float]:
        return {name: s.asymmetry_pct(healthy) for name, s in self.items()}


@dataclass(frozen=True, eq=False)
class Measurement:
    """Everything measured on one photo.

    Distances are millimetres, angles degrees; ``left``/``right`` are the subject's sides.
    ``points`` holds the image-pixel positions the measures were taken from (for overlays),
    ``landmarks`` the raw landmarker output (N x 3, pixels; z on the x scale).
    """

    source: str | None
    image_size: tuple[int, int]
    mm_per_px: float
    scale_source: str
    iris_diameter_px: Sides
    pupil_left: Point
    pupil_right: Point
    roll_deg: float
    yaw_deg: float
    measures: Measures
    faces_found: int
    warnings: tuple[Notice, ...] = ()
    points: Mapping[str, Point] = field(default_factory=dict, repr=False)
    landmarks: NDArray[np.float64] = field(default_factory=lambda: np.zeros((0, 3)), repr=False)
    #: every iris-size estimate of this photo and whether the scale used it
    scale_estimates: tuple[ScaleEstimate, ...] = ()
    #: relative uncertainty of the mm scale, percent
    scale_uncertainty_pct: float = 0.0
    #: per measure: uncertainty and the reasons not to trust it (see :class:`Confidence`)
    confidence: Mapping[str, Confidence] = field(default_factory=dict, repr=False)
    #: unit-free shape features (ratios to the eye width) for the expression check
    features: Mapping[str, float] = field(default_factory=dict, repr=False)

    @property
    def scale_confident(self) -> bool:
        """False when the iris estimates disagree too much for millimetres to be trusted."""
        return not any(w.code == "scale_uncertain" for w in self.warnings)

    @property
    def needs_retake(self) -> bool:
        """The photo should be retaken: uncertain scale, a head turn, or not the expression asked for."""
        return any(w.code in RETAKE_CODES for w in self.warnings)

    @property
    def deviation(self) -> dict[str, float]:
        return self.measures.deviation()

    @property
    def asymmetry_pct(self) -> dict[str, float]:
        return self.measures.asymmetry_pct()

    def to_dict(self, *, precision: int | None = 3, healthy: str | None = None) -> dict[str, Any]:
        """A JSON-ready dict (the CLI's ``--json`` record without ``file``/``ok``/``error``)."""
        return {
            "image_size": list(self.image_size),
            "mm_per_px": _r(self.mm_per_px, None if precision is None else precision + 3),
            "scale_source": self.scale_source,
            "iris_diameter_px": self.iris_diameter_px.to_dict(precision),
            "pupils": {"left": self.pupil_left.to_dict(precision), "right": self.pupil_right.to_dict(precision)},
            "roll_deg": _r(self.roll_deg, precision),
            "yaw_deg": _r(self.yaw_deg, precision),
            "faces_found": self.faces_found,
            "measures": {name: s.to_dict(precision) for name, s in self.measures.items()},
            "deviation": {k: _r(v, precision) for k, v in self.measures.deviation().items()},
            "asymmetry_pct": {k: _r(v, precision) for k, v in self.measures.asymmetry_pct(healthy).items()},
            "warnings": [w.to_dict() for w in self.warnings],
            "scale": {
                "uncertainty_pct": _r(self.scale_uncertainty_pct, precision),
                "confident": self.scale_confident,
                "estimates": [e.to_dict(precision) for e in self.scale_estimates],
            },
            "confidence": {k: c.to_dict(precision) for k, c in self.confidence.items()},
            "needs_retake": self.needs_retake,
            "features": {k: _r(v, None if precision is None else precision + 1) for k, v in self.features.items()},
        }
