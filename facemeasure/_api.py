"""The public entry points: photo(s) in, :class:`Measurement` out."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from ._errors import FaceTooSmallError, NoFaceError
from ._geometry import Frame
from ._image import DEFAULT_MAX_PIXELS, DEFAULT_MAX_SIDE, ImageInput, decode_image
from ._landmarks import Landmarker, default_landmarker
from ._measures import HVID_MM, FaceGeometry, analyse_face
from ._mirror import MIRROR
from ._refine import to_gray
from ._types import Measurement, Notice, Point

IRIS_R, IRIS_L = 468, 473

__all__ = ["DEFAULT_MIN_IRIS_PX", "MeasureOptions", "measure", "measure_set"]

#: Below this horizontal iris diameter one pixel is > 12 % of the scale: refuse to give millimetres.
DEFAULT_MIN_IRIS_PX = 8.0
#: Below this, measure but warn that precision is limited.
LOW_RES_IRIS_PX = 12.0


@dataclass(frozen=True)
class MeasureOptions:
    """Tunables shared by :func:`measure` and :func:`measure_set` (all have safe defaults)."""

    refine: bool = True
    min_iris_px: float = DEFAULT_MIN_IRIS_PX
    max_pixels: int = DEFAULT_MAX_PIXELS
    max_side: int = DEFAULT_MAX_SIDE
    max_yaw_deg: float = 12.0
    max_roll_deg: float = 15.0
    iris_mismatch_pct: float = 10.0
    #: Re-run the landmarker on two mirrored half-face composites so each side's points depend
    #: only on that side's pixels (decouples the mesh; about 3x the landmarker time).
    half_face: bool = False
    #: Also run the landmarker on the horizontally flipped photo and average each point with its
    #: flipped twin: FaceMesh is not exactly mirror-symmetric, and its bias shows up as fake
    #: left-right asymmetry. About +4 ms per photo. Off by default: see docs/measurement.md.
    mirror_average: bool = False


@dataclass(frozen=True)
class _Analysed:
    source: str | None
    image_size: tuple[int, int]
    geometry: FaceGeometry
    faces_found: int
    notices: tuple[Notice, ...]
    landmarks: NDArray[np.float64]


def _face_area(lm: NDArray[np.float64]) -> float:
    return float(np.ptp(lm[:, 0]) * np.ptp(lm[:, 1]))


def _analyse(image: ImageInput, landmarker: Landmarker | None, opts: MeasureOptions) -> _Analysed:
    decoded = decode_image(image, max_pixels=opts.max_pixels, max_side=opts.max_side)
    rgb = decoded.rgb
    name = decoded.source or "image"
    engine = landmarker or default_landmarker()
    faces = engine.detect(rgb)
    if not faces:
        raise NoFaceError(f"no face found in {name}")
    notices: list[Notice] = []
    lm = max(faces, key=_face_area)
    if opts.mirror_average and lm.shape[0] == len(MIRROR):
        lm = _mirror_average(rgb, lm, engine)
    if len(faces) > 1:
        notices.append(
            Notice("multiple_faces", f"{len(faces)} faces found; measured the largest one (others ignored)")
        )
    if opts.half_face:
        lm = _half_face_landmarks(rgb, lm, landmarker or default_landmarker())
    # Work on a crop around the face: refinement needs only local pixels, and luma of a
    # 20-megapixel photo would cost more than the landmarker.
    h, w = rgb.shape[:2]
    x0, y0 = lm[:, 0].min(), lm[:, 1].min()
    x1, y1 = lm[:, 0].max(), lm[:, 1].max()
    m = 0.15 * max(x1 - x0, y1 - y0)
    cx0, cy0 = max(0, int(x0 - m)), max(0, int(y0 - m))
    cx1, cy1 = min(w, math.ceil(x1 + m)), min(h, math.ceil(y1 + m))
    gray = to_gray(rgb[cy0:cy1, cx0:cx1])
    local = lm.copy()
    local[:, 0] -= cx0
    local[:, 1] -= cy0
    geo = analyse_face(local, gray, refine=opts.refine)
    geo = FaceGeometry(
        frame=Frame((geo.frame.origin[0] + cx0, geo.frame.origin[1] + cy0), geo.frame.angle),
        iris_diameter_px=geo.iris_diameter_px,
        scale_diameter_px=geo.scale_diameter_px,
        iris_fitted=geo.iris_fitted,
        canthal_width_px=geo.canthal_width_px,
        yaw_deg=geo.yaw_deg,
        px=geo.px,
        points={k: Point(p.x + cx0, p.y + cy0) for k, p in geo.points.items()},
        fitted_eyes=geo.fitted_eyes,
    )

    iris = geo.iris_diameter_px
    mean_iris = geo.scale_diameter_px
    if mean_iris < opts.min_iris_px:
        raise FaceTooSmallError(
            f"face too small in {name}: the iris is {mean_iris:.1f} px across, under the minimum of "
            f"{opts.min_iris_px:g} px needed for millimetre measurements; use a closer or larger photo"
        )
    if mean_iris < LOW_RES_IRIS_PX:
        notices.append(
            Notice(
                "low_resolution",
                f"the iris is only {mean_iris:.1f} px across; one pixel is {HVID_MM / mean_iris:.2f} mm",
            )
        )
    if opts.refine and not geo.iris_fitted:
        notices.append(Notice("iris_fit_failed", "iris edges not found; the scale uses the landmark iris"))
    if iris.asymmetry_pct() > opts.iris_mismatch_pct:
        notices.append(
            Notice(
                "iris_mismatch",
                f"iris diameters differ by {iris.asymmetry_pct():.0f} % (left {iris.left:.1f} px, "
                f"right {iris.right:.1f} px): head turn, lid cover or glasses may bias the scale",
            )
        )
    if abs(geo.yaw_deg) > opts.max_yaw_deg:
        notices.append(
            Notice("head_turn", f"head turned about {geo.yaw_deg:+.0f} degrees (yaw); left/right measures are biased")
        )
    if abs(geo.frame.roll_deg) > opts.max_roll_deg:
        notices.append(
            Notice("head_tilt", f"head tilted {geo.frame.roll_deg:+.0f} degrees (roll); corrected, but check the photo")
        )
    return _Analysed(decoded.source, (w, h), geo, len(faces), tuple(notices), lm)


def _mirror_average(rgb: NDArray[np.uint8], lm: NDArray[np.float64], landmarker: Landmarker) -> NDArray[np.float64]:
    """Average FaceMesh's points with those found on the photo mirrored about the face's midline.

    The mirror axis is the vertical through the pupils' mid-point, on a whole pixel so the mirrored
    photo is an exact permutation of the pixels (no resampling): a perfectly symmetric face then
    gives back the same image, the same points, and exactly symmetric measures, whatever bias
    FaceMesh has towards one side.
    """
    w = rgb.shape[1]
    k = round(float(lm[IRIS_R, 0] + lm[IRIS_L, 0]) - 1.0)  # pixel j <-> pixel k - j
    cols = np.clip(k - np.arange(w), 0, w - 1)
    flipped = landmarker.detect(np.ascontiguousarray(rgb[:, cols]))
    if not flipped:
        return lm
    back = []
    for f in flipped:
        g = f.copy()
        g[:, 0] = k + 1.0 - g[:, 0]
        back.append(g[list(MIRROR)])
    twin = min(back, key=lambda g: float(np.abs(g[:, :2] - lm[:, :2]).mean()))
    if float(np.abs(twin[:, :2] - lm[:, :2]).mean()) > 0.05 * float(np.ptp(lm[:, 0])):
        return lm  # not the same face
    return np.asarray((lm + twin) / 2.0)


def _half_face_landmarks(rgb: NDArray[np.uint8], lm: NDArray[np.float64], landmarker: Landmarker) -> NDArray[np.float64]:
    import cv2

    frame = Frame.from_pupils(lm[468], lm[473])
    c, s = math.cos(frame.angle), math.sin(frame.angle)
    rot = np.array([[c, -s], [s, c]])
    refl = rot @ np.diag([-1.0, 1.0]) @ rot.T
    o = np.array(frame.origin)
    affine = np.hstack([refl, (o - refl @ o)[:, None]])
    h, w = rgb.shape[:2]
    mirrored = cv2.warpAffine(rgb, affine, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    yy, xx = np.mgrid[0:h, 0:w]
    u = c * (xx - o[0]) + s * (yy - o[1])
    side_x = frame.to_frame(lm)[:, 0]
    out = lm.copy()
    for keep_positive in (True, False):
        mask = (u >= 0) if keep_positive else (u < 0)
        comp = np.where(mask[:, :, None], rgb, mirrored)
        faces = landmarker.detect(np.ascontiguousarray(comp))
        if not faces:
            continue
        best = min(faces, key=lambda f: float(np.abs(f[:, :2] - lm[:, :2]).mean()))
        sel = (side_x >= 0) if keep_positive else (side_x < 0)
        out[sel] = best[sel]
    return out


def _build(a: _Analysed, mm_per_px: float, scale_source: str, extra: tuple[Notice, ...] = ()) -> Measurement:
    g = a.geometry
    return Measurement(
        source=a.source,
        image_size=a.image_size,
        mm_per_px=mm_per_px,
        scale_source=scale_source,
        iris_diameter_px=g.iris_diameter_px,
        pupil_left=g.points["pupil_left"],
        pupil_right=g.points["pupil_right"],
        roll_deg=g.frame.roll_deg,
        yaw_deg=g.yaw_deg,
        measures=g.measures(mm_per_px),
        faces_found=a.faces_found,
        warnings=a.notices + extra,
        points=dict(g.points),
        landmarks=a.landmarks,
    )


def _set_diameter(geos: Sequence[FaceGeometry]) -> float:
    """Iris diameter (px) for a whole visit: per eye, the median of its limbus fits over the photos.

    Pooling each eye separately means that a fit failing on one photo (a squint, a lid) does not
    move the visit's scale: that photo simply does not vote for that eye. Eyes never fitted fall
    back to the median of the per-photo scale diameters.
    """
    per_eye = [
        float(np.median([getattr(g.iris_diameter_px, s) for g in geos if s in g.fitted_eyes]))
        for s in ("left", "right")
        if any(s in g.fitted_eyes for g in geos)
    ]
    if per_eye:
        return float(np.mean(per_eye))
    return float(np.median([g.scale_diameter_px for g in geos]))


def _scale_source(g: FaceGeometry) -> str:
    return "iris" if g.iris_fitted else "iris_landmarks"


def _iris_scale(g: FaceGeometry) -> float:
    return HVID_MM / g.scale_diameter_px


def measure(
    image: ImageInput,
    *,
    mm_per_px: float | None = None,
    landmarker: Landmarker | None = None,
    options: MeasureOptions | None = None,
) -> Measurement:
    """Measure one frontal face photo.

    ``image`` is a path, encoded bytes, a PIL image or an HxWx3 uint8 RGB array. The scale is
    ``11.77 mm / horizontal iris diameter`` unless ``mm_per_px`` is given. Raises a
    :class:`~facemeasure.FaceMeasureError` subclass for unusable input.
    """
    a = _analyse(image, landmarker, options or MeasureOptions())
    if mm_per_px is not None:
        return _build(a, mm_per_px, "given")
    return _build(a, _iris_scale(a.geometry), _scale_source(a.geometry))


def measure_set(
    images: Sequence[ImageInput],
    *,
    scale: Literal["shared", "per_photo"] = "shared",
    landmarker: Landmarker | None = None,
    options: MeasureOptions | None = None,
) -> list[Measurement]:
    """Measure the photos of one visit (same camera distance) with one millimetre scale.

    With ``scale="shared"`` the scale is 11.77 mm over the median iris diameter of the photos whose
    eyes are open (gentle/tight eye-closure photos have no visible iris), which removes the
    photo-to-photo wobble of the iris estimate from comparisons between expressions. Every photo
    must be usable: the first unusable one raises its error.
    """
    opts = options or MeasureOptions()
    analysed = [_analyse(img, landmarker, opts) for img in images]
    if scale == "per_photo" or not analysed:
        return [_build(a, _iris_scale(a.geometry), _scale_source(a.geometry)) for a in analysed]

    def eyes_open(g: FaceGeometry) -> bool:
        d = g.scale_diameter_px
        pfh = g.px["palpebral_fissure_height"]
        return min(pfh.left, pfh.right) > 0.45 * d

    usable = [a for a in analysed if eyes_open(a.geometry)] or analysed
    shared = HVID_MM / _set_diameter([a.geometry for a in usable])
    canthal = np.array([a.geometry.canthal_width_px for a in analysed])
    extra: tuple[Notice, ...] = ()
    spread = float((canthal.max() - canthal.min()) / np.median(canthal) * 100.0)
    if spread > 8.0:
        extra = (
            Notice(
                "scale_spread",
                f"eye-corner width varies {spread:.0f} % across the set: the camera distance may have changed",
            ),
        )
    return [_build(a, shared, "set", extra) for a in analysed]

