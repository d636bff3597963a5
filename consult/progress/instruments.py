"""Patient-reported outcome instruments, kept as data: items, response range, domains, scoring rule.

The item labels shipped here are short, original paraphrases, not the licensed wording. A clinic that
holds a licence can load the published wording from a JSON file (``settings.PROGRESS_INSTRUMENTS_FILE``,
see :func:`load_overrides`) without touching code: only labels and anchors can be overridden, never
the structure or the scoring.

Sources (see docs/measurement.md, "Patient-reported outcomes"):

* SAQ — Mehta RP, WernickRobinson M, Hadlock TA. Validation of the Synkinesis Assessment
  Questionnaire. Laryngoscope 2007;117(5):923-926. 9 items, each 1 (seldom or never) to 5 (all the
  time); score = sum / 45 x 100, so it runs from 20 to 100, higher = more synkinesis.
* FaCE — Kahn JB, Gliklich RE, Boyev KP, et al. Validation of a patient-graded instrument for facial
  nerve paralysis: the FaCE scale. Laryngoscope 2001;111(3):387-398. 15 items, 1 (worst function) to
  5 (best), six domains; each domain and the total are (sum - min) / (max - min) x 100, 0 = worst,
  100 = best. The total is over all 15 items (so domains weigh by their item count).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

__all__ = [
    "FACE",
    "INSTRUMENTS",
    "SAQ",
    "Domain",
    "Instrument",
    "InstrumentError",
    "Item",
    "get",
    "load_overrides",
    "score",
]

Rule = Literal["sum_over_max", "range_normalised"]


class InstrumentError(ValueError):
    """Answers that do not fit the instrument (missing item, value out of range, unknown item)."""


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    reverse: bool = False  # True when a response of `high` means the worst state for a range-normalised score


@dataclass(frozen=True)
class Domain:
    key: str
    name: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Instrument:
    slug: str
    name: str
    short_name: str
    citation: str
    items: tuple[Item, ...]
    low: int
    high: int
    anchors: tuple[str, ...]  # one label per response value, low..high
    rule: Rule
    higher_is_better: bool
    domains: tuple[Domain, ...] = ()

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items)

    @property
    def choices(self) -> list[tuple[int, str]]:
        return [(self.low + i, f"{self.low + i} - {label}") for i, label in enumerate(self.anchors)]


SAQ = Instrument(
    slug="saq",
    name="Synkinesis Assessment Questionnaire",
    short_name="SAQ",
    citation="Mehta RP, Wernick Robinson M, Hadlock TA. Laryngoscope 2007;117(5):923-926.",
    items=(
        Item("saq1", "My eye narrows when I use my mouth (smile, talk, eat)"),
        Item("saq2", "My face feels tight"),
        Item("saq3", "My mouth corner pulls when I close my eye"),
        Item("saq4", "My cheek or neck moves when I blink or close my eye"),
        Item("saq5", "My eye narrows while I eat"),
        Item("saq6", "My chin or neck tightens when I smile"),
        Item("saq7", "My face feels tense or tired"),
        Item("saq8", "My eye waters while I eat"),
        Item("saq9", "My smile looks uneven to me"),
    ),
    low=1,
    high=5,
    anchors=("seldom or never", "occasionally", "sometimes", "most of the time", "all the time"),
    rule="sum_over_max",
    higher_is_better=False,
)

FACE = Instrument(
    slug="face",
    name="Facial Clinimetric Evaluation scale",
    short_name="FaCE",
    citation="Kahn JB, Gliklich RE, Boyev KP, et al. Laryngoscope 2001;111(3):387-398.",
    items=(
        Item("face1", "How well I can raise my eyebrows"),
        Item("face2", "How well I can smile"),
        Item("face3", "How well I can pucker my lips"),
        Item("face4", "How comfortable my face feels (not tense or tired)"),
        Item("face5", "Eating and drinking without food or drink escaping"),
        Item("face6", "Keeping food out of my cheek while chewing"),
        Item("face7", "My eye feels comfortable (not dry or irritated)"),
        Item("face8", "Eating in front of other people without worry"),
        Item("face9", "Taking part in social activities"),
        Item("face10", "My face does not feel tight"),
        Item("face11", "Not avoiding people because of my face"),
        Item("face12", "My face does not ache or feel tired"),
        Item("face13", "I rarely need eye drops or ointment"),
        Item("face14", "My eye does not tear too much"),
        Item("face15", "My face does not change how others treat me"),
    ),
    low=1,
    high=5,
    anchors=("worst", "poor", "fair", "good", "normal / never a problem"),
    rule="range_normalised",
    higher_is_better=True,
    domains=(
        Domain("facial_movement", "Facial movement", ("face1", "face2", "face3")),
        Domain("facial_comfort", "Facial comfort", ("face4", "face10", "face12")),
        Domain("oral_function", "Oral function", ("face5", "face6")),
        Domain("eye_comfort", "Eye comfort", ("face7", "face13")),
        Domain("lacrimal_control", "Lacrimal control", ("face14",)),
        Domain("social_function", "Social function", ("face8", "face9", "face11", "face15")),
    ),
)

INSTRUMENTS: dict[str, Instrument] = {SAQ.slug: SAQ, FACE.slug: FACE}


def get(slug: str) -> Instrument:
    try:
        return INSTRUMENTS[slug]
    except KeyError:
        raise InstrumentError(f"Unknown questionnaire {slug!r}.") from None


def _validate(instrument: Instrument, answers: Mapping[str, object]) -> dict[str, int]:
    unknown = set(answers) - set(instrument.keys)
    if unknown:
        raise InstrumentError(f"Unknown item(s): {', '.join(sorted(unknown))}.")
    clean: dict[str, int] = {}
    for key in instrument.keys:
        value = answers.get(key)
        if value is None or value == "":
            # No proration: the published scores assume every item was answered.
            raise InstrumentError("Please answer every question; the score needs all of them.")
        try:
            number = int(str(value))
        except ValueError:
            raise InstrumentError(f"{key}: {value!r} is not a number.") from None
        if not instrument.low <= number <= instrument.high:
            raise InstrumentError(f"{key}: answers run from {instrument.low} to {instrument.high}.")
        clean[key] = number
    return clean


def _normalised(instrument: Instrument, values: list[int]) -> float:
    lo, hi = instrument.low * len(values), instrument.high * len(values)
    return round((sum(values) - lo) / (hi - lo) * 100.0, 1)


def score(instrument: Instrument, answers: Mapping[str, object]) -> dict[str, float]:
    """Scores for a complete set of answers: ``{"total": x}`` plus one entry per domain.

    Raises :class:`InstrumentError` for a missing, unknown or out-of-range answer.
    """
    clean = _validate(instrument, answers)
    oriented = {
        item.key: (instrument.low + instrument.high - clean[item.key]) if item.reverse else clean[item.key]
        for item in instrument.items
    }
    if instrument.rule == "sum_over_max":
        total = round(sum(oriented.values()) / (instrument.high * len(oriented)) * 100.0, 1)
        return {"total": total}
    scores = {domain.key: _normalised(instrument, [oriented[k] for k in domain.items]) for domain in instrument.domains}
    scores["total"] = _normalised(instrument, list(oriented.values()))
    return scores


def load_overrides(path: str | Path) -> None:
    """Replace item labels and response anchors with a clinic's licensed wording.

    JSON shape: ``{"saq": {"items": {"saq1": "..."}, "anchors": ["...", ...]}, "face": {...}}``.
    Structure and scoring never change: unknown items or a wrong number of anchors are refused.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    for slug, spec in data.items():
        instrument = get(slug)
        labels = spec.get("items", {})
        unknown = set(labels) - set(instrument.keys)
        if unknown:
            raise InstrumentError(f"{slug}: unknown item(s) {sorted(unknown)} in {path}.")
        items = tuple(replace(item, label=labels.get(item.key, item.label)) for item in instrument.items)
        anchors = tuple(spec.get("anchors", instrument.anchors))
        if len(anchors) != instrument.high - instrument.low + 1:
            raise InstrumentError(f"{slug}: expected {instrument.high - instrument.low + 1} anchors in {path}.")
        INSTRUMENTS[slug] = replace(instrument, items=items, anchors=anchors)
