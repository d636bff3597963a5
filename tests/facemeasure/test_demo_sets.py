"""The demo patients' photo sets (consult/photos/demo_faces/, built by scripts/build_demo_faces.py) show
the expressions they are labelled with, so the platform grades every one of them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import facemeasure

DEMO = Path(__file__).resolve().parents[2] / "consult" / "photos" / "demo_faces"
#: platform expression (file name) -> engine expression
EXPRESSIONS = {
    "neutral": "neutral",
    "brows_raised": "brows_up",
    "eyes_closed_gentle": "eyes_closed",
    "smile": "smile",
    "pucker": "pucker",
}


@pytest.mark.engine
@pytest.mark.parametrize("prefix", ["a1", "a2", "b1", "c1"])
def test_every_demo_set_shows_its_expressions_and_is_graded(prefix: str) -> None:
    manifest = json.loads((DEMO / "manifest.json").read_text())["photos"]
    files = {engine: DEMO / f"{prefix}_{platform}.jpg" for platform, engine in EXPRESSIONS.items()}
    # the platform's options (consult/photos/engine.py)
    measured = facemeasure.measure_set(list(files.values()), options=facemeasure.GRADING_OPTIONS)
    by_expression = dict(zip(files, measured, strict=True))
    assert facemeasure.check_expressions(by_expression) == {}
    result = facemeasure.grade(by_expression)
    assert not result.excluded
    # the side the demo set was built with, or none named when the movements are nearly alike; never the other
    assert result.affected in (manifest[f"{prefix}_neutral.jpg"]["affected"], "")
    # the healthy eye closes: the better-closing eye keeps under a third of its resting aperture
    rest, closed = by_expression["neutral"].measures, by_expression["eyes_closed"].measures
    assert min(
        closed.palpebral_fissure_height.left / rest.palpebral_fissure_height.left,
        closed.palpebral_fissure_height.right / rest.palpebral_fissure_height.right,
    ) < 1 / 3
