"""Decoding: any supported input -> an upright RGB uint8 array, safely.

Pillow is used (not cv2.imread) because it reads EXIF orientation, exposes the declared
size before decoding (so a decompression bomb is refused without allocating it) and has
JPEG draft mode, which lets the DCT decoder downscale huge camera photos by 2/4/8 for free.
"""

from __future__ import annotations

import io
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageOps, UnidentifiedImageError

from ._errors import CorruptImageError, ImageReadError, ImageTooLargeError, NotAnImageError

__all__ = ["DEFAULT_MAX_PIXELS", "DEFAULT_MAX_SIDE", "DecodedImage", "ImageInput", "decode_image"]

#: Refuse images declaring more pixels than this (a 50 MP photo is already larger than any phone's).
DEFAULT_MAX_PIXELS = 50_000_000
#: JPEGs larger than this on their long side are decoded in draft mode (DCT downscale by 2, 4 or 8).
DEFAULT_MAX_SIDE = 2400

ImageInput: TypeAlias = str | os.PathLike[str] | bytes | Image.Image | NDArray[np.uint8]


@dataclass(frozen=True)
class DecodedImage:
    rgb: NDArray[np.uint8]
    source: str | None
    #: decoded pixels per original pixel (< 1 when draft mode downscaled)
    scale: float


def _describe(image: object) -> str | None:
    if isinstance(image, str | os.PathLike):
        return os.fspath(image)
    return None


def _open(image: ImageInput) -> Image.Image:
    if isinstance(image, Image.Image):
        return image
    if isinstance(image, bytes):
        return Image.open(io.BytesIO(image))
    if isinstance(image, np.ndarray):
        raise TypeError("arrays are handled by decode_image")
    path = Path(os.fspath(image))
    try:
        data = path.read_bytes()
    except IsADirectoryError as exc:
        raise ImageReadError(f"{path} is a directory, not an image file") from exc
    except FileNotFoundError as exc:
        raise ImageReadError(f"{path} does not exist") from exc
    except OSError as exc:
        raise ImageReadError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if not data:
        raise NotAnImageError(f"{path} is empty")
    return Image.open(io.BytesIO(data))


def decode_image(
    image: ImageInput,
    *,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    max_side: int = DEFAULT_MAX_SIDE,
) -> DecodedImage:
    """Decode ``image`` (path, bytes, PIL image or HxWx3 uint8 array) to upright RGB.

    Raises :class:`ImageReadError`, :class:`NotAnImageError`, :class:`CorruptImageError`
    or :class:`ImageTooLargeError`; never a bare Pillow/OS error.
    """
    source = _describe(image)
    if isinstance(image, np.ndarray):
        arr = np.asarray(image)
        if arr.ndim == 2:
            arr = np.repeat(arr[:, :, None], 3, axis=2)
        if arr.ndim != 3 or arr.shape[2] not in (3, 4) or arr.dtype != np.uint8:
            raise NotAnImageError("arrays must be HxWx3 (RGB) or HxWx4 uint8")
        if arr.shape[0] * arr.shape[1] > max_pixels:
            raise ImageTooLargeError(f"{arr.shape[1]}x{arr.shape[0]} exceeds the cap of {max_pixels:,} pixels")
        return DecodedImage(np.ascontiguousarray(arr[:, :, :3]), source, 1.0)

    name = source or "image"
    try:
        with warnings.catch_warnings():
            # Pillow warns (then errors) on huge images; we enforce our own, lower cap below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im = _open(image)
    except Image.DecompressionBombError as exc:
        raise ImageTooLargeError(f"{name}: {exc}") from exc
    except UnidentifiedImageError as exc:
        raise NotAnImageError(f"{name} is not an image format that can be read") from exc
    except OSError as exc:
        raise CorruptImageError(f"{name} cannot be decoded: {exc}") from exc

    w, h = im.size
    if w * h > max_pixels:
        raise ImageTooLargeError(
            f"{name} declares {w}x{h} = {w * h:,} pixels, above the cap of {max_pixels:,} "
            "(decompression-bomb protection)"
        )
    scale = 1.0
    try:
        if im.format == "JPEG" and max(w, h) > max_side:
            target = (max(1, w * max_side // max(w, h)), max(1, h * max_side // max(w, h)))
            im.draft("RGB", target)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im.load()
        scale = im.size[0] / w
        im = ImageOps.exif_transpose(im) or im
        if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
            rgba = im.convert("RGBA")
            # Transparent backgrounds become white, not black: the landmarker sees a studio backdrop.
            backdrop = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            im = Image.alpha_composite(backdrop, rgba)
        rgb = np.asarray(im.convert("RGB"), dtype=np.uint8)
    except OSError as exc:
        msg = str(exc)
        if "truncated" in msg:
            raise CorruptImageError(f"{name} is truncated (the file ends before the image data does)") from exc
        raise CorruptImageError(f"{name} cannot be decoded: {msg}") from exc
    except (ValueError, SyntaxError) as exc:
        raise CorruptImageError(f"{name} cannot be decoded: {exc}") from exc
    return DecodedImage(np.ascontiguousarray(rgb), source, scale)
