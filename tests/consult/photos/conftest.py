from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from tests.factories import QuestionFactory, UserFactory

FACES = Path(__file__).resolve().parents[2] / "fixtures" / "faces"
FACE = FACES / "obama_official_portrait_2012.jpg"  # public domain (tests/fixtures/faces/SOURCES.md)


@pytest.fixture(autouse=True)
def photo_storage(settings, tmp_path):
    """Each test writes photos to its own private directory."""
    root = tmp_path / "photos"
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                   "OPTIONS": {"location": str(root), "base_url": None}},
    }
    return root


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def jpeg_bytes(size=(400, 500), color=(180, 140, 120), **save_kwargs) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="JPEG", **save_kwargs)
    return out.getvalue()


def face_bytes() -> bytes:
    return FACE.read_bytes()


@pytest.fixture
def patient():
    return UserFactory()


@pytest.fixture
def question(patient):
    return QuestionFactory(author=patient)
