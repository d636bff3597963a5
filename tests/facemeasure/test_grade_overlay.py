"""Grading formulas (on hand-made measurements) and on a synthetic visit; overlay drawing."""

from __future__ import annotations

import dataclasses
import functools
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


def _frame(m: facemeasure.Measurement) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors (photo pixels) along the pupils' line and up, as the grade reads movements."""
    along = np.array([m.pupil_left.x - m.pupil_right.x, m.pupil_left.y - m.pupil_right.y])
    along /= np.linalg.norm(along)
    return along, np.array([along[1], -along[0]])


def _move(m: facemeasure.Measurement, **moves: tuple[float, float]) -> facemeasure.Measurement:
    """``m`` with points moved by (mm along the pupils' line, mm up): what the grade's movements read."""
    along, up = _frame(m)
    points = dict(m.points)
    for name, (a, u) in moves.items():
        d = (a * along + u * up) / m.mm_per_px
        points[name] = facemeasure.Point(points[name].x + float(d[0]), points[name].y + float(d[1]))
    return dataclasses.replace(m, points=points)


def _raise(m: facemeasure.Measurement, measure: str, point: str, left: float, right: float, sign: float = 1.0) -> facemeasure.Measurement:
    """``measure`` set to (left, right) mm and its points moved up by the change (down with ``sign=-1``)."""
    old = getattr(m.measures, measure)
    moved = _move(m, **{f"{point}_left": (0.0, sign * (left - old.left)), f"{point}_right": (0.0, sign * (right - old.right))})
    return _with(moved, **{measure: (left, right)})


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
        "brows_up": _raise(neutral, "brow_height", "brow", 17.0, 28.0),  # left rises 2 mm, right 8 mm
        "eyes_closed": _with(neutral, palpebral_fissure_height=(5.0, 0.0)),  # left half closed
        # the left corner moves 1 mm outwards; the right one 5 mm outwards and 3 mm up
        "smile": _move(
            _with(neutral, commissure_excursion=(31.0, 35.0), commissure_height=(60.0, 57.0)),
            corner_left=(1.0, 0.0), corner_right=(-5.0, 3.0),
        ),
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
        "eyes_closed": _with(
            _raise(rest, "commissure_height", "corner", 57.0, 60.0, sign=-1.0), palpebral_fissure_height=(0.0, 0.0)
        ),
        "smile": _with(rest, palpebral_fissure_height=(6.0, 9.0)),  # left narrows 40 %, right 10 %
        "pucker": rest,
    }
    items = {i.name: i.score for i in facemeasure.grade(visit, affected="left", check=False).items}
    # excess over the noise floors (0.08 of the resting fissure, 1 mm), normalised by 0.5 and 5 mm
    assert items["ocular_synkinesis"] == pytest.approx(100 * (1 - (0.3 - 0.08) / 0.5))
    assert items["oral_synkinesis"] == pytest.approx(100 * (1 - (3.0 - 1.0) / 5.0))


def test_movements_are_read_on_the_face_not_on_the_pupil_estimate_or_the_photo_scale(
    rest: facemeasure.Measurement,
) -> None:
    raised = _raise(rest, "brow_height", "brow", 22.0, 24.0)  # the brows rise 2 and 4 mm
    # the limbus fit put this photo's pupils 1 mm higher: every height from the pupils reads 1 mm
    # less, but the brows moved as far against the eye corners and the nose
    pupils_up = _with(
        _move(raised, pupil_left=(0.0, 1.0), pupil_right=(0.0, 1.0)), brow_height=(21.0, 23.0)
    )
    # the same photo taken from farther away: every pixel position shrinks about a point, each pixel is more mm
    k, c = 0.7, np.array([300.0, 200.0])

    def shrink(p: facemeasure.Point) -> facemeasure.Point:
        return facemeasure.Point(*(c + k * (np.array([p.x, p.y]) - c)))

    lm = raised.landmarks.copy()
    lm[:, :2] = c + k * (lm[:, :2] - c)
    farther = dataclasses.replace(
        raised,
        landmarks=lm,
        points={n: shrink(p) for n, p in raised.points.items()},
        pupil_left=shrink(raised.pupil_left),
        pupil_right=shrink(raised.pupil_right),
        mm_per_px=raised.mm_per_px / k,
    )
    for brows_up in (raised, pupils_up, farther):
        visit = {"neutral": rest, "brows_up": brows_up, "eyes_closed": rest, "smile": rest, "pucker": rest}
        item = {i.name: i for i in facemeasure.grade(visit, affected="left", check=False).items}["brow_elevation"]
        assert (item.affected, item.healthy) == (pytest.approx(2.0, abs=1e-6), pytest.approx(4.0, abs=1e-6))
        assert item.score == pytest.approx(50.0)


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
    sym = dict(visit, brows_up=_raise(rest, "brow_height", "brow", 25.0, 25.1))
    g = facemeasure.grade(sym, check=False)
    assert g.affected == "" and "no clearly affected side" in g.affected_reason
    assert "moves less:" not in g.affected_reason
    assert g.to_dict()["affected"] == ""
    # clearly asymmetric: a side, and no "no clearly affected side"
    asym = dict(visit, brows_up=_raise(rest, "brow_height", "brow", 21.0, 26.0))
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


#: JPEG qualities a re-encode must survive (issue 16: 75-95).
QUALITIES = (75, 80, 85, 90, 95)
DEMO = Path(__file__).resolve().parents[2] / "consult" / "photos" / "demo_faces"
#: demo set b1: another face, the subject's right side affected, photos already JPEG (quality 86)
DEMO_B1 = {
    "neutral": "neutral", "brows_up": "brows_raised", "eyes_closed": "eyes_closed_gentle", "smile": "smile", "pucker": "pucker",
}


def _jpeg(rgb: np.ndarray, quality: int) -> bytes:
    import io

    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="JPEG", quality=quality)
    return buf.getvalue()


@functools.cache
def _jpeg_grades(visit: str) -> dict[int, dict[str, float]]:
    """Scores of one visit (quality 0: as made) and of its photos re-encoded, graded as the platform does."""
    if visit == "obama":
        images = expression_set(np.array(face_rgb("obama_official_portrait_2012.jpg")), affected="left", strength=0.4)
    else:
        images = {e: np.asarray(Image.open(DEMO / f"b1_{name}.jpg").convert("RGB")) for e, name in DEMO_B1.items()}
    out = {0: facemeasure.grade_photos(images).to_dict()["scores"]}
    for quality in QUALITIES:
        photos = {name: _jpeg(rgb, quality) for name, rgb in images.items()}
        out[quality] = facemeasure.grade_photos(photos).to_dict()["scores"]
    return out


def _moved_by_jpeg(visit: str, score: str) -> float:
    grades = _jpeg_grades(visit)
    return max(abs(grades[q][score] - grades[0][score]) for q in QUALITIES)


def test_the_cli_grades_with_the_grading_options_by_default() -> None:
    # (the platform's are checked in tests/consult/photos/test_work.py)
    from facemeasure import cli

    opts = facemeasure.GRADING_OPTIONS
    assert (opts.passes, opts.denoise) == (cli.GRADING_PASSES, cli.GRADING_DENOISE) == (12, 1.5)


@pytest.mark.engine
@pytest.mark.parametrize("visit", ["obama", "demo_b1"])
@pytest.mark.parametrize("score", ["static", "synkinesis", "total"])
def test_a_jpeg_re_encode_moves_a_score_by_at_most_3_points(visit: str, score: str) -> None:
    assert _moved_by_jpeg(visit, score) <= 3.0, _jpeg_grades(visit)


@pytest.mark.engine
@pytest.mark.parametrize(
    "visit",
    [
        pytest.param(
            "obama",
            marks=pytest.mark.xfail(
                strict=True,
                reason="3.7 points on a 20 px iris: the gentle eye closure (docs/measurement.md, 'Grade stability')",
            ),
        ),
        "demo_b1",
    ],
)
def test_a_jpeg_re_encode_moves_the_dynamic_score_by_at_most_3_points(visit: str) -> None:
    assert _moved_by_jpeg(visit, "dynamic") <= 3.0, _jpeg_grades(visit)


@pytest.mark.engine
def test_a_jpeg_re_encode_moves_the_dynamic_score_on_a_20_px_iris_within_the_reached_bound() -> None:
    # Reached: 3.7 points with the platform's 12 passes, 5.0 with 3 (docs/measurement.md, "Grade stability");
    # before issue 16's grade work, 11.6.
    assert _moved_by_jpeg("obama", "dynamic") <= 6.0, _jpeg_grades("obama")


@pytest.mark.engine
def test_the_grade_follows_how_far_the_affected_side_moves() -> None:
    # The same face with its left side moving as far as the right (1.0), 40 % as far, or not at all:
    # the dynamic items follow (the movements are synthetic warps, so 40 % should read about 40).
    rgb = np.array(face_rgb("obama_official_portrait_2012.jpg"))
    scores = {}
    for strength in (1.0, 0.4, 0.0):
        g = facemeasure.grade_photos(expression_set(rgb, affected="left", strength=strength, droop_mm=2.0 * (strength < 1)))
        scores[strength] = {i.name: i.score for i in g.items} | {"dynamic": g.dynamic, "affected": g.affected}
    assert scores[1.0]["dynamic"] >= 75.0 and scores[1.0]["gentle_eye_closure"] >= 90.0
    for item in ("brow_elevation", "gentle_eye_closure", "smile"):
        assert 20.0 <= scores[0.4][item] <= 60.0, (item, scores)
        assert scores[0.0][item] <= 20.0, (item, scores)
    assert scores[1.0]["dynamic"] - scores[0.4]["dynamic"] >= 30.0
    assert scores[0.4]["dynamic"] - scores[0.0]["dynamic"] >= 25.0
    assert scores[0.4]["affected"] == scores[0.0]["affected"] == "left"
