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
    anchors: tuple[str, ...] = ()  # this item's response labels, low..high; empty = the instrument's


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
    prompt: str = ""  # what the form asks before the items
    licensed_wording: bool = False  # True once a clinic's file replaced the shipped paraphrases

    @property
    def size(self) -> int:
        """Number of response options (5 for a 1-5 scale)."""
        return self.high - self.low + 1

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items)

    @property
    def choices(self) -> list[tuple[int, str]]:
        return self.choices_for(None)

    def choices_for(self, item: Item | None) -> list[tuple[int, str]]:
        """``(value, "value - anchor")`` pairs for one item's radio group (its own anchors, else the instrument's)."""
        anchors = (item.anchors if item is not None else ()) or self.anchors
        return [(self.low + i, f"{self.low + i} - {label}") for i, label in enumerate(anchors)]


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
    prompt="Think about the past week. How often did each of these happen?",
)

#: Response labels of the FaCE movement items (1 = none, 5 = normal).
MOVEMENT = ("no movement", "slight movement", "some movement", "almost normal", "normal")

FACE = Instrument(
    slug="face",
    name="Facial Clinimetric Evaluation scale",
    short_name="FaCE",
    citation="Kahn JB, Gliklich RE, Boyev KP, et al. Laryngoscope 2001;111(3):387-398.",
    items=(
        Item("face1", "Raising my eyebrows", anchors=MOVEMENT),
        Item("face2", "Smiling", anchors=MOVEMENT),
        Item("face3", "Puckering my lips", anchors=MOVEMENT),
        Item("face4", "Tension or tiredness in my face"),
        Item("face5", "Food or drink escaping from my mouth"),
        Item("face6", "Food collecting in my cheek while I chew"),
        Item("face7", "A dry or irritated eye"),
        Item("face8", "Worry about eating in front of other people"),
        Item("face9", "Holding back from social activities"),
        Item("face10", "Tightness in my face"),
        Item("face11", "Avoiding people because of my face"),
        Item("face12", "Aching in my face"),
        Item("face13", "Needing eye drops or ointment"),
        Item("face14", "A watering eye"),
        Item("face15", "Being treated differently because of my face"),
    ),
    low=1,
    high=5,
    anchors=("a severe problem", "a big problem", "some problem", "a small problem", "no problem"),
    rule="range_normalised",
    higher_is_better=True,
    prompt="Think about the past week. Items 1-3: how well does the affected side of your face move? "
    "The others: how much of a problem was it?",
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
    """Replace item labels, response anchors and prompts with a clinic's licensed wording.

    JSON shape::

        {"face": {"prompt": "...", "anchors": ["...", 5 in all],
                  "items": {"face1": "a label", "face2": {"label": "...", "anchors": ["...", 5 in all]}}},
         "saq": {...}}

    Structure and scoring never change: an unknown instrument or item, an unknown key, or a wrong
    number of anchors is refused (the site does not start with a half-applied wording).
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    updated: dict[str, Instrument] = {}
    for slug, spec in data.items():
        instrument = get(slug)
        extra = set(spec) - {"prompt", "anchors", "items"}
        if extra:
            raise InstrumentError(f"{slug}: unknown key(s) {sorted(extra)} in {path}.")
        labels = spec.get("items", {})
        unknown = set(labels) - set(instrument.keys)
        if unknown:
            raise InstrumentError(f"{slug}: unknown item(s) {sorted(unknown)} in {path}.")
        items = tuple(_override_item(instrument, item, labels.get(item.key), path) for item in instrument.items)
        anchors = _anchors(instrument, spec.get("anchors", instrument.anchors), f"{slug} in {path}")
        updated[slug] = replace(
            instrument, items=items, anchors=anchors, prompt=str(spec.get("prompt", instrument.prompt)),
            licensed_wording=True,
        )
    INSTRUMENTS.update(updated)


def _anchors(instrument: Instrument, anchors: object, where: str) -> tuple[str, ...]:
    if not isinstance(anchors, list | tuple) or len(anchors) != instrument.size:
        raise InstrumentError(f"{where}: expected {instrument.size} anchors.")
    return tuple(str(a) for a in anchors)


def _override_item(instrument: Instrument, item: Item, spec: object, path: str | Path) -> Item:
    if spec is None:
        return item
    if isinstance(spec, str):
        return replace(item, label=spec)
    if not isinstance(spec, dict) or set(spec) - {"label", "anchors"}:
        raise InstrumentError(f"{item.key} in {path}: give a label, or an object with 'label' and 'anchors'.")
    anchors = _anchors(instrument, spec["anchors"], f"{item.key} in {path}") if "anchors" in spec else item.anchors
    return replace(item, label=str(spec.get("label", item.label)), anchors=anchors)
