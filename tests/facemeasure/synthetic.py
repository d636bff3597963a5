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

import numpy as np
from PIL import Image
from scipy import ndimage


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
