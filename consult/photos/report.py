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

__all__ = [
    "MEASURES", "REGIONS", "PhotoReport", "QuoteGroup", "QuoteRow", "Row", "VisitReport", "build_report", "difference",
    "needs_retake", "photo_report", "quote_sentence", "state_counts",
]


@dataclass(frozen=True)
class MeasureInfo:
    label: str  # plain words, as a patient would say it
    unit: str
    larger: str  # what a larger value looks like, e.g. mouth-corner height larger = "lower"
    help: str  # one-line definition; the same sentence is in docs/measurement.md ("Plain labels")


#: Every measure the report and the CSV show: plain label, unit, one-line definition. The
#: definitions are those of docs/measurement.md, worded for a patient; a test checks they match.
MEASURES: dict[str, MeasureInfo] = {
    "brow_height": MeasureInfo(
        "eyebrow height", "mm", "higher", "From the centre of the pupil straight up to the top edge of the eyebrow."
    ),
    "palpebral_fissure_height": MeasureInfo(
        "eye opening", "mm", "wider", "From the upper eyelid edge to the lower eyelid edge, through the pupil."
    ),
    "mrd1": MeasureInfo(
        "upper lid to pupil (MRD1)", "mm", "larger", "From the centre of the pupil up to the upper eyelid edge."
    ),
    "mrd2": MeasureInfo(
        "lower lid to pupil (MRD2)", "mm", "larger", "From the centre of the pupil down to the lower eyelid edge."
    ),
    "commissure_height": MeasureInfo(
        "mouth corner height", "mm", "lower",
        "From the line through both pupils straight down to the corner of the mouth.",
    ),
    "commissure_excursion": MeasureInfo(
        "mouth corner to lip middle", "mm", "longer",
        "Straight distance from the corner of the mouth to the middle of the lower lip's outer edge.",
    ),
    "smile_angle": MeasureInfo(
        "smile angle", "°", "larger",
        "Angle at the mouth corner: 90° when the corner is level with the middle of the lower lip, more when higher.",
    ),
    "dental_show": MeasureInfo(
        "teeth showing", "mm", "larger",
        "Gap between the inner edges of the upper and lower lip, half-way from the middle to the corner.",
    ),
    "upper_lip_height": MeasureInfo(
        "pupil line to upper lip", "mm", "lower",
        "From the line through both pupils down to the upper lip's outer edge, half-way to the corner "
        "(not the lip's own height).",
    ),
    "lower_lip_height": MeasureInfo(
        "pupil line to lower lip", "mm", "lower",
        "From the line through both pupils down to the lower lip's outer edge, half-way to the corner "
        "(not the lip's own height).",
    ),
}

#: Why a number is not trusted, in plain words (engine reason codes, ``Measurement.confidence``).
REASONS: dict[str, str] = {
    "scale": "the size of the iris could not be measured reliably, so millimetres may be off",
    "landmark_jitter": "the points found on the photo were not stable",
    "edge_disagrees": "the eyebrow's edge on the photo and the face model disagree",
    "corner_disagrees": "the corner of the mouth on the photo (where the lips meet) and the face model disagree",
    "scale_mixed": "the edge of the iris could not be found on this photo, so its size and eye line were judged "
    "less precisely than on the visit's other photos: comparisons between them may be off",
    "head_turn": "the head is turned, which makes one side look bigger",
    "low_resolution": "the face is small in the photo",
    "expression_mismatch": "the photo does not show the expression it is labelled with",
}
#: Warning codes that make the photo's badge say "Needs retake" (the engine's ``needs_retake``).
RETAKE_CODES = frozenset({"scale_uncertain", "head_turn", "expression_mismatch"})


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

#: The face regions the doctor's quote panel groups the measures by, in the order a face is read.
REGIONS: dict[str, tuple[str, ...]] = {
    "Brow": ("brow_height",),
    "Eyes": ("palpebral_fissure_height", "mrd1", "mrd2"),
    "Mouth": (
        "commissure_height", "commissure_excursion", "smile_angle", "dental_show", "upper_lip_height",
        "lower_lip_height",
    ),
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
    #: the left/right difference in words, e.g. "left 3.1 mm lower" (what a doctor quotes)
    difference: str = ""
    #: why this number is not trusted, in plain words ("" = trusted); such a row is greyed, not quotable
    doubt: str = ""
    #: point uncertainty (larger side) in the measure's unit; 0 when unknown
    uncertainty: float = 0.0

    @property
    def quotable(self) -> bool:
        return not self.doubt


@dataclass
class PhotoReport:
    photo: Photo
    rows: list[Row] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    scale_source: str = ""
    #: the photo's numbers should not be used ("Needs retake" badge), and why
    needs_retake: bool = False
    retake_reason: str = ""
    scale_uncertainty_pct: float = 0.0


@dataclass(frozen=True)
class QuoteRow:
    """One measure in the quote panel: its cell per measured photo (None where that photo lacks it)."""

    label: str
    unit: str
    help: str
    cells: list[Row | None]


@dataclass(frozen=True)
class QuoteGroup:
    region: str
    rows: list[QuoteRow]


@dataclass
class VisitReport:
    visit: Visit
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
    def quote_groups(self) -> list[QuoteGroup]:
        """The measured photos' rows by face region (brow, eyes, mouth), one column per measured photo in
        :attr:`measured` order: what the doctor's quote panel shows."""
        by_name = [{row.name: row for row in photo.rows} for photo in self.measured]
        groups = []
        for region, names in REGIONS.items():
            rows = []
            for name in names:
                cells = [rows_of.get(name) for rows_of in by_name]
                if any(cells):
                    info = MEASURES[name]
                    rows.append(QuoteRow(label=info.label[0].upper() + info.label[1:], unit=info.unit, help=info.help,
                                         cells=cells))
            if rows:
                groups.append(QuoteGroup(region=region, rows=rows))
        return groups

    @property
    def scores_quote(self) -> str:
        """E.g. "eFACE-like scores (of 100): static 95, dynamic 59, synkinesis 100, total 83; affected side
        left", or "" when the set was not graded. Plain text: no link (see :func:`quote_sentence`)."""
        if not self.scores:
            return ""
        parts = ", ".join(f"{label.split(' (')[0].lower()} {value:.0f}" for label, value in self.scores)
        side = f"; affected side {self.affected}" if self.affected else "; no clearly affected side"
        return f"eFACE-like scores (of 100): {parts}{side}"


def _fmt(value: float, unit: str) -> str:
    return f"{value:.1f}{unit}" if unit == "°" else f"{value:.1f} {unit}"


def difference(name: str, left: float, right: float) -> str:
    """The number a doctor quotes, e.g. "left 3.1 mm lower" or "symmetric" (subject's own sides)."""
    info = MEASURES[name]
    deviation = abs(left - right)
    if round(deviation, 1) == 0:
        return "symmetric"
    side = "left" if left > right else "right"
    return f"{side} {_fmt(deviation, info.unit)} {info.larger}"


def quote_sentence(name: str, expression: str, left: float, right: float) -> str:
    """A sentence a doctor can paste into an answer, e.g. "Left mouth corner height 3.1 mm lower at rest".

    Plain text, no link: the answer is public and the report is not, so a link would be a dead end for every
    reader but the patient and doctors. It is offered only for photo sets whose patient allowed quoting
    (``Visit.quotable``)."""
    info = MEASURES[name]
    context = CONTEXT.get(expression, "")
    deviation = abs(left - right)
    if round(deviation, 1) == 0:
        return f"{info.label[0].upper()}{info.label[1:]} symmetric {context} ({_fmt(left, info.unit)} each side)"
    side = "Left" if left > right else "Right"
    return f"{side} {info.label} {_fmt(deviation, info.unit)} {info.larger} {context}"


def _doubt(reasons: list[str]) -> str:
    words = [REASONS.get(r, r.replace("_", " ")) for r in reasons]
    return "; ".join(dict.fromkeys(words))


def _retake_warnings(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [w for w in data.get("warnings", []) if w.get("code") in RETAKE_CODES]


def needs_retake(photo: Photo) -> bool:
    """A measured photo whose numbers should not be used (the "Needs retake" badge)."""
    data = photo.measurement or {}
    return photo.status == Status.DONE and (bool(data.get("needs_retake")) or bool(_retake_warnings(data)))


#: The states a photo set's list shows, each counted: (key, how many were ..., badge modifier).
PHOTO_STATES = (
    ("measured", "measured", "verified"),
    ("retake", "need{s} a retake", "retake"),
    ("failed", "could not be measured", "hidden"),
    ("measuring", "being measured", "pending"),
)


def state_counts(photos: list[Photo]) -> list[tuple[int, str, str]]:
    """Each state that some of ``photos`` are in, with its count, in words: e.g. [(2, "measured",
    "verified"), (2, "could not be measured", "hidden")]. Never summarises a set as one state it is not."""
    counts = dict.fromkeys((key for key, _, _ in PHOTO_STATES), 0)
    for photo in photos:
        if photo.status == Status.FAILED:
            counts["failed"] += 1
        elif photo.status != Status.DONE:
            counts["measuring"] += 1
        elif needs_retake(photo):
            counts["retake"] += 1
        else:
            counts["measured"] += 1
    return [
        (counts[key], words.replace("{s}", "s" if counts[key] == 1 else ""), badge)
        for key, words, badge in PHOTO_STATES if counts[key]
    ]


def photo_report(photo: Photo, url: str = "") -> PhotoReport:
    """One photo's rows as the report shows them (labels, values, doubts). ``url`` is ignored: quoted
    sentences carry no link any more (:func:`quote_sentence`); the argument stays for existing callers."""
    report = PhotoReport(photo=photo)
    data = photo.measurement or {}
    if photo.status != Status.DONE or not data:
        return report
    measures = data.get("measures", {})
    asym = data.get("asymmetry_pct", {})
    confidence = data.get("confidence", {})
    retake = _retake_warnings(data)
    report.needs_retake = needs_retake(photo)
    report.retake_reason = " ".join(str(w.get("message", "")).rstrip(".") + "." for w in retake)
    report.scale_uncertainty_pct = float(data.get("scale", {}).get("uncertainty_pct", 0.0))
    for name, info in MEASURES.items():
        sides = measures.get(name)
        if not sides:
            continue
        left, right = float(sides["left"]), float(sides["right"])
        conf = confidence.get(name, {})
        reasons = list(conf.get("reasons", []))
        if report.needs_retake and not reasons:
            reasons = ["expression_mismatch"] if any(w.get("code") == "expression_mismatch" for w in retake) else ["scale"]
        report.rows.append(
            Row(
                name=name, label=info.label[0].upper() + info.label[1:], unit=info.unit, help=info.help,
                left=left, right=right, deviation=abs(left - right),
                asymmetry_pct=float(asym.get(name, 0.0)),
                quote=quote_sentence(name, photo.expression, left, right),
                difference=difference(name, left, right),
                doubt=_doubt(reasons),
                uncertainty=max(float(conf.get("left", 0.0)), float(conf.get("right", 0.0))),
            )
        )
    report.warnings = [
        w.get("message", "") for w in data.get("warnings", []) if w.get("message") and w.get("code") not in RETAKE_CODES
    ]
    report.scale_source = str(data.get("scale_source", ""))
    return report


MISSING = "missing photo(s) for: "


def _grade_note(note: str, photos: list[Photo]) -> str:
    """The grader's reason for no scores, true to the set: a photo it calls missing may have been uploaded
    and not measured ("missing photo(s) for: smile" -> "no measured photo for: smile (could not be
    measured)")."""
    if not note.startswith(MISSING):
        return note
    failed = {p.expression.replace("_", " ") for p in photos if p.status == Status.FAILED}
    if not failed:
        return note
    names = [name.strip() for name in note[len(MISSING):].split(",") if name.strip()]
    return "no measured photo for: " + ", ".join(
        f"{name} (could not be measured)" if name in failed else name for name in names
    )


def build_report(visit: Visit, *, photos: list[Photo] | None = None) -> VisitReport:
    """Shape one visit (with its photos prefetched, or given) for the templates."""
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
        photos=[photo_report(p) for p in photos],
        finished=finished,
        scores=scores,
        items=items,
        affected=str(grade.get("affected", "")),
        affected_reason=str(grade.get("affected_reason", "")),
        note=_grade_note(visit.report_error, photos),
    )
