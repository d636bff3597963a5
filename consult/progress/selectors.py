"""Reads for the progress dashboard and the exports. A fixed number of queries whatever the history."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from typing import Any

from consult.accounts.models import User
from consult.photos.models import Photo, Visit
from consult.photos.report import MEASURES, photo_report
from consult.photos.selectors import visits_for_patient

from . import charts, instruments
from .models import OutcomeResponse, Treatment

__all__ = ["EXPORT_COLUMNS", "MEASURE_SERIES", "Chart", "Dashboard", "dashboard", "export_document", "export_rows"]


@dataclass(frozen=True)
class SeriesSpec:
    key: str
    title: str
    expression: str  # which photo of the visit
    table: str  # "deviation" (|L-R|) or "asymmetry_pct"
    measure: str
    unit: str


#: Measures charted over time; smaller is more symmetric for every one of them.
MEASURE_SERIES = (
    SeriesSpec("commissure_rest", "Mouth corners at rest: height difference", "neutral", "deviation", "commissure_height", "mm"),
    SeriesSpec("commissure_smile", "Big smile: mouth-corner excursion difference", "smile", "deviation", "commissure_excursion", "mm"),
    SeriesSpec("smile_angle", "Big smile: smile-angle difference", "smile", "deviation", "smile_angle", "degrees"),
    SeriesSpec("brow_rest", "Brows at rest: height difference", "neutral", "deviation", "brow_height", "mm"),
    SeriesSpec("fissure_rest", "Eyes at rest: opening difference", "neutral", "deviation", "palpebral_fissure_height", "mm"),
    SeriesSpec("commissure_asym", "Mouth corners at rest: asymmetry", "neutral", "asymmetry_pct", "commissure_height", "%"),
)
GRADE_SERIES = (
    ("static", "eFACE-like static score"),
    ("dynamic", "eFACE-like dynamic score"),
    ("synkinesis", "eFACE-like synkinesis score"),
    ("total", "eFACE-like total score"),
)


@dataclass
class Chart:
    key: str
    title: str
    unit: str
    points: list[charts.Point]
    svg: str = ""
    note: str = ""

    @property
    def banded(self) -> bool:
        """Some point carries its uncertainty (drawn as a shaded band)."""
        return any(p.uncertainty > 0 for p in self.points)


@dataclass(frozen=True)
class OutcomeRow:
    """One filled questionnaire as the dashboard lists it: total and, for FaCE, each domain by name."""

    response: OutcomeResponse
    short_name: str
    total: float
    domains: list[tuple[str, float]]


def outcome_row(response: OutcomeResponse) -> OutcomeRow:
    instrument = instruments.INSTRUMENTS.get(response.instrument)
    if instrument is None:  # a questionnaire retired from the data; still listed, never lost
        return OutcomeRow(response, response.instrument.upper(), float(response.scores.get("total", 0.0)), [])
    domains = [(d.name, float(response.scores[d.key])) for d in instrument.domains if d.key in response.scores]
    return OutcomeRow(response, instrument.short_name, float(response.scores.get("total", 0.0)), domains)


@dataclass
class Dashboard:
    visits: list[Visit]
    treatments: list[Treatment]
    outcomes: list[OutcomeRow]
    measure_charts: list[Chart] = field(default_factory=list)
    score_charts: list[Chart] = field(default_factory=list)
    outcome_charts: list[Chart] = field(default_factory=list)


def _photo(visit: Visit, expression: str) -> Photo | None:
    for photo in visit.photos.all():  # prefetched
        if photo.expression == expression and photo.status == "done" and photo.measurement:
            return photo
    return None


def measure_value(visit: Visit, spec: SeriesSpec) -> float | None:
    """The charted value, or None when the photo is missing or its numbers are not to be trusted."""
    photo = _photo(visit, spec.expression)
    if photo is None or photo.measurement.get("needs_retake"):
        return None
    reasons = photo.measurement.get("confidence", {}).get(spec.measure, {}).get("reasons", [])
    if reasons:
        return None
    value = photo.measurement.get(spec.table, {}).get(spec.measure)
    return float(value) if isinstance(value, int | float) else None


def measure_uncertainty(visit: Visit, spec: SeriesSpec) -> float:
    """The charted value's own uncertainty (±, in its unit), from the engine's stored confidence: the two
    sides' point uncertainties combined (root of the sum of squares) and, for a difference in mm, the
    scale's uncertainty (``scale.uncertainty_pct`` of the difference). 0 when the report has none."""
    photo = _photo(visit, spec.expression)
    if photo is None:
        return 0.0
    data = photo.measurement
    conf = data.get("confidence", {}).get(spec.measure, {})
    sides = [float(conf[k]) for k in ("left", "right") if isinstance(conf.get(k), int | float)]
    if not sides:
        return 0.0
    point = math.sqrt(sum(u * u for u in sides))
    if spec.table == "asymmetry_pct":
        measures = data.get("measures", {}).get(spec.measure, {})
        larger = max((float(v) for v in measures.values() if isinstance(v, int | float)), default=0.0)
        return 100.0 * point / larger if larger > 0 else 0.0
    value = data.get(spec.table, {}).get(spec.measure)
    scale_pct = data.get("scale", {}).get("uncertainty_pct", 0.0)
    if spec.unit == "mm" and isinstance(value, int | float) and isinstance(scale_pct, int | float):
        point += abs(float(value)) * float(scale_pct) / 100.0
    return point


#: Smallest value axis per unit (from 0): a chart of differences of a few tenths never fills the plot,
#: so noise does not look like a jump.
MIN_SPAN = {"mm": 1.0, "degrees": 4.0, "%": 5.0}


@dataclass(frozen=True)
class CompareRow:
    """One expression of the before/after: the two photos side by side (either may be missing)."""

    expression: str
    label: str
    before: Photo | None
    after: Photo | None


#: The expressions the before/after shows, in this order.
COMPARE_EXPRESSIONS = ("neutral", "smile")


def compare_rows(before: Visit | None, after: Visit | None) -> list[CompareRow]:
    """Pairs of photos by expression, so before and after sit side by side on any screen (photos prefetched)."""
    if before is None or after is None:
        return []

    def pick(visit: Visit, expression: str) -> Photo | None:
        return next((p for p in visit.photos.all() if p.expression == expression), None)

    rows = []
    for expression in COMPARE_EXPRESSIONS:
        b, a = pick(before, expression), pick(after, expression)
        if b is not None or a is not None:
            label = (b or a).get_expression_display()  # type: ignore[union-attr]
            rows.append(CompareRow(expression, label, b, a))
    return rows


def grade_value(visit: Visit, key: str) -> float | None:
    value = (visit.report or {}).get("scores", {}).get(key)
    return float(value) if isinstance(value, int | float) else None


def _history(patient: User) -> tuple[list[Visit], list[OutcomeResponse], list[Treatment]]:
    """The patient's own rows, oldest first: 4 queries whatever their number."""
    visits = sorted(visits_for_patient(patient=patient), key=lambda v: (v.taken_on, v.pk))
    outcomes = list(OutcomeResponse.objects.filter(patient=patient).order_by("completed_on", "id"))
    treatments = list(Treatment.objects.filter(patient=patient).order_by("date", "id"))
    return visits, outcomes, treatments


def dashboard(*, patient: User) -> Dashboard:
    """Charts, before/after candidates, treatments and questionnaires of one patient (their own only)."""
    visits, outcomes, treatments = _history(patient)
    markers = [charts.Marker(t.date, f"{t.title}, {t.date:%Y-%m-%d}") for t in treatments]
    board = Dashboard(visits=visits, treatments=treatments, outcomes=[outcome_row(o) for o in outcomes])

    def chart(key: str, title: str, unit: str, points: list[charts.Point], **kw: Any) -> Chart:
        return Chart(key, title, unit, points, charts.line_chart(points, title=title, unit=unit, markers=markers, **kw))

    for spec in MEASURE_SERIES:
        points = [
            charts.Point(v.taken_on, val, measure_uncertainty(v, spec))
            for v in visits
            if (val := measure_value(v, spec)) is not None
        ]
        # Differences start at 0 (both sides the same), with each value's own uncertainty drawn around it.
        board.measure_charts.append(
            chart(spec.key, spec.title, spec.unit, points, baseline=0.0, min_span=MIN_SPAN.get(spec.unit, 0.0))
        )
    for key, title in GRADE_SERIES:
        points = [charts.Point(v.taken_on, val) for v in visits if (val := grade_value(v, key)) is not None]
        board.score_charts.append(chart(key, title, "score", points, y_range=(0.0, 100.0)))
    for slug, instrument in instruments.INSTRUMENTS.items():
        points = [
            charts.Point(o.completed_on, float(o.scores["total"])) for o in outcomes if o.instrument == slug
        ]
        direction = "higher is better" if instrument.higher_is_better else "lower is better"
        item = chart(slug, f"{instrument.short_name} score ({direction})", "score", points, y_range=(0.0, 100.0))
        item.note = instrument.name
        board.outcome_charts.append(item)
    return board


#: Columns of the CSV export, one row per value (see :func:`export_rows`).
EXPORT_COLUMNS = (
    "kind", "date", "visit", "photo", "expression", "instrument", "name", "label", "unit", "definition",
    "left", "right", "deviation", "asymmetry_pct", "value", "reliable", "notes",
)


def export_rows(*, patient: User) -> list[dict[str, Any]]:
    """One flat row per measured value, grade, questionnaire answer and score, and treatment, for CSV.

    ``kind`` is one of ``measure``, ``grade``, ``questionnaire_answer``, ``questionnaire_score``,
    ``treatment``; columns that do not apply to a kind stay empty.
    """
    visits, outcomes, treatments = _history(patient)
    rows: list[dict[str, Any]] = []
    for visit in visits:
        day = visit.taken_on.isoformat()
        for photo in visit.photos.all():
            measurement = photo.measurement or {}
            shown = {row.name: row for row in photo_report(photo, "").rows}
            for name, sides in measurement.get("measures", {}).items():
                info = MEASURES.get(name)
                row = shown.get(name)
                rows.append({
                    "kind": "measure", "date": day, "visit": visit.pk, "photo": photo.pk,
                    "expression": photo.expression, "name": name,
                    "label": info.label if info else name, "unit": info.unit if info else "",
                    "definition": info.help if info else "",
                    "left": sides.get("left"), "right": sides.get("right"),
                    "deviation": measurement.get("deviation", {}).get(name),
                    "asymmetry_pct": measurement.get("asymmetry_pct", {}).get(name),
                    "reliable": "no" if row is not None and row.doubt else "yes",
                    "notes": f"not reliable: {row.doubt}" if row is not None and row.doubt else "",
                })
        report = visit.report or {}
        for key, _title in GRADE_SERIES:
            value = grade_value(visit, key)
            if value is not None:
                rows.append({"kind": "grade", "date": day, "visit": visit.pk, "name": key, "value": value})
        if report.get("affected"):
            rows.append({"kind": "grade", "date": day, "visit": visit.pk, "name": "affected_side",
                         "value": report["affected"], "notes": report.get("affected_reason", "")})
    for response in outcomes:
        common = {"date": response.completed_on.isoformat(), "visit": response.visit_id or "",
                  "instrument": response.instrument}
        for key, value in response.answers.items():
            rows.append({"kind": "questionnaire_answer", **common, "name": key, "value": value})
        for key, value in response.scores.items():
            rows.append({"kind": "questionnaire_score", **common, "name": key, "value": value})
    for treatment in treatments:
        rows.append({"kind": "treatment", "date": treatment.date.isoformat(), "name": treatment.kind,
                     "value": treatment.title, "notes": treatment.notes})
    return rows


def export_document(*, patient: User) -> dict[str, Any]:
    """Everything the patient has logged or had measured, as one JSON-ready document."""
    visits, outcomes, treatments = _history(patient)
    return {
        "exported_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "visits": [
            {
                "id": v.pk, "taken_on": v.taken_on.isoformat(), "report": v.report,
                "photos": [
                    {"id": p.pk, "expression": p.expression, "status": p.status, "error": p.error,
                     "measurement": p.measurement}
                    for p in v.photos.all()
                ],
            }
            for v in visits
        ],
        "questionnaires": [
            {"instrument": o.instrument, "completed_on": o.completed_on.isoformat(), "visit": o.visit_id,
             "answers": o.answers, "scores": o.scores}
            for o in outcomes
        ],
        "treatments": [
            {"kind": t.kind, "label": t.label, "date": t.date.isoformat(), "notes": t.notes}
            for t in treatments
        ],
    }
