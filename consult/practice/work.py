"""Measuring a before/after gallery pair in the background worker, and writing its published photos.

Like the patient photos (:mod:`consult.photos.work`): the pair is **claimed** with one conditional UPDATE
(``pending``, or ``measuring`` whose lease has expired), so a task delivered twice measures it once; the
result is written only if the pair is still ``measuring`` (consent withdrawn meanwhile: the new files are
deleted and nothing is published). Both photos are measured by the engine through its one adapter,
``consult.photos.engine``; the published versions are then drawn from the private originals, with the eyes
blurred or the face cropped below the eyes as the doctor chose (placed by the engine's pupil positions),
and the originals are deleted. A photo the engine cannot measure fails the pair with the engine's sentence:
without the pupils the blur or crop cannot be placed, so nothing is published.
"""

from __future__ import annotations

import datetime
import io
import logging
import math
import secrets
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from PIL import Image, ImageFilter

from consult.core import pagecache
from consult.photos import engine

from .models import FacePrivacy, GalleryPair, PairExpression, PairStatus

__all__ = ["GALLERY_MEASURES", "MAX_ATTEMPTS", "measure_pair", "publishable_jpeg", "recover_stalled_pairs"]

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
PUBLISHED_SIDE = 900
#: What the gallery compares, by expression: engine measure name -> label. Each is shown as the left/right
#: difference before and after ("Mouth-corner height difference 4.1 -> 1.2 mm").
GALLERY_MEASURES: dict[str, dict[str, str]] = {
    PairExpression.NEUTRAL: {
        "brow_height": "Brow height",
        "palpebral_fissure_height": "Eye opening",
        "commissure_height": "Mouth-corner height",
    },
    PairExpression.SMILE: {
        "brow_height": "Brow height",
        "palpebral_fissure_height": "Eye opening",
        "commissure_excursion": "Mouth-corner movement",
        "smile_angle": "Smile angle",
    },
}
UNITS = {"smile_angle": "°"}


def _lease_seconds() -> int:
    return int(getattr(settings, "PHOTOS_LEASE_SECONDS", 120))


def _claim(pair_id: int) -> GalleryPair | None:
    now = timezone.now()
    claimed = (
        GalleryPair.objects.filter(pk=pair_id)
        .filter(Q(status=PairStatus.PENDING) | Q(status=PairStatus.MEASURING, lease_until__lt=now))
        .update(
            status=PairStatus.MEASURING,
            lease_until=now + datetime.timedelta(seconds=_lease_seconds()),
            attempts=F("attempts") + 1,
        )
    )
    if not claimed:
        return None
    return GalleryPair.objects.select_related("doctor").filter(pk=pair_id).first()


def _summary(record: dict[str, Any], expression: str) -> dict[str, dict[str, Any]]:
    """The gallery's measures from one engine record: left, right, |L-R| and whether the engine doubts it."""
    measures = record.get("measures", {})
    confidence = record.get("confidence", {})
    doubtful_photo = bool(record.get("needs_retake")) or not record.get("scale", {}).get("confident", True)
    out: dict[str, dict[str, Any]] = {}
    for name in GALLERY_MEASURES[expression]:
        sides = measures.get(name)
        if not sides:
            continue
        left, right = float(sides["left"]), float(sides["right"])
        conf = confidence.get(name, {})
        out[name] = {
            "left": round(left, 2),
            "right": round(right, 2),
            "deviation": round(abs(left - right), 2),
            "low": bool(conf.get("low")) or doubtful_photo,
        }
    return out


def publishable_jpeg(data: bytes, record: dict[str, Any], privacy: str) -> tuple[bytes, int, int]:
    """The published version of a stored photo: eyes pixelated and blurred, or the face cropped below the eyes,
    placed by the engine's pupils (image pixels); at most ``PUBLISHED_SIDE`` px. Returns (JPEG, width, height)."""
    with Image.open(io.BytesIO(data)) as opened:
        image = opened.convert("RGB")
    pupils = record["pupils"]
    lx, ly = float(pupils["left"]["x"]), float(pupils["left"]["y"])
    rx, ry = float(pupils["right"]["x"]), float(pupils["right"]["y"])
    ipd = max(math.hypot(lx - rx, ly - ry), 8.0)
    cy = (ly + ry) / 2
    width, height = image.size
    if privacy == FacePrivacy.BLUR_EYES:
        box = (
            max(0, int(min(lx, rx) - 0.8 * ipd)),
            max(0, int(cy - 0.6 * ipd)),
            min(width, int(max(lx, rx) + 0.8 * ipd)),
            min(height, int(cy + 0.45 * ipd)),
        )
        region = image.crop(box)
        block = max(4, int(ipd / 5))
        small = region.resize((max(1, region.width // block), max(1, region.height // block)), Image.Resampling.BOX)
        region = small.resize(region.size, Image.Resampling.NEAREST).filter(ImageFilter.GaussianBlur(block / 2))
        image.paste(region, box[:2])
    elif privacy == FacePrivacy.LOWER_FACE:
        top = min(height - 16, max(0, int(cy + 0.5 * ipd)))
        image = image.crop((0, top, width, height))
    image.thumbnail((PUBLISHED_SIDE, PUBLISHED_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue(), image.width, image.height


def _fail(pair: GalleryPair, message: str) -> None:
    from .services import gallery_storage

    originals = [pair.before_original, pair.after_original]
    with transaction.atomic():
        updated = GalleryPair.objects.filter(pk=pair.pk, status=PairStatus.MEASURING).update(
            status=PairStatus.FAILED, failure=message[:300], lease_until=None, before_original="", after_original=""
        )
    if updated:
        storage = gallery_storage()
        for name in originals:
            if name:
                storage.delete(name)


def measure_pair(pair_id: int) -> str:
    """Measure both photos of a pair and publish it. Returns "done", "failed", "skipped" or "retry"."""
    from .services import gallery_storage

    pair = _claim(pair_id)
    if pair is None:
        return "skipped"
    storage = gallery_storage()
    try:
        originals = {}
        for side in ("before", "after"):
            with storage.open(getattr(pair, f"{side}_original"), "rb") as handle:
                originals[side] = handle.read()
        records = {}
        for side, data in originals.items():
            try:
                records[side] = engine.measure_photo(data).measurement
            except engine.EngineFailure as exc:
                _fail(pair, f"The {side} photo could not be measured: {exc.message} {exc.hint}")
                return "failed"
        published = {side: publishable_jpeg(originals[side], records[side], pair.privacy) for side in originals}
    except Exception:
        logger.exception("measuring gallery pair %s failed", pair_id)
        if pair.attempts >= MAX_ATTEMPTS:
            _fail(pair, "We could not measure these photos because of a problem on our side. Remove the pair and post it again.")
            return "failed"
        GalleryPair.objects.filter(pk=pair_id, status=PairStatus.MEASURING).update(status=PairStatus.PENDING, lease_until=None)
        from .tasks import measure_pair as task

        task.enqueue(pair_id)
        return "retry"
    names = {side: storage.save(f"gallery/{secrets.token_urlsafe(24)}.jpg", ContentFile(jpeg)) for side, (jpeg, _w, _h) in published.items()}
    measures = {side: _summary(record, pair.expression) for side, record in records.items()}
    low = any(entry["low"] for side in measures.values() for entry in side.values())
    _jpeg, width, height = published["after"]
    with transaction.atomic():
        updated = GalleryPair.objects.filter(pk=pair_id, status=PairStatus.MEASURING).update(
            status=PairStatus.READY,
            lease_until=None,
            measures=measures,
            low_confidence=low,
            before_image=names["before"],
            after_image=names["after"],
            before_original="",
            after_original="",
            image_width=width,
            image_height=height,
            measured_at=timezone.now(),
        )
        if updated:
            pagecache.bump(pagecache.doctor(pair.doctor.slug))
    if not updated:  # consent withdrawn (or the pair removed) while measuring: publish nothing
        for name in names.values():
            storage.delete(name)
        return "skipped"
    for side in ("before", "after"):
        storage.delete(getattr(pair, f"{side}_original"))
    return "done"



def recover_stalled_pairs() -> int:
    """Queue again the pairs a killed worker left ``measuring`` past their lease, and ``pending`` pairs older than
    a lease whose task was lost; registered in ``consult.core.sweeps`` (the worker runs it every few seconds).
    A re-queued pending pair gets a lease so the next sweeps leave it alone until it passes. Returns how many."""
    from .tasks import measure_pair as task

    now = timezone.now()
    lease = datetime.timedelta(seconds=_lease_seconds())
    waiting = Q(status=PairStatus.PENDING, created_at__lt=now - lease) & (
        Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    )
    stalled = list(
        GalleryPair.objects.filter(Q(status=PairStatus.MEASURING, lease_until__lt=now) | waiting).values_list(
            "pk", flat=True
        )[:500]
    )
    if stalled:
        GalleryPair.objects.filter(pk__in=stalled, status=PairStatus.PENDING).update(lease_until=now + lease)
        for pk in stalled:
            task.enqueue(pk)
        logger.warning("recovered %d gallery pair(s) left behind", len(stalled))
    return len(stalled)
