"""Server-rendered SVG line charts for measures over time. Pure functions, no Django, no JS.

CSP-safe: only SVG presentation attributes, no ``style`` attribute. Every chart has a <title> and
<desc>; pages pair it with a data table for screen readers.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

__all__ = ["Marker", "Point", "line_chart"]

WIDTH, HEIGHT = 560, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40
LINE = "#0b5c8a"
GRID = "#d5dde5"
TEXT = "#334155"
MARK = "#b45309"


@dataclass(frozen=True)
class Point:
    day: datetime.date
    value: float


@dataclass(frozen=True)
class Marker:
    day: datetime.date
    label: str


def _nice_range(lo: float, hi: float) -> tuple[float, float]:
    if hi - lo < 1e-9:
        pad = max(abs(hi) * 0.1, 1.0)
        return lo - pad, hi + pad
    pad = (hi - lo) * 0.15
    return lo - pad, hi + pad


def _ticks(lo: float, hi: float, count: int = 4) -> list[float]:
    step = (hi - lo) / count
    return [lo + step * i for i in range(count + 1)]


def _fmt(value: float) -> str:
    return f"{value:.0f}" if abs(value) >= 10 else f"{value:.1f}"


def line_chart(
    points: Sequence[Point],
    *,
    title: str,
    unit: str,
    markers: Sequence[Marker] = (),
    y_range: tuple[float, float] | None = None,
) -> str:
    """An SVG document fragment (``<svg>…</svg>``) plotting ``points`` in date order."""
    pts = sorted(points, key=lambda p: p.day)
    days = [p.day for p in pts] + [m.day for m in markers]
    desc = "; ".join(f"{p.day:%Y-%m-%d}: {_fmt(p.value)} {unit}" for p in pts) or "No data yet."
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'class="chart" aria-label="{escape(title)}" focusable="false">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(desc)}</desc>",
    ]
    if not pts:
        out.append(f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" fill="{TEXT}">No data yet</text>')
        out.append("</svg>")
        return "".join(out)

    lo, hi = y_range or _nice_range(min(p.value for p in pts), max(p.value for p in pts))
    first, last = min(days), max(days)
    span = max((last - first).days, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: datetime.date) -> float:
        if first == last:
            return LEFT + plot_w / 2
        return LEFT + (day - first).days / span * plot_w

    def y(value: float) -> float:
        return TOP + (hi - value) / (hi - lo) * plot_h

    for tick in _ticks(lo, hi):
        ty = y(tick)
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="{GRID}"/>')
        out.append(
            f'<text x="{LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end" font-size="11" fill="{TEXT}">{_fmt(tick)}</text>'
        )
    out.append(
        f'<text x="4" y="{TOP - 4}" font-size="11" fill="{TEXT}">{escape(unit)}</text>'
    )
    for i, marker in enumerate(sorted(markers, key=lambda m: m.day)):
        mx = x(marker.day)
        # Labels step down so markers close together stay readable; near the right edge they end at the line.
        anchor, dx = ("end", -3) if mx > LEFT + plot_w * 0.6 else ("start", 3)
        out.append(
            f'<g class="chart__marker"><line x1="{mx:.1f}" x2="{mx:.1f}" y1="{TOP}" y2="{TOP + plot_h}" '
            f'stroke="{MARK}" stroke-dasharray="4 3"/>'
            f'<text x="{mx + dx:.1f}" y="{TOP + 10 + 12 * (i % 3)}" font-size="10" fill="{MARK}" '
            f'text-anchor="{anchor}">{escape(marker.label)}</text></g>'
        )
    path = " ".join(f"{'M' if i == 0 else 'L'}{x(p.day):.1f},{y(p.value):.1f}" for i, p in enumerate(pts))
    out.append(f'<path d="{path}" fill="none" stroke="{LINE}" stroke-width="2.5"/>')
    for p in pts:
        out.append(
            f'<circle class="chart__point" cx="{x(p.day):.1f}" cy="{y(p.value):.1f}" r="4" fill="{LINE}">'
            f"<title>{p.day:%Y-%m-%d}: {_fmt(p.value)} {escape(unit)}</title></circle>"
        )
    label_days = sorted({p.day for p in pts})
    shown = label_days if len(label_days) <= 6 else [label_days[0], label_days[-1]]
    for day in shown:
        lx = x(day)
        anchor = "start" if lx < LEFT + 30 else "end" if lx > WIDTH - RIGHT - 30 else "middle"
        out.append(
            f'<text x="{lx:.1f}" y="{HEIGHT - 12}" text-anchor="{anchor}" font-size="11" fill="{TEXT}">'
            f"{day:%b %-d, %Y}</text>"
        )
    out.append("</svg>")
    return "".join(out)
