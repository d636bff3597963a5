"""The levelled, normalised face crop the measures are taken on (the second landmark pass).

FaceMesh's points depend on the roll of the head and on the size of the face in the photo (it
regresses them from its own rotated crop, and its face box snaps to a coarse grid), and the
refinement on image edges depends on the pixel size. So after a first pass on the photo, the face
is resampled into a *canonical* crop: the pupils' line horizontal, the pupils a fixed distance
apart, their mid-point on the crop's vertical centre line. The landmarker runs again on that crop
and every measure is taken there; points are mapped back to the photo for the overlay. A tilted,
a zoomed-out and an upright photo of one face then give nearly the same pixels to measure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["CANONICAL_IPD", "Canonical", "canonical_crop", "warp_crop"]

#: Inter-pupil distance in the canonical crop (pixels). The iris is then about 28 px across.
CANONICAL_IPD = 150.0
#: Crop extent in inter-pupil distances: half-width, above and below the pupils' line.
_HALF_W, _ABOVE, _BELOW = 1.7, 1.7, 2.7


@dataclass(frozen=True, eq=False)
class Canonical:
    """A canonical crop and the similarity transform from photo pixels to crop pixels.

    ``q = scale * R(-angle) @ (p - centre) + offset``.
    """

    rgb: NDArray[np.uint8]
    centre: tuple[float, float]
    angle: float
    scale: float
    offset: tuple[float, float]

    def to_crop(self, pts: NDArray[np.float64]) -> NDArray[np.float64]:
        p = np.atleast_2d(np.asarray(pts, dtype=np.float64))
        c, s = math.cos(self.angle), math.sin(self.angle)
        dx, dy = p[:, 0] - self.centre[0], p[:, 1] - self.centre[1]
        out = p.copy()
        out[:, 0] = self.scale * (c * dx + s * dy) + self.offset[0]
        out[:, 1] = self.scale * (-s * dx + c * dy) + self.offset[1]
        if p.shape[1] > 2:
            out[:, 2:] = p[:, 2:] * self.scale
        return out

    def to_image(self, pts: NDArray[np.float64]) -> NDArray[np.float64]:
        q = np.atleast_2d(np.asarray(pts, dtype=np.float64))
        c, s = math.cos(self.angle), math.sin(self.angle)
        u, v = (q[:, 0] - self.offset[0]) / self.scale, (q[:, 1] - self.offset[1]) / self.scale
        out = q.copy()
        out[:, 0] = c * u - s * v + self.centre[0]
        out[:, 1] = s * u + c * v + self.centre[1]
        if q.shape[1] > 2:
            out[:, 2:] = q[:, 2:] / self.scale
        return out


def warp_crop(
    rgb: NDArray[np.uint8],
    centre: tuple[float, float],
    angle: float,
    scale: float,
    size: tuple[int, int],
    offset: tuple[float, float],
) -> Canonical:
    """Resample ``rgb`` so that ``centre`` lands on ``offset``, rotated by ``-angle``, scaled by ``scale``.

    Shrinking by more than 1.5x is done with area averaging first (no aliasing); the rotation and
    the rest of the scaling is one bicubic warp. Pixels outside the photo replicate its border.
    """
    import cv2

    w, h = size
    src = rgb
    pre = 1.0
    centre_src = centre
    if scale < 1.0 / 1.5:
        # Area-average the region the crop needs down to about 1.5x the crop's pixel size.
        reach = math.hypot(w, h) / scale + 2.0
        x0, x1 = max(0, int(centre[0] - reach)), min(rgb.shape[1], math.ceil(centre[0] + reach))
        y0, y1 = max(0, int(centre[1] - reach)), min(rgb.shape[0], math.ceil(centre[1] + reach))
        roi = rgb[y0:y1, x0:x1]
        target = 1.5 * scale
        dsize = (max(1, round(roi.shape[1] * target)), max(1, round(roi.shape[0] * target)))
        src = np.asarray(cv2.resize(roi, dsize, interpolation=cv2.INTER_AREA), dtype=np.uint8)
        fx, fy = dsize[0] / roi.shape[1], dsize[1] / roi.shape[0]
        pre = (fx + fy) / 2.0
        # pixel-centre convention of cv2.resize: x_src = (x + 0.5) * f - 0.5
        centre_src = ((centre[0] - x0 + 0.5) * fx - 0.5, (centre[1] - y0 + 0.5) * fy - 0.5)
    k = scale / pre
    c, s = math.cos(angle), math.sin(angle)
    m = np.array(
        [
            [k * c, k * s, offset[0] - k * (c * centre_src[0] + s * centre_src[1])],
            [-k * s, k * c, offset[1] - k * (-s * centre_src[0] + c * centre_src[1])],
        ]
    )
    crop = cv2.warpAffine(np.ascontiguousarray(src), m, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
    return Canonical(np.ascontiguousarray(crop), centre, angle, scale, offset)


def canonical_crop(rgb: NDArray[np.uint8], right_pupil: NDArray[np.float64], left_pupil: NDArray[np.float64]) -> Canonical:
    """Resample the face around two pupil estimates into the canonical crop (see the module doc)."""
    r = np.asarray(right_pupil, dtype=np.float64)[:2]
    le = np.asarray(left_pupil, dtype=np.float64)[:2]
    ipd = float(np.hypot(*(le - r)))
    if not ipd > 1.0:
        raise ValueError("pupils coincide")
    angle = math.atan2(float(le[1] - r[1]), float(le[0] - r[0]))
    centre = (float(r[0] + le[0]) / 2.0, float(r[1] + le[1]) / 2.0)
    w = 2 * round(_HALF_W * CANONICAL_IPD)
    h = round((_ABOVE + _BELOW) * CANONICAL_IPD)
    # (w - 1) / 2: mirroring the crop (column k <-> w - 1 - k) mirrors it about the pupils' mid-point.
    offset = ((w - 1) / 2.0, _ABOVE * CANONICAL_IPD)
    return warp_crop(rgb, centre, angle, CANONICAL_IPD / ipd, (w, h), offset)
