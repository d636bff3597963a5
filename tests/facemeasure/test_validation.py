"""Accuracy validation without patient photos: known warps, mirrored composites, roll and scale.

Numbers asserted here are the ones the engine actually reaches (see docs/measurement.md for the
full distribution); where the issue's target is not met for every case the test says so.
"""

from __future__ import annotations

import numpy as np
import pytest

from facemeasure import MEASURE_NAMES

from . import synthetic
from .conftest import face_rgb, measured
from .synthetic import (
    GaussianField,
    inversion_residual,
    patch_shift,
    warp_image,
)

pytestmark = pytest.mark.engine

MM_MEASURES = [n for n in MEASURE_NAMES if n != "smile_angle"]


@pytest.mark.parametrize("d_px", [2.0, 6.0, 12.0])
def test_warp_really_moves_the_pixels_by_d(d_px: float) -> None:
    rgb = face_rgb("obama_official_portrait_2012.jpg")
    c = measured("obama_official_portrait_2012.jpg").points["corner_left"]
    field = GaussianField(c.x, c.y, 0.0, d_px, 20.0, 20.0)
    warped = warp_image(np.array(rgb), field)
    dx, dy = patch_shift(rgb, warped, c.x, c.y, half=4, search=int(d_px) + 4)
    assert dy == pytest.approx(d_px, abs=max(0.35, 0.05 * d_px))
    assert abs(dx) < 0.4
    assert inversion_residual(field, c.x + 3.0, c.y + d_px) < 1e-6
    # pixels far from the bump do not move at all
    assert np.array_equal(warped[:100], rgb[:100])


def test_warp_refuses_a_fold() -> None:
    with pytest.raises(ValueError, match="steep"):
        warp_image(np.zeros((50, 50, 3), np.uint8), GaussianField(25, 25, 0, 10, 5, 5))


@pytest.fixture(scope="module")
def recovery_rows() -> list[dict]:
    return synthetic.run(True, "set")


@pytest.fixture(scope="module")
def recovery_rows_half_face() -> list[dict]:
    return synthetic.run(True, "set", half_face=True)


def _stats(rows: list[dict]) -> dict[str, float]:
    err = np.array([abs(r["error"]) for r in rows])
    other = np.array([abs(r["other_change"]) for r in rows])
    tol = np.array([max(0.5, 0.15 * r["d"]) for r in rows])
    return {
        "median": float(np.median(err)),
        "within": float((err <= tol).mean()),
        "other_within": float((other <= 0.5).mean()),
        "other_median": float(np.median(other)),
    }


def test_synthetic_recovery_default(recovery_rows: list[dict]) -> None:
    # Issue target: >= 97 % within max(0.5 mm, 15 %) and the other side within 0.5 mm. Reached
    # when this test was last tightened (levelled crop, face-level set scale): 70/80 and 75/80,
    # median error 0.16 mm (full table in docs/measurement.md; the extended validation over every
    # fixture face is bench/measure_accuracy.py --all). Bounds sit just under what is reached so a
    # regression fails; they are not the issue's target, which is not met.
    s = _stats(recovery_rows)
    assert len(recovery_rows) == 80
    assert s["median"] <= 0.17
    assert s["within"] >= 0.85
    assert s["other_within"] >= 0.92


def test_synthetic_recovery_half_face(recovery_rows_half_face: list[dict]) -> None:
    # Half-face composites decouple the sides: the unmoved side stays within 0.5 mm in 78/80
    # cases, at the cost of a slightly worse moved side (68/80 within tolerance).
    s = _stats(recovery_rows_half_face)
    assert s["median"] <= 0.18
    assert s["within"] >= 0.82
    assert s["other_within"] >= 0.95
    assert s["other_median"] <= 0.12


INVARIANCE_FACES = (
    "obama_official_portrait_2012.jpg",
    "biden_white_house_2010.jpg",
    "ibm_codait_luciano_cc0.png",
    "congress_S001184.jpg",
)
#: The issue's target for mirrored composites, +-10 degree roll and 40-100 % scale.
ISSUE_TARGET_MM = 0.5
#: What the engine reaches on these faces (worst case / mean over measures, faces and variants;
#: see docs/measurement.md "Invariance"). The target above is NOT met; these bounds catch
#: regressions, and the strict xfail below turns green-on-fix into a failure to update the docs.
REACHED = {"mirror": (3.2, 0.55), "rotate": (1.2, 0.26), "scale": (1.5, 0.23)}


@pytest.fixture(scope="module")
def invariance() -> dict[str, list[float]]:
    res: dict[str, list[float]] = {"mirror": [], "rotate": [], "scale": [], "roll_error": []}
    for kind, _face, _variant, name, value in synthetic.invariance_rows(INVARIANCE_FACES):
        if name in MM_MEASURES or kind == "roll_error":
            res[kind].append(value)
    return res


@pytest.mark.parametrize("kind", ["mirror", "rotate", "scale"])
def test_invariance_within_reached_bounds(invariance: dict[str, list[float]], kind: str) -> None:
    worst, mean = REACHED[kind]
    v = np.array(invariance[kind])
    assert v.max() <= worst, f"{kind}: worst change {v.max():.2f} mm"
    assert v.mean() <= mean, f"{kind}: mean change {v.mean():.2f} mm"


def test_roll_is_recovered(invariance: dict[str, list[float]]) -> None:
    assert max(invariance["roll_error"]) <= 1.0


#: Why the 0.5 mm target is not reached, with the numbers of 2026-11-26 (docs/measurement.md, "Invariance"
#: and "Test-time averaging"; "platform": GRADING_OPTIONS, 12 passes with the filter).
_FLOOR = (
    "the same photo moved by one pixel moves a measure by up to 1.2 mm (scale held fixed; 12 averaged "
    "passes lower the mean, not the maximum: a limbus fit that comes and goes, not FaceMesh's jitter)"
)
_NOT_REACHED = {
    "mirror": f"worst 3.07 mm on these 4 faces (1 pass), 3.24 mm over 18 faces (platform), 0.94 with 6 passes half mirrored; {_FLOOR}",
    "rotate": f"worst 1.07 mm on these 4 faces (1 pass), 1.11 mm over 18 faces (platform; 1.88 before a visit photo without limbus fits took its scale from its landmark pupil distance, 2.88 with 3 passes); {_FLOOR}",
    "scale": f"worst 1.40 mm on these 4 faces (1 pass), 0.98 mm over 18 faces (platform); {_FLOOR}",
}


@pytest.mark.parametrize(
    "kind",
    [
        pytest.param(
            k, marks=pytest.mark.xfail(strict=True, reason=f"issue target of 0.5 mm not reached: {r}")
        )
        for k, r in _NOT_REACHED.items()
    ],
)
def test_invariance_issue_target(invariance: dict[str, list[float]], kind: str) -> None:
    assert max(invariance[kind]) <= ISSUE_TARGET_MM


def test_left_and_right_use_mirror_twin_landmarks() -> None:
    # A mirrored composite can only come out symmetric if every per-side measure reads the mirror
    # twins of the other side's FaceMesh vertices (and the midline contours are symmetric lists).
    from facemeasure import _measures as m
    from facemeasure._mirror import MIRROR

    for table in (m.EYE_UPPER, m.EYE_LOWER, m.BROW_UPPER, m.BROW_LOWER):
        assert [MIRROR[i] for i in table["right"]] == list(table["left"])
    assert sorted(MIRROR[i] for i in m.IRIS_RING["right"]) == sorted(m.IRIS_RING["left"])
    assert MIRROR[m.MOUTH_CORNER["right"]] == m.MOUTH_CORNER["left"]
    assert MIRROR[m.IRIS_CENTRE["right"]] == m.IRIS_CENTRE["left"]
    for contour in (m.LIP_UPPER_OUTER, m.LIP_LOWER_OUTER, m.LIP_UPPER_INNER, m.LIP_LOWER_INNER):
        assert [MIRROR[i] for i in contour] == list(contour)[::-1]


#: A subset of the extended validation (bench/measure_accuracy.py --all runs every face and 0.5-6 mm).
EXTENDED_FACES = ("ibm_codait_luciano_cc0.png", "congress_S001184.jpg")
EXTENDED_DISTANCES = (0.5, 2.0, 6.0)
#: Reached on this subset when written: 23/24 within tolerance, mean 0.17 mm, max 1.37 mm, other
#: side 22/24 within 0.5 mm, both errors over 1 mm flagged.
EXT_WITHIN, EXT_MEAN, EXT_MAX, EXT_OTHER, EXT_UNFLAGGED = 0.9, 0.22, 1.6, 0.87, 0


@pytest.fixture(scope="module")
def extended() -> list[dict]:
    return synthetic.extended_rows(EXTENDED_FACES, EXTENDED_DISTANCES)


def test_extended_validation_subset(extended: list[dict]) -> None:
    # Issue target: >= 97 % within max(0.5 mm, 15 %), mean error <= 0.25 mm, max <= 1.5 mm, other
    # side <= 0.5 mm. Reached on this subset (see docs/measurement.md for all 18 faces): the bounds
    # below, just under it; the target is not met over all faces.
    err = np.array([abs(r["error"]) for r in extended])
    other = np.array([abs(r["other_change"]) for r in extended])
    tol = np.array([max(0.5, 0.15 * r["d"]) for r in extended])
    assert len(extended) == 24 and {r["variant"] for r in extended} == set(synthetic.CAMERA_VARIANTS)
    assert (err <= tol).mean() >= EXT_WITHIN
    assert err.mean() <= EXT_MEAN
    assert err.max() <= EXT_MAX
    assert (other <= 0.5).mean() >= EXT_OTHER


def test_every_error_over_1_mm_carries_a_warning(extended: list[dict]) -> None:
    unflagged = [r for r in extended if max(abs(r["error"]), abs(r["other_change"])) > 1.0 and not r["flags"]]
    assert len(unflagged) <= EXT_UNFLAGGED, unflagged


def test_a_visit_photo_that_loses_a_limbus_fit_keeps_the_face_scale_and_is_flagged() -> None:
    # S001195, left mouth corner moved 0.5 mm, upright, with the platform's setting: one photo of the visit
    # loses a limbus fit. Its scale used to come from its eye width (which moves with the expression) while
    # the other photo's came from its fitted pupil distance, and both corners moved by 1.7-2.3 mm together.
    # Now its pupil distance comes from FaceMesh's iris centres, on the ratio the fitted photo gives: the
    # corners stay within 1 mm, and its millimetres still say that its pupils are not fitted (``scale_mixed``).
    import facemeasure

    rows = synthetic.extended_rows(["congress_S001195.jpg"], (0.5,), ("same",), opts=facemeasure.GRADING_OPTIONS)
    (corner,) = [r for r in rows if r["feature"] == "mouth_corner" and r["side"] == "left"]
    assert "scale_mixed" in corner["flags"], corner  # the case this test is about: estimators differ
    assert abs(corner["error"]) <= 1.0 and abs(corner["other_change"]) <= 0.5, corner
    assert all(r["flags"] for r in rows if max(abs(r["error"]), abs(r["other_change"])) > 1.0), rows


def test_a_corner_whose_lip_seam_disagrees_with_the_mesh_is_flagged() -> None:
    # Luciano's left mouth corner moved down 6 mm, photographed at +10 degrees of roll, with the platform's
    # setting: FaceMesh follows the droop only partly and the corner's height (the mean of the mesh's corner
    # and the lip seam beside it) comes out about 1.2 mm short. Nothing flagged it; the seam is 2.5 mm from the
    # mesh's corner there, so the corner measures now say ``corner_disagrees``.
    import facemeasure

    rows = synthetic.extended_rows(
        ["ibm_codait_luciano_cc0.png"], (6.0,), ("roll+10",), opts=facemeasure.GRADING_OPTIONS
    )
    (corner,) = [r for r in rows if r["feature"] == "mouth_corner" and r["side"] == "left"]
    assert corner["error"] < -1.0, corner  # the case this test is about: an error over 1 mm
    assert "corner_disagrees" in corner["flags"], corner
    assert all(r["flags"] for r in rows if max(abs(r["error"]), abs(r["other_change"])) > 1.0), rows


class _CountingLandmarker:
    """FaceMesh, counting its runs (``MeasureOptions.passes``)."""

    def __init__(self) -> None:
        from facemeasure._landmarks import default_landmarker

        self.inner = default_landmarker()
        self.runs = 0

    def detect(self, rgb: np.ndarray) -> list[np.ndarray]:
        self.runs += 1
        return self.inner.detect(rgb)


@pytest.mark.parametrize("passes", [3, 8])
def test_every_pass_asked_for_is_run(passes: int) -> None:
    # one run on the photo, one on the levelled crop, then passes - 1 more: the shift pattern has
    # room for any number of passes (it used to stop silently at five)
    import facemeasure

    counting = _CountingLandmarker()
    opts = facemeasure.MeasureOptions(passes=passes)
    facemeasure.measure(face_rgb("ibm_codait_luciano_cc0.png"), landmarker=counting, options=opts)
    assert counting.runs == 1 + passes


def test_mirrored_passes_cancel_most_of_facemeshs_left_right_bias() -> None:
    # A mirrored composite is exactly symmetric, so every |left - right| is FaceMesh's own bias (or the
    # refinement's): six passes, half of them on the mirrored crop, remove much of it (here 1.9 -> 1.1 mm;
    # docs/measurement.md, "Test-time averaging": over 18 faces the worst fell from 3.3 to 0.9 mm).
    import facemeasure

    rgb = synthetic.reference_image("obama_official_portrait_2012.jpg")
    base = facemeasure.measure(rgb)
    composite = synthetic.mirrored_composite(rgb, (base.pupil_left.x + base.pupil_right.x) / 2.0, keep="right")
    worst = {}
    for mirror in (False, True):
        opts = facemeasure.MeasureOptions(passes=6, denoise=1.5, mirror_passes=mirror)
        m = facemeasure.measure(composite, options=opts)
        worst[mirror] = max(m.deviation[n] for n in MM_MEASURES)
    assert worst[True] <= 1.25, worst
    assert worst[True] <= 0.7 * worst[False], worst
