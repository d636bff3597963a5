"""MediaPipe's and TensorFlow Lite's native log lines (``W0000 ... inference_feedback_manager``) stay off
stderr unless FACEMEASURE_VERBOSE=1 asks for them: the library, the platform's adapter and ``make run``'s demo
loading print nothing of their own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FACES

pytestmark = pytest.mark.engine

ROOT = Path(__file__).resolve().parents[2]
PHOTO = str(FACES / "obama_official_portrait_2012.jpg")
LIBRARY = f"import facemeasure; m = facemeasure.measure({PHOTO!r}); print(round(m.mm_per_px, 4))"
PLATFORM = (  # the platform's one adapter, as the photos worker and load_demo call it
    "import django; django.setup(); from pathlib import Path; from consult.photos import engine; "
    f"r = engine.measure_photo(Path({PHOTO!r}).read_bytes()); print(sorted(r.measurement)[:1])"
)


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("FACEMEASURE_VERBOSE", "GLOG_minloglevel",
                                                                 "TF_CPP_MIN_LOG_LEVEL")}
    environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False,
                          cwd=ROOT, env={**environ, **env})


@pytest.mark.parametrize("code", [LIBRARY, PLATFORM], ids=["library", "platform-adapter"])
def test_measuring_a_photo_prints_nothing_on_stderr(code: str) -> None:
    proc = _run(code)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip()
    assert proc.stderr == ""


def test_facemeasure_verbose_shows_the_native_lines() -> None:
    proc = _run(LIBRARY, FACEMEASURE_VERBOSE="1")
    assert proc.returncode == 0, proc.stderr
    assert "inference_feedback_manager" in proc.stderr or "TensorFlow Lite" in proc.stderr
