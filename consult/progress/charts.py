"""Server-rendered SVG line charts for measures over time. Pure functions, no Django, no JS.

CSP-safe: only SVG presentation attributes, no ``style`` attribute. Every chart has a <title> and
<desc> (the values in words); pages pair it with a data table for screen readers.

Layout, top to bottom: a band for the treatment-marker labels (one to three staggered rows, so a
label never sits on a data point), the plot with round-number ticks, the date labels.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

__all__ = ["Marker", "Point", "line_chart", "nice_ticks"]

WIDTH = 560
PLOT_HEIGHT = 170
LEFT, RIGHT, BOTTOM = 48, 16, 34
LABEL_ROW = 13  # height of one row of marker labels
MAX_LABEL_ROWS = 3
DATE_LABEL_WIDTH = 84  # px an 11px 'Sep 30, 2026' needs, with a gap
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


def _decimals(step: float) -> int:
    """Fewest decimals (0-3) that print every multiple of ``step`` exactly (0.25 -> 2, 2.5 -> 1, 20 -> 0)."""
    for places in range(4):
        if abs(round(step, places) - step) < 1e-9:
            return places
    return 3


def nice_ticks(lo: float, hi: float, count: int = 4) -> list[float]:
    """About ``count`` intervals on a 1-2-2.5-5 x 10^k step, covering ``lo..hi`` (ends rounded outward)."""
    if hi - lo < 1e-9:
        lo, hi = lo - 1.0, hi + 1.0
    raw = (hi - lo) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw - 1e-12)
    first = math.floor(lo / step + 1e-9) * step
    last = math.ceil(hi / step - 1e-9) * step
    places = _decimals(step)
    return [round(first + i * step, places) for i in range(round((last - first) / step) + 1)]


def _auto_range(values: Sequence[float]) -> tuple[float, float]:
    lo, hi = min(values), max(values)
    pad = max((hi - lo) * 0.1, abs(hi) * 0.05, 0.1)
    lo, hi = lo - pad, hi + pad
    if min(values) >= 0:  # differences and percentages never go below zero; neither should the axis
        lo = max(lo, 0.0)
    return lo, hi


def _date_labels(days: list[datetime.date], x: Callable[[datetime.date], float]) -> list[datetime.date]:
    """The visit dates that get a label: the first, the last, and those between with room for their text."""
    shown: list[datetime.date] = []
    for day in days:
        if not shown or x(day) - x(shown[-1]) >= DATE_LABEL_WIDTH:
            shown.append(day)
    if shown[-1] != days[-1]:
        if len(shown) > 1:
            shown[-1] = days[-1]  # the latest visit matters more than the one just before it
        elif x(days[-1]) - x(shown[0]) >= DATE_LABEL_WIDTH:
            shown.append(days[-1])
    return shown


def _value(value: float) -> str:
    return f"{value:.1f}"


def line_chart(
    points: Sequence[Point],
    *,
    title: str,
    unit: str,
    markers: Sequence[Marker] = (),
    y_range: tuple[float, float] | None = None,
) -> str:
    """An SVG document fragment (``<svg>…</svg>``) plotting ``points`` in date order.

    ``markers`` draw dashed vertical lines (treatments) labelled in a band above the plot;
    ``y_range`` fixes the axis (e.g. 0..100 for scores), otherwise it fits the data on round ticks.
    """
    pts = sorted(points, key=lambda p: p.day)
    marks = sorted(markers, key=lambda m: m.day)
    desc = "; ".join(f"{p.day:%Y-%m-%d}: {_value(p.value)} {unit}" for p in pts) or "No data yet."
    if marks:
        desc += " Treatments: " + "; ".join(m.label for m in marks) + "."
    rows = min(len(marks), MAX_LABEL_ROWS) if pts else 0
    top = 18 + LABEL_ROW * rows
    height = top + PLOT_HEIGHT + BOTTOM
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'class="chart" aria-label="{escape(title)}" focusable="false">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(desc)}</desc>",
    ]
    if not pts:
        out.append(f'<text x="{WIDTH / 2}" y="{height / 2}" text-anchor="middle" fill="{TEXT}">No data yet</text>')
        out.append("</svg>")
        return "".join(out)

    ticks = nice_ticks(*(y_range or _auto_range([p.value for p in pts])))
    lo, hi = ticks[0], ticks[-1]
    places = _decimals(ticks[1] - ticks[0]) if len(ticks) > 1 else 0
    days = [p.day for p in pts] + [m.day for m in marks]
    first, last = min(days), max(days)
    span = max((last - first).days, 1)
    plot_w = WIDTH - LEFT - RIGHT
    bottom = top + PLOT_HEIGHT

    def x(day: datetime.date) -> float:
        if first == last:
            return LEFT + plot_w / 2
        return LEFT + (day - first).days / span * plot_w

    def y(value: float) -> float:
        return top + (hi - value) / (hi - lo) * PLOT_HEIGHT

    for tick in ticks:
        ty = y(tick)
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="{GRID}"/>')
        out.append(
            f'<text x="{LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end" font-size="11" fill="{TEXT}">'
            f"{tick:.{places}f}</text>"
        )
    out.append(f'<text x="{LEFT - 6}" y="{top - 11}" text-anchor="end" font-size="11" fill="{TEXT}">{escape(unit)}</text>')
    for i, marker in enumerate(marks):
        mx = x(marker.day)
        # Labels sit in the band above the plot, stepping down a row each so neighbours stay readable;
        # right of the middle they end at their line instead of starting there.
        anchor, dx = ("end", -3) if mx > LEFT + plot_w * 0.55 else ("start", 3)
        ly = 12 + LABEL_ROW * (i % MAX_LABEL_ROWS)
        out.append(
            f'<g class="chart__marker"><line x1="{mx:.1f}" x2="{mx:.1f}" y1="{ly - 9}" y2="{bottom}" '
            f'stroke="{MARK}" stroke-dasharray="4 3"/>'
            f'<text x="{mx + dx:.1f}" y="{ly}" font-size="10" fill="{MARK}" '
            f'text-anchor="{anchor}">{escape(marker.label)}</text></g>'
        )
    path = " ".join(f"{'M' if i == 0 else 'L'}{x(p.day):.1f},{y(p.value):.1f}" for i, p in enumerate(pts))
    out.append(f'<path d="{path}" fill="none" stroke="{LINE}" stroke-width="2.5"/>')
    for p in pts:
        out.append(
            f'<circle class="chart__point" cx="{x(p.day):.1f}" cy="{y(p.value):.1f}" r="4" fill="{LINE}">'
            f"<title>{p.day:%Y-%m-%d}: {_value(p.value)} {escape(unit)}</title></circle>"
        )
    for day in _date_labels(sorted({p.day for p in pts}), x):
        lx = x(day)
        anchor = "start" if lx < LEFT + 30 else "end" if lx > WIDTH - RIGHT - 30 else "middle"
        out.append(
            f'<text class="chart__date" x="{lx:.1f}" y="{bottom + 18}" text-anchor="{anchor}" font-size="11" '
            f'fill="{TEXT}">{day:%b %-d, %Y}</text>'
        )
    out.append("</svg>")
    return "".join(out)
