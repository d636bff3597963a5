"""The ``facemeasure`` command line: JSON Lines, table, CSV, folders, exit codes, no noise."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from facemeasure import MEASURE_NAMES
from facemeasure.cli import main

from .conftest import FACES

OBAMA = str(FACES / "obama_official_portrait_2012.jpg")
LUCIANO = str(FACES / "ibm_codait_luciano_cc0.png")
TINY = str(FACES / "ibm_codait_bryan_cc0_115px.png")

pytestmark = pytest.mark.engine


def _json_lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_measure_json_lines_has_the_documented_fields(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["measure", OBAMA, LUCIANO, "--json"]) == 0
    recs = _json_lines(capsys.readouterr().out)
    assert [r["file"] for r in recs] == [OBAMA, LUCIANO]
    for r in recs:
        assert r["ok"] is True and r["error"] is None
        assert r["mm_per_px"] > 0
        assert set(r["iris_diameter_px"]) == {"left", "right"}
        for key in ("measures", "deviation", "asymmetry_pct"):
            assert set(r[key]) == set(MEASURE_NAMES)
        for name in MEASURE_NAMES:
            s = r["measures"][name]
            assert r["deviation"][name] == pytest.approx(abs(s["left"] - s["right"]), abs=2e-3)


def test_failure_is_a_record_and_sets_the_exit_code(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"not a jpeg at all")
    code = main(["measure", OBAMA, str(bad), TINY, str(tmp_path / "missing.png"), "--json"])
    captured = capsys.readouterr()
    assert code == 1
    recs = {Path(r["file"]).name: r for r in _json_lines(captured.out)}
    assert recs["obama_official_portrait_2012.jpg"]["ok"] is True
    assert recs["bad.jpg"]["error_code"] == "not_an_image"
    assert recs["ibm_codait_bryan_cc0_115px.png"]["error_code"] == "face_too_small"
    assert recs["missing.png"]["error_code"] == "unreadable"
    assert all(r["error"] for r in recs.values() if not r["ok"])
    assert "Traceback" not in captured.err
    assert "3 of 4" in captured.err


def test_folders_are_walked_and_csv_written(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    sub = tmp_path / "visit" / "day1"
    sub.mkdir(parents=True)
    shutil.copy(OBAMA, sub / "a.jpg")
    shutil.copy(LUCIANO, tmp_path / "visit" / "b.png")
    (tmp_path / "visit" / "notes.txt").write_text("ignored")
    out_csv = tmp_path / "out.csv"
    assert main(["measure", str(tmp_path / "visit"), "--csv", str(out_csv)]) == 0
    table = capsys.readouterr().out
    assert "commissure_height (mm)" in table and "a.jpg" in table and "b.png" in table
    with out_csv.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [Path(r["file"]).name for r in rows] == ["b.png", "a.jpg"]
    assert float(rows[1]["commissure_height_left"]) > 30


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["measure"])
    assert exc.value.code == 2
    assert main(["measure", OBAMA, "--jobs", "0"]) == 2


def test_script_in_a_subprocess_is_quiet_and_parallel(tmp_path: Path) -> None:
    # Two worker processes, each loading the model once; MediaPipe's C++ logging must not leak.
    files = [OBAMA, LUCIANO, TINY, str(FACES / "congress_S001184.jpg")]
    proc = subprocess.run(
        [sys.executable, "-m", "facemeasure.cli", "measure", *files, "--json", "--jobs", "2"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1  # the tiny face fails
    recs = _json_lines(proc.stdout)
    assert [r["file"] for r in recs] == files
    assert [r["ok"] for r in recs] == [True, True, False, True]
    assert proc.stderr.strip().splitlines() == ["facemeasure: 1 of 4 photo(s) failed"]


def test_a_worker_process_discards_native_stderr_but_keeps_python_messages() -> None:
    # What a native library writes to descriptor 2 in a --jobs worker (MediaPipe's graph threads may log
    # at any time) is discarded; Python's own messages, e.g. a crash's traceback, still reach stderr.
    code = (
        "import os, sys; from facemeasure.cli import _init_worker; _init_worker(); "
        "os.write(2, b'native chatter\\n'); print('python message', file=sys.stderr)"
    )
    env = {k: v for k, v in os.environ.items() if k != "FACEMEASURE_VERBOSE"}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True, env=env)
    assert proc.stderr == "python message\n"
    verbose = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True,
        env={**env, "FACEMEASURE_VERBOSE": "1"},
    )
    assert verbose.stderr == "native chatter\npython message\n"


def test_half_face_flag(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["measure", LUCIANO, "--json", "--half-face"]) == 0
    precise = _json_lines(capsys.readouterr().out)[0]
    assert main(["measure", LUCIANO, "--json"]) == 0
    default = _json_lines(capsys.readouterr().out)[0]
    assert precise["ok"] and default["ok"]
    # same face, same scale estimate, slightly different landmarks
    assert precise["mm_per_px"] == pytest.approx(default["mm_per_px"], rel=0.03)
    assert precise["measures"] != default["measures"]
