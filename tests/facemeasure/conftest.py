"""Shared fixtures for the engine tests. No Django here: facemeasure stands alone.

The landmarker loads once per session (module-level default in facemeasure), and measurements
of the fixture faces are cached so each face goes through the engine once per run.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pytest

import facemeasure
from facemeasure._image import decode_image

FACES = Path(__file__).resolve().parents[1] / "fixtures" / "faces"
ALL_FACES = sorted(p.name for p in FACES.iterdir() if p.suffix in {".jpg", ".png"})


@cache
def face_rgb(name: str) -> np.ndarray:
    rgb = decode_image(FACES / name).rgb
    rgb.setflags(write=False)
    return rgb


@cache
def measured(name: str) -> facemeasure.Measurement:
    return facemeasure.measure(FACES / name)


@pytest.fixture(scope="session")
def faces_dir() -> Path:
    return FACES
