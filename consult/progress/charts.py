"""Server-rendered SVG line charts for measures over time. Pure functions, no Django, no JS.

CSP-safe: only SVG presentation attributes, no ``style`` attribute. Every chart has a <title> and
<desc> (the values in words); pages pair it with a data table for screen readers.

Layout, top to bottom: a band for the treatment-marker labels (one to three staggered rows, so a
label never sits on a data point), the unit on its own row, the plot with round-number ticks, a tick
under every visit and as many date labels as fit without overlapping.

Honest axes: a chart of differences passes ``baseline=0`` so the axis starts at "both sides the same"
(never at a value that makes noise look like a jump), and points may carry their own measurement
``uncertainty``, drawn as a shaded band (value ± uncertainty) so a change inside it reads as noise.
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
UNIT_ROW = 16  # the row above the plot holding the unit ("mm", "degrees"), left-aligned so it is never cut
LABEL_ROW = 13  # height of one row of marker labels
MAX_LABEL_ROWS = 3
DATE_LABEL_WIDTH = 72  # px an 11px 'Sep 30, 2026' takes
SHORT_DATE_LABEL_WIDTH = 40  # 'Sep 30' (when every date is in one year, the year is said once)
LINE = "#0b5c8a"
GRID = "#d5dde5"
TEXT = "#334155"
MARK = "#b45309"
BAND = "#9cc5de"


@dataclass(frozen=True)
class Point:
    day: datetime.date
    value: float
    #: the measurement's own uncertainty (±, in the chart's unit); 0 when unknown
    uncertainty: float = 0.0


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


def _auto_range(
    points: Sequence[Point], *, baseline: float | None = None, min_span: float = 0.0
) -> tuple[float, float]:
    """The value range to show: every point with its uncertainty band, the ``baseline`` if given (the
    axis then starts there), and at least ``min_span`` wide, so small noise never fills the chart."""
    lows = [p.value - p.uncertainty for p in points]
    highs = [p.value + p.uncertainty for p in points]
    lo, hi = min(lows), max(highs)
    if baseline is not None:  # the axis starts at the baseline; a band reaching below it is cut there
        lo, hi = baseline, max(hi, baseline)
        hi = max(hi, lo + min_span)
        return lo, hi + (hi - lo) * 0.05
    pad = max((hi - lo) * 0.1, abs(hi) * 0.05, 0.1)
    lo, hi = lo - pad, hi + pad
    if min(p.value for p in points) >= 0:  # differences and percentages never go below zero; neither should the axis
        lo = max(lo, 0.0)
    if hi - lo < min_span:
        hi = lo + min_span
    return lo, hi


def _anchor(lx: float) -> str:
    """Date labels near the plot's ends are anchored inward so they stay inside the chart."""
    return "start" if lx < LEFT + 30 else "end" if lx > WIDTH - RIGHT - 30 else "middle"


def _extent(lx: float, width: float) -> tuple[float, float]:
    anchor = _anchor(lx)
    if anchor == "start":
        return lx, lx + width
    if anchor == "end":
        return lx - width, lx
    return lx - width / 2, lx + width / 2


def _date_labels(
    days: list[datetime.date], x: Callable[[datetime.date], float], width: float = DATE_LABEL_WIDTH
) -> list[datetime.date]:
    """The visit dates that get a label: the first, the last, and every one between whose text (``width``
    px, placed as :func:`_anchor` says) does not touch its neighbours'."""
    gap = 6.0

    def fits(a: datetime.date, b: datetime.date) -> bool:
        return _extent(x(a), width)[1] + gap <= _extent(x(b), width)[0]

    shown: list[datetime.date] = []
    for day in days:
        if not shown or fits(shown[-1], day):
            shown.append(day)
    if shown[-1] != days[-1]:
        # The latest visit matters more than the one labelled just before it.
        while len(shown) > 1 and not fits(shown[-1], days[-1]):
            shown.pop()
        if fits(shown[-1], days[-1]):
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
    baseline: float | None = None,
    min_span: float = 0.0,
) -> str:
    """An SVG document fragment (``<svg>…</svg>``) plotting ``points`` in date order.

    ``markers`` draw dashed vertical lines (treatments) labelled in a band above the plot;
    ``y_range`` fixes the axis (e.g. 0..100 for scores), otherwise it fits the data (and their
    uncertainty) on round ticks, from ``baseline`` when given, at least ``min_span`` tall.
    """
    pts = sorted(points, key=lambda p: p.day)
    marks = sorted(markers, key=lambda m: m.day)
    desc = "; ".join(
        f"{p.day:%Y-%m-%d}: {_value(p.value)} {unit}" + (f" (± {_value(p.uncertainty)})" if p.uncertainty else "")
        for p in pts
    ) or "No data yet."
    if marks:
        desc += " Treatments: " + "; ".join(m.label for m in marks) + "."
    rows = min(len(marks), MAX_LABEL_ROWS) if pts else 0
    top = 6 + LABEL_ROW * rows + UNIT_ROW
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

    ticks = nice_ticks(*(y_range or _auto_range(pts, baseline=baseline, min_span=min_span)))
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
    # The unit on its own row, starting at the left edge: "degrees" no longer runs off the chart.
    out.append(f'<text class="chart__unit" x="4" y="{top - 6}" text-anchor="start" font-size="11" '
               f'fill="{TEXT}">{escape(unit)}</text>')
    banded = [p for p in pts if p.uncertainty > 0]
    if len(banded) > 1:
        upper = " ".join(f"{x(p.day):.1f},{y(min(p.value + p.uncertainty, hi)):.1f}" for p in banded)
        lower = " ".join(f"{x(p.day):.1f},{y(max(p.value - p.uncertainty, lo)):.1f}" for p in reversed(banded))
        out.append(f'<polygon class="chart__band" points="{upper} {lower}" fill="{BAND}" fill-opacity="0.45"/>')
    for p in banded:  # a whisker per point, so a single visit shows its range too
        bx, y1, y2 = x(p.day), y(min(p.value + p.uncertainty, hi)), y(max(p.value - p.uncertainty, lo))
        out.append(f'<path class="chart__whisker" d="M{bx - 4:.1f},{y1:.1f}H{bx + 4:.1f}M{bx:.1f},{y1:.1f}V{y2:.1f}'
                   f'M{bx - 4:.1f},{y2:.1f}H{bx + 4:.1f}" stroke="{LINE}" stroke-opacity="0.6" fill="none"/>')
    for i, marker in enumerate(marks):
        mx = x(marker.day)
        # Labels sit in the band above the plot, stepping down a row each so neighbours stay readable;
        # right of the middle they end at their line instead of starting there.
        anchor, dx = ("end", -3) if mx > LEFT + plot_w * 0.55 else ("start", 3)
        ly = 14 + LABEL_ROW * (i % MAX_LABEL_ROWS)
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
            f"<title>{p.day:%Y-%m-%d}: {_value(p.value)} {escape(unit)}"
            + (f" ± {_value(p.uncertainty)}" if p.uncertainty else "")
            + "</title></circle>"
        )
    visit_days = sorted({p.day for p in pts})
    for day in visit_days:  # every visit gets a tick on the axis, labelled or not
        out.append(f'<line class="chart__tick" x1="{x(day):.1f}" x2="{x(day):.1f}" y1="{bottom}" y2="{bottom + 5}" '
                   f'stroke="{TEXT}"/>')
    one_year = visit_days[0].year == visit_days[-1].year
    fmt, width = ("%b %-d", SHORT_DATE_LABEL_WIDTH) if one_year else ("%b %-d, %Y", DATE_LABEL_WIDTH)
    for day in _date_labels(visit_days, x, width):
        lx = x(day)
        out.append(
            f'<text class="chart__date" x="{lx:.1f}" y="{bottom + 18}" text-anchor="{_anchor(lx)}" font-size="11" '
            f'fill="{TEXT}">{day.strftime(fmt)}</text>'
        )
    if one_year:  # the year once, under the axis's right end
        out.append(f'<text class="chart__year" x="{WIDTH - RIGHT}" y="{bottom + 31}" text-anchor="end" font-size="10" '
                   f'fill="{TEXT}">{visit_days[0].year}</text>')
    out.append("</svg>")
    return "".join(out)
