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
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

__all__ = ["IrisFit", "fit_iris", "fit_iris_pair", "refine_edge", "sample_bilinear", "smooth1d", "to_gray"]


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


def smooth1d(profile: NDArray[np.float64], sigma: float) -> NDArray[np.float64]:
    """Gaussian smoothing along the last axis (edge-replicated), vectorised over the others."""
    if sigma <= 0:
        return profile
    half = max(1, math.ceil(3 * sigma))
    k = np.exp(-0.5 * (np.arange(-half, half + 1) / sigma) ** 2)
    k /= k.sum()
    padded = np.pad(profile, [(0, 0)] * (profile.ndim - 1) + [(half, half)], mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1, axis=-1)
    return np.asarray(windows @ k, dtype=np.float64)


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
    # Algebraic (Kasa) fit: x^2 + y^2 + D x + E y + F = 0, weighted least squares, solved through
    # the 3x3 normal equations (centred for conditioning; lstsq costs more than the whole fit).
    mx, my = float(np.average(x, weights=w)), float(np.average(y, weights=w))
    u, v = x - mx, y - my
    a = np.column_stack((u, v, np.ones_like(u)))
    ww = w * w
    lhs = (a * ww[:, None]).T @ a
    rhs = -(a * ww[:, None]).T @ (u * u + v * v)
    try:
        d, e, f = np.linalg.solve(lhs, rhs)
    except np.linalg.LinAlgError:
        (d, e, f), *_ = np.linalg.lstsq(a * w[:, None], -(u * u + v * v) * w, rcond=None)
    cx, cy = -d / 2.0, -e / 2.0
    r2 = cx * cx + cy * cy - f
    return float(cx + mx), float(cy + my), float(math.sqrt(max(r2, 1e-12)))


@dataclass(frozen=True, eq=False)
class IrisFit:
    cx: float
    cy: float
    radius: float
    inliers: int
    rms: float
    #: the inlier limbus points (x, y) and their weights, for a joint fit of both eyes
    points: NDArray[np.float64] = field(default_factory=lambda: np.zeros((0, 3)))


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
    offs = np.deg2rad(np.linspace(-50.0, 50.0, 41))
    thetas = axis_angle + np.concatenate((offs, math.pi + offs))
    fit: IrisFit | None = None
    for _ in range(iterations):
        step = 0.25
        radii = np.arange(0.6 * r0, 1.6 * r0, step)
        ct, st = np.cos(thetas)[:, None], np.sin(thetas)[:, None]
        xs = cx + ct * radii[None, :]
        ys = cy + st * radii[None, :]
        prof = sample_bilinear(gray, xs, ys)
        prof = smooth1d(prof, max(0.5, 0.06 * r0) / step)
        grad = np.gradient(prof, axis=1)
        if inside is not None:
            grad = np.where(inside(xs, ys), grad, -np.inf)
        # Strongest valid step on every ray at once, then a parabola through its neighbours.
        rows = np.arange(len(thetas))
        i = np.argmax(grad, axis=1)
        gi = grad[rows, i]
        ok = np.isfinite(gi) & (gi > 2.0 * step)  # under 2 grey levels per pixel: no edge on this ray
        ga = grad[rows, np.maximum(i - 1, 0)]
        gc = grad[rows, np.minimum(i + 1, grad.shape[1] - 1)]
        # rays with no valid sample have gi = -inf; they are dropped by ``ok`` below
        with np.errstate(divide="ignore", invalid="ignore"):
            ga = np.where(np.isfinite(ga) & (i > 0), ga, gi)
            gc = np.where(np.isfinite(gc) & (i < grad.shape[1] - 1), gc, gi)
            den = ga - 2.0 * gi + gc
            off = np.where(ok & (den < 0), np.clip(0.5 * (ga - gc) / den, -0.5, 0.5), 0.0)
        rr = radii[0] + (i + off) * step
        ex = (cx + np.cos(thetas) * rr)[ok]
        ey = (cy + np.sin(thetas) * rr)[ok]
        ew = gi[ok]
        if len(ex) < 8:
            return fit
        x, y, w = ex, ey, np.sqrt(ew)
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
        if not (0.82 * radius <= fr <= 1.2 * radius) or math.hypot(fx - center[0], fy - center[1]) > 0.5 * radius:
            return fit
        rms = float(np.sqrt(np.mean((np.hypot(x[keep] - fx, y[keep] - fy) - fr) ** 2)))
        fit = IrisFit(fx, fy, fr, int(keep.sum()), rms, np.column_stack((x[keep], y[keep], w[keep])))
        cx, cy, r0 = fx, fy, fr
    return fit


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
    prof = smooth1d(prof[None, :], max(0.75, 0.04 * half_height) / step)[0]
    drop = -np.gradient(prof) / step  # grey levels per pixel, positive where it gets darker downwards
    score = drop.copy()
    if band is not None and band > 4 * step:
        # A brow is a dark band about ``band`` thick: score each height by how much darker the band
        # below it is than the skin above it, so thin lines (wrinkles, frames) lose to the brow.
        n = max(2, round(band / step))
        csum = np.concatenate(([0.0], np.cumsum(prof)))
        idx = np.arange(len(prof))
        above = (csum[idx] - csum[np.maximum(idx - n // 2, 0)]) / np.maximum(idx - np.maximum(idx - n // 2, 0), 1)
        hi = np.minimum(idx + n, len(prof))
        below = (csum[hi] - csum[idx]) / np.maximum(hi - idx, 1)
        contrast = np.where((idx >= n // 2) & (idx + n <= len(prof)), above - below, 0.0)
        # The upper margin of a brow has skin above it: the level just above the step must be
        # about the brightest skin above it in the window. A dark thin line *under* the brow (a
        # glasses frame, the lid crease) has the brow above it, and only part of the way from the
        # skin down to the band: weight each step by that share, squared.
        skin = np.maximum.accumulate(prof)
        share = np.clip((above - below) / np.maximum(skin - below, 1e-6), 0.0, 1.0)
        score = np.maximum(contrast, 0.0) * np.maximum(drop, 0.0) ** 0.5 * share**2
    score = score * np.exp(-0.5 * (vs / prior) ** 2)
    i = int(np.argmax(score))
    if band is not None:
        # the score peaks near the edge; the edge itself is the steepest point close by
        r = max(2, round(0.25 * band / step))
        lo = max(0, i - r)
        i = lo + int(np.argmax(drop[lo : i + r + 1]))
    if drop[i] < min_step or i < 2 or i > len(vs) - 3:
        return None
    if band is not None and band > 4 * step:
        half = _half_level_crossing(prof, i, max(2, round(band / step)))
        if half is not None:
            return float(vs[0] + half * step)
    return float(vs[0] + (i + _parabola_peak(drop, i)) * step)


#: A rise of more than this share of the ramp's height ends a brow's falling ramp (sparse hairs wiggle less).
RAMP_WIGGLE = 0.15


def _ramp(prof: NDArray[np.float64], i: int, tol: float) -> tuple[int, int]:
    """The falling ramp through sample ``i``: walk up while the profile keeps rising and down while it
    keeps falling, allowing wiggles of ``tol`` times the ramp's height so far (at least 2 grey levels)."""
    top, hi, lo = i, float(prof[i]), float(prof[i])
    while top > 0 and prof[top - 1] >= hi - max(2.0, tol * (hi - lo)):
        top -= 1
        hi = max(hi, float(prof[top]))
    bot = i
    while bot < len(prof) - 1 and prof[bot + 1] <= lo + max(2.0, tol * (hi - lo)):
        bot += 1
        lo = min(lo, float(prof[bot]))
    # end on the extremes, not on the tolerated wiggle past them
    top = top + int(np.argmax(prof[top : i + 1]))
    bot = i + int(np.argmin(prof[i : bot + 1]))
    return top, bot


def _half_level_crossing(prof: NDArray[np.float64], i: int, n: int, *, rounds: int = 5) -> float | None:
    """Sub-sample position where ``prof`` falls through half-way between the skin above and the band below.

    A brow's upper margin is a soft ramp of sparse hairs several pixels tall, with more than one
    local maximum of the gradient; which one is steepest flips with a pixel of noise, moving the
    "edge" by 2-3 px. The half-level crossing of the whole ramp moves continuously instead. The
    two levels (median of the skin from 2 bands to half a band above, darkest point of the band
    below) are re-taken around each new crossing until it settles. Both the dark level and the
    crossing stay on the falling ramp through ``i`` (wiggles of 15 % of its height allowed): a darker line
    under the brow (a glasses frame, the lid crease) is another edge, and taking its level moved the
    "margin" down onto it by 4-5 mm.
    """
    m = len(prof)
    top, bot = _ramp(prof, i, RAMP_WIGGLE)
    pos = float(i)
    for _ in range(rounds):
        c = round(pos)
        a0, a1 = max(0, c - 2 * n), max(0, c - n // 2)
        b0, b1 = min(m, c + max(1, n // 4)), min(m, c + n, bot + 1)
        if a1 - a0 < 2:
            return None
        dark = float(prof[b0:b1].min()) if b1 - b0 >= 1 else float(prof[bot])
        level = 0.5 * (float(np.median(prof[a0:a1])) + dark)
        lo, hi = max(0, c - n, top), min(m - 1, c + n, bot)
        seg = prof[lo : hi + 1]
        js = np.nonzero((seg[:-1] >= level) & (seg[1:] < level))[0] + lo
        if len(js) == 0:
            return None
        j = int(js[np.argmin(np.abs(js - c))])
        new = j + (prof[j] - level) / (prof[j] - prof[j + 1])
        if abs(new - pos) < 0.05:
            return float(new)
        pos = float(new)
    return pos


def fit_iris_pair(
    right: IrisFit,
    left: IrisFit,
    right_prior_y: float,
    left_prior_y: float,
    *,
    prior_points: float = 4.0,
    iterations: int = 6,
) -> tuple[tuple[float, float], tuple[float, float], float]:
    """Joint geometric fit of both limbus point sets with one shared radius.

    Adult irises are the same size on both sides, so one radius halves the number of free
    parameters the scale depends on. Each centre's height gets a weak prior (worth about four
    limbus points) towards the landmarker's iris centre: when the lids cover the top and bottom
    of the iris the two side arcs barely constrain the height, and the prior keeps the pupil
    line (and so the roll) from wandering. Gauss-Newton on (cxR, cyR, cxL, cyL, r).
    """
    params = np.array([right.cx, right.cy, left.cx, left.cy, (right.radius + left.radius) / 2.0])
    sets = (right.points, left.points)
    priors = (right_prior_y, left_prior_y)
    for _ in range(iterations):
        rows, res = [], []
        for e, pts in enumerate(sets):
            cx, cy, r = params[2 * e], params[2 * e + 1], params[4]
            dx, dy = pts[:, 0] - cx, pts[:, 1] - cy
            dist = np.maximum(np.hypot(dx, dy), 1e-9)
            sw = np.sqrt(pts[:, 2])
            jac = np.zeros((len(pts), 5))
            jac[:, 2 * e] = -dx / dist * sw
            jac[:, 2 * e + 1] = -dy / dist * sw
            jac[:, 4] = -sw
            rows.append(jac)
            res.append((dist - r) * sw)
            k = prior_points**0.5 * float(np.sqrt(pts[:, 2].mean()))
            prow = np.zeros((1, 5))
            prow[0, 2 * e + 1] = k
            rows.append(prow)
            res.append(np.array([k * (cy - priors[e])]))
        jm, rv = np.vstack(rows), np.concatenate(res)
        delta, *_ = np.linalg.lstsq(jm, -rv, rcond=None)
        params = params + delta
        if float(np.abs(delta).max()) < 1e-4:
            break
    return (float(params[0]), float(params[1])), (float(params[2]), float(params[3])), float(params[4])
