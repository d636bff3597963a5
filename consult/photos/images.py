"""Upload checking and re-encoding with Pillow (no Django models here).

The type is decided by content, never by the file name: Pillow is asked to open only the formats in
``OPEN_FORMATS`` (``Image.open(formats=...)``), so anything else (EPS, which would run Ghostscript; TGA;
PSD...) is refused from its header before a single pixel is decoded. Byte size and pixel count are capped
before decoding (decompression bombs are refused with a sentence, not a 500), then ``verify()`` and a full
decode. The stored image is a fresh baseline JPEG in sRGB-ish RGB: EXIF orientation applied first, then
every metadata block (EXIF, GPS, XMP, ICC, JPEG COM segments, PNG text chunks, GIF comments) dropped:
the encoder gets the pixels and an empty ``info``.
"""

from __future__ import annotations

import contextlib
import io
import math
import struct
import warnings
from dataclasses import dataclass
from typing import IO

from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import BadPhoto

__all__ = [
    "MAX_BYTES",
    "MAX_PIXELS",
    "MAX_SIDE",
    "MIN_CROP_SIDE",
    "BadCrop",
    "Crop",
    "ProcessedImage",
    "process_upload",
    "thumbnail_jpeg",
]

MAX_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 50 MP phone photo is refused; 8000x5000 passes
MAX_SIDE = 2400  # stored photos are downscaled to this longest side (the engine's own working size)
THUMB_SIDE = 320
# The plug-ins Pillow may try (Image.open(formats=...)); a phone's MPO is opened by the JPEG plug-in.
OPEN_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF")
ALLOWED_FORMATS = {*OPEN_FORMATS, "MPO"}
NOT_SUPPORTED = "That file is not an image in a format we accept (JPEG, PNG, WebP, GIF, BMP or TIFF). Please upload a JPEG or PNG photo."
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis"}


@dataclass(frozen=True)
class Crop:
    """A rectangle of the upright photo (after its EXIF orientation), in fractions of its width and height from
    the top-left corner: each of left, top, width and height between 0 and 1. Checked by ``process_upload``."""

    left: float
    top: float
    width: float
    height: float


#: The smallest crop kept, in pixels of the photo as uploaded (upright): a face smaller than this cannot be measured.
MIN_CROP_SIDE = 240
_EDGE = 1e-6  # float slack for a rectangle drawn to the photo's very edge


class BadCrop(BadPhoto):
    """The crop rectangle does not fit the photo (outside it, or too small to measure)."""


def _apply_crop(image: Image.Image, crop: Crop) -> Image.Image:
    values = (crop.left, crop.top, crop.width, crop.height)
    if not all(math.isfinite(v) for v in values) or crop.left < 0 or crop.top < 0 or crop.width <= 0 or crop.height <= 0:
        raise BadCrop("The crop must lie inside the photo, with a width and a height.")
    if crop.left + crop.width > 1 + _EDGE or crop.top + crop.height > 1 + _EDGE:
        raise BadCrop("The crop must lie inside the photo: its right or bottom edge is past the photo's.")
    width, height = image.size
    left, top = round(crop.left * width), round(crop.top * height)
    right, bottom = min(width, round((crop.left + crop.width) * width)), min(height, round((crop.top + crop.height) * height))
    if right - left < MIN_CROP_SIDE or bottom - top < MIN_CROP_SIDE:
        raise BadCrop(
            f"The crop is too small: it keeps {right - left} by {bottom - top} pixels of this photo. Keep at least "
            f"{MIN_CROP_SIDE} by {MIN_CROP_SIDE} so the face can be measured."
        )
    return image.crop((left, top, right, bottom))


@dataclass(frozen=True)
class ProcessedImage:
    jpeg: bytes
    width: int
    height: int
    thumbnail: bytes


def _read_limited(upload: IO[bytes]) -> bytes:
    data = upload.read(MAX_BYTES + 1)
    if not data:
        raise BadPhoto("The file is empty. Please choose the photo again.")
    if len(data) > MAX_BYTES:
        raise BadPhoto(f"The photo is larger than {MAX_BYTES // (1024 * 1024)} MB. Please send a smaller one.")
    return data


def _is_heif(data: bytes) -> bool:
    """HEIC/HEIF/AVIF (ISO base media ``ftyp`` box), which Pillow cannot open without a plug-in."""
    return data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS


def _open(data: bytes) -> Image.Image:
    """Open and verify by content; raise BadPhoto with a reason for anything that is not a sane image."""
    if _is_heif(data):
        raise BadPhoto(
            "HEIC photos (the iPhone's own format) cannot be read here yet. Please send the photo as a JPEG: "
            "on an iPhone, Settings > Camera > Formats > Most Compatible, or share it from Photos as JPEG."
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # damaged metadata ("Tag data larger than file"): refused below
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data), formats=OPEN_FORMATS)
            fmt = probe.format
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise BadPhoto(
                    f"The picture is {width} by {height} pixels, more than we accept "
                    f"({MAX_PIXELS // 1_000_000} megapixels). Please send a smaller photo."
                )
            probe.verify()
            image = Image.open(io.BytesIO(data), formats=OPEN_FORMATS)
            # A phone's MPO "JPEG" carries extra frames (depth map, preview): the first frame is the photo.
            if fmt != "MPO" and getattr(image, "n_frames", 1) > 1:
                raise BadPhoto("Animated images are not accepted. Please upload a single still photo.")
            image.load()
    except BadPhoto:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise BadPhoto(
            "The picture declares far more pixels than any photo has, so it was refused. "
            "Please send the photo straight from your camera."
        ) from exc
    except UnidentifiedImageError as exc:
        raise BadPhoto(NOT_SUPPORTED) from exc
    except (OSError, SyntaxError, ValueError, EOFError, TypeError, struct.error) as exc:
        # TypeError: Pillow counting the frames of a broken TIFF ("Missing dimensions").
        raise BadPhoto("The image file is damaged or incomplete. Please upload it again.") from exc
    if fmt not in ALLOWED_FORMATS:  # cannot happen (formats=); kept so the rule reads in one place
        raise BadPhoto(NOT_SUPPORTED)
    if min(width, height) < 64:
        raise BadPhoto("The picture is too small to measure. Please send the full-size photo.")
    return image


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode == "CMYK":
        return image.convert("RGB")
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        return image.point(lambda v: v / 256).convert("L").convert("RGB")
    return image.convert("RGB")


def _encode(image: Image.Image, quality: int = 90) -> bytes:
    out = io.BytesIO()
    # Pillow's JPEG encoder writes image.info["comment"] (from a JPEG COM segment, a GIF comment or a PNG
    # text chunk named "comment") unless told otherwise: encode a copy whose info is empty, and pass no
    # exif=, icc_profile= or comment=, so the JPEG carries pixels only.
    bare = image.copy()
    bare.info = {}
    bare.save(out, format="JPEG", quality=quality, optimize=True)
    return out.getvalue()


def thumbnail_jpeg(image: Image.Image, side: int = THUMB_SIDE) -> bytes:
    thumb = image.copy()
    thumb.thumbnail((side, side), Image.Resampling.LANCZOS)
    return _encode(thumb, quality=82)


def process_upload(upload: IO[bytes], *, crop: Crop | None = None) -> ProcessedImage:
    """Validate an uploaded file and return the re-encoded photo and its thumbnail; ``crop`` (a rectangle of the
    upright photo) is cut out first, at full resolution, so nothing outside it is ever stored (raises
    ``BadCrop`` when it does not fit)."""
    data = _read_limited(upload)
    image = _open(data)
    # Orientation is applied before EXIF is dropped; unreadable EXIF keeps the pixels as they are.
    with contextlib.suppress(OSError, SyntaxError, ValueError, TypeError):
        image = ImageOps.exif_transpose(image) or image
    rgb = _to_rgb(image)
    if crop is not None:
        rgb = _apply_crop(rgb, crop)
    if max(rgb.size) > MAX_SIDE:
        rgb.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    return ProcessedImage(jpeg=_encode(rgb), width=rgb.width, height=rgb.height, thumbnail=thumbnail_jpeg(rgb))
