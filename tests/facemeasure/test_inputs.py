"""Every kind of bad input gives a typed error (API) and ok=false or a warning (CLI), never a traceback."""

from __future__ import annotations

import io
import math
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import facemeasure
from facemeasure._geometry import Frame, yaw_from_landmarks
from facemeasure._image import decode_image

from .conftest import FACES, face_rgb, measured
from .synthetic import rotate


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares ``width x height`` pixels but carries almost no data (a 'bomb')."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(facemeasure.ImageReadError, match="does not exist"):
        facemeasure.measure(tmp_path / "nope.jpg")


def test_directory_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(facemeasure.ImageReadError, match="directory"):
        facemeasure.measure(tmp_path)


def test_text_file_is_not_an_image() -> None:
    with pytest.raises(facemeasure.NotAnImageError):
        facemeasure.measure(FACES / "SOURCES.md")


def test_empty_file_is_not_an_image(tmp_path: Path) -> None:
    p = tmp_path / "empty.jpg"
    p.write_bytes(b"")
    with pytest.raises(facemeasure.NotAnImageError, match="empty"):
        facemeasure.measure(p)


def test_truncated_jpeg_is_corrupt(tmp_path: Path) -> None:
    data = (FACES / "obama_official_portrait_2012.jpg").read_bytes()
    p = tmp_path / "cut.jpg"
    p.write_bytes(data[: len(data) // 3])
    with pytest.raises(facemeasure.CorruptImageError, match="truncated"):
        facemeasure.measure(p)


@pytest.mark.parametrize(("w", "h"), [(8_000, 8_000), (20_000, 20_000)])
def test_decompression_bomb_is_refused_before_decoding(tmp_path: Path, w: int, h: int) -> None:
    # 8000^2 is over our 50 MP cap but under Pillow's own limit; 20000^2 trips Pillow's limit too.
    p = tmp_path / "bomb.png"
    p.write_bytes(_png_header_only(w, h))
    with pytest.raises(facemeasure.ImageTooLargeError, match="pixels"):
        decode_image(p)


def test_pixel_cap_is_configurable() -> None:
    opts = facemeasure.MeasureOptions(max_pixels=100_000)
    with pytest.raises(facemeasure.ImageTooLargeError):
        facemeasure.measure(FACES / "obama_official_portrait_2012.jpg", options=opts)


@pytest.mark.engine
def test_blank_image_has_no_face() -> None:
    blank = np.full((480, 640, 3), 200, dtype=np.uint8)
    with pytest.raises(facemeasure.NoFaceError, match="no face"):
        facemeasure.measure(blank)


@pytest.mark.engine
def test_tiny_face_is_refused_with_a_message() -> None:
    with pytest.raises(facemeasure.FaceTooSmallError, match=r"iris is .* px across"):
        measured("ibm_codait_bryan_cc0_115px.png")


@pytest.mark.engine
def test_two_faces_measure_the_largest_and_warn() -> None:
    big = face_rgb("obama_official_portrait_2012.jpg")
    small = face_rgb("ibm_codait_luciano_cc0.png")
    canvas = np.full((big.shape[0], big.shape[1] + small.shape[1] + 40, 3), 255, dtype=np.uint8)
    canvas[:, : big.shape[1]] = big
    canvas[100 : 100 + small.shape[0], big.shape[1] + 40 :] = small
    m = facemeasure.measure(canvas)
    assert m.faces_found == 2
    assert "multiple_faces" in {w.code for w in m.warnings}
    alone = measured("obama_official_portrait_2012.jpg")
    assert m.pupil_left.x == pytest.approx(alone.pupil_left.x, abs=2.0)
    # Same iris pixels, but FaceMesh's points (the fit's starting point and lid mask) differ on
    # another canvas; on this squinting smile the limbus fit moves by up to ~3.5 % (see
    # docs/measurement.md, known limits).
    assert m.mm_per_px == pytest.approx(alone.mm_per_px, rel=0.05)


@pytest.mark.engine
def test_head_tilt_is_measured_corrected_and_warned() -> None:
    base = measured("ibm_codait_luciano_cc0.png")
    tilted = facemeasure.measure(rotate(face_rgb("ibm_codait_luciano_cc0.png"), 25.0))
    # PIL rotates counter-clockwise; in image coordinates (y down) the eye line's angle decreases.
    assert tilted.roll_deg == pytest.approx(base.roll_deg - 25.0, abs=1.5)
    assert "head_tilt" in {w.code for w in tilted.warnings}
    assert "head_tilt" not in {w.code for w in base.warnings}


def _turn(lm: np.ndarray, degrees: float) -> np.ndarray:
    """Rotate 3-D landmarks about the vertical axis through their centroid (orthographic camera)."""
    t = math.radians(degrees)
    c = lm.mean(axis=0)
    x, z = lm[:, 0] - c[0], lm[:, 2] - c[2]
    out = lm.copy()
    out[:, 0] = c[0] + math.cos(t) * x + math.sin(t) * z
    out[:, 2] = c[2] - math.sin(t) * x + math.cos(t) * z
    return out


@pytest.mark.engine
@pytest.mark.parametrize("degrees", [-25.0, -10.0, 10.0, 25.0])
def test_yaw_estimate_follows_a_known_turn(degrees: float) -> None:
    lm = measured("ibm_codait_luciano_cc0.png").landmarks
    frame = Frame.from_pupils(lm[468], lm[473])
    base = yaw_from_landmarks(lm, frame)
    turned = _turn(lm, degrees)
    got = yaw_from_landmarks(turned, Frame.from_pupils(turned[468], turned[473]))
    assert got - base == pytest.approx(-degrees, abs=3.0)


@pytest.mark.engine
def test_strong_yaw_is_warned() -> None:
    m = facemeasure.measure(FACES / "ibm_codait_luciano_cc0.png", options=facemeasure.MeasureOptions(max_yaw_deg=0.1))
    assert "head_turn" in {w.code for w in m.warnings}
    assert "head_turn" not in {w.code for w in measured("ibm_codait_luciano_cc0.png").warnings}


@pytest.mark.engine
def test_exif_orientation_is_honoured(tmp_path: Path) -> None:
    upright = Image.fromarray(np.array(face_rgb("ibm_codait_luciano_cc0.png")))
    # Store the pixels rotated and tell viewers (EXIF 6 = rotate 90 CW to display) to undo it.
    stored = upright.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    buf = io.BytesIO()
    stored.save(buf, format="JPEG", quality=95, exif=exif.tobytes())
    decoded = decode_image(buf.getvalue())
    assert decoded.rgb.shape[:2] == (upright.height, upright.width)
    m = facemeasure.measure(buf.getvalue())
    assert abs(m.roll_deg) < 5.0


def test_jpeg_draft_mode_downscales_huge_photos() -> None:
    d = decode_image(FACES / "biden_white_house_2010.jpg", max_side=1000)
    assert max(d.rgb.shape[:2]) < 2204
    assert max(d.rgb.shape[:2]) >= 1000
    assert d.scale == pytest.approx(0.5)


def test_rgba_png_transparency_becomes_white() -> None:
    im = Image.new("RGBA", (4, 4), (10, 20, 30, 0))
    buf = io.BytesIO()
    im.save(buf, format="PNG")
    assert decode_image(buf.getvalue()).rgb[0, 0].tolist() == [255, 255, 255]


def test_import_is_cheap_and_lazy() -> None:
    import subprocess
    import sys

    code = "import sys, facemeasure; print('mediapipe' in sys.modules, 'cv2' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.split() == ["False", "False"]
