"""Sub-pixel refinement of landmarks on the image itself.

FaceMesh regresses 478 points from a 192x192 (mesh) and 64x64 (iris) crop, so its points carry a
jitter of about 1 % of the iris diameter and are coupled to each other through the model. The
millimetre scale comes from the iris, so that jitter goes straight into every measure. Here the
limbus (iris/sclera boundary) is located on image edges and a circle is fitted to it, which
depends on the pixels around the iris only.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["IrisFit", "fit_iris", "refine_valley", "sample_bilinear", "to_gray"]


def to_gray(rgb: NDArray[np.uint8]) -> NDArray[np.float32]:
    """ITU-R BT.601 luma as float32."""
    f = rgb.astype(np.float32)
    gray: NDArray[np.float32] = (0.299 * f[..., 0] + 0.587 * f[..., 1] + 0.114 * f[..., 2]).astype(np.float32)
    return gray


def sample_bilinear(img: NDArray[np.float32], xs: NDArray[np.float64], ys: NDArray[np.float64]) -> NDArray[np.float64]:
    """Bilinear interpolation of ``img`` at (xs, ys); coordinates are clamped to the image."""
    h, w = img.shape
    x = np.clip(xs, 0.0, w - 1.001)
    y = np.clip(ys, 0.0, h - 1.001)
    x0 = np.floor(x).astype(np.intp)
    y0 = np.floor(y).astype(np.intp)
    fx = x - x0
    fy = y - y0
    a = img[y0, x0]
    b = img[y0, x0 + 1]
    c = img[y0 + 1, x0]
    d = img[y0 + 1, x0 + 1]
    return np.asarray((a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy, dtype=np.float64)


def _smooth1d(profile: NDArray[np.float64], sigma: float) -> NDArray[np.float64]:
    if sigma <= 0:
        return profile
    half = max(1, math.ceil(3 * sigma))
    k = np.exp(-0.5 * (np.arange(-half, half + 1) / sigma) ** 2)
    k /= k.sum()
    padded = np.pad(profile, [(0, 0)] * (profile.ndim - 1) + [(half, half)], mode="edge")
    out = np.apply_along_axis(lambda r: np.convolve(r, k, mode="valid"), -1, padded)
    return np.asarray(out, dtype=np.float64)


def _parabola_peak(values: NDArray[np.float64], i: int) -> float:
    """Sub-sample offset of a peak at index ``i`` from a parabola through its neighbours."""
    if i <= 0 or i >= len(values) - 1:
        return 0.0
    a, b, c = values[i - 1], values[i], values[i + 1]
    den = a - 2 * b + c
    if den == 0:
        return 0.0
    return float(np.clip(0.5 * (a - c) / den, -0.5, 0.5))


def _fit_circle(x: NDArray[np.float64], y: NDArray[np.float64], w: NDArray[np.float64]) -> tuple[float, float, float]:
    # Algebraic (Kasa) fit: x^2 + y^2 + D x + E y + F = 0, weighted least squares.
    a = np.column_stack((x, y, np.ones_like(x))) * w[:, None]
    b = -(x * x + y * y) * w
    (d, e, f), *_ = np.linalg.lstsq(a, b, rcond=None)
    cx, cy = -d / 2.0, -e / 2.0
    r2 = cx * cx + cy * cy - f
    return float(cx), float(cy), float(math.sqrt(max(r2, 1e-12)))


@dataclass(frozen=True)
class IrisFit:
    cx: float
    cy: float
    radius: float
    inliers: int
    rms: float


def fit_iris(
    gray: NDArray[np.float32],
    center: tuple[float, float],
    radius: float,
    axis_angle: float,
    *,
    inside: Callable[[NDArray[np.float64], NDArray[np.float64]], NDArray[np.bool_]] | None = None,
    iterations: int = 3,
) -> IrisFit | None:
    """Fit a circle to the limbus around a landmark estimate; ``None`` if the edges do not agree.

    Rays are cast within +-50 degrees of the inter-pupil axis, and ``inside(xs, ys)`` (the
    palpebral aperture from the lid landmarks) masks samples under the lids: the lid margin is a
    strong edge too and would otherwise pull the circle up. Along each ray the strongest
    dark-to-bright step (iris to sclera) between 0.6 and 1.6 radii is located to sub-pixel
    precision.
    """
    cx, cy, r0 = float(center[0]), float(center[1]), float(radius)
    if not (r0 > 1.0 and math.isfinite(cx) and math.isfinite(cy)):
        return None
    offs = np.deg2rad(np.linspace(-50.0, 50.0, 21))
    thetas = axis_angle + np.concatenate((offs, math.pi + offs))
    fit: IrisFit | None = None
    for _ in range(iterations):
        step = 0.25
        radii = np.arange(0.6 * r0, 1.6 * r0, step)
        ct, st = np.cos(thetas)[:, None], np.sin(thetas)[:, None]
        xs = cx + ct * radii[None, :]
        ys = cy + st * radii[None, :]
        prof = sample_bilinear(gray, xs, ys)
        prof = _smooth1d(prof, max(0.5, 0.06 * r0) / step)
        grad = np.gradient(prof, axis=1)
        if inside is not None:
            grad = np.where(inside(xs, ys), grad, -np.inf)
        grad = np.where(np.isfinite(grad), grad, np.nan)
        ex, ey, ew = [], [], []
        for k in range(len(thetas)):
            g = grad[k]
            if np.all(np.isnan(g)):
                continue
            i = int(np.nanargmax(g))
            g = np.nan_to_num(g, nan=float(np.nanmin(g)))
            if not np.isfinite(g[i]) or g[i] <= 2.0 * step:  # under 2 grey levels per pixel: no edge on this ray
                continue
            r = radii[0] + (i + _parabola_peak(g, i)) * step
            ex.append(cx + math.cos(thetas[k]) * r)
            ey.append(cy + math.sin(thetas[k]) * r)
            ew.append(g[i])
        if len(ex) < 8:
            return fit
        x, y, w = np.array(ex), np.array(ey), np.sqrt(np.array(ew))
        keep = np.ones(len(x), dtype=bool)
        for _round in range(3):
            fx, fy, fr = _fit_circle(x[keep], y[keep], w[keep])
            res = np.abs(np.hypot(x - fx, y - fy) - fr)
            mad = float(np.median(res[keep])) * 1.4826
            new_keep = res <= max(0.35, 2.5 * mad)
            if new_keep.sum() < 8 or np.array_equal(new_keep, keep):
                break
            keep = new_keep
        fx, fy, fr = _fit_circle(x[keep], y[keep], w[keep])
        # Both halves (towards each canthus) must contribute, otherwise the radius is unconstrained.
        side = np.cos(np.arctan2(y - fy, x - fx) - axis_angle) > 0
        if (keep & side).sum() < 3 or (keep & ~side).sum() < 3:
            return fit
        if not (0.7 * radius <= fr <= 1.35 * radius) or math.hypot(fx - center[0], fy - center[1]) > 0.5 * radius:
            return fit
        rms = float(np.sqrt(np.mean((np.hypot(x[keep] - fx, y[keep] - fy) - fr) ** 2)))
        fit = IrisFit(fx, fy, fr, int(keep.sum()), rms)
        cx, cy, r0 = fx, fy, fr
    return fit


def refine_valley(
    gray: NDArray[np.float32],
    x: float,
    y: float,
    axis_angle: float,
    half_height: float,
    half_width: float,
    *,
    polarity: int = -1,
) -> float | None:
    """Offset (pixels, along the frame's vertical) of the darkest (``polarity=-1``) line near (x, y).

    Averages a few columns across ``half_width`` to reduce noise, then finds the extremum of the
    vertical profile within ``+-half_height``. Returns ``None`` when the extremum sits at the window
    border (nothing to lock on to).
    """
    step = 0.25
    vs = np.arange(-half_height, half_height + step, step)
    us = np.linspace(-half_width, half_width, 5)
    c, s = math.cos(axis_angle), math.sin(axis_angle)
    # frame x axis = (c, s); frame y axis (down) = (-s, c)
    xs = x + us[:, None] * c - vs[None, :] * s
    ys = y + us[:, None] * s + vs[None, :] * c
    prof = sample_bilinear(gray, xs, ys).mean(axis=0)
    prof = _smooth1d(prof[None, :], max(1.0, 0.08 * half_height / step))[0]
    vals = polarity * -prof
    i = int(np.argmax(vals))
    if i < 2 or i > len(vals) - 3:
        return None
    return float(vs[0] + (i + _parabola_peak(vals, i)) * step)


def refine_edge(
    gray: NDArray[np.float32],
    x: float,
    y: float,
    axis_angle: float,
    half_height: float,
    half_width: float,
    *,
    prior: float,
    band: float | None = None,
    min_step: float = 1.5,
) -> float | None:
    """Offset (pixels, frame vertical) of the strongest bright-above/dark-below step near (x, y).

    ``prior`` is the sigma of a Gaussian weight around (x, y) used only to choose between
    candidate steps. Returns ``None`` when no step exceeds ``min_step`` grey levels per pixel.
    """
    step = 0.25
    vs = np.arange(-half_height, half_height + step, step)
    us = np.linspace(-half_width, half_width, 7)
    c, s = math.cos(axis_angle), math.sin(axis_angle)
    xs = x + us[:, None] * c - vs[None, :] * s
    ys = y + us[:, None] * s + vs[None, :] * c
    prof = sample_bilinear(gray, xs, ys).mean(axis=0)
    prof = _smooth1d(prof[None, :], max(0.75, 0.04 * half_height) / step)[0]
    drop = -np.gradient(prof) / step  # grey levels per pixel, positive where it gets darker downwards
    score = drop.copy()
    if band is not None and band > 2 * step:
        # A brow is a dark band: reward a matching rise (dark-to-bright) about ``band`` lower, so
        # thin lines (wrinkles, lashes, frames) and lone edges lose to the real band.
        rise = np.maximum(-drop, 0.0)
        lo, hi = int(0.6 * band / step), int(1.5 * band / step) + 1
        best_rise = np.zeros_like(rise)
        for i in range(len(rise)):
            seg = rise[i + lo : i + hi]
            best_rise[i] = seg.max() if seg.size else 0.0
        score = np.minimum(drop, best_rise) + 0.25 * drop
    score = score * np.exp(-0.5 * (vs / prior) ** 2)
    i = int(np.argmax(score))
    if drop[i] < min_step or i < 2 or i > len(vs) - 3:
        return None
    return float(vs[0] + (i + _parabola_peak(drop, i)) * step)
