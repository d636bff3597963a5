"""Every measure the report and the CSV show has a plain label, a unit and the definition docs/measurement.md gives."""

from __future__ import annotations

from pathlib import Path

import pytest

import facemeasure
from consult.photos.report import MEASURES

DOC = Path(__file__).resolve().parents[3] / "docs" / "measurement.md"


def test_every_engine_measure_has_a_label_unit_and_definition() -> None:
    assert set(MEASURES) == set(facemeasure.MEASURE_NAMES)
    for name, info in MEASURES.items():
        assert info.label and info.unit in {"mm", "°"} and info.help.endswith("."), name
        assert "_" not in info.label, name
        jargon = {"commissure", "palpebral", "fissure", "excursion", "dental"}
        assert not jargon & set(info.label.lower().split()), f"{name}: {info.label!r} is not plain words"
    assert "not the lip's own height" in MEASURES["upper_lip_height"].help


def test_the_labels_and_definitions_are_those_of_the_measurement_doc() -> None:
    doc = DOC.read_text(encoding="utf-8")
    section = doc[doc.index("### Plain labels") :]
    rows = {line.split("|")[1].strip(" `"): [c.strip() for c in line.split("|")[2:5]]
            for line in section.splitlines() if line.startswith("| `")}
    assert set(rows) == set(MEASURES)
    for name, info in MEASURES.items():
        assert rows[name] == [info.label, info.unit, info.help], name


def test_the_quote_panel_groups_every_measure_by_region_once() -> None:
    from consult.photos.report import REGIONS

    grouped = [name for names in REGIONS.values() for name in names]
    assert sorted(grouped) == sorted(MEASURES) and len(grouped) == len(set(grouped))
    assert list(REGIONS) == ["Brow", "Eyes", "Mouth"]


def test_difference_and_quote_are_the_number_a_doctor_quotes_without_a_link() -> None:
    from consult.photos.report import difference, quote_sentence

    assert difference("commissure_height", 64.1, 61.0) == "left 3.1 mm lower"
    assert difference("brow_height", 20.0, 21.26) == "right 1.3 mm higher"
    assert difference("smile_angle", 100.0, 104.0) == "right 4.0° larger"
    assert difference("mrd1", 3.02, 3.0) == "symmetric"
    sentence = quote_sentence("commissure_height", "neutral", 64.1, 61.0)
    assert sentence == "Left mouth corner height 3.1 mm lower at rest"
    assert "http" not in sentence and "](" not in sentence


def test_the_no_scores_note_says_which_photos_failed_rather_than_missing() -> None:
    from consult.photos.models import Photo, Status, Visit
    from consult.photos.report import build_report

    visit = Visit(taken_on="2026-01-01", report_error="missing photo(s) for: brows raised, smile, pucker")
    photos = [Photo(visit=visit, expression="neutral", status=Status.DONE),
              Photo(visit=visit, expression="smile", status=Status.FAILED)]
    assert build_report(visit, photos=photos).note == (
        "no measured photo for: brows raised, smile (could not be measured), pucker"
    )
    visit.report_error = "photo(s) not showing their expression: smile"
    assert build_report(visit, photos=photos).note == visit.report_error


@pytest.mark.django_db
def test_every_measure_in_the_csv_export_has_the_reports_label_unit_and_definition(patient) -> None:
    from django.utils import timezone

    from consult.photos.models import Photo, Status, Visit
    from consult.progress.selectors import export_rows

    visit = Visit.objects.create(patient=patient, taken_on=timezone.localdate(), status=Status.DONE)
    measures = {name: {"left": 10.0, "right": 11.0} for name in facemeasure.MEASURE_NAMES}
    Photo.objects.create(visit=visit, expression="neutral", image="x/n.jpg", status=Status.DONE,
                         measurement={"measures": measures})
    rows = [r for r in export_rows(patient=patient) if r["kind"] == "measure"]
    assert {r["name"] for r in rows} == set(facemeasure.MEASURE_NAMES)
    for r in rows:
        info = MEASURES[r["name"]]
        assert (r["label"], r["unit"], r["definition"]) == (info.label, info.unit, info.help), r["name"]


def test_every_reason_the_engine_gives_is_said_in_plain_words_on_the_report() -> None:
    # the reasons docs/measurement.md lists (the engine's ``Confidence.reasons``) each have a sentence for the
    # patient and the doctor, so a greyed number never shows a bare code such as "corner_disagrees"
    from consult.photos.report import REASONS

    doc = DOC.read_text(encoding="utf-8")
    table = doc[doc.index("| reason | when |") :].split("\n\n")[0]  # the table: up to its first blank line
    documented = {line.split("|")[1].strip(" `") for line in table.splitlines() if line.startswith("| `")}
    assert "corner_disagrees" in documented and "edge_disagrees" in documented
    assert documented == set(REASONS)
    assert all(words and "_" not in words for words in REASONS.values())
