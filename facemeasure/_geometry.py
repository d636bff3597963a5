"""The measurement frame: inter-pupil line horizontal, origin between the pupils, y down."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["Frame", "contour_y_at", "yaw_from_landmarks"]


@dataclass(frozen=True)
class Frame:
    """Rigid transform between image pixels and the face frame (still in pixels).

    ``angle`` is the roll of the inter-pupil line in image coordinates (radians, positive when the
    subject's left pupil, on the image right, is lower). Frame x grows towards the image right,
    which is the subject's left.
    """

    origin: tuple[float, float]
    angle: float

    @classmethod
    def from_pupils(cls, right_pupil: ArrayLike, left_pupil: ArrayLike) -> Frame:
        r = np.asarray(right_pupil, dtype=np.float64)[:2]
        le = np.asarray(left_pupil, dtype=np.float64)[:2]
        mid = (r + le) / 2.0
        angle = math.atan2(le[1] - r[1], le[0] - r[0])
        return cls((float(mid[0]), float(mid[1])), angle)

    @property
    def roll_deg(self) -> float:
        return math.degrees(self.angle)

    def to_frame(self, pts: ArrayLike) -> NDArray[np.float64]:
        p = np.atleast_2d(np.asarray(pts, dtype=np.float64))[:, :2]
        c, s = math.cos(self.angle), math.sin(self.angle)
        d = p - np.array(self.origin)
        return np.column_stack((c * d[:, 0] + s * d[:, 1], -s * d[:, 0] + c * d[:, 1]))

    def to_image(self, pts: ArrayLike) -> NDArray[np.float64]:
        p = np.atleast_2d(np.asarray(pts, dtype=np.float64))[:, :2]
        c, s = math.cos(self.angle), math.sin(self.angle)
        x = c * p[:, 0] - s * p[:, 1] + self.origin[0]
        y = s * p[:, 0] + c * p[:, 1] + self.origin[1]
        return np.column_stack((x, y))


def contour_y_at(contour: NDArray[np.float64], x: float) -> float:
    """y of a roughly horizontal contour (frame coordinates, N x 2) at abscissa ``x``.

    A quadratic through the (up to) four nearest points follows the curvature of a lid or a
    brow better than linear interpolation between mesh vertices; outside the contour's span the
    nearest end is used rather than extrapolating a parabola.
    """
    pts = contour[np.argsort(contour[:, 0])]
    xs, ys = pts[:, 0], pts[:, 1]
    if x <= xs[0]:
        return float(ys[0])
    if x >= xs[-1]:
        return float(ys[-1])
    k = min(4, len(xs))
    idx = np.sort(np.argsort(np.abs(xs - x))[:k])
    if k >= 3 and np.ptp(xs[idx]) > 1e-9:
        t = xs[idx] - x
        a = np.column_stack((np.ones_like(t), t, t * t))
        try:
            coef = np.linalg.solve(a.T @ a, a.T @ ys[idx])
            return float(coef[0])
        except np.linalg.LinAlgError:
            pass
    return float(np.interp(x, xs, ys))


def yaw_from_landmarks(landmarks: NDArray[np.float64], frame: Frame) -> float:
    """Head yaw estimate in degrees from the landmark depths of the outer eye corners and cheeks.

    FaceMesh's z is on the same scale as x, so a face turned by ``t`` shows a depth difference
    between symmetric points of ``sin(t)`` times their 3-D separation. Positive = the subject's
    left side is farther from the camera (face turned towards the subject's right).
    """
    pairs = ((33, 263), (234, 454), (127, 356), (61, 291))
    angles = []
    c, s = math.cos(frame.angle), math.sin(frame.angle)
    for r, le in pairs:
        dx3 = landmarks[le] - landmarks[r]
        dx = c * dx3[0] + s * dx3[1]
        dz = dx3[2]
        angles.append(math.degrees(math.atan2(dz, dx)))
    return float(np.median(angles))
