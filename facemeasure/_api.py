"""The public entry points: photo(s) in, :class:`Measurement` out."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from ._canonical import Canonical, canonical_crop, warp_crop
from ._errors import FaceTooSmallError, NoFaceError
from ._geometry import Frame
from ._image import DEFAULT_MAX_PIXELS, DEFAULT_MAX_SIDE, ImageInput, decode_image
from ._landmarks import Landmarker, default_landmarker
from ._measures import HVID_MM, FaceGeometry, analyse_face
from ._mirror import MIRROR
from ._refine import to_gray
from ._types import MEASURE_NAMES, Confidence, Measurement, Notice, Point, ScaleEstimate, Sides

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
    #: Measure on a levelled, normalised crop (a second landmarker pass, facemeasure/_canonical.py):
    #: makes the measures independent of head roll and photo size. About +5 ms per photo.
    level: bool = True
    #: Landmark passes on the levelled crop, averaged (1 = one pass; each extra pass about +5 ms):
    #: each extra pass runs on a copy shifted by a fraction of a pixel, which cuts FaceMesh's jitter.
    passes: int = 1
    #: With ``passes`` >= 2, every other extra pass runs on the crop mirrored about the pupils'
    #: mid-point, its points flipped back through the mesh's left/right correspondence; the plain
    #: and the mirrored passes are averaged with equal weight, which cancels FaceMesh's own
    #: left/right bias (docs/measurement.md, "Test-time averaging").
    mirror_passes: bool = False
    #: When FaceMesh finds no face, look again with a full-range face detector and FaceMesh on an
    #: enlarged crop around what it finds (faces a quarter of the frame wide or smaller).
    small_faces: bool = True
    #: Gaussian pre-filter (sigma in pixels of the levelled crop, where the pupils are 150 px apart;
    #: 0 = off) on what the landmarker sees (not on what the refinement and the iris fit see): JPEG's
    #: 8x8 blocks and ringing are finer than any face feature, yet FaceMesh's points respond to them
    #: by up to a pixel; 1.5 removes most of that (docs/measurement.md, "Grade stability"). In the
    #: crop's pixels, the same face filters alike at any distance. About +1-3 ms per pass. The platform
    #: and ``grade_photos`` use 1.5.
    denoise: float = 0.0


@dataclass(frozen=True)
class _Analysed:
    source: str | None
    image_size: tuple[int, int]
    #: measures in the pixels of the crop they were taken on (see ``work``)
    geometry: FaceGeometry
    faces_found: int
    notices: tuple[Notice, ...]
    #: landmarks in photo pixels
    landmarks: NDArray[np.float64]
    #: the crop the measures were taken on; ``work.scale`` = crop pixels per photo pixel
    work: Canonical
    #: roll of the pupils' line in the photo, degrees
    roll_deg: float
    #: points and pupils in photo pixels
    points: dict[str, Point]
    #: per measure, |difference| between the measures from the two landmark passes (crop pixels;
    #: degrees for smile_angle); empty when the photo was measured in one pass
    jitter_px: dict[str, Sides]


def _face_area(lm: NDArray[np.float64]) -> float:
    return float(np.ptp(lm[:, 0]) * np.ptp(lm[:, 1]))


def _detect_small(rgb: NDArray[np.uint8], engine: Landmarker) -> list[NDArray[np.float64]]:
    """Second chance for faces too small for FaceMesh's short-range detector.

    A backend that can locate faces at any distance (``find_faces``, MediaPipe's full-range
    detector) gives boxes; FaceMesh then runs on an enlarged crop around each box and its points
    are mapped back to the photo.
    """
    finder = getattr(engine, "find_faces", None)
    if not callable(finder):
        return []
    faces: list[NDArray[np.float64]] = []
    for x0, y0, x1, y1 in finder(rgb)[:4]:
        size = max(x1 - x0, y1 - y0)
        if size < 8:
            continue
        scale = 256.0 / size  # the face box about 256 px in a 640 px crop
        crop = warp_crop(rgb, ((x0 + x1) / 2.0, (y0 + y1) / 2.0), 0.0, scale, (640, 640), (319.5, 319.5))
        for f in engine.detect(crop.rgb):
            faces.append(crop.to_image(f))
    return faces


#: Sub-pixel shifts (crop pixels) and scale factors of the first extra landmark passes (``passes``).
_JITTER = ((0.5, 0.25, 1.015), (-0.25, 0.5, 0.985), (0.25, -0.5, 1.0), (-0.5, -0.25, 1.0))
#: Beyond those: shifts up to this many crop pixels and scale factors within this fraction of 1.
_JITTER_SHIFT, _JITTER_SCALE = 1.0, 0.02


def _jitter(extra: int) -> list[tuple[float, float, float]]:
    """Shift (dx, dy) and scale factor of each of ``extra`` extra passes.

    The first four are ``_JITTER``; the rest follow a three-dimensional low-discrepancy (R3)
    sequence over +-``_JITTER_SHIFT`` px and 1 +- ``_JITTER_SCALE``, which covers the cube evenly
    for any number of passes (no clusters, no gaps, deterministic).
    """
    out = list(_JITTER[:extra])
    g = 1.2207440846057596  # the plastic number's 3-D analogue: x^4 = x + 1
    alpha = (1.0 / g, 1.0 / g**2, 1.0 / g**3)
    for i in range(1, extra - len(out) + 1):
        u = [((0.5 + i * a) % 1.0) * 2.0 - 1.0 for a in alpha]
        out.append((_JITTER_SHIFT * u[0], _JITTER_SHIFT * u[1], 1.0 + _JITTER_SCALE * u[2]))
    return out


def _more_passes(
    rgb: NDArray[np.uint8],
    canon: Canonical,
    lm: NDArray[np.float64],
    engine: Landmarker,
    passes: int,
    denoise: float = 0.0,
    mirror: bool = False,
) -> NDArray[np.float64]:
    """Average the landmarks of ``passes`` runs on slightly shifted and scaled copies of the crop.

    FaceMesh's points move by up to about 1 mm when its input moves by a pixel; averaging runs on
    copies shifted by fractions of a pixel (and scaled by up to +-2 %, ``_jitter``) cuts that jitter,
    mapped back into the crop's pixels so the average is of the same face points. With ``mirror``
    every other extra pass runs on the mirrored crop, and the plain and the mirrored passes are
    averaged as two groups of equal weight.
    """
    runs: list[list[NDArray[np.float64]]] = [[lm], []]
    for i, (dx, dy, k) in enumerate(_jitter(passes - 1), start=1):
        crop = _denoised(
            warp_crop(
                rgb, canon.centre, canon.angle, canon.scale * k, (canon.rgb.shape[1], canon.rgb.shape[0]),
                (canon.offset[0] + dx, canon.offset[1] + dy),
            ),
            denoise,
        )
        flip = mirror and i % 2 == 1
        ref = crop.to_crop(canon.to_image(lm))
        if flip:
            # the crop mirrored about the pupils' mid-point (its centre column): each point of the
            # mirrored face, flipped back, is its left/right twin (``MIRROR``) in this crop
            w = crop.rgb.shape[1]
            found = []
            for f in engine.detect(np.ascontiguousarray(crop.rgb[:, ::-1])):
                g = f.copy()
                g[:, 0] = w - g[:, 0]
                found.append(g[list(MIRROR)])
        else:
            found = engine.detect(crop.rgb)
        if found:
            runs[int(flip)].append(canon.to_crop(crop.to_image(_nearest(found, ref))))
    groups = [np.mean(r, axis=0) for r in runs if r]
    return np.asarray(np.mean(groups, axis=0))


def _denoised(crop: Canonical, sigma: float) -> Canonical:
    """``crop`` low-pass filtered by ``sigma`` of its own pixels (``MeasureOptions.denoise``)."""
    if sigma <= 0:
        return crop
    import cv2

    blurred = cv2.GaussianBlur(crop.rgb, (0, 0), sigma, borderType=cv2.BORDER_REPLICATE)
    return dataclasses.replace(crop, rgb=np.ascontiguousarray(blurred))


def _plain_crop(rgb: NDArray[np.uint8], lm: NDArray[np.float64]) -> Canonical:
    """The face's bounding box plus a margin, at the photo's own resolution (no resampling)."""
    h, w = rgb.shape[:2]
    x0, y0 = lm[:, 0].min(), lm[:, 1].min()
    x1, y1 = lm[:, 0].max(), lm[:, 1].max()
    m = 0.15 * max(x1 - x0, y1 - y0)
    cx0, cy0 = max(0, int(x0 - m)), max(0, int(y0 - m))
    cx1, cy1 = min(w, math.ceil(x1 + m)), min(h, math.ceil(y1 + m))
    return Canonical(np.ascontiguousarray(rgb[cy0:cy1, cx0:cx1]), (float(cx0), float(cy0)), 0.0, 1.0, (0.0, 0.0))


def _nearest(faces: list[NDArray[np.float64]], ref: NDArray[np.float64]) -> NDArray[np.float64]:
    return min(faces, key=lambda f: float(np.abs(f[:, :2] - ref[:, :2]).mean()))


def _analyse(image: ImageInput, landmarker: Landmarker | None, opts: MeasureOptions) -> _Analysed:
    decoded = decode_image(image, max_pixels=opts.max_pixels, max_side=opts.max_side)
    rgb = decoded.rgb
    name = decoded.source or "image"
    engine = landmarker or default_landmarker()
    faces = engine.detect(rgb)
    if not faces and opts.small_faces:
        faces = _detect_small(rgb, engine)
    if not faces:
        raise NoFaceError(f"no face found in {name}")
    notices: list[Notice] = []
    lm = max(faces, key=_face_area)
    if len(faces) > 1:
        notices.append(
            Notice("multiple_faces", f"{len(faces)} faces found; measured the largest one (others ignored)")
        )
    h, w = rgb.shape[:2]
    work: Canonical | None = None
    work_lm = lm
    levelled = False
    ipd = float(np.hypot(*(lm[IRIS_L, :2] - lm[IRIS_R, :2]))) if lm.shape[0] == len(MIRROR) else 0.0
    if opts.level and ipd > 2.0:
        # Second pass on the levelled, normalised crop (facemeasure/_canonical.py).
        canon = canonical_crop(rgb, lm[IRIS_R], lm[IRIS_L])
        # the landmarker sees the crop low-pass filtered (``denoise``); the refinement and the
        # iris fit see it as it is, so the scale does not depend on the filter
        again = engine.detect(_denoised(canon, opts.denoise).rgb)
        if again:
            work, work_lm = canon, _nearest(again, canon.to_crop(lm))
            levelled = True
            if opts.passes > 1:
                work_lm = _more_passes(rgb, canon, work_lm, engine, opts.passes, opts.denoise, opts.mirror_passes)
    if work is None:
        # Refinement needs only local pixels, and luma of a 20-megapixel photo would cost more
        # than the landmarker.
        work = _plain_crop(rgb, lm)
        work_lm = work.to_crop(lm)
    if opts.mirror_average and work_lm.shape[0] == len(MIRROR):
        work_lm = _mirror_average(work.rgb, work_lm, engine)
    if opts.half_face:
        work_lm = _half_face_landmarks(work.rgb, work_lm, engine)
    gray = to_gray(work.rgb)
    geo = analyse_face(work_lm, gray, refine=opts.refine, photo_px=work.scale)
    jitter: dict[str, Sides] = {}
    if levelled:
        # The first pass's points, mapped into the crop, measured the same way with the same
        # scale: how much the measures move between two landmark passes on (nearly) the same face.
        first = analyse_face(work.to_crop(lm), gray, refine=opts.refine, scale_diameter_px=geo.scale_diameter_px)
        jitter = {
            n: Sides(abs(geo.px[n].left - first.px[n].left), abs(geo.px[n].right - first.px[n].right))
            for n in MEASURE_NAMES
        }
    points = {k: Point(*map(float, work.to_image(np.array([[p.x, p.y]]))[0])) for k, p in geo.points.items()}
    image_lm = work.to_image(work_lm)
    roll = Frame.from_pupils(
        (points["pupil_right"].x, points["pupil_right"].y), (points["pupil_left"].x, points["pupil_left"].y)
    ).roll_deg

    mean_iris = geo.scale_diameter_px / work.scale  # photo pixels: what the camera resolved
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
    iris = geo.iris_diameter_px
    if opts.refine and not geo.iris_fitted:
        notices.append(Notice("iris_fit_failed", "iris edges not found; the scale uses the landmark iris"))
    if iris.asymmetry_pct() > opts.iris_mismatch_pct:
        notices.append(
            Notice(
                "iris_mismatch",
                f"iris diameters differ by {iris.asymmetry_pct():.0f} % (left {iris.left / work.scale:.1f} px, "
                f"right {iris.right / work.scale:.1f} px): head turn, lid cover or glasses may bias the scale",
            )
        )
    if abs(geo.yaw_deg) > opts.max_yaw_deg:
        notices.append(
            Notice("head_turn", f"head turned about {geo.yaw_deg:+.0f} degrees (yaw); left/right measures are biased")
        )
    if abs(roll) > opts.max_roll_deg:
        notices.append(
            Notice("head_tilt", f"head tilted {roll:+.0f} degrees (roll); corrected, but check the photo")
        )
    return _Analysed(decoded.source, (w, h), geo, len(faces), tuple(notices), image_lm, work, roll, points, jitter)


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


#: A scale whose relative uncertainty is above this is not trusted ("Needs retake"): about the
#: spread of the iris diameter between adults, which no photo removes (docs/measurement.md).
SCALE_UNCERTAIN_PCT = 5.0
#: A measure whose point uncertainty (mm) is above this is flagged ``landmark_jitter``.
JITTER_FLAG_MM = 0.75
#: A brow whose image edge is further than this (mm) from FaceMesh's brow is flagged ``edge_disagrees``:
#: FaceMesh follows a brow movement only partly (up to about 2 mm short at 6 mm), so beyond this the
#: edge may be a frame, a fringe or the other margin of a sparse brow.
BROW_EDGE_FLAG_MM = 2.5
#: A mouth corner whose height is the mean of FaceMesh's corner and the lip seam beside it is flagged
#: ``corner_disagrees`` (in every measure read from the corner) when the two are further apart than this
#: (mm): if either one is right the mean is off by half of it, over 1 mm. FaceMesh follows a large corner
#: droop only partly, and the validation's one unflagged error over 1 mm (a 6 mm droop recovered 1.2 mm
#: short) had its seam 2.5 mm from the mesh's corner (docs/measurement.md).
CORNER_SEAM_FLAG_MM = 2.0
#: The measures read from the mouth corners' positions.
_CORNER_MEASURES = frozenset({"commissure_height", "commissure_excursion", "smile_angle"})


def _features(g: FaceGeometry) -> dict[str, float]:
    """Unit-free shape ratios (to the eye width) used to check a photo against its expression label."""
    w = g.canthal_width_px
    cl, cr = g.points["corner_left"], g.points["corner_right"]

    def mean(name: str) -> float:
        s = g.px[name]
        return (s.left + s.right) / 2.0 / w

    fissure = g.px["palpebral_fissure_height"]
    return {
        "eye_aperture": mean("palpebral_fissure_height"),
        "eye_aperture_left": fissure.left / w,
        "eye_aperture_right": fissure.right / w,
        "brow_height": mean("brow_height"),
        "mouth_width": math.hypot(cl.x - cr.x, cl.y - cr.y) / w,
        "dental_show": mean("dental_show"),
        "lower_lip_height": mean("lower_lip_height"),
    }


def _build(
    a: _Analysed,
    mm_per_px: float,
    scale_source: str,
    extra: tuple[Notice, ...] = (),
    *,
    scale_uncertainty: float | None = None,
) -> Measurement:
    """``mm_per_px`` is in *photo* pixels; ``scale_uncertainty`` (relative) defaults to the photo's own."""
    g = a.geometry
    k = a.work.scale
    u_scale = g.scale_uncertainty if scale_uncertainty is None else scale_uncertainty
    notices = list(a.notices + extra)
    if u_scale * 100.0 > SCALE_UNCERTAIN_PCT:
        notices.append(
            Notice(
                "scale_uncertain",
                f"the iris size estimates disagree (scale uncertain by about {u_scale * 100:.0f} %): "
                "millimetres are not reliable, retake the photo facing the camera in even light",
            )
        )
    measures = g.measures(mm_per_px / k)
    codes = {n.code for n in notices}
    common = tuple(
        c for c, present in (
            ("scale", u_scale * 100.0 > SCALE_UNCERTAIN_PCT),
            ("scale_mixed", "scale_mixed" in codes),
            ("head_turn", "head_turn" in codes),
            ("low_resolution", "low_resolution" in codes),
        ) if present
    )
    confidence: dict[str, Confidence] = {}
    half_px = 0.5 * mm_per_px
    for name, _sides in measures.items():
        unit = 1.0 if name == "smile_angle" else mm_per_px / k
        j = a.jitter_px.get(name, Sides(0.0, 0.0))
        res = 0.0 if name == "smile_angle" else half_px
        u = Sides(math.hypot(j.left * unit, res), math.hypot(j.right * unit, res))
        limit = 3.0 if name == "smile_angle" else JITTER_FLAG_MM
        reasons = tuple(r for r in common if not (name == "smile_angle" and r in ("scale", "scale_mixed")))
        if max(u.left, u.right) > limit:
            reasons += ("landmark_jitter",)
        if name == "brow_height":
            off = g.brow_edge_offset_px
            if max(off.left, off.right) * mm_per_px / k > BROW_EDGE_FLAG_MM:
                reasons += ("edge_disagrees",)
        if name in _CORNER_MEASURES:
            seam = g.corner_seam_offset_px
            if max(abs(seam.left), abs(seam.right)) * mm_per_px / k > CORNER_SEAM_FLAG_MM:
                reasons += ("corner_disagrees",)
        confidence[name] = Confidence(u, reasons)
    return Measurement(
        source=a.source,
        image_size=a.image_size,
        mm_per_px=mm_per_px,
        scale_source=scale_source,
        iris_diameter_px=Sides(g.iris_diameter_px.left / k, g.iris_diameter_px.right / k),
        pupil_left=a.points["pupil_left"],
        pupil_right=a.points["pupil_right"],
        roll_deg=a.roll_deg,
        yaw_deg=g.yaw_deg,
        measures=measures,
        faces_found=a.faces_found,
        warnings=tuple(notices),
        points=dict(a.points),
        landmarks=a.landmarks,
        scale_estimates=tuple(ScaleEstimate(n, v / k, used) for n, v, used in g.scale_estimates),
        scale_uncertainty_pct=u_scale * 100.0,
        confidence=confidence,
        features=_features(g),
    )


@dataclass(frozen=True)
class _SetScale:
    """A visit's face-level scale: iris diameter over pupil distance and over eye width."""

    per_ipd: float | None
    per_eye_width: float
    uncertainty: float
    #: iris diameter over the distance between FaceMesh's iris centres (same photos as ``per_ipd``)
    per_landmark_ipd: float | None = None

    def diameter(self, g: FaceGeometry, *, eyes_open: bool = True) -> float:
        """The iris diameter (px) this face has in photo ``g``'s pixels: from its fitted pupil distance, else
        (eyes open, no fit on both limbi) from FaceMesh's iris centres, else from its eye width."""
        if len(g.fitted_eyes) == 2 and self.per_ipd is not None:
            return self.per_ipd * g.ipd_px
        if eyes_open and self.per_landmark_ipd is not None and g.landmark_ipd_px > 0:
            return self.per_landmark_ipd * g.landmark_ipd_px
        return self.per_eye_width * g.canthal_width_px


_MIXED_SCALE = (
    Notice(
        "scale_mixed",
        "an iris edge could not be fitted on this photo, so its pupils and scale come from the face mesh "
        "while the visit's other photos use fitted pupils: millimetres compared with those photos may be off",
    ),
)


def _set_scale(geos: Sequence[FaceGeometry]) -> _SetScale:
    """What a visit's photos share: ratios that belong to the face, not to the photo.

    Each photo whose own scale is trustworthy votes with its combined iris diameter over (a) the
    distance between its limbus-fitted pupil centres, when both limbi were fitted, and (b) its
    eye-corner width. The visit's ratios are the medians of the votes, so one odd photo (a squint,
    a lid, a fit that failed) does not move them much. Each photo then gets its own scale from
    its own pupil distance (eye width when its eyes are closed): photos taken at different
    distances each get their correct scale, and the pupil distance, fitted on the image, moves by
    under 0.3 % when the mouth or a brow moves (the eye width from FaceMesh's eye corners by up to
    1.6 %). The same fitted photos also give the iris diameter over the distance between
    FaceMesh's iris centres, for a photo whose limbi were not both fitted (eyes open): its scale
    comes from that landmark pupil distance rather than its eye width. Uncertainty: the votes'
    spread over the square root of their number, at least 1 % (two or fewer votes: the best
    photo's own).
    """
    trusted = [g for g in geos if g.scale_uncertainty * 100.0 <= SCALE_UNCERTAIN_PCT] or list(geos)
    both = [g for g in trusted if len(g.fitted_eyes) == 2 and g.ipd_px > 0]
    by_ipd = np.array([g.scale_diameter_px / g.ipd_px for g in both])
    by_landmark_ipd = np.array([g.scale_diameter_px / g.landmark_ipd_px for g in both if g.landmark_ipd_px > 0])
    by_width = np.array([g.scale_diameter_px / g.canthal_width_px for g in trusted])
    votes = by_ipd if len(by_ipd) else by_width
    centre = float(np.median(votes))
    if len(votes) >= 3:
        u = max(0.01, 1.4826 * float(np.median(np.abs(votes / centre - 1.0))) / math.sqrt(len(votes)))
    else:
        u = min(g.scale_uncertainty for g in trusted)
    return _SetScale(
        float(np.median(by_ipd)) if len(by_ipd) else None,
        float(np.median(by_width)),
        u,
        float(np.median(by_landmark_ipd)) if len(by_landmark_ipd) else None,
    )


def _scale_source(g: FaceGeometry) -> str:
    return "iris" if g.iris_fitted else "iris_landmarks"


def _iris_scale(a: _Analysed) -> float:
    """mm per photo pixel from the photo's own iris."""
    return HVID_MM / a.geometry.scale_diameter_px * a.work.scale


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
        return _build(a, mm_per_px, "given", scale_uncertainty=0.0)
    return _build(a, _iris_scale(a), _scale_source(a.geometry))


def measure_set(
    images: Sequence[ImageInput],
    *,
    scale: Literal["shared", "per_photo"] = "shared",
    landmarker: Landmarker | None = None,
    options: MeasureOptions | None = None,
) -> list[Measurement]:
    """Measure the photos of one visit with one face-level scale.

    With ``scale="shared"`` the visit shares the face's iris-to-pupil-distance and iris-to-eye-width
    ratios (medians over the photos whose eyes are open and whose own scale is trustworthy,
    :func:`_set_scale`), and each photo's scale is ``11.77 mm / (ratio x its own pupil distance)``
    (FaceMesh's iris centres when a limbus was not fitted, eye width when its eyes are closed): photos taken at different
    distances each get their own correct scale, and the photo-to-photo wobble of the iris estimate
    stays out of comparisons between expressions. Every photo must be usable: the first unusable
    one raises its error.
    """
    opts = options or MeasureOptions()
    analysed = [_analyse(img, landmarker, opts) for img in images]
    if scale == "per_photo" or not analysed:
        return [_build(a, _iris_scale(a), _scale_source(a.geometry)) for a in analysed]

    def eyes_open(g: FaceGeometry) -> bool:
        d = g.scale_diameter_px
        pfh = g.px["palpebral_fissure_height"]
        return min(pfh.left, pfh.right) > 0.45 * d

    usable = [a for a in analysed if eyes_open(a.geometry)] or analysed
    shared = _set_scale([a.geometry for a in usable])
    # A limbus fit comes and goes (a squint, a lid, a one-pixel shift): a photo without both fits takes its
    # pupil distance from FaceMesh's iris centres, on the ratio the fitted photos of the same set give (its
    # eye width, used before, moves with the expression: mouth corners of a visit moved together by up to
    # 2.3 mm). Its pupils, and so the line its heights are measured from, are still FaceMesh's while the
    # other photos' are fitted (up to about 1.4 mm apart on a tilted photo), so its millimetres are flagged
    # ``scale_mixed``; so are those of a photo with closed eyes, whose scale comes from its eye width.
    mixed = shared.per_ipd is not None
    out = []
    for a in analysed:
        is_open = eyes_open(a.geometry)
        out.append(
            _build(
                a, HVID_MM / shared.diameter(a.geometry, eyes_open=is_open) * a.work.scale, "set", _MIXED_SCALE
                if mixed and len(a.geometry.fitted_eyes) < 2 else (),
                scale_uncertainty=shared.uncertainty,
            )
        )
    return out
