"""Synthetic ground truth for the engine: smooth, known displacements of real faces.

``warp_image`` moves the pixels of an image along a Gaussian displacement field
``u(p) = v * exp(-((x-cx)^2 / 2 sx^2 + (y-cy)^2 / 2 sy^2))`` (``v`` a vector), i.e. the point
``c`` moves by exactly ``v`` and points far from it do not move. The output is built by
backward mapping: for every output pixel ``q`` we need the source ``p`` with ``p + u(p) = q``,
found by the fixed-point iteration ``p <- q - u(p)`` (a contraction while ``|grad u| < 1``, which
``warp_image`` checks), then sampled with cubic splines. ``patch_shift`` measures independently,
by normalised cross-correlation, how far a patch really moved.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image
from scipy import ndimage

import facemeasure
from facemeasure._image import decode_image

FACES = Path(__file__).resolve().parents[1] / "fixtures" / "faces"


@dataclass(frozen=True)
class GaussianField:
    cx: float
    cy: float
    vx: float
    vy: float
    sx: float
    sy: float

    def at(self, x, y):
        g = np.exp(-(((x - self.cx) / self.sx) ** 2 + ((y - self.cy) / self.sy) ** 2) / 2.0)
        return self.vx * g, self.vy * g

    @property
    def max_gradient(self) -> float:
        # |d/dx (v g)| peaks at |v| / s * exp(-1/2) along each axis
        v = math.hypot(self.vx, self.vy)
        return v * math.exp(-0.5) * max(1 / self.sx, 1 / self.sy)


def warp_image(rgb: np.ndarray, field: GaussianField, *, iterations: int = 30) -> np.ndarray:
    """Apply ``field`` as a forward displacement (content at ``c`` ends up at ``c + v``)."""
    if field.max_gradient >= 0.9:
        raise ValueError(f"displacement too steep to invert ({field.max_gradient:.2f}); widen sigma")
    h, w = rgb.shape[:2]
    reach = 4.5 * max(field.sx, field.sy) + math.hypot(field.vx, field.vy)
    x0, x1 = max(0, int(field.cx - reach)), min(w, int(field.cx + reach) + 1)
    y0, y1 = max(0, int(field.cy - reach)), min(h, int(field.cy + reach) + 1)
    qy, qx = np.mgrid[y0:y1, x0:x1].astype(np.float64)
    px, py = qx.copy(), qy.copy()
    for _ in range(iterations):
        ux, uy = field.at(px, py)
        px, py = qx - ux, qy - uy
    out = rgb.copy()
    for ch in range(rgb.shape[2]):
        vals = ndimage.map_coordinates(rgb[:, :, ch].astype(np.float64), [py, px], order=3, mode="nearest")
        out[y0:y1, x0:x1, ch] = np.clip(np.rint(vals), 0, 255).astype(np.uint8)
    return out


def inversion_residual(field: GaussianField, x: float, y: float, iterations: int = 30) -> float:
    """|p + u(p) - q| after the fixed-point iteration, for a check that the inverse is right."""
    px, py = x, y
    for _ in range(iterations):
        ux, uy = field.at(px, py)
        px, py = x - ux, y - uy
    ux, uy = field.at(px, py)
    return math.hypot(px + ux - x, py + uy - y)


def patch_shift(before: np.ndarray, after: np.ndarray, x: float, y: float, half: int, search: int) -> tuple[float, float]:
    """Sub-pixel shift (dx, dy) of the patch centred at (x, y) from ``before`` to ``after`` (NCC)."""
    g0 = before.astype(np.float64).mean(axis=2)
    g1 = after.astype(np.float64).mean(axis=2)
    xi, yi = round(x), round(y)
    tpl = g0[yi - half : yi + half + 1, xi - half : xi + half + 1]
    tpl = (tpl - tpl.mean()) / (tpl.std() + 1e-9)
    scores = np.full((2 * search + 1, 2 * search + 1), -np.inf)
    for dy in range(-search, search + 1):
        for dx in range(-search, search + 1):
            win = g1[yi + dy - half : yi + dy + half + 1, xi + dx - half : xi + dx + half + 1]
            win = (win - win.mean()) / (win.std() + 1e-9)
            scores[dy + search, dx + search] = float((tpl * win).mean())
    iy, ix = np.unravel_index(int(np.argmax(scores)), scores.shape)

    def sub(a, b, c):
        den = a - 2 * b + c
        return 0.0 if den == 0 else 0.5 * (a - c) / den

    ox = sub(scores[iy, ix - 1], scores[iy, ix], scores[iy, ix + 1]) if 0 < ix < 2 * search else 0.0
    oy = sub(scores[iy - 1, ix], scores[iy, ix], scores[iy + 1, ix]) if 0 < iy < 2 * search else 0.0
    return ix - search + ox, iy - search + oy


def mirrored_composite(rgb: np.ndarray, midline_x: float, keep: str = "left") -> np.ndarray:
    """Image whose ``keep`` half (image side) is mirrored onto the other about ``x = midline_x``."""
    h, w = rgb.shape[:2]
    xs = np.arange(w, dtype=np.float64)
    src = np.where(xs <= midline_x, xs, 2 * midline_x - xs) if keep == "left" else np.where(xs >= midline_x, xs, 2 * midline_x - xs)
    src = np.clip(src, 0, w - 1)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    xx = np.broadcast_to(src[None, :], (h, w))
    out = np.empty_like(rgb)
    for ch in range(rgb.shape[2]):
        out[:, :, ch] = np.clip(
            np.rint(ndimage.map_coordinates(rgb[:, :, ch].astype(np.float64), [yy, xx], order=1)), 0, 255
        ).astype(np.uint8)
    return out


def rotate(rgb: np.ndarray, degrees: float) -> np.ndarray:
    """Rotate about the centre (counter-clockwise), expanding the canvas, bicubic, white fill."""
    im = Image.fromarray(rgb).rotate(degrees, resample=Image.BICUBIC, expand=True, fillcolor=(255, 255, 255))
    return np.asarray(im)


def rescale(rgb: np.ndarray, factor: float) -> np.ndarray:
    h, w = rgb.shape[:2]
    im = Image.fromarray(rgb).resize((round(w * factor), round(h * factor)), Image.LANCZOS)
    return np.asarray(im)


# --- synthetic-recovery experiment (used by tests/facemeasure/test_validation.py and bench/measure_accuracy.py)

#: (file, upscale factor). The small faces are upscaled (Lanczos) so the iris is >= ~20 px; this is
#: stated in docs/measurement.md: it tests the geometry, not the camera resolution.
VALIDATION_FACES = (
    ("obama_official_portrait_2012.jpg", 1.0),
    ("biden_white_house_2010.jpg", 1.0),
    ("ibm_codait_luciano_cc0.png", 2.0),
    ("congress_G000555.jpg", 2.0),
    ("congress_S001184.jpg", 2.0),
)
DISTANCES_MM = (1.0, 2.0, 3.0, 5.0)
FEATURES = {
    # feature: (measure, point name prefix, sigma_x mm, sigma_y mm, sign of the measure change)
    "mouth_corner": ("commissure_height", "corner", 12.0, 12.0, +1.0),
    "brow": ("brow_height", "brow", 15.0, 8.0, -1.0),
}


def load(name: str, factor: float) -> np.ndarray:
    rgb = decode_image(FACES / name).rgb
    return rgb if factor == 1.0 else rescale(rgb, factor)


def cases(rgb: np.ndarray, base: facemeasure.Measurement):
    a = math.radians(base.roll_deg)
    down = (-math.sin(a), math.cos(a))
    for feature, (measure, prefix, sx, sy, sign) in FEATURES.items():
        for side in ("left", "right"):
            c = base.points[f"{prefix}_{side}"]
            for d in DISTANCES_MM:
                d_px = d / base.mm_per_px
                field = GaussianField(c.x, c.y, down[0] * d_px, down[1] * d_px, sx / base.mm_per_px, sy / base.mm_per_px)
                yield feature, measure, side, d, sign, field


def run(
    refine: bool,
    scale: str,
    faces=VALIDATION_FACES,
    *,
    half_face: bool = False,
    mirror_average: bool = False,
    passes: int = 1,
    denoise: float = 0.0,
):
    opts = facemeasure.MeasureOptions(
        refine=refine, half_face=half_face, mirror_average=mirror_average, passes=passes, denoise=denoise
    )
    rows = []
    for name, factor in faces:
        rgb = load(name, factor)
        base = facemeasure.measure(rgb, options=opts)
        for feature, measure, side, d, sign, field in cases(rgb, base):
            warped = warp_image(rgb, field)
            if scale == "set":
                m0, m1 = facemeasure.measure_set([rgb, warped], options=opts)
            else:
                m0, m1 = base, facemeasure.measure(warped, options=opts)
            other = "right" if side == "left" else "left"
            s0, s1 = getattr(m0.measures, measure), getattr(m1.measures, measure)
            # The brow field also moves the pupil below it down (by about 0.17 d: the pupil is ~2 sy
            # below the brow), which makes the brow-to-pupil height shrink by d - u, not d. (Until
            # 2026-11-25 this added u instead of subtracting it, which showed up as a spurious
            # -2u "under-recovery" of every brow move.) The mouth field does not reach the pupils.
            pupil = getattr(m0, f"pupil_{side}")
            ux, uy = field.at(pupil.x, pupil.y)
            expected = d - math.hypot(ux, uy) * m0.mm_per_px if feature == "brow" else d
            got = sign * (getattr(s1, side) - getattr(s0, side))
            rows.append(
                {
                    "face": name,
                    "feature": feature,
                    "side": side,
                    "d": d,
                    "expected": expected,
                    "recovered": got,
                    "error": got - expected,
                    "other_change": getattr(s1, other) - getattr(s0, other),
                }
            )
    return rows


#: FaceMesh lid contours (corner to corner), the subject's right and left eye.
UPPER_LID = {"right": (33, 246, 161, 160, 159, 158, 157, 173, 133), "left": (263, 466, 388, 387, 386, 385, 384, 398, 362)}
LOWER_LID = {"right": (33, 7, 163, 144, 145, 153, 154, 155, 133), "left": (263, 249, 390, 373, 374, 380, 381, 382, 362)}


def close_eyes(rgb: np.ndarray, lm: np.ndarray, closure: dict[str, float]) -> np.ndarray:
    """The upper lids slid down over the eyes: ``closure[side]`` 1 = shut, 0.4 = 40 % of the way.

    Column by column, the lid skin between a point well above the lid margin and the margin is stretched
    down so the margin ends ``closure`` of the way to the lower lid; below the new margin the photo is
    unchanged (what is left of the aperture, the lower lid). At the eye corners the aperture is nil, so
    nothing moves there and the face stays continuous; the lid's own lash line comes down with it. ``lm``:
    FaceMesh points (photo pixels) of ``rgb``. Used by :func:`expression_set` and the demo sets
    (scripts/build_demo_faces.py). (Until 2026-11-26 both lowered the lids with a broad Gaussian warp
    that moved the whole eye down with them: the iris stayed in view and the "eyes closed" photos
    looked half open, which the engine's expression check rightly flagged.)
    """
    import cv2

    h, w = rgb.shape[:2]
    map_x, map_y = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    for side, f in closure.items():
        if f <= 0:
            continue
        up = lm[list(UPPER_LID[side])]
        lo = lm[list(LOWER_LID[side])]
        up, lo = up[np.argsort(up[:, 0])], lo[np.argsort(lo[:, 0])]
        x0, x1 = int(np.ceil(max(up[0, 0], lo[0, 0]))), int(np.floor(min(up[-1, 0], lo[-1, 0])))
        fissure = float((np.interp(np.arange(x0, x1 + 1), lo[:, 0], lo[:, 1]) - np.interp(np.arange(x0, x1 + 1), up[:, 0], up[:, 1])).max())
        for x in range(x0, x1 + 1):
            yu, yl = float(np.interp(x, up[:, 0], up[:, 1])), float(np.interp(x, lo[:, 0], lo[:, 1]))
            gap = max(0.0, yl - yu)
            new = yu + f * gap
            top = yu - 1.6 * fissure  # the lid skin that stretches down starts this far above the margin
            ys = np.arange(max(0, int(top)), min(h, int(np.ceil(new)) + 1))
            t = (ys - top) / max(new - top, 1e-6)
            map_y[ys, x] = (top + t * (yu - top)).astype(np.float32)
    return np.asarray(cv2.remap(rgb, map_x, map_y, interpolation=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE))


def expression_set(rgb: np.ndarray, *, affected: str = "left", droop_mm: float = 2.0, strength: float = 0.4) -> dict[str, np.ndarray]:
    """A synthetic visit (engine expression names) from one neutral photo, as the demo faces are made.

    At rest the affected mouth corner is ``droop_mm`` lower; for the smile, the pucker, the raised
    brows and the closed eyes the affected side moves ``strength`` times as far as the healthy one.
    """
    m = facemeasure.measure(rgb)
    lm = m.landmarks
    px = 1.0 / m.mm_per_px
    corner = {"right": lm[61], "left": lm[291]}
    brow = {"right": lm[105], "left": lm[334]}
    outward = {"right": -1.0, "left": 1.0}
    k = {s: (strength if s == affected else 1.0) for s in ("left", "right")}

    def f(at, dx, dy, sx, sy):
        return GaussianField(float(at[0]), float(at[1]), dx, dy, sx, sy)

    def apply(img, fields):
        for fl in fields:
            if abs(fl.vx) + abs(fl.vy) > 0.05:
                img = warp_image(img, fl)
        return img

    neutral = apply(np.array(rgb), [f(corner[affected], 0.0, droop_mm * px, 9 * px, 9 * px)])
    out = {"neutral": neutral}
    out["smile"] = apply(neutral, [f(corner[s], outward[s] * 5 * px * k[s], -4 * px * k[s], 9 * px, 9 * px) for s in ("left", "right")])
    out["pucker"] = apply(neutral, [f(corner[s], -outward[s] * 4 * px * k[s], 0.0, 9 * px, 9 * px) for s in ("left", "right")])
    out["brows_up"] = apply(neutral, [f(brow[s], 0.0, -6 * px * k[s], 14 * px, 7 * px) for s in ("left", "right")])
    # the upper lids slide down over the eyes (as the demo sets are made): the healthy eye shuts,
    # the affected one closes ``strength`` of the way. (Until 2026-11-26 a broad Gaussian warp moved
    # the whole eye down with the lid; FaceMesh then read the "shut" eye as 70 % open, which made
    # every eye-closure ratio of this set ill-conditioned.)
    out["eyes_closed"] = close_eyes(neutral, facemeasure.measure(neutral).landmarks[:, :2], k)
    return out


def summarise(rows) -> str:
    err = np.array([abs(r["error"]) for r in rows])
    oth = np.array([abs(r["other_change"]) for r in rows])
    tol = np.array([max(0.5, 0.15 * r["d"]) for r in rows])
    lines = [
        f"cases: {len(rows)}",
        f"moved side |error| mm: mean {err.mean():.3f}, median {np.median(err):.3f}, p90 {np.percentile(err, 90):.3f}, max {err.max():.3f}",
        f"other side |change| mm: mean {oth.mean():.3f}, median {np.median(oth):.3f}, p90 {np.percentile(oth, 90):.3f}, max {oth.max():.3f}",
        f"within max(0.5 mm, 15 %): {(err <= tol).sum()}/{len(rows)}; other side within 0.5 mm: {(oth <= 0.5).sum()}/{len(rows)}",
        f"within 0.3 mm: {(err <= 0.3).sum()}/{len(rows)}",
    ]
    for feature in FEATURES:
        e = np.array([abs(r["error"]) for r in rows if r["feature"] == feature])
        o = np.array([abs(r["other_change"]) for r in rows if r["feature"] == feature])
        lines.append(f"  {feature}: error mean {e.mean():.3f} max {e.max():.3f}; other side mean {o.mean():.3f} max {o.max():.3f}")
    return "\n".join(lines)




# --- invariance experiment (used by tests/facemeasure/test_validation.py and bench/measure_invariance.py)

#: Faces are resampled so that their iris is about this many pixels across before the variants.
INVARIANCE_IRIS_PX = 30.0
ROLLS_DEG = (10.0, -10.0)
SCALES = (0.4, 0.7)


def measurable_faces() -> list[str]:
    """Every fixture face the engine measures at its own size (the two too-small ones are refused)."""
    out = []
    for p in sorted(FACES.iterdir()):
        if p.suffix not in {".jpg", ".png"}:
            continue
        try:
            facemeasure.measure(p)
        except facemeasure.FaceMeasureError:
            continue
        out.append(p.name)
    return out


def reference_image(name: str) -> np.ndarray:
    """The face resampled (Lanczos) so that its iris is about ``INVARIANCE_IRIS_PX`` across."""
    rgb = decode_image(FACES / name).rgb
    m = facemeasure.measure(rgb)
    iris = (m.iris_diameter_px.left + m.iris_diameter_px.right) / 2.0
    return rescale(rgb, INVARIANCE_IRIS_PX / iris)


def invariance_rows(faces, opts=None, *, alone: bool = False):
    """Rows (kind, face, variant, measure, value) for mirror / rotate / scale (and ``*_alone``)."""
    opts = opts or facemeasure.MeasureOptions()
    rows = []

    def changes(kind, name, label, a, b):
        for n in facemeasure.MEASURE_NAMES:
            sa, sb = getattr(a.measures, n), getattr(b.measures, n)
            rows.append((kind, name, label + ":L", n, abs(sa.left - sb.left)))
            rows.append((kind, name, label + ":R", n, abs(sa.right - sb.right)))

    for name in faces:
        rgb = reference_image(name)
        base = facemeasure.measure(rgb, options=opts)
        mid = (base.pupil_left.x + base.pupil_right.x) / 2.0
        for keep in ("left", "right"):
            m = facemeasure.measure(mirrored_composite(rgb, mid, keep=keep), options=opts)
            for n in facemeasure.MEASURE_NAMES:
                rows.append(("mirror", name, keep, n, m.deviation[n]))
        variants = [(f"rot{d:+.0f}", "rotate", rotate(rgb, d)) for d in ROLLS_DEG]
        variants += [(f"x{f:.1f}", "scale", rescale(rgb, f)) for f in SCALES]
        for label, kind, img in variants:
            a, b = facemeasure.measure_set([rgb, img], options=opts)
            changes(kind, name, label, a, b)
            if kind == "rotate":
                rows.append(("roll_error", name, label, "roll_deg", abs(b.roll_deg - (a.roll_deg - float(label[3:])))))
            if alone:
                changes(kind + "_alone", name, label, base, facemeasure.measure(img, options=opts))
    return rows


# --- extended accuracy validation (bench/measure_accuracy.py --all; a subset in test_validation.py)

EXTENDED_DISTANCES_MM = (0.5, 1.0, 2.0, 3.0, 4.5, 6.0)
#: How the second photo of each case is taken: upright, tilted +-10 degrees, or from farther away.
CAMERA_VARIANTS = ("same", "roll+10", "roll-10", "scale0.7")


def _camera(rgb: np.ndarray, variant: str) -> np.ndarray:
    if variant.startswith("roll"):
        return rotate(rgb, float(variant[4:]))
    if variant.startswith("scale"):
        return rescale(rgb, float(variant[5:]))
    return rgb


def _flagged(m: facemeasure.Measurement, measure: str) -> list[str]:
    reasons = list(m.confidence[measure].reasons) if measure in m.confidence else []
    if m.needs_retake:
        reasons.append("needs_retake")
    return reasons


def extended_rows(faces, distances=EXTENDED_DISTANCES_MM, variants=CAMERA_VARIANTS, opts=None):
    """Every face x feature (mouth-corner droop, brow ptosis) x side x distance; the warped photo is
    taken with one of ``variants`` (cycled), and measured as a visit with the untouched photo.

    Each row also says whether the engine flagged the measure (on either photo) as not to be trusted.
    """
    opts = opts or facemeasure.MeasureOptions()
    rows = []
    k = 0
    for name in faces:
        rgb = reference_image(name)
        base = facemeasure.measure(rgb, options=opts)
        a = math.radians(base.roll_deg)
        down = (-math.sin(a), math.cos(a))
        for feature, (measure, prefix, sx, sy, sign) in FEATURES.items():
            for side in ("left", "right"):
                c = base.points[f"{prefix}_{side}"]
                for d in distances:
                    variant = variants[k % len(variants)]
                    k += 1
                    d_px = d / base.mm_per_px
                    field = GaussianField(c.x, c.y, down[0] * d_px, down[1] * d_px, sx / base.mm_per_px, sy / base.mm_per_px)
                    warped = _camera(warp_image(rgb, field), variant)
                    m0, m1 = facemeasure.measure_set([rgb, warped], options=opts)
                    pupil = getattr(m0, f"pupil_{side}")
                    ux, uy = field.at(pupil.x, pupil.y)
                    expected = d - math.hypot(ux, uy) * m0.mm_per_px if feature == "brow" else d
                    s0, s1 = getattr(m0.measures, measure), getattr(m1.measures, measure)
                    other = "right" if side == "left" else "left"
                    got = sign * (getattr(s1, side) - getattr(s0, side))
                    flags = sorted(set(_flagged(m0, measure) + _flagged(m1, measure)))
                    rows.append({
                        "face": name, "feature": feature, "side": side, "d": d, "variant": variant,
                        "expected": expected, "recovered": got, "error": got - expected,
                        "other_change": getattr(s1, other) - getattr(s0, other),
                        "flags": flags,
                    })
    return rows


def summarise_extended(rows) -> str:
    err = np.array([abs(r["error"]) for r in rows])
    oth = np.array([abs(r["other_change"]) for r in rows])
    tol = np.array([max(0.5, 0.15 * r["d"]) for r in rows])
    flagged = np.array([bool(r["flags"]) for r in rows])
    big = (err > 1.0) | (oth > 1.0)
    lines = [
        f"cases: {len(rows)} ({len({r['face'] for r in rows})} faces)",
        f"moved side |error| mm: mean {err.mean():.3f}, median {np.median(err):.3f}, p90 {np.percentile(err, 90):.3f}, "
        f"p99 {np.percentile(err, 99):.3f}, max {err.max():.3f}",
        f"within max(0.5 mm, 15 %): {(err <= tol).sum()}/{len(rows)} ({100 * (err <= tol).mean():.1f} %)",
        f"other side |change| mm: mean {oth.mean():.3f}, median {np.median(oth):.3f}, p90 {np.percentile(oth, 90):.3f}, "
        f"max {oth.max():.3f}; within 0.5 mm: {(oth <= 0.5).sum()}/{len(rows)} ({100 * (oth <= 0.5).mean():.1f} %)",
        f"flagged (a warning on the measure): {flagged.sum()}/{len(rows)}",
        f"error > 1 mm (either side): {big.sum()}; of those without a warning: {(big & ~flagged).sum()}",
    ]
    for key in ("feature", "variant"):
        for value in sorted({r[key] for r in rows}):
            sel = np.array([r[key] == value for r in rows])
            lines.append(
                f"  {key}={value}: n {sel.sum()}, error mean {err[sel].mean():.3f} max {err[sel].max():.3f}, "
                f"within {(err[sel] <= tol[sel]).mean() * 100:.0f} %, other mean {oth[sel].mean():.3f} max {oth[sel].max():.3f}"
            )
    for d in sorted({r["d"] for r in rows}):
        sel = np.array([r["d"] == d for r in rows])
        lines.append(f"  d={d:g} mm: error mean {err[sel].mean():.3f} max {err[sel].max():.3f}, within {(err[sel] <= tol[sel]).mean() * 100:.0f} %")
    return "\n".join(lines)
