"""Golden file: the CLI's JSON record for each of the 20 fixture faces, compared with a tolerance.

Regenerate after an intended change (and say why in the commit message):

    FACEMEASURE_UPDATE_GOLDEN=1 uv run --frozen pytest tests/facemeasure/test_golden.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from facemeasure import MEASURE_NAMES
from facemeasure.cli import measure_record

from .conftest import ALL_FACES, FACES

GOLDEN = Path(__file__).with_name("golden") / "faces.json"
#: mm (and degrees for smile_angle); leaves room for float differences between CPUs, catches
#: any real change of a landmark or refinement step.
TOL_MM = 0.3
TOL_DEG = 1.5
TOL_SCALE_REL = 0.01

pytestmark = pytest.mark.engine


def _record(name: str) -> dict:
    rec = measure_record(str(FACES / name))
    rec["file"] = name
    return rec


@pytest.fixture(scope="module")
def current() -> dict[str, dict]:
    return {name: _record(name) for name in ALL_FACES}


def test_golden_file(current: dict[str, dict]) -> None:
    if os.environ.get("FACEMEASURE_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps(current, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
        pytest.skip("golden file regenerated")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert sorted(golden) == sorted(current) == ALL_FACES
    problems = []
    for name, want in golden.items():
        got = current[name]
        if (got["ok"], got["error_code"]) != (want["ok"], want["error_code"]):
            problems.append(f"{name}: ok/error {got['ok']}/{got['error_code']} != {want['ok']}/{want['error_code']}")
            continue
        if not want["ok"]:
            continue
        if abs(got["mm_per_px"] / want["mm_per_px"] - 1) > TOL_SCALE_REL:
            problems.append(f"{name}: mm_per_px {got['mm_per_px']} != {want['mm_per_px']}")
        for m in MEASURE_NAMES:
            tol = TOL_DEG if m == "smile_angle" else TOL_MM
            for side in ("left", "right"):
                g, w = got["measures"][m][side], want["measures"][m][side]
                if abs(g - w) > tol:
                    problems.append(f"{name}: {m}.{side} {g:.3f} != {w:.3f}")
        if {x["code"] for x in got["warnings"]} != {x["code"] for x in want["warnings"]}:
            problems.append(f"{name}: warnings {got['warnings']} != {want['warnings']}")
    assert not problems, "\n".join(problems)


def test_golden_covers_the_refusals() -> None:
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert golden["ibm_codait_bryan_cc0_115px.png"]["error_code"] == "face_too_small"
    assert sum(r["ok"] for r in golden.values()) >= 15
    assert not [n for n, r in golden.items() if r["error_code"] == "internal"]
