"""Upload checks: type by content, size and pixel limits, re-encoding, EXIF/GPS stripped, orientation."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from consult.photos import images
from consult.photos.errors import BadPhoto
from tests.consult.photos.conftest import face_bytes, jpeg_bytes


def exif_with_gps(orientation: int | None = None) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "PhoneModel X"  # Model
    if orientation:
        exif[0x0112] = orientation
    gps = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}
    exif[0x8825] = gps  # GPSInfo IFD
    return exif.tobytes()


def test_exif_and_gps_are_removed():
    raw = jpeg_bytes(exif=exif_with_gps())
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(0x8825), "fixture must carry GPS"
    assert b"PhoneMaker" in raw
    out = images.process_upload(io.BytesIO(raw))
    stored = Image.open(io.BytesIO(out.jpeg))
    assert len(stored.getexif()) == 0
    assert not stored.getexif().get_ifd(0x8825)
    assert b"PhoneMaker" not in out.jpeg and b"Exif" not in out.jpeg
    assert "exif" not in stored.info and "icc_profile" not in stored.info
    assert b"Exif" not in out.thumbnail


def test_orientation_is_applied_before_stripping():
    # A 400x500 portrait saved sideways with "rotate 90 CW" in EXIF: upright it is 500 wide.
    raw = jpeg_bytes(size=(400, 500), exif=exif_with_gps(orientation=6))
    out = images.process_upload(io.BytesIO(raw))
    assert (out.width, out.height) == (500, 400)
    assert Image.open(io.BytesIO(out.jpeg)).size == (500, 400)


def test_real_photo_is_reencoded_as_jpeg_with_thumbnail():
    out = images.process_upload(io.BytesIO(face_bytes()))
    assert Image.open(io.BytesIO(out.jpeg)).format == "JPEG"
    thumb = Image.open(io.BytesIO(out.thumbnail))
    assert max(thumb.size) <= images.THUMB_SIDE


def png_bomb(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares width x height pixels (the data is a few bytes of zeros)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def rgba_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (300, 300), (10, 200, 30, 90)).save(out, format="PNG")
    return out.getvalue()


def cmyk_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("CMYK", (300, 300), (10, 80, 90, 5)).save(out, format="JPEG")
    return out.getvalue()


def animated_gif() -> bytes:
    out = io.BytesIO()
    frames = [Image.new("RGB", (200, 200), (i * 60, 20, 20)) for i in range(3)]
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()


def heic_header() -> bytes:
    """The start of an iPhone HEIC file: an ISO base media ``ftyp`` box with the ``heic`` brand."""
    return struct.pack(">I", 24) + b"ftypheic" + b"\x00\x00\x00\x00" + b"mif1heic" + b"\x00" * 200


def mpo_jpeg() -> bytes:
    """A phone's multi-picture JPEG: the photo plus a second, smaller frame (e.g. a depth map)."""
    out = io.BytesIO()
    photo, extra = Image.new("RGB", (400, 300), (200, 120, 90)), Image.new("RGB", (100, 75), (0, 0, 0))
    photo.save(out, format="MPO", save_all=True, append_images=[extra])
    return out.getvalue()


@pytest.mark.parametrize(
    "data,message",
    [
        (b"", "empty"),
        (b"this is text, renamed to photo.jpg\n" * 20, "not an image"),
        (jpeg_bytes()[:600], "damaged or incomplete"),
        (png_bomb(60_000, 60_000), "pixels"),
        (png_bomb(200_000, 200_000), "pixels"),
        (animated_gif(), "Animated"),
        (jpeg_bytes(size=(40, 40)), "too small"),
        (heic_header(), "HEIC"),
    ],
    ids=["empty", "text-renamed-jpg", "truncated-jpeg", "huge-dimensions", "bomb", "animated-gif", "tiny", "heic"],
)
def test_bad_uploads_are_refused_with_a_sentence(data, message):
    with pytest.raises(BadPhoto) as excinfo:
        images.process_upload(io.BytesIO(data))
    assert message.lower() in str(excinfo.value).lower()


def test_too_many_bytes(monkeypatch):
    monkeypatch.setattr(images, "MAX_BYTES", 1000)
    with pytest.raises(BadPhoto, match="larger than"):
        images.process_upload(io.BytesIO(jpeg_bytes(size=(600, 600), quality=100)))


@pytest.mark.parametrize("data", [rgba_png(), cmyk_jpeg()], ids=["png-alpha", "cmyk-jpeg"])
def test_unusual_but_valid_images_become_rgb_jpeg(data):
    out = images.process_upload(io.BytesIO(data))
    stored = Image.open(io.BytesIO(out.jpeg))
    assert stored.format == "JPEG" and stored.mode == "RGB"


def test_phone_mpo_jpeg_keeps_its_first_frame():
    data = mpo_jpeg()
    assert Image.open(io.BytesIO(data)).n_frames == 2, "fixture must be multi-frame"
    out = images.process_upload(io.BytesIO(data))
    stored = Image.open(io.BytesIO(out.jpeg))
    assert (out.width, out.height) == (400, 300) and stored.format == "JPEG"
    assert stored.getpixel((200, 150))[0] > 150  # the photo, not the black second frame
