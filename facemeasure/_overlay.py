"""Draw what was measured on the photo, so a clinician can check every number by eye."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFont

from ._types import Measurement, Point

__all__ = ["draw_overlay"]

_LINE = (0, 200, 255)
_MID = (255, 210, 0)
_MEASURE = {"left": (80, 255, 80), "right": (255, 90, 200)}
_TEXT_BG = (0, 0, 0)


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow without FreeType sizing
        return ImageFont.load_default()


def draw_overlay(image: NDArray[np.uint8] | Image.Image, m: Measurement, *, label_scale: float = 1.0) -> Image.Image:
    """Return an RGB copy of ``image`` with the landmarks, frame lines and labelled measures.

    ``image`` must be the decoded, upright photo ``m`` was measured on (same pixel grid). ``label_scale``
    enlarges the labels (e.g. for an illustration shown small); the lines and points keep their width.
    """
    base = image.convert("RGB") if isinstance(image, Image.Image) else Image.fromarray(np.asarray(image)).convert("RGB")
    im = base.copy()
    draw = ImageDraw.Draw(im)
    w, h = im.size
    pr, pl = m.pupil_right, m.pupil_left
    iris = (m.iris_diameter_px.left + m.iris_diameter_px.right) / 2.0
    lw = max(1, round(iris / 12))
    font = _font(max(10, round(iris * 0.55 * max(0.5, label_scale))))
    angle = math.atan2(pl.y - pr.y, pl.x - pr.x)
    ux, uy = math.cos(angle), math.sin(angle)  # frame x (towards the subject's left)
    vx, vy = -uy, ux  # frame y (down)
    ox, oy = (pr.x + pl.x) / 2.0, (pr.y + pl.y) / 2.0
    span = 2.0 * math.hypot(pl.x - pr.x, pl.y - pr.y)

    # inter-pupil line and facial midline
    draw.line([(ox - ux * span, oy - uy * span), (ox + ux * span, oy + uy * span)], fill=_LINE, width=lw)
    draw.line([(ox - vx * span * 0.8, oy - vy * span * 0.8), (ox + vx * span * 1.6, oy + vy * span * 1.6)], fill=_MID, width=lw)

    # landmark mesh, faint, then the iris circles
    for x, y in m.landmarks[:, :2]:
        draw.point((float(x), float(y)), fill=(255, 255, 255))
    for side, p in (("left", pl), ("right", pr)):
        r = getattr(m.iris_diameter_px, side) / 2.0
        draw.ellipse([p.x - r, p.y - r, p.x + r, p.y + r], outline=_LINE, width=lw)

    def foot(p: Point) -> tuple[float, float]:
        """Projection of ``p`` on the inter-pupil line."""
        t = (p.x - ox) * ux + (p.y - oy) * uy
        return ox + t * ux, oy + t * uy

    def label(xy: tuple[float, float], text: str, colour: tuple[int, int, int], *, end: bool = False) -> None:
        """``text`` from ``xy`` rightwards, or (``end``) ending at ``xy``: labels of the subject's right side,
        on the image's left, extend outwards instead of across the lines they name."""
        x, y = xy
        if end:
            x -= draw.textlength(text, font=font)
        box = draw.textbbox((x, y), text, font=font)
        draw.rectangle(box, fill=_TEXT_BG)
        draw.text((x, y), text, fill=colour, font=font)

    pts = m.points
    meas = m.measures
    text_box = draw.textbbox((0, 0), "Mg", font=font)
    line_height = float(text_box[3] - text_box[1]) + 2.0
    for side in ("left", "right"):
        col = _MEASURE[side]
        pupil = pl if side == "left" else pr
        away = 1.0 if side == "left" else -1.0  # labels go outwards
        dx = away * iris * 0.9

        def seg(
            a: Point | tuple[float, float], b: Point, text: str, offset: float, col: tuple[int, int, int] = col,
            lift: float = 0.0, outwards_left: bool = away < 0,
        ) -> None:
            """A measured segment, its end points and its label ``offset`` along the frame's x and ``lift``
            (in label heights, negative = up) along its y, so neighbouring labels do not overlap."""
            ax, ay = (a.x, a.y) if isinstance(a, Point) else a
            draw.line([(ax, ay), (b.x, b.y)], fill=col, width=lw)
            for q in ((ax, ay), (b.x, b.y)):
                draw.ellipse([q[0] - 2 * lw, q[1] - 2 * lw, q[0] + 2 * lw, q[1] + 2 * lw], fill=col)
            up = lift * line_height
            mx = (ax + b.x) / 2 + offset * ux + up * vx
            my = (ay + b.y) / 2 + offset * uy + up * vy - line_height / 2
            label((mx, my), text, col, end=outwards_left)

        seg(pupil, pts[f"brow_{side}"], f"eyebrow {getattr(meas.brow_height, side):.1f}", dx)
        # MRD1 and MRD2 are a few millimetres apart: one label above the other, never on top of each other
        seg(pupil, pts[f"lid_upper_{side}"], f"MRD1 {getattr(meas.mrd1, side):.1f}", dx * 2.2, lift=-0.55)
        seg(pupil, pts[f"lid_lower_{side}"], f"MRD2 {getattr(meas.mrd2, side):.1f}", dx * 2.2, lift=0.55)
        corner = pts[f"corner_{side}"]
        seg(foot(corner), corner, f"mouth corner {getattr(meas.commissure_height, side):.1f}", dx * 1.5)
        seg(pts["lower_lip_mid"], corner, "", 0.0)
        # two short lines below the mouth corner, outwards, rather than one long line across the mouth
        below = corner.y + iris * 0.3
        label((corner.x + dx * 0.6, below), f"corner to lip middle {getattr(meas.commissure_excursion, side):.1f}", col,
              end=away < 0)
        label((corner.x + dx * 0.6, below + line_height), f"smile angle {getattr(meas.smile_angle, side):.0f}", col,
              end=away < 0)
        seg(pts[f"lip_upper_inner_{side}"], pts[f"lip_lower_inner_{side}"], "", 0.0)
        for k in ("lip_upper_outer", "lip_lower_outer"):
            q = pts[f"{k}_{side}"]
            draw.ellipse([q.x - 2 * lw, q.y - 2 * lw, q.x + 2 * lw, q.y + 2 * lw], outline=col, width=lw)
    retake = "NEEDS RETAKE  " if m.needs_retake else ""
    header = f"{retake}mm/px {m.mm_per_px:.4f} (+-{m.scale_uncertainty_pct:.0f} %)  iris L {m.iris_diameter_px.left:.1f} R {m.iris_diameter_px.right:.1f} px  roll {m.roll_deg:+.1f}  yaw {m.yaw_deg:+.1f}   (L/R = subject's sides)"
    label((4.0, 4.0), header, (255, 255, 255))
    for i, warn in enumerate(m.warnings):
        label((4.0, 4.0 + (i + 1) * font.size * 1.3 if hasattr(font, "size") else 16.0 * (i + 1)), f"! {warn.message}", (255, 120, 120))
    del w, h
    return im
