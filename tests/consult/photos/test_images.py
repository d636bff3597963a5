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


# --- formats are refused from their header, before anything is decoded (issue 11) ---

BROKEN_TIFF = bytes.fromhex(  # found by mutating an 8x8 TIFF: Pillow raised TypeError counting its frames
    "49492a00080000000a0000010400010000000800000001010400010000000800000002010300030000008600000003010300010000"
    "000100000006010300010000000200000011010400010000008c0000001501030001000000030000001601040001000000080000"
    "001701040001000000c00000001c010300010000000100000036000000080008000800010203010203010203010203010203010203"
    "010203010203010203010203010203010203010203010203010203010203010203010203010203010203010203010203010203010203"
    "010203010203010203010203010203010203010203010203010203010203010903010203010203010203010203010203010203010203"
    "010203010203010203010203010203010203010203010203010203010203010203010203010203010203010203010203010203010203"
    "010203010203010203010203010203010203"
)


def eps_file() -> bytes:
    return (
        b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 400 400\n%%EndComments\n"
        b"newpath 0 0 moveto 400 400 lineto stroke showpage\n%%EOF\n"
    )


def big_tga(side: int = 6000) -> bytes:
    """An uncompressed true-colour TGA header declaring side x side pixels (36 MP), then a little data."""
    header = struct.pack("<BBBHHBHHHHBB", 0, 0, 2, 0, 0, 0, 0, 0, side, side, 24, 0)
    return header + b"\x80" * 3000


def test_eps_is_refused_without_running_ghostscript(monkeypatch):
    from PIL import EpsImagePlugin

    def ghostscript(*args, **kwargs):
        raise AssertionError("Ghostscript ran inside the upload check")

    monkeypatch.setattr(EpsImagePlugin, "Ghostscript", ghostscript)
    monkeypatch.setattr(EpsImagePlugin, "has_ghostscript", lambda: True)
    with pytest.raises(BadPhoto, match="format we accept"):
        images.process_upload(io.BytesIO(eps_file()))


def test_a_huge_tga_is_refused_as_a_format_before_decoding(monkeypatch):
    assert Image.open(io.BytesIO(big_tga())).size == (6000, 6000), "fixture must be a TGA Pillow recognises"
    decoded = []
    real_load = Image.Image.load
    monkeypatch.setattr(Image.Image, "load", lambda self: decoded.append(self.format) or real_load(self))
    with pytest.raises(BadPhoto, match="format we accept"):
        images.process_upload(io.BytesIO(big_tga()))
    assert "TGA" not in decoded


def test_a_broken_tiff_that_makes_pillow_raise_type_error_is_a_sentence():
    with pytest.raises(BadPhoto, match="damaged"):
        images.process_upload(io.BytesIO(BROKEN_TIFF))


def _with_comment_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 300), (200, 150, 120)).save(out, format="JPEG", comment=b"SECRET-COMMENT jpeg")
    return out.getvalue()


def _with_text_png() -> bytes:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("comment", "SECRET-COMMENT png")
    info.add_text("Author", "SECRET-COMMENT author")
    info.add_itxt("Description", "SECRET-COMMENT itxt")
    out = io.BytesIO()
    Image.new("RGB", (300, 300), (200, 150, 120)).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def _with_comment_gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (300, 300), 3).save(out, format="GIF", comment=b"SECRET-COMMENT gif")
    return out.getvalue()


@pytest.mark.parametrize("data", [_with_comment_jpeg(), _with_text_png(), _with_comment_gif()],
                         ids=["jpeg-com", "png-text", "gif-comment"])
def test_comments_and_text_chunks_do_not_survive_the_reencode(data):
    assert b"SECRET-COMMENT" in data, "fixture must carry the comment"
    out = images.process_upload(io.BytesIO(data))
    assert b"SECRET-COMMENT" not in out.jpeg
    assert b"SECRET-COMMENT" not in out.thumbnail
    assert "comment" not in Image.open(io.BytesIO(out.jpeg)).info


# --- upload fuzz: every input is a sentence or a clean JPEG, never another exception ---

def _seeds() -> dict[str, bytes]:
    seeds = {}
    base = Image.new("RGB", (96, 96), (200, 150, 120))
    for fmt in ("JPEG", "PNG", "GIF", "TIFF", "WEBP", "BMP"):
        out = io.BytesIO()
        base.save(out, format=fmt)
        seeds[fmt] = out.getvalue()
    sixteen = io.BytesIO()
    Image.new("I;16", (96, 96), 40000).save(sixteen, format="PNG")
    seeds["PNG16"] = sixteen.getvalue()
    return seeds


@pytest.mark.parametrize("seed_name", sorted(_seeds()))
def test_mutated_uploads_never_raise_anything_but_bad_photo(seed_name):
    import random

    seed = _seeds()[seed_name]
    rng = random.Random(f"issue-11-{seed_name}")
    for _ in range(250):
        data = bytearray(seed)
        operation = rng.randrange(3)
        if operation == 0:  # flip bytes
            for _ in range(rng.randint(1, 8)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif operation == 1:  # truncate
            data = data[: rng.randrange(1, len(data))]
        else:  # splice a chunk of itself elsewhere
            start = rng.randrange(len(data))
            data[rng.randrange(len(data)):] = data[start: start + rng.randint(1, 64)]
        try:
            out = images.process_upload(io.BytesIO(bytes(data)))
        except BadPhoto as error:
            assert str(error).endswith(".")
        else:
            stored = Image.open(io.BytesIO(out.jpeg))
            assert stored.format == "JPEG" and stored.mode == "RGB"
            assert not stored.getexif() and "comment" not in stored.info


@pytest.mark.parametrize(
    "data",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400"><script>alert(1)</script></svg>',
        b"<html><script>alert(1)</script></html>" * 10,
        b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" * 10,
    ],
    ids=["svg-with-script", "html", "pdf"],
)
def test_documents_that_are_not_photos_are_refused(data):
    with pytest.raises(BadPhoto, match="not an image"):
        images.process_upload(io.BytesIO(data))


def test_a_jpeg_html_polyglot_is_stored_as_pixels_only():
    data = jpeg_bytes() + b"<html><script>alert(document.cookie)</script></html>"
    out = images.process_upload(io.BytesIO(data))
    assert b"<script" not in out.jpeg and b"<script" not in out.thumbnail


def test_sixteen_bit_png_becomes_an_rgb_jpeg():
    out = images.process_upload(io.BytesIO(_seeds()["PNG16"]))
    assert Image.open(io.BytesIO(out.jpeg)).mode == "RGB"
