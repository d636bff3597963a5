"""Grading formulas (on hand-made measurements) and on a synthetic visit; overlay drawing."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import facemeasure
from facemeasure import MEASURE_NAMES, Measures, Sides
from facemeasure.cli import main

from .conftest import FACES, face_rgb, measured
from .synthetic import expression_set


def _with(m: facemeasure.Measurement, **changes: tuple[float, float]) -> facemeasure.Measurement:
    values = {n: getattr(m.measures, n) for n in MEASURE_NAMES}
    for name, (left, right) in changes.items():
        values[name] = Sides(left, right)
    return dataclasses.replace(m, measures=Measures(**values))


@pytest.fixture(scope="module")
def rest() -> facemeasure.Measurement:
    base = measured("ibm_codait_luciano_cc0.png")
    return _with(
        base,
        brow_height=(20.0, 20.0),
        palpebral_fissure_height=(10.0, 10.0),
        commissure_excursion=(30.0, 30.0),
        commissure_height=(60.0, 60.0),
    )


def test_static_formula_and_dynamic_ratios(rest: facemeasure.Measurement) -> None:
    neutral = _with(rest, brow_height=(15.0, 20.0))  # left brow 25 % low at rest
    visit = {
        "neutral": neutral,
        "brows_up": _with(neutral, brow_height=(17.0, 28.0)),  # left rises 2 mm, right 8 mm
        "eyes_closed": _with(neutral, palpebral_fissure_height=(5.0, 0.0)),  # left half closed
        "smile": _with(neutral, commissure_excursion=(31.0, 35.0), commissure_height=(60.0, 57.0)),
        "pucker": neutral,
    }
    g = facemeasure.grade(visit, affected="left", check=False)
    items = {i.name: i for i in g.items}
    assert items["brow_at_rest"].score == pytest.approx(75.0)  # 100 - |100 - 100*15/20|
    assert items["brow_elevation"].score == pytest.approx(25.0)  # 2 / 8
    assert items["gentle_eye_closure"].score == pytest.approx(50.0)  # 0.5 / 1.0
    assert items["smile"].score == pytest.approx(100 * 1.0 / math.hypot(5.0, 3.0))
    assert items["ocular_synkinesis"].score == 100.0
    assert g.total == pytest.approx(sum(i.score for i in g.items) / len(g.items))
    auto = facemeasure.grade(visit, affected="auto", check=False)
    assert auto.affected == "left"
    assert "left side moves less" in auto.affected_reason


def test_static_item_penalises_both_directions(rest: facemeasure.Measurement) -> None:
    visit = {e: rest for e in ("neutral", "brows_up", "eyes_closed", "smile", "pucker")}
    high = dict(visit, neutral=_with(rest, brow_height=(25.0, 20.0)))
    low = dict(visit, neutral=_with(rest, brow_height=(15.0, 20.0)))
    s_high = {i.name: i.score for i in facemeasure.grade(high, affected="left", check=False).items}["brow_at_rest"]
    s_low = {i.name: i.score for i in facemeasure.grade(low, affected="left", check=False).items}["brow_at_rest"]
    assert s_high == pytest.approx(75.0) and s_low == pytest.approx(75.0)


def test_synkinesis_items(rest: facemeasure.Measurement) -> None:
    visit = {
        "neutral": rest,
        "brows_up": rest,
        "eyes_closed": _with(rest, commissure_height=(57.0, 60.0), palpebral_fissure_height=(0.0, 0.0)),
        "smile": _with(rest, palpebral_fissure_height=(6.0, 9.0)),  # left narrows 40 %, right 10 %
        "pucker": rest,
    }
    items = {i.name: i.score for i in facemeasure.grade(visit, affected="left", check=False).items}
    # excess over the noise floors (0.08 of the resting fissure, 1 mm), normalised by 0.5 and 5 mm
    assert items["ocular_synkinesis"] == pytest.approx(100 * (1 - (0.3 - 0.08) / 0.5))
    assert items["oral_synkinesis"] == pytest.approx(100 * (1 - (3.0 - 1.0) / 5.0))


def test_missing_photos_are_a_grade_error(rest: facemeasure.Measurement) -> None:
    with pytest.raises(facemeasure.GradeError, match="pucker"):
        facemeasure.grade({"neutral": rest, "brows_up": rest, "eyes_closed": rest, "smile": rest})


@pytest.fixture(scope="module")
def visit_images() -> dict[str, np.ndarray]:
    """A synthetic visit of one face: the subject's left side moves 40 % as far as the right."""
    return expression_set(np.array(face_rgb("obama_official_portrait_2012.jpg")), affected="left", strength=0.4)


@pytest.fixture(scope="module")
def visit(visit_images: dict[str, np.ndarray]) -> dict[str, facemeasure.Measurement]:
    names = list(visit_images)
    return dict(zip(names, facemeasure.measure_set([visit_images[n] for n in names]), strict=True))


@pytest.mark.engine
def test_synthetic_visit_finds_the_side_that_moves_less(visit: dict[str, facemeasure.Measurement]) -> None:
    assert facemeasure.check_expressions(visit) == {}
    g = facemeasure.grade(visit)
    assert g.affected == "left"
    assert "left side moves less" in g.affected_reason and "no clearly affected" not in g.affected_reason
    smile = {i.name: i for i in g.items}["smile"]
    assert smile.healthy > 2.5
    assert smile.score < 80.0


@pytest.mark.engine
def test_expression_check_catches_an_open_eyed_smile_under_every_label(
    visit: dict[str, facemeasure.Measurement],
) -> None:
    # The set: "eyes closed", "brows raised" and "pucker" all show the smile.
    wrong = dict(visit, eyes_closed=visit["smile"], brows_up=visit["smile"], pucker=visit["smile"])
    bad = facemeasure.check_expressions(wrong)
    assert set(bad) == {"eyes_closed", "brows_up", "pucker"}
    with pytest.raises(facemeasure.GradeError, match="not showing their expression") as err:
        facemeasure.grade(wrong)
    assert "eyes_closed" in str(err.value) and "pucker" in str(err.value)
    # an optional photo that does not show its expression is left out of the grade, and said so
    extra = dict(visit, teeth=visit["pucker"])
    g = facemeasure.grade(extra)
    assert "teeth" in g.excluded and all(i.name != "show_teeth" for i in g.items)
    assert g.to_dict()["excluded"]["teeth"]


def test_affected_side_sentence_never_contradicts_itself(rest: facemeasure.Measurement) -> None:
    visit = {e: rest for e in ("neutral", "brows_up", "eyes_closed", "smile", "pucker")}
    # nearly symmetric movements: no side is named, and the reason says why
    sym = dict(visit, brows_up=_with(rest, brow_height=(25.0, 25.1)))
    g = facemeasure.grade(sym, check=False)
    assert g.affected == "" and "no clearly affected side" in g.affected_reason
    assert "moves less:" not in g.affected_reason
    assert g.to_dict()["affected"] == ""
    # clearly asymmetric: a side, and no "no clearly affected side"
    asym = dict(visit, brows_up=_with(rest, brow_height=(21.0, 26.0)))
    g = facemeasure.grade(asym, check=False)
    assert g.affected == "left" and "no clearly affected" not in g.affected_reason


@pytest.mark.engine
def test_grade_cli_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = str(FACES / "ibm_codait_luciano_cc0.png")
    args = ["grade", "--neutral", f, "--brows-up", f, "--eyes-closed", f, "--smile", f, "--pucker", f, "--affected", "left"]
    # the same photo for every expression: the expression check refuses it, with a message
    assert main([*args, "--json"]) == 1
    assert "not showing their expression" in capsys.readouterr().err
    code = main([*args, "--json", "--no-expression-check"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["affected"] == "left" and out["affected_reason"] == "given by the user"
    assert set(out["scores"]) == {"static", "dynamic", "synkinesis", "total"}
    assert all(0.0 <= i["score"] <= 100.0 for i in out["items"])


@pytest.mark.engine
def test_grade_cli_reports_a_bad_photo_without_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = str(FACES / "ibm_codait_luciano_cc0.png")
    code = main(["grade", "--neutral", f, "--brows-up", f, "--eyes-closed", f, "--smile", str(tmp_path / "x.jpg"), "--pucker", f])
    assert code == 1
    assert "does not exist" in capsys.readouterr().err


@pytest.mark.engine
def test_overlay_cli_draws_on_the_photo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = FACES / "obama_official_portrait_2012.jpg"
    out = tmp_path / "o.png"
    assert main(["overlay", str(src), "-o", str(out)]) == 0
    drawn = np.asarray(Image.open(out).convert("RGB")).astype(int)
    orig = face_rgb(src.name).astype(int)
    assert drawn.shape == orig.shape
    m = measured(src.name)
    # the inter-pupil line passes through the midpoint of the pupils: that pixel was painted
    x, y = round((m.pupil_left.x + m.pupil_right.x) / 2), round((m.pupil_left.y + m.pupil_right.y) / 2)
    assert np.abs(drawn[y - 1 : y + 2, x - 1 : x + 2] - orig[y - 1 : y + 2, x - 1 : x + 2]).sum() > 0
    # and far from the face nothing changed
    assert np.array_equal(drawn[-20:, -20:], orig[-20:, -20:])
    assert main(["overlay", str(FACES / "SOURCES.md"), "-o", str(out)]) == 1


#: The platform's grading options (consult/photos/engine.py): three averaged landmark passes.
GRADING = facemeasure.MeasureOptions(passes=3)


@pytest.fixture(scope="module")
def jpeg_grades(visit_images: dict[str, np.ndarray]) -> dict[int, dict[str, float]]:
    import io

    out = {0: facemeasure.grade_photos(visit_images, options=GRADING).to_dict()["scores"]}
    for quality in (75, 85, 95):
        photos = {}
        for name, rgb in visit_images.items():
            buf = io.BytesIO()
            Image.fromarray(rgb).save(buf, format="JPEG", quality=quality)
            photos[name] = buf.getvalue()
        out[quality] = facemeasure.grade_photos(photos, options=GRADING).to_dict()["scores"]
    return out


@pytest.mark.engine
@pytest.mark.parametrize("score", ["static", "synkinesis", "total"])
def test_a_jpeg_re_encode_moves_a_score_by_at_most_3_points(jpeg_grades: dict[int, dict[str, float]], score: str) -> None:
    for quality in (75, 85, 95):
        assert abs(jpeg_grades[quality][score] - jpeg_grades[0][score]) <= 3.0, (score, quality, jpeg_grades)


@pytest.mark.engine
def test_a_jpeg_re_encode_moves_the_dynamic_score_within_the_reached_bound(jpeg_grades: dict[int, dict[str, float]]) -> None:
    # Reached: 6 points (docs/measurement.md, "Grade stability"); the 3 is met by the other scores.
    assert max(abs(jpeg_grades[q]["dynamic"] - jpeg_grades[0]["dynamic"]) for q in (75, 85, 95)) <= 7.0


@pytest.mark.engine
@pytest.mark.xfail(strict=True, reason="dynamic score moves up to 6 points on a JPEG re-encode: docs/measurement.md")
def test_a_jpeg_re_encode_moves_the_dynamic_score_by_at_most_3_points(jpeg_grades: dict[int, dict[str, float]]) -> None:
    assert max(abs(jpeg_grades[q]["dynamic"] - jpeg_grades[0]["dynamic"]) for q in (75, 85, 95)) <= 3.0
