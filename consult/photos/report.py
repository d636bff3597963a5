"""The measurement report as the templates show it: rows per measure, scores, quotable sentences.

Pure formatting of the JSON the worker stored (``Measurement.to_dict()``, ``GradeResult.to_dict()``);
no queries, no engine.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from .models import Expression, Photo, Status, Visit

__all__ = ["MEASURES", "PhotoReport", "Row", "VisitReport", "build_report", "quote_sentence"]


@dataclass(frozen=True)
class MeasureInfo:
    label: str
    unit: str
    larger: str  # what a larger value looks like, e.g. commissure height larger = "lower"
    help: str


MEASURES: dict[str, MeasureInfo] = {
    "brow_height": MeasureInfo("brow", "mm", "higher", "Pupil centre up to the upper edge of the eyebrow"),
    "palpebral_fissure_height": MeasureInfo("eye opening", "mm", "wider", "Upper to lower lid margin through the pupil"),
    "mrd1": MeasureInfo("MRD1", "mm", "larger", "Pupil centre to the upper lid margin"),
    "mrd2": MeasureInfo("MRD2", "mm", "larger", "Pupil centre to the lower lid margin"),
    "commissure_height": MeasureInfo("commissure", "mm", "lower", "Inter-pupil line down to the mouth corner"),
    "commissure_excursion": MeasureInfo(
        "commissure excursion", "mm", "longer", "Mouth corner to the middle of the lower lip"
    ),
    "smile_angle": MeasureInfo("smile angle", "°", "larger", "Angle at the mouth corner (Emotrics convention)"),
    "dental_show": MeasureInfo("dental show", "mm", "larger", "Visible teeth, vertical extent on each side"),
    "upper_lip_height": MeasureInfo("upper lip", "mm", "taller", "Vertical extent of the upper lip on each side"),
    "lower_lip_height": MeasureInfo("lower lip", "mm", "taller", "Vertical extent of the lower lip on each side"),
}

CONTEXT: dict[str, str] = {
    Expression.NEUTRAL: "at rest",
    Expression.BROWS_RAISED: "with the brows raised",
    Expression.EYES_CLOSED_GENTLE: "with the eyes gently closed",
    Expression.EYES_CLOSED_TIGHT: "with the eyes tightly closed",
    Expression.SMILE: "when smiling",
    Expression.PUCKER: "when puckering",
    Expression.SHOW_TEETH: "when showing the teeth",
    Expression.LIP_DOWN: "with the lower lip pulled down",
}

STALLED_AFTER = datetime.timedelta(seconds=60)

SCORE_LABELS = {
    "static": "Static (at rest)",
    "dynamic": "Dynamic (movement)",
    "synkinesis": "Synkinesis",
    "total": "Total",
}


@dataclass(frozen=True)
class Row:
    name: str
    label: str
    unit: str
    help: str
    left: float
    right: float
    deviation: float
    asymmetry_pct: float
    quote: str


@dataclass
class PhotoReport:
    photo: Photo
    rows: list[Row] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    scale_source: str = ""


@dataclass
class VisitReport:
    visit: Visit
    url: str
    photos: list[PhotoReport]
    finished: bool
    scores: list[tuple[str, float]]
    items: list[dict[str, Any]]
    affected: str
    affected_reason: str
    note: str

    @property
    def stalled(self) -> bool:
        """Still measuring a minute after the newest unfinished photo arrived (the worker is down or busy)."""
        waiting = [p.photo.created_at for p in self.photos if not p.photo.is_finished and p.photo.created_at]
        return bool(waiting) and timezone.now() - max(waiting) > STALLED_AFTER

    @property
    def measured(self) -> list[PhotoReport]:
        return [p for p in self.photos if p.photo.status == Status.DONE]

    @property
    def scores_quote(self) -> str:
        """E.g. "eFACE-like scores (of 100): static 95, dynamic 59, synkinesis 100, total 83; affected side
        left ([report](URL))", or "" when the set was not graded."""
        if not self.scores:
            return ""
        parts = ", ".join(f"{label.split(' (')[0].lower()} {value:.0f}" for label, value in self.scores)
        side = f"; affected side {self.affected}" if self.affected else ""
        link = f" ([report]({self.url}))" if self.url else ""
        return f"eFACE-like scores (of 100): {parts}{side}{link}"


def _fmt(value: float, unit: str) -> str:
    return f"{value:.1f}{unit}" if unit == "°" else f"{value:.1f} {unit}"


def quote_sentence(name: str, expression: str, left: float, right: float, url: str) -> str:
    """A sentence a doctor can paste into an answer, e.g.
    "Left commissure 3.1 mm lower at rest ([report](https://…/photos/visits/7/))"."""
    info = MEASURES[name]
    context = CONTEXT.get(expression, "")
    link = f" ([report]({url}))" if url else ""
    deviation = abs(left - right)
    if round(deviation, 1) == 0:
        return f"{info.label[0].upper()}{info.label[1:]} symmetric {context} ({_fmt(left, info.unit)} each side){link}"
    side = "Left" if left > right else "Right"
    return f"{side} {info.label} {_fmt(deviation, info.unit)} {info.larger} {context}{link}"


def _photo_report(photo: Photo, url: str) -> PhotoReport:
    report = PhotoReport(photo=photo)
    data = photo.measurement or {}
    if photo.status != Status.DONE or not data:
        return report
    measures = data.get("measures", {})
    asym = data.get("asymmetry_pct", {})
    for name, info in MEASURES.items():
        sides = measures.get(name)
        if not sides:
            continue
        left, right = float(sides["left"]), float(sides["right"])
        report.rows.append(
            Row(
                name=name, label=info.label[0].upper() + info.label[1:], unit=info.unit, help=info.help,
                left=left, right=right, deviation=abs(left - right),
                asymmetry_pct=float(asym.get(name, 0.0)),
                quote=quote_sentence(name, photo.expression, left, right, url),
            )
        )
    report.warnings = [w.get("message", "") for w in data.get("warnings", []) if w.get("message")]
    report.scale_source = str(data.get("scale_source", ""))
    return report


def build_report(visit: Visit, *, url: str = "", photos: list[Photo] | None = None) -> VisitReport:
    """Shape one visit (with its photos prefetched, or given) for the templates. ``url``: the absolute
    report URL that quoted sentences link to."""
    photos = list(visit.photos.all()) if photos is None else list(photos)
    order = {value: i for i, value in enumerate(Expression.values)}
    photos.sort(key=lambda p: order.get(p.expression, 99))
    grade = visit.report or {}
    scores = [(SCORE_LABELS[k], float(v)) for k, v in grade.get("scores", {}).items() if k in SCORE_LABELS]
    finished = visit.status in (Status.DONE, Status.FAILED) and all(p.is_finished for p in photos)
    items = [
        {**item, "label": str(item.get("name", "")).replace("_", " ").capitalize()} for item in grade.get("items", [])
    ]
    return VisitReport(
        visit=visit,
        url=url,
        photos=[_photo_report(p, url) for p in photos],
        finished=finished,
        scores=scores,
        items=items,
        affected=str(grade.get("affected", "")),
        affected_reason=str(grade.get("affected_reason", "")),
        note=visit.report_error,
    )
