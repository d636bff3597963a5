"""Landmarks (+ image refinement) -> per-side measures in pixels, then millimetres.

Definitions follow Emotrics (Guarin et al. 2018) as restated in docs/measurement.md:
vertical distances are taken perpendicular to the inter-pupil line, in a frame whose origin is
the mid-point of the pupils. The subject's right side is on the image's left (frame x < 0).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from ._geometry import Frame, contour_y_at, yaw_from_landmarks
from ._refine import IrisFit, fit_iris, fit_iris_pair, refine_edge, sample_bilinear, smooth1d
from ._types import MEASURE_NAMES, Measures, Point, Sides

__all__ = ["HVID_MM", "FaceGeometry", "analyse_face"]

#: Mean horizontal visible iris diameter of adults, mm (the Emotrics calibration constant).
HVID_MM = 11.77

# FaceMesh vertex indices. "R"/"L" = the subject's right/left.
IRIS_CENTRE = {"right": 468, "left": 473}
IRIS_RING = {"right": (469, 470, 471, 472), "left": (474, 475, 476, 477)}
EYE_UPPER = {
    "right": (33, 246, 161, 160, 159, 158, 157, 173, 133),
    "left": (263, 466, 388, 387, 386, 385, 384, 398, 362),
}
EYE_LOWER = {
    "right": (33, 7, 163, 144, 145, 153, 154, 155, 133),
    "left": (263, 249, 390, 373, 374, 380, 381, 382, 362),
}
BROW_UPPER = {"right": (70, 63, 105, 66, 107), "left": (300, 293, 334, 296, 336)}
BROW_LOWER = {"right": (46, 53, 52, 65, 55), "left": (276, 283, 282, 295, 285)}
MOUTH_CORNER = {"right": 61, "left": 291}
LIP_UPPER_OUTER = (61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291)
LIP_LOWER_OUTER = (61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291)
LIP_UPPER_INNER = (78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308)
LIP_LOWER_INNER = (78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308)
#: Outer and inner eye corners: visible with the eyes closed, they carry the face's iris-to-eye-width
#: ratio across a photo set (docs/measurement.md, "Scale").
CANTHI = (33, 263)
INNER_CANTHI = (133, 362)

SIDES = ("left", "right")


@dataclass(frozen=True)
class FaceGeometry:
    """One face's measures in pixels (angles in degrees), before the mm scale is applied."""

    frame: Frame
    iris_diameter_px: Sides
    #: the diameter the mm scale is taken from (joint fit of both eyes when available)
    scale_diameter_px: float
    iris_fitted: bool
    canthal_width_px: float
    yaw_deg: float
    px: dict[str, Sides]
    points: dict[str, Point] = field(default_factory=dict)
    #: the eyes whose limbus circle was accepted (their ``iris_diameter_px`` is a fit, not landmarks)
    fitted_eyes: frozenset[str] = frozenset()
    #: every iris-size estimate (name, diameter px, used for the scale)
    scale_estimates: tuple[tuple[str, float, bool], ...] = ()
    #: relative uncertainty of ``scale_diameter_px`` (0.02 = 2 %) from the estimates' agreement
    scale_uncertainty: float = 0.0
    #: distance between the pupil centres (px); fitted on the limbus when ``fitted_eyes`` has both
    ipd_px: float = 0.0
    #: distance between FaceMesh's two iris centres (px), whether or not a limbus was fitted
    landmark_ipd_px: float = 0.0
    #: how far the brow's image edge is from FaceMesh's brow (px): large = the edge may be another one
    brow_edge_offset_px: Sides = field(default_factory=lambda: Sides(0.0, 0.0))
    #: how far the lip seam's height at the mouth corner is from FaceMesh's corner (px); the corner
    #: height is their mean, so half of this is how unsure it is
    corner_seam_offset_px: Sides = field(default_factory=lambda: Sides(0.0, 0.0))

    def measures(self, mm_per_px: float) -> Measures:
        values: dict[str, Sides] = {}
        for name in MEASURE_NAMES:
            s = self.px[name]
            k = 1.0 if name == "smile_angle" else mm_per_px
            values[name] = Sides(s.left * k, s.right * k)
        return Measures(**values)


def _landmark_iris(lm: NDArray[np.float64], side: str, frame: Frame) -> tuple[NDArray[np.float64], float]:
    ring = frame.to_frame(lm[list(IRIS_RING[side])])
    # horizontal diameter in the frame: the two ring points farthest apart along x
    diameter = float(ring[:, 0].max() - ring[:, 0].min())
    return lm[IRIS_CENTRE[side], :2].copy(), diameter


def _pupil_distance(centres: dict[str, NDArray[np.float64]]) -> float:
    return float(np.hypot(*(centres["left"][:2] - centres["right"][:2])))


def _aperture(
    lm: NDArray[np.float64], side: str, frame: Frame, *, margin: float
) -> Callable[[NDArray[np.float64], NDArray[np.float64]], NDArray[np.bool_]]:
    """Mask of points inside the palpebral aperture (between the lid contours), shrunk by ``margin``."""
    up = frame.to_frame(lm[list(EYE_UPPER[side])])
    lo = frame.to_frame(lm[list(EYE_LOWER[side])])
    up = up[np.argsort(up[:, 0])]
    lo = lo[np.argsort(lo[:, 0])]
    x_min, x_max = max(up[0, 0], lo[0, 0]), min(up[-1, 0], lo[-1, 0])
    c, s = math.cos(frame.angle), math.sin(frame.angle)
    ox, oy = frame.origin

    def inside(xs: NDArray[np.float64], ys: NDArray[np.float64]) -> NDArray[np.bool_]:
        dx, dy = xs - ox, ys - oy
        fx = c * dx + s * dy
        fy = -s * dx + c * dy
        uy = np.interp(fx, up[:, 0], up[:, 1])
        ly = np.interp(fx, lo[:, 0], lo[:, 1])
        return np.asarray((fy > uy + margin) & (fy < ly - margin) & (fx > x_min) & (fx < x_max))

    return inside


#: Iris diameter over eye width (mean of the outer and inner eye-corner distances, FaceMesh
#: 33-263 and 133-362): 0.189 is the median of the limbus fits over 15 fixture faces (sd 0.014). People differ by
#: about +-8 %, so it only votes against a limbus fit or landmark ring that is far off.
EYE_WIDTH_RATIO = 0.19
#: Width (relative) of the Gaussian that down-weights an estimate far from the others.
SCALE_SIGMA = 0.04


def _eye_width(lm: NDArray[np.float64]) -> float:
    outer = float(np.linalg.norm(lm[CANTHI[1], :2] - lm[CANTHI[0], :2]))
    inner = float(np.linalg.norm(lm[INNER_CANTHI[1], :2] - lm[INNER_CANTHI[0], :2]))
    return 0.5 * (outer + inner)


def combine_scale(
    rings: dict[str, float], fits: dict[str, IrisFit], eye_width: float, photo_px: float = 1.0
) -> tuple[tuple[tuple[str, float, bool], ...], float, float]:
    """Combine the independent iris-size estimates of one photo robustly.

    Estimates: each eye's limbus circle fit (``limbus_left``/``limbus_right``, when its residual is
    small; weight 1), each eye's FaceMesh iris ring (``ring_left``/``ring_right``; weight 0.25: it
    wobbles by about 2 % and is biased by up to 5 % on some faces) and the anatomical ratio
    (``eye_width``: ``EYE_WIDTH_RATIO`` times the eye-corner width; weight 0.25: people differ by
    about 7 %). The diameter is a weighted geometric mean in which each estimate's weight falls
    off smoothly with its distance from the current centre (Gaussian, sigma ``SCALE_SIGMA``),
    started from the weighted median, so an estimate that disagrees is rejected without the hard
    threshold that made the scale flip between photos. An estimate keeping under a third of its
    weight counts as rejected. Returns (estimates with their used flag, diameter px, relative
    uncertainty).
    """
    est: list[tuple[str, float, float]] = []
    for side in SIDES:
        fit = fits.get(side)
        if fit is not None and fit.rms <= 0.04 * 2.0 * fit.radius:
            est.append((f"limbus_{side}", 2.0 * fit.radius, 1.0))
    for side in SIDES:
        est.append((f"ring_{side}", rings[side], 0.25))
    if eye_width > 0:
        est.append(("eye_width", EYE_WIDTH_RATIO * eye_width, 0.25))
    logs = np.log([v for _n, v, _w in est])
    base = np.array([w for _n, _v, w in est])
    order = np.argsort(logs)
    cum = np.cumsum(base[order])
    centre = float(logs[order][int(np.searchsorted(cum, cum[-1] / 2.0))])
    w = base
    for _ in range(5):
        w = base * np.exp(-0.5 * ((logs - centre) / SCALE_SIGMA) ** 2)
        if w.sum() < 1e-6:
            return tuple((n, v, False) for n, v, _b in est), float(np.exp(centre)), 0.1
        centre = float((w * logs).sum() / w.sum())
    diameter = float(np.exp(centre))
    used = w / base >= 1.0 / 3.0
    n_limbus = sum(1 for (n, _v, _b), u in zip(est, used, strict=True) if u and n.startswith("limbus"))
    spread = float(np.sqrt((w * (logs - centre) ** 2).sum() / w.sum()))
    # Relative uncertainty: the weighted spread of the estimates, a quarter pixel of edge
    # position, and a floor by how many limbus fits carry it (two 1 %, one 3 %, none 5 %).
    floor = {2: 0.01, 1: 0.03}.get(n_limbus, 0.05)
    u = max(floor, spread) + 0.25 * photo_px / diameter
    return tuple((n, v, bool(ok)) for (n, v, _b), ok in zip(est, used, strict=True)), diameter, u


def analyse_face(
    lm: NDArray[np.float64],
    gray: NDArray[np.float32] | None,
    *,
    refine: bool = True,
    scale_diameter_px: float | None = None,
    photo_px: float = 1.0,
) -> FaceGeometry:
    """Compute every measure of one face in pixels.

    ``gray`` is the luma image the landmarks refer to; with ``refine`` the iris is re-fitted on
    its edges (see :mod:`facemeasure._refine`), the brows are snapped to the image where the
    local contrast allows, and each mouth corner's height is averaged with the lip seam's height
    next to it (snapping the corner outright to the seam was tried and was worse on mirrored and
    low-resolution photos, docs/measurement.md). With ``scale_diameter_px`` the iris is not fitted
    again: that diameter is used and the pupils are the landmarks' (for a consistency check).
    """
    frame0 = Frame.from_pupils(lm[IRIS_CENTRE["right"]], lm[IRIS_CENTRE["left"]])
    centres: dict[str, NDArray[np.float64]] = {}
    diam: dict[str, float] = {}
    fits: dict[str, IrisFit] = {}
    for side in SIDES:
        c, d = _landmark_iris(lm, side, frame0)
        centres[side], diam[side] = c, d
        if refine and gray is not None and scale_diameter_px is None:
            inside = _aperture(lm, side, frame0, margin=0.06 * d)
            fit = fit_iris(gray, (float(c[0]), float(c[1])), d / 2.0, frame0.angle, inside=inside)
            if fit is not None:
                fits[side] = fit
    canthal = _eye_width(lm)
    landmark_ipd = _pupil_distance(centres)  # before the limbus fits replace the centres
    estimates, scale_diameter, uncertainty = combine_scale(diam, fits, canthal, photo_px)
    if scale_diameter_px is not None:
        scale_diameter = scale_diameter_px
    used = {name for name, _v, ok in estimates if ok}
    fitted_eyes = frozenset(s for s in SIDES if f"limbus_{s}" in used)
    fitted = bool(fitted_eyes)
    if len(fitted_eyes) == 2:
        # Centres from a joint fit of both limbi with a weak height prior (stable roll).
        y_r, y_l = float(lm[IRIS_CENTRE["right"], 1]), float(lm[IRIS_CENTRE["left"], 1])
        cr, cl, _ = fit_iris_pair(fits["right"], fits["left"], y_r, y_l)
        centres["right"], centres["left"] = np.array(cr), np.array(cl)
    for side in fitted_eyes:
        diam[side] = 2.0 * fits[side].radius
    frame = Frame.from_pupils(centres["right"], centres["left"])
    scale_hint = scale_diameter  # pixels per 11.77 mm
    f = frame.to_frame(lm)
    pupil = {s: frame.to_frame(centres[s])[0] for s in SIDES}

    def contour(idx: tuple[int, ...]) -> NDArray[np.float64]:
        return f[list(idx)]

    pts: dict[str, tuple[float, float]] = {}
    px: dict[str, dict[str, float]] = {name: {} for name in MEASURE_NAMES}

    lower_outer = contour(LIP_LOWER_OUTER)
    lip_mid_y = contour_y_at(lower_outer, 0.0)
    pts["lower_lip_mid"] = (0.0, lip_mid_y)

    edge_offset = {s: 0.0 for s in SIDES}
    seam_offset = {s: 0.0 for s in SIDES}
    for side in SIDES:
        p = pupil[side]
        x = float(p[0])
        brow_y = contour_y_at(contour(BROW_UPPER[side]), x)
        upper_y = contour_y_at(contour(EYE_UPPER[side]), x)
        lower_y = contour_y_at(contour(EYE_LOWER[side]), x)
        corner = f[MOUTH_CORNER[side]].copy()
        if refine and gray is not None:
            corner[1], seam_offset[side] = _refine_corner_height(
                gray, frame, corner, contour(LIP_UPPER_INNER), contour(LIP_LOWER_INNER), scale_hint
            )
            thickness = contour_y_at(contour(BROW_LOWER[side]), x) - brow_y
            mesh_brow = brow_y
            brow_y = _refine_brow(gray, frame, x, brow_y, scale_hint, thickness)
            edge_offset[side] = abs(brow_y - mesh_brow)
        pts[f"pupil_{side}"] = (x, float(p[1]))
        pts[f"brow_{side}"] = (x, brow_y)
        pts[f"lid_upper_{side}"] = (x, upper_y)
        pts[f"lid_lower_{side}"] = (x, lower_y)
        pts[f"corner_{side}"] = (float(corner[0]), float(corner[1]))
        px["brow_height"][side] = p[1] - brow_y
        px["mrd1"][side] = p[1] - upper_y
        px["mrd2"][side] = lower_y - p[1]
        px["palpebral_fissure_height"][side] = lower_y - upper_y
        px["commissure_height"][side] = float(corner[1])
        dx, dy = float(corner[0]), float(corner[1]) - lip_mid_y
        exc = math.hypot(dx, dy)
        px["commissure_excursion"][side] = exc
        px["smile_angle"][side] = (
            90.0 + math.degrees(math.asin(max(-1.0, min(1.0, -dy / exc)))) if exc > 0 else 90.0
        )
        # Lip measures half-way between the midline and the corner (Emotrics' sampling point).
        xh = float(corner[0]) / 2.0
        uo = contour_y_at(contour(LIP_UPPER_OUTER), xh)
        ui = contour_y_at(contour(LIP_UPPER_INNER), xh)
        li = contour_y_at(contour(LIP_LOWER_INNER), xh)
        lo = contour_y_at(contour(LIP_LOWER_OUTER), xh)
        px["dental_show"][side] = max(0.0, li - ui)
        px["upper_lip_height"][side] = uo
        px["lower_lip_height"][side] = lo
        pts[f"lip_upper_outer_{side}"] = (xh, uo)
        pts[f"lip_upper_inner_{side}"] = (xh, ui)
        pts[f"lip_lower_inner_{side}"] = (xh, li)
        pts[f"lip_lower_outer_{side}"] = (xh, lo)

    names = list(pts)
    img = frame.to_image(np.array([pts[n] for n in names]))
    points = {n: Point(float(img[i, 0]), float(img[i, 1])) for i, n in enumerate(names)}
    return FaceGeometry(
        frame=frame,
        iris_diameter_px=Sides(diam["left"], diam["right"]),
        scale_diameter_px=scale_diameter,
        iris_fitted=fitted,
        canthal_width_px=canthal,
        yaw_deg=yaw_from_landmarks(lm, frame),
        px={name: Sides(v["left"], v["right"]) for name, v in px.items()},
        points=points,
        fitted_eyes=fitted_eyes,
        scale_estimates=estimates,
        scale_uncertainty=uncertainty,
        ipd_px=_pupil_distance(centres),
        landmark_ipd_px=landmark_ipd,
        brow_edge_offset_px=Sides(edge_offset["left"], edge_offset["right"]),
        corner_seam_offset_px=Sides(seam_offset["left"], seam_offset["right"]),
    )


def _refine_brow(
    gray: NDArray[np.float32], frame: Frame, x: float, y: float, iris_px: float, thickness: float
) -> float:
    """Snap the brow's upper margin to the strongest skin-to-hair (bright-to-dark) step.

    The profile runs down the frame vertical through the pupil, averaged over a band of about
    half an iris width. FaceMesh's brow vertices follow a local brow movement only partly (the
    mesh is regularised towards a typical face), so the image edge is preferred whenever it is
    clear. Among candidate steps a Gaussian prior around the landmark picks the nearest strong
    one (glasses frames, fringes and wrinkles are further away); the sub-pixel position comes
    from the edge alone.
    """
    img = frame.to_image(np.array([[x, y]]))[0]
    offset = refine_edge(
        gray,
        float(img[0]),
        float(img[1]),
        frame.angle,
        0.7 * iris_px,
        0.25 * iris_px,
        prior=0.5 * iris_px,
        band=thickness,
    )
    return y if offset is None else y + offset


#: Lip-seam columns from the mouth corner towards the midline (in iris diameters), how far the
#: seam may sit from FaceMesh's corner, and the weight of the seam in the corner height.
SEAM_SPAN = (0.0, 0.25)
SEAM_MAX_OFFSET = 0.3
SEAM_WEIGHT = 0.5
#: How far (iris diameters) above and below the mesh's seam each column is searched for the darkest point.
SEAM_WINDOW = 0.2
#: ... and how far when nothing is found within ``SEAM_WINDOW``.
SEAM_WINDOW_WIDE = 0.3


def _refine_corner_height(
    gray: NDArray[np.float32],
    frame: Frame,
    corner: NDArray[np.float64],
    inner_upper: NDArray[np.float64],
    inner_lower: NDArray[np.float64],
    iris_px: float,
) -> tuple[float, float]:
    """Mouth-corner height (frame y) as the mean of FaceMesh's corner and the lip seam's height there,
    and how far the seam is from FaceMesh's corner (0 when no seam was used).

    FaceMesh drags the unmoved corner along when one corner moves (one regression for the whole
    mesh), and follows a large move only partly. The seam between the lips is a dark line on the
    image: in 8 columns from the corner to a quarter iris towards the midline the darkest point of
    the vertical profile near the mesh's seam is found to sub-pixel precision, a line through
    them (weighted by depth, outliers dropped) is read at the corner's abscissa. That estimate
    depends only on the pixels around that corner, but its own noise on mirrored or rotated photos
    is similar to FaceMesh's, so the two are averaged (docs/measurement.md has the numbers for
    weights 0.35, 0.5, 0.65 and 1). The darkest point is looked for within 0.2 iris of the mesh's
    seam, and within 0.3 iris when nothing is found there (FaceMesh drags its seam along with a
    moved corner, by more than 0.2 iris at 6 mm: the unmoved corner then lost its seam half and
    jumped by half the seam's offset). If fewer than four columns show a seam, or the seam is more
    than 0.3 iris from the mesh corner, FaceMesh's height is kept.
    """
    cx, cy = float(corner[0]), float(corner[1])
    sgn = 1.0 if cx > 0 else -1.0
    xs = cx - sgn * np.linspace(SEAM_SPAN[0], SEAM_SPAN[1], 8) * iris_px
    # the mesh's seam only centres the search: linear interpolation is plenty
    up = inner_upper[np.argsort(inner_upper[:, 0])]
    lo = inner_lower[np.argsort(inner_lower[:, 0])]
    y0 = (np.interp(xs, up[:, 0], up[:, 1]) + np.interp(xs, lo[:, 0], lo[:, 1])) / 2.0
    step = 0.25
    reach = max(SEAM_WINDOW, SEAM_WINDOW_WIDE) + 0.05
    vs = np.arange(-reach * iris_px, reach * iris_px + step, step)
    fx = np.repeat(xs[:, None], len(vs), axis=1)
    fy = y0[:, None] + vs[None, :]
    img = frame.to_image(np.column_stack((fx.ravel(), fy.ravel())))
    prof = sample_bilinear(gray, img[:, 0], img[:, 1]).reshape(fx.shape)
    prof = smooth1d(prof, max(0.5, 0.03 * iris_px) / step)

    def seam_height(window: float) -> float | None:
        span = np.abs(vs) <= (window + 0.05) * iris_px + 1e-9
        win = np.abs(vs) <= window * iris_px
        cols_x: list[float] = []
        cols_y: list[float] = []
        cols_w: list[float] = []
        for k in range(len(xs)):
            row = np.where(win, prof[k], np.inf)
            i = int(np.argmin(row))
            if i <= 0 or i >= len(vs) - 1 or not (np.isfinite(row[i - 1]) and np.isfinite(row[i + 1])):
                continue
            a, b, c = float(prof[k, i - 1]), float(prof[k, i]), float(prof[k, i + 1])
            den = a - 2.0 * b + c
            off = float(np.clip(0.5 * (a - c) / den, -0.5, 0.5)) if den > 0 else 0.0
            depth = float(np.median(prof[k][span])) - b
            if depth <= 5.0:  # no seam darker than its surroundings by 5 grey levels in this column
                continue
            cols_x.append(float(xs[k]))
            cols_y.append(float(y0[k] + vs[0] + (i + off) * step))
            cols_w.append(depth)
        if len(cols_x) < 4:
            return None
        x, y, w = np.array(cols_x) - cx, np.array(cols_y), np.array(cols_w)
        keep = np.ones(len(x), dtype=bool)
        for _ in range(2):
            a, b = _weighted_line(x[keep], y[keep], w[keep])
            res = np.abs(a + b * x - y)
            keep = res <= max(0.3, 2.5 * 1.4826 * float(np.median(res[keep])))
            if keep.sum() < 4:
                return None
        return _weighted_line(x[keep], y[keep], w[keep])[0]

    # FaceMesh may have dragged its seam further than the window (a corner moved a lot, or the
    # other corner dragged along): only then look further.
    seam = seam_height(SEAM_WINDOW)
    if seam is None and SEAM_WINDOW_WIDE > SEAM_WINDOW:
        seam = seam_height(SEAM_WINDOW_WIDE)
    if seam is None:
        return cy, 0.0
    if abs(seam - cy) > SEAM_MAX_OFFSET * iris_px:
        return cy, 0.0
    return cy + SEAM_WEIGHT * (seam - cy), abs(seam - cy)


def _weighted_line(
    x: NDArray[np.float64], y: NDArray[np.float64], w: NDArray[np.float64]
) -> tuple[float, float]:
    """Intercept and slope of the least-squares line through (x, y) with weights ``w``**2."""
    ww = w * w
    sw = float(ww.sum())
    mx, my = float(ww @ x) / sw, float(ww @ y) / sw
    sxx = float(ww @ ((x - mx) ** 2))
    slope = float(ww @ ((x - mx) * (y - my))) / sxx if sxx > 1e-12 else 0.0
    return my - slope * mx, slope
