"""eFACE-like grading of a photo set (one visit), after Auto-eFACE.

Scores are 0-100 with 100 = normal/symmetric. Static items compare the affected (P) and healthy
(H) side at rest: ``raw = clip(100 * P / H, 0, 200)``, ``score = 100 - |100 - raw|`` (eFACE's
static items run 0-200 with 100 normal; Banks et al. 2015). Dynamic items are movement ratios
``clip(100 * dP / dH, 0, 100)`` (Auto-eFACE, Guarin et al. 2020). Synkinesis items penalise
movement the affected side makes but should not (ocular: fissure narrowing during smile and
pucker; oral: commissure movement during eye closure); their normalisation is ours and is
documented in docs/measurement.md.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from ._api import MeasureOptions, measure_set
from ._errors import GradeError
from ._image import ImageInput
from ._landmarks import Landmarker
from ._types import Measurement

__all__ = ["EXPRESSIONS", "GRADING_OPTIONS", "GradeItem", "GradeResult", "check_expressions", "grade", "grade_photos"]

#: Photo set vocabulary. ``neutral``, ``brows_up``, ``eyes_closed``, ``smile`` and ``pucker`` are required.
EXPRESSIONS = ("neutral", "brows_up", "eyes_closed", "eyes_closed_tight", "smile", "pucker", "teeth", "lip_down")
REQUIRED = ("neutral", "brows_up", "eyes_closed", "smile", "pucker")
#: How a visit's photos are measured for grading (``grade_photos``, the CLI's ``grade`` and the
#: platform): twelve averaged landmark passes on a crop low-pass filtered (sigma 1.5 crop pixels), which
#: keeps a JPEG re-encode from moving a grade (docs/measurement.md, "Grade stability"); twelve rather
#: than three: better on most validation figures for about 11x the one-pass time (docs/measurement.md,
#: "Test-time averaging").
GRADING_OPTIONS = MeasureOptions(passes=12, denoise=1.5)
#: Excess fissure narrowing (fraction of the resting fissure) that scores 0 for ocular synkinesis.
OCULAR_SYNKINESIS_FULL = 0.5
#: Excess commissure movement (mm) during eye closure that scores 0 for oral synkinesis.
ORAL_SYNKINESIS_FULL_MM = 5.0
#: Excess below these is measurement noise (FaceMesh's lid and corner jitter between two photos),
#: not synkinesis: a fraction of the resting fissure and millimetres of commissure movement.
OCULAR_SYNKINESIS_NOISE = 0.08
ORAL_SYNKINESIS_NOISE_MM = 1.0


#: Expression check thresholds (ratios of unit-free shape features, ``Measurement.features``).
#: Eyes "closed": the better-closing eye has lost at least 15 % of its neutral lid aperture
#: (FaceMesh follows a closing lid only partly: a lid warped 70 % shut reads 20-40 % narrower), or
#: is under 0.09 eye widths (about 5 mm) without a neutral photo; raised brows rise at least 4 %
#: of their neutral height; a smile or shown teeth widen the mouth by at least 4 % (or show
#: 0.02 eye widths, about 1.2 mm, more teeth than at rest); a pucker makes it narrower than at rest (FaceMesh follows an inward corner move only
#: partly; the check is there to catch a smile, which makes it 4-10 % wider).
CLOSED_APERTURE_FRACTION = 0.85
CLOSED_APERTURE_ABS = 0.09
BROW_RISE = 1.04
SMILE_WIDEN = 1.04
PUCKER_NARROW = 0.99
TEETH_SHOW = 0.02


def check_expressions(measurements: Mapping[str, Measurement]) -> dict[str, str]:
    """Check each photo against its expression label, from the landmarks; ``{expression: why not}``.

    Eyes closed: lid aperture; brows up: brow height against the neutral photo; smile and teeth:
    mouth width (and dental show) against the neutral photo; pucker: mouth width. Checks that need
    the neutral photo are skipped without one. Photos that pass are not listed.
    """
    out: dict[str, str] = {}
    rest = measurements.get("neutral")
    n = rest.features if rest is not None else {}

    def f(m: Measurement, key: str) -> float:
        return float(m.features.get(key, float("nan")))

    for expr, m in measurements.items():
        if not m.features:
            continue
        if expr in ("eyes_closed", "eyes_closed_tight"):
            # The better-closing eye decides: with a palsy one eye may not close at all.
            if rest is not None:
                # millimetres: a visit's photos share the face's scale, and the eye width itself
                # (the features' unit) shifts a little when the lids close
                closed = min(
                    _side(m, "palpebral_fissure_height", s) / max(_side(rest, "palpebral_fissure_height", s), 1e-6)
                    for s in ("left", "right")
                ) <= CLOSED_APERTURE_FRACTION
            else:
                closed = min(f(m, "eye_aperture_left"), f(m, "eye_aperture_right")) <= CLOSED_APERTURE_ABS
            if not closed:
                out[expr] = "the eyes look open in this photo"
        elif expr == "brows_up" and "brow_height" in n and f(m, "brow_height") < BROW_RISE * n["brow_height"]:
            out[expr] = "the brows are not higher than in the neutral photo"
        elif expr in ("smile", "teeth") and "mouth_width" in n:
            wider = f(m, "mouth_width") >= SMILE_WIDEN * n["mouth_width"]
            teeth = f(m, "dental_show") >= n.get("dental_show", 0.0) + TEETH_SHOW
            if expr == "smile" and not wider:
                out[expr] = "the mouth is not wider than in the neutral photo"
            elif expr == "teeth" and not (wider or teeth):
                out[expr] = "no more teeth show than in the neutral photo and the mouth is not wider"
        elif expr == "pucker" and "mouth_width" in n and f(m, "mouth_width") > PUCKER_NARROW * n["mouth_width"]:
            out[expr] = "the mouth is not narrower than in the neutral photo"
    return out


@dataclass(frozen=True)
class GradeItem:
    name: str
    domain: Literal["static", "dynamic", "synkinesis"]
    score: float
    affected: float
    healthy: float
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "domain": self.domain,
            "score": round(self.score, 1),
            "affected": round(self.affected, 3),
            "healthy": round(self.healthy, 3),
            "detail": self.detail,
        }


@dataclass(frozen=True)
class GradeResult:
    affected: str
    healthy: str
    affected_reason: str
    items: tuple[GradeItem, ...]
    static: float
    dynamic: float
    synkinesis: float
    total: float
    #: photos left out because they do not show their expression: {expression: why}
    excluded: Mapping[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "excluded": dict(self.excluded),
            "affected": self.affected,
            "healthy": self.healthy,
            "affected_reason": self.affected_reason,
            "scores": {
                "static": round(self.static, 1),
                "dynamic": round(self.dynamic, 1),
                "synkinesis": round(self.synkinesis, 1),
                "total": round(self.total, 1),
            },
            "items": [i.to_dict() for i in self.items],
        }

    def format_table(self) -> str:
        lines = [f"affected side: {self.affected or 'none clearly'} ({self.affected_reason})", ""]
        lines.append(f"  {'item':<26}{'domain':<12}{'score':>7}{'affected':>10}{'healthy':>10}")
        for i in self.items:
            lines.append(f"  {i.name:<26}{i.domain:<12}{i.score:>7.1f}{i.affected:>10.2f}{i.healthy:>10.2f}")
        lines.append("")
        for name in ("static", "dynamic", "synkinesis", "total"):
            lines.append(f"  {name:<12}{getattr(self, name):>6.1f} / 100")
        return "\n".join(lines) + "\n"


def _static(p: float, h: float) -> float:
    if h <= 0:
        return 0.0
    raw = min(200.0, max(0.0, 100.0 * p / h))
    return 100.0 - abs(100.0 - raw)


def _ratio(dp: float, dh: float) -> float:
    if dh <= 1e-6:
        return 100.0 if dp <= 1e-6 else 0.0
    return min(100.0, max(0.0, 100.0 * dp / dh))


def _side(m: Measurement, name: str, side: str) -> float:
    return float(getattr(getattr(m.measures, name), side))


#: FaceMesh points an expression barely moves: the four eye corners and the nose's bridge and tip.
#: Each expression photo is registered onto the neutral one on these (a least-squares similarity)
#: before a movement is read, so neither the photo's own pupil estimate (the limbus fit moves by a
#: pixel on a JPEG re-encode) nor its own scale enters the movement (docs/measurement.md).
STABLE_POINTS = (33, 133, 362, 263, 168, 6, 197, 195, 5, 4, 1, 2)


def _registration(rest: Measurement, m: Measurement) -> tuple[complex, complex, complex]:
    """``(k, a, b)``: a point ``z`` (x + iy, photo pixels) of ``m`` lands at ``k (z - b) + a`` in ``rest``."""
    n = max(STABLE_POINTS) + 1
    if m is rest:
        return 1 + 0j, 0j, 0j
    if rest.landmarks.shape[0] >= n and m.landmarks.shape[0] >= n:
        src = m.landmarks[list(STABLE_POINTS), 0] + 1j * m.landmarks[list(STABLE_POINTS), 1]
        dst = rest.landmarks[list(STABLE_POINTS), 0] + 1j * rest.landmarks[list(STABLE_POINTS), 1]
    else:  # another landmarker's topology: the pupils
        src = np.array([complex(p.x, p.y) for p in (m.pupil_left, m.pupil_right)])
        dst = np.array([complex(p.x, p.y) for p in (rest.pupil_left, rest.pupil_right)])
    b, a = complex(src.mean()), complex(dst.mean())
    zs, zd = src - b, dst - a
    denom = float(np.vdot(zs, zs).real)
    if denom <= 0:
        return 1 + 0j, a, b
    return complex(np.vdot(zs, zd)) / denom, a, b


def _shift(rest: Measurement, m: Measurement, point: str) -> tuple[float, float]:
    """How far ``point`` moved from the neutral photo to ``m``, in mm: (along the pupils' line, up)."""
    k, a, b = _registration(rest, m)
    p, p0 = m.points[point], rest.points[point]
    d = (k * (complex(p.x, p.y) - b) + a - complex(p0.x, p0.y)) * rest.mm_per_px
    axis = complex(rest.pupil_left.x - rest.pupil_right.x, rest.pupil_left.y - rest.pupil_right.y)
    axis = axis / abs(axis) if abs(axis) > 0 else 1 + 0j
    f = d / axis  # the neutral photo's face frame (its y axis still points down)
    return float(f.real), float(-f.imag)


def _corner_move(rest: Measurement, m: Measurement, side: str) -> float:
    """Mouth-corner movement (mm) from the neutral photo to ``m``."""
    return math.hypot(*_shift(rest, m, f"corner_{side}"))


def _closure(rest: Measurement, m: Measurement, side: str) -> float:
    """Fraction of the resting palpebral fissure closed in ``m``.

    ``m``'s fissure is taken back to its pixels and converted with the registration's scale, like
    every movement: the photo's own scale would come from eye corners that the closing lids move.
    """
    f0 = _side(rest, "palpebral_fissure_height", side)
    if f0 <= 0:
        return 0.0
    k = abs(_registration(rest, m)[0]) * rest.mm_per_px / m.mm_per_px if m.mm_per_px > 0 else 1.0
    return 1.0 - k * _side(m, "palpebral_fissure_height", side) / f0


def _movements(ms: Mapping[str, Measurement]) -> dict[str, dict[str, float]]:
    """Per side: brow elevation (mm), eye closure (fraction), smile movement (mm)."""
    rest = ms["neutral"]
    return {
        s: {
            "brow_elevation": _shift(rest, ms["brows_up"], f"brow_{s}")[1],
            "eye_closure": _closure(rest, ms["eyes_closed"], s),
            "smile": _corner_move(rest, ms["smile"], s),
        }
        for s in ("left", "right")
    }


def _fmt(v: float, unit: str) -> str:
    return f"{v * 100:.0f} %" if unit == "" else f"{v:.1f} mm"


#: Below this vote margin the movements are called nearly symmetric and no side is named.
AFFECTED_MARGIN = 0.15


def _pick_affected(ms: Mapping[str, Measurement]) -> tuple[str, str, bool]:
    """(side that moves less, the reason, whether that side is clearly affected)."""
    mv = _movements(ms)
    votes = {"left": 0.0, "right": 0.0}
    parts = []
    for k, unit in (("brow_elevation", "mm"), ("eye_closure", ""), ("smile", "mm")):
        a, b = mv["left"][k], mv["right"][k]
        ref = max(abs(a), abs(b), 1e-6)
        weaker = "left" if a < b else "right"
        votes[weaker] += abs(a - b) / ref
        parts.append(f"{k.replace('_', ' ')} L {_fmt(a, unit)} vs R {_fmt(b, unit)}")
    side = "left" if votes["left"] > votes["right"] else "right"
    clear = abs(votes["left"] - votes["right"]) >= AFFECTED_MARGIN
    if clear:
        why = f"the {side} side moves less: " + "; ".join(parts)
    else:
        why = "movements nearly symmetric, no clearly affected side (scores computed with the " f"{side} side, which moves slightly less, as affected): " + "; ".join(parts)
    return side, why, clear


def grade(
    measurements: Mapping[str, Measurement],
    *,
    affected: Literal["left", "right", "auto"] = "auto",
    check: bool = True,
) -> GradeResult:
    """Grade a visit from measurements keyed by expression name (see ``EXPRESSIONS``).

    The measurements should share one scale (use :func:`grade_photos` or
    :func:`facemeasure.measure_set`). With ``check`` every photo is checked against its label
    (:func:`check_expressions`): an optional photo that fails is left out (``excluded``), a
    required one makes the set ungradable (:class:`GradeError`). With ``affected="auto"`` and
    nearly symmetric movements, ``affected`` is ``""`` and the reason says so.
    """
    missing = [e for e in REQUIRED if e not in measurements]
    if missing:
        raise GradeError("missing photo(s) for: " + ", ".join(missing))
    unknown = sorted(set(measurements) - set(EXPRESSIONS))
    if unknown:
        raise GradeError("unknown expression(s): " + ", ".join(unknown))
    excluded = check_expressions(measurements) if check else {}
    bad = [e for e in REQUIRED if e in excluded]
    if bad:
        raise GradeError(
            "photo(s) not showing their expression: " + "; ".join(f"{e} ({excluded[e]})" for e in bad)
        )
    measurements = {k: v for k, v in measurements.items() if k not in excluded}
    clear = True
    if affected == "auto":
        p, reason, clear = _pick_affected(measurements)
    elif affected in ("left", "right"):
        p, reason = affected, "given by the user"
    else:
        raise GradeError(f"affected must be left, right or auto, not {affected!r}")
    h = "right" if p == "left" else "left"
    rest = measurements["neutral"]
    items: list[GradeItem] = []

    for name, measure in (
        ("brow_at_rest", "brow_height"),
        ("palpebral_fissure_at_rest", "palpebral_fissure_height"),
        ("oral_commissure_at_rest", "commissure_excursion"),
    ):
        a, b = _side(rest, measure, p), _side(rest, measure, h)
        items.append(GradeItem(name, "static", _static(a, b), a, b, f"{measure} at rest, mm"))

    mv = _movements(measurements)
    items.append(
        GradeItem(
            "brow_elevation", "dynamic", _ratio(mv[p]["brow_elevation"], mv[h]["brow_elevation"]),
            mv[p]["brow_elevation"], mv[h]["brow_elevation"], "brow rise, brows up vs rest, mm",
        )
    )
    items.append(
        GradeItem(
            "gentle_eye_closure", "dynamic", _ratio(mv[p]["eye_closure"], mv[h]["eye_closure"]),
            mv[p]["eye_closure"], mv[h]["eye_closure"], "fraction of the resting fissure closed",
        )
    )
    if "eyes_closed_tight" in measurements:
        tight = measurements["eyes_closed_tight"]
        c = {s: _closure(rest, tight, s) for s in (p, h)}
        items.append(GradeItem("full_eye_closure", "dynamic", _ratio(c[p], c[h]), c[p], c[h], "fraction closed, tight closure"))
    items.append(
        GradeItem(
            "smile", "dynamic", _ratio(mv[p]["smile"], mv[h]["smile"]), mv[p]["smile"], mv[h]["smile"],
            "commissure movement rest to smile, mm",
        )
    )
    if "teeth" in measurements:
        t = measurements["teeth"]
        a, b = _side(t, "dental_show", p), _side(t, "dental_show", h)
        items.append(GradeItem("show_teeth", "dynamic", _ratio(a, b), a, b, "dental show, mm"))
    if "lip_down" in measurements:
        d = measurements["lip_down"]
        a, b = (-_shift(rest, d, f"lip_lower_outer_{s}")[1] for s in (p, h))
        items.append(GradeItem("lower_lip_depression", "dynamic", _ratio(a, b), a, b, "lower lip descent, mm"))

    def narrowing(expr: str, s: str) -> float:
        return _closure(rest, measurements[expr], s)

    excess = max(narrowing(e, p) - narrowing(e, h) for e in ("smile", "pucker"))
    items.append(
        GradeItem(
            "ocular_synkinesis", "synkinesis", 100.0 * min(1.0, max(0.0, 1.0 - max(0.0, excess - OCULAR_SYNKINESIS_NOISE) / OCULAR_SYNKINESIS_FULL)),
            max(narrowing(e, p) for e in ("smile", "pucker")), max(narrowing(e, h) for e in ("smile", "pucker")),
            "fissure narrowing during smile/pucker (fraction)",
        )
    )

    def oral_move(expr: str, s: str) -> float:
        return _corner_move(rest, measurements[expr], s)

    closures = [e for e in ("eyes_closed", "eyes_closed_tight") if e in measurements]
    op, oh = max(oral_move(e, p) for e in closures), max(oral_move(e, h) for e in closures)
    items.append(
        GradeItem(
            "oral_synkinesis", "synkinesis", 100.0 * min(1.0, max(0.0, 1.0 - max(0.0, op - oh - ORAL_SYNKINESIS_NOISE_MM) / ORAL_SYNKINESIS_FULL_MM)),
            op, oh, "commissure movement during eye closure, mm",
        )
    )

    def mean(domain: str) -> float:
        v = [i.score for i in items if i.domain == domain]
        return sum(v) / len(v)

    return GradeResult(
        affected=p if clear else "",
        healthy=h if clear else "",
        affected_reason=reason,
        items=tuple(items),
        static=mean("static"),
        dynamic=mean("dynamic"),
        synkinesis=mean("synkinesis"),
        total=sum(i.score for i in items) / len(items),
        excluded=excluded,
    )


def grade_photos(
    photos: Mapping[str, ImageInput],
    *,
    affected: str = "auto",
    landmarker: Landmarker | None = None,
    options: MeasureOptions | None = None,
    check: bool = True,
) -> GradeResult:
    """Measure a visit's photos with one shared scale, then :func:`grade` them.

    ``options`` default to :data:`GRADING_OPTIONS`.
    """
    missing = [e for e in REQUIRED if e not in photos]
    if missing:
        raise GradeError("missing photo(s) for: " + ", ".join(missing))
    names = list(photos)
    ms = measure_set([photos[n] for n in names], landmarker=landmarker, options=options or GRADING_OPTIONS)
    by_name = dict(zip(names, ms, strict=True))
    if affected == "left":
        return grade(by_name, affected="left", check=check)
    if affected == "right":
        return grade(by_name, affected="right", check=check)
    if affected == "auto":
        return grade(by_name, affected="auto", check=check)
    raise GradeError(f"affected must be left, right or auto, not {affected!r}")
