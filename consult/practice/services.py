"""Writes for what a practice publishes and receives: the headshot, the before/after gallery, consultation
requests. Uploads go through the photos' upload checks (``photos.images.process_upload``).

Gallery rules: only a verified doctor posts, to their own gallery, a pair of one treatment with the
patient's consent recorded (how and when); the pair is measured by the engine in the background worker
(``work.measure_pair``) and published only then, blurred or cropped as the doctor chose. Withdrawing consent
(the doctor, or staff on the patient's behalf) takes it off every page at once and deletes its files.

Consultation requests: a signed-in member writes to a verified doctor's practice from the profile (rate
limited in the view); only the sender, the doctor and staff see it; the doctor replies once.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import secrets
from decimal import Decimal
from typing import IO

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage, storages
from django.db import transaction
from django.utils import timezone
from PIL import Image

from consult.accounts.models import User
from consult.core import events, pagecache
from consult.doctors.models import DoctorProfile
from consult.photos.errors import BadPhoto
from consult.photos.images import BadCrop, Crop, process_upload
from consult.practice import permissions
from consult.practice.errors import (
    ConsultationNotAllowed,
    GalleryNotAllowed,
    HeadshotNotAllowed,
    InvalidConsultation,
    InvalidGalleryPair,
    InvalidHeadshot,
)
from consult.practice.models import (
    ConsultationRequest,
    FacePrivacy,
    GalleryPair,
    Headshot,
    PairExpression,
    PairStatus,
)
from consult.reviews.models import Treatment


def _delete_file_after_commit(name: str) -> None:
    transaction.on_commit(lambda: default_storage.delete(name))


def _require_own(profile: DoctorProfile, user: User) -> None:
    if profile.user_id != user.pk:
        raise HeadshotNotAllowed("Only the doctor can change their headshot.")


@transaction.atomic
def headshot_set(*, profile: DoctorProfile, uploaded_by: User, upload: IO[bytes]) -> Headshot:
    """Replace the doctor's headshot with ``upload`` (checked and re-encoded like a patient photo; the
    320 px version is kept). The old file is deleted once this commits."""
    _require_own(profile, uploaded_by)
    try:
        image = process_upload(upload)
    except BadPhoto as exc:
        raise InvalidHeadshot(exc.message) from None
    name = default_storage.save(f"headshots/{secrets.token_hex(16)}.jpg", ContentFile(image.thumbnail))
    old = Headshot.objects.select_for_update().filter(doctor=profile).first()
    if old is not None:
        old.delete()
        _delete_file_after_commit(old.file)
    with Image.open(io.BytesIO(image.thumbnail)) as thumb:  # the kept size, read back from our own JPEG
        width, height = thumb.size
    headshot = Headshot.objects.create(doctor=profile, file=name, width=width, height=height)
    pagecache.bump(pagecache.doctor(profile.slug))
    return headshot


@transaction.atomic
def headshot_remove(*, profile: DoctorProfile, removed_by: User) -> bool:
    """Remove the headshot (the profile shows the initial again). Returns whether there was one."""
    _require_own(profile, removed_by)
    old = Headshot.objects.select_for_update().filter(doctor=profile).first()
    if old is None:
        return False
    old.delete()
    _delete_file_after_commit(old.file)
    pagecache.bump(pagecache.doctor(profile.slug))
    return True


# --- gallery ---------------------------------------------------------------------------------------------------

CONSENT_NOTE_MIN, CONSENT_NOTE_MAX = 10, 300
CAPTION_MAX = 300
MAX_PAIRS_PER_DOCTOR = 200


def gallery_storage() -> Storage:
    """The private storage (never served by URL); published pair photos are served by
    ``practice.views.gallery_photo``, which checks the pair is public first."""
    return storages["photos"]


def _delete_gallery_files_after_commit(names: list[str]) -> None:
    names = [name for name in names if name]
    if not names:
        return

    def delete() -> None:
        storage = gallery_storage()
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)


def _pair_files(pair: GalleryPair) -> list[str]:
    return [pair.before_original, pair.after_original, pair.before_image, pair.after_image]


def _clean_date(value: dt.date | None, *, field: str, label: str) -> dt.date | None:
    if value is not None and value > timezone.localdate():
        raise InvalidGalleryPair(f"The {label} cannot be in the future.", field=field)
    return value


#: A crop as the form gives it: (x, y, width, height) in percent of the photo, each None when left empty.
CropPercent = tuple[Decimal | float | None, Decimal | float | None, Decimal | float | None, Decimal | float | None]


def _clean_crop(side: str, crop: CropPercent | None) -> tuple[float, float, float, float] | None:
    """All four values or none; each a percentage; the rectangle inside the photo. Its size in pixels is checked
    against the photo itself (``photos.images.process_upload``)."""
    if crop is None or all(value is None for value in crop):
        return None
    field = f"{side}_crop"
    if any(value is None for value in crop):
        raise InvalidGalleryPair(
            f"{side.capitalize()} photo: give all four crop values (left, top, width, height) or none.", field=field
        )
    x, y, w, h = (float(value) for value in crop if value is not None)
    if not all(0 <= value <= 100 for value in (x, y, w, h)) or w <= 0 or h <= 0:
        raise InvalidGalleryPair(
            f"{side.capitalize()} photo: crop values are percentages of the photo, 0 to 100, with a width and a height.",
            field=field,
        )
    if x + w > 100.0001 or y + h > 100.0001:
        raise InvalidGalleryPair(
            f"{side.capitalize()} photo: the crop must lie inside the photo (left + width and top + height at most 100).",
            field=field,
        )
    return x, y, w, h


@transaction.atomic
def gallery_pair_create(
    *,
    doctor: DoctorProfile,
    posted_by: User,
    treatment: Treatment,
    before: IO[bytes],
    after: IO[bytes],
    consent_confirmed: bool,
    consent_note: str,
    consent_given_on: dt.date,
    privacy: str = FacePrivacy.BLUR_EYES,
    expression: str = PairExpression.NEUTRAL,
    caption: str = "",
    before_taken_on: dt.date | None = None,
    after_taken_on: dt.date | None = None,
    before_crop: CropPercent | None = None,
    after_crop: CropPercent | None = None,
) -> GalleryPair:
    """Store a before/after pair (checked, re-encoded, kept privately) and queue its measuring. It is published
    by the worker once both photos are measured. ``before_crop`` / ``after_crop``: the doctor's free-form crop of
    each photo, (x, y, width, height) in percent of the upright photo from its top-left corner; it is cut out with
    Pillow before the photo is stored, so the engine measures, and the gallery shows, only what is inside it."""
    if not permissions.can_post_gallery(posted_by, doctor):
        raise GalleryNotAllowed("Only a verified doctor can post to their own gallery.")
    if not consent_confirmed:
        raise InvalidGalleryPair(
            "Confirm that the patient gave written consent to publishing these photos.", field="consent_confirmed"
        )
    note = " ".join(consent_note.split())
    if len(note) < CONSENT_NOTE_MIN:
        raise InvalidGalleryPair(
            "Say how the consent was recorded, e.g. “Signed photo release, kept in the patient's chart”.",
            field="consent_note",
        )
    if len(note) > CONSENT_NOTE_MAX:
        raise InvalidGalleryPair(f"Keep the consent note to {CONSENT_NOTE_MAX} characters.", field="consent_note")
    if _clean_date(consent_given_on, field="consent_given_on", label="consent date") is None:
        raise InvalidGalleryPair("Enter the date the patient gave consent.", field="consent_given_on")
    _clean_date(before_taken_on, field="before_taken_on", label="date of the before photo")
    _clean_date(after_taken_on, field="after_taken_on", label="date of the after photo")
    if before_taken_on and after_taken_on and after_taken_on < before_taken_on:
        raise InvalidGalleryPair("The after photo must be taken after the before photo.", field="after_taken_on")
    if privacy not in FacePrivacy.values:
        raise InvalidGalleryPair("Choose how much of the face to show.", field="privacy")
    if expression not in PairExpression.values:
        raise InvalidGalleryPair("Choose the expression both photos show.", field="expression")
    caption = " ".join(caption.split())
    if len(caption) > CAPTION_MAX:
        raise InvalidGalleryPair(f"Keep the caption to {CAPTION_MAX} characters.", field="caption")
    locked = DoctorProfile.objects.select_for_update().get(pk=doctor.pk)
    if locked.gallery_pairs.exclude(status=PairStatus.WITHDRAWN).count() >= MAX_PAIRS_PER_DOCTOR:
        raise InvalidGalleryPair(f"A gallery holds at most {MAX_PAIRS_PER_DOCTOR} pairs. Remove one first.")
    crops = {side: _clean_crop(side, crop) for side, crop in (("before", before_crop), ("after", after_crop))}
    images = {}
    for side, upload in (("before", before), ("after", after)):
        crop = crops[side]
        try:
            images[side] = process_upload(
                upload, crop=Crop(*(value / 100 for value in crop)) if crop is not None else None
            )
        except BadCrop as exc:
            raise InvalidGalleryPair(f"{side.capitalize()} photo: {exc.message}", field=f"{side}_crop") from None
        except BadPhoto as exc:
            raise InvalidGalleryPair(f"{side.capitalize()} photo: {exc.message}", field=side) from None
    storage = gallery_storage()
    names = {
        side: storage.save(f"gallery/{secrets.token_urlsafe(24)}.jpg", ContentFile(image.jpeg))
        for side, image in images.items()
    }
    try:
        with transaction.atomic():
            pair = GalleryPair.objects.create(
                doctor=locked,
                treatment=treatment,
                expression=expression,
                caption=caption,
                before_taken_on=before_taken_on,
                after_taken_on=after_taken_on,
                privacy=privacy,
                crops={
                    side: dict(zip(("x", "y", "w", "h"), (float(v) for v in crop), strict=True))
                    for side, crop in crops.items()
                    if crop is not None
                },
                consent_note=note,
                consent_given_on=consent_given_on,
                before_original=names["before"],
                after_original=names["after"],
            )
    except Exception:
        for name in names.values():
            storage.delete(name)
        raise
    from consult.practice.tasks import measure_pair

    pair_id = pair.pk
    transaction.on_commit(lambda: measure_pair.enqueue(pair_id))
    return pair


@transaction.atomic
def gallery_consent_withdraw(*, pair: GalleryPair, withdrawn_by: User) -> GalleryPair:
    """The patient withdrew consent (recorded by the doctor, or by staff on the patient's behalf): the pair
    leaves every page at once, its files and measurements are deleted, the row keeps the record."""
    locked = GalleryPair.objects.select_for_update().select_related("doctor").get(pk=pair.pk)
    if not permissions.can_manage_pair(withdrawn_by, locked):
        raise GalleryNotAllowed("Only the doctor who posted this pair, or staff, can withdraw it.")
    if locked.consent_withdrawn_at is not None:
        return locked
    files = _pair_files(locked)
    GalleryPair.objects.filter(pk=locked.pk).update(
        consent_withdrawn_at=timezone.now(),
        status=PairStatus.WITHDRAWN,
        before_original="",
        after_original="",
        before_image="",
        after_image="",
        measures={},
        low_confidence=False,
    )
    _delete_gallery_files_after_commit(files)
    pagecache.bump(pagecache.doctor(locked.doctor.slug))
    locked.refresh_from_db()
    return locked


@transaction.atomic
def gallery_pair_remove(*, pair: GalleryPair, removed_by: User) -> None:
    """Delete a pair and its files (the doctor, e.g. one that could not be measured; or staff)."""
    locked = GalleryPair.objects.select_for_update().select_related("doctor").get(pk=pair.pk)
    if not permissions.can_manage_pair(removed_by, locked):
        raise GalleryNotAllowed("Only the doctor who posted this pair, or staff, can remove it.")
    files = _pair_files(locked)
    locked.delete()
    _delete_gallery_files_after_commit(files)
    pagecache.bump(pagecache.doctor(locked.doctor.slug))


# --- consultation requests ---------------------------------------------------------------------------------------

SUBJECT_MIN, SUBJECT_MAX = 3, 120
MESSAGE_MIN, MESSAGE_MAX = 20, 3000
REPLY_MAX = 3000
CONTACT_CHOICES = ("site", "email", "phone")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()./\-]{5,28}$")


@transaction.atomic
def consultation_request_send(
    *,
    doctor: DoctorProfile,
    sender: User,
    subject: str,
    message: str,
    contact_by: str = "site",
    contact_detail: str = "",
) -> ConsultationRequest:
    """A member writes privately to a verified doctor's practice. Announces ``consultation_requested``."""
    refusal = permissions.consultation_refusal(sender, doctor)
    if refusal is not None:
        raise ConsultationNotAllowed(refusal)
    subject = " ".join(subject.split())
    if len(subject) < SUBJECT_MIN:
        raise InvalidConsultation("Give your request a short subject.", field="subject")
    if len(subject) > SUBJECT_MAX:
        raise InvalidConsultation(f"Keep the subject to {SUBJECT_MAX} characters.", field="subject")
    message = message.strip()
    if len(message) < MESSAGE_MIN:
        raise InvalidConsultation(
            f"Tell the practice a little more (at least {MESSAGE_MIN} characters).", field="message"
        )
    if len(message) > MESSAGE_MAX:
        raise InvalidConsultation(f"Keep the message to {MESSAGE_MAX} characters.", field="message")
    if contact_by not in CONTACT_CHOICES:
        raise InvalidConsultation("Choose how the practice should contact you.", field="contact_by")
    detail = " ".join(contact_detail.split())
    if contact_by == "phone":
        if not _PHONE.match(detail):
            raise InvalidConsultation("Enter the phone number the practice should call.", field="contact_detail")
    else:
        detail = ""
    consultation = ConsultationRequest.objects.create(
        doctor=doctor, sender=sender, subject=subject, message=message, contact_by=contact_by, contact_detail=detail
    )
    events.consultation_requested.send(sender=ConsultationRequest, consultation=consultation)
    return consultation


def consultation_mark_read(*, consultation: ConsultationRequest, reader: User) -> bool:
    """The doctor opened the request (first time only). Returns whether this marked it."""
    if consultation.doctor.user_id != reader.pk or consultation.read_at is not None:
        return False
    now = timezone.now()
    marked = ConsultationRequest.objects.filter(pk=consultation.pk, read_at__isnull=True).update(read_at=now)
    if marked:
        consultation.read_at = now
    return bool(marked)


@transaction.atomic
def consultation_reply(*, consultation: ConsultationRequest, replied_by: User, reply: str) -> ConsultationRequest:
    """The doctor's one reply (seen by the sender only). Announces ``consultation_replied``."""
    locked = ConsultationRequest.objects.select_for_update().select_related("doctor").get(pk=consultation.pk)
    if not permissions.can_reply_consultation(replied_by, locked):
        raise ConsultationNotAllowed("Only the doctor this request was sent to can reply.")
    if locked.replied_at is not None:
        raise InvalidConsultation("You have already replied to this request.", field="reply")
    text = reply.strip()
    if not text:
        raise InvalidConsultation("Write a reply.", field="reply")
    if len(text) > REPLY_MAX:
        raise InvalidConsultation(f"Keep the reply to {REPLY_MAX} characters.", field="reply")
    now = timezone.now()
    locked.reply, locked.replied_at = text, now
    locked.read_at = locked.read_at or now
    locked.save(update_fields=["reply", "replied_at", "read_at"])
    events.consultation_replied.send(sender=ConsultationRequest, consultation=locked)
    return locked


# --- deleting an account ------------------------------------------------------------------------------------------


@transaction.atomic
def member_practice_delete(*, user: User) -> int:
    """Deleting an account (``consult.accounts.erasure``): a doctor's headshot and gallery (rows and files) go,
    and every consultation request the member sent or received (private messages). The doctor's profile stays,
    marked as left, by the doctors' eraser. Returns how many rows were deleted."""
    deleted = 0
    shots = list(Headshot.objects.select_for_update().filter(doctor__user_id=user.pk).select_related("doctor"))
    for shot in shots:
        shot.delete()
        _delete_file_after_commit(shot.file)
        pagecache.bump(pagecache.doctor(shot.doctor.slug))
        deleted += 1
    pairs = list(GalleryPair.objects.select_for_update().filter(doctor__user_id=user.pk).select_related("doctor"))
    for pair in pairs:
        files = _pair_files(pair)
        pair.delete()
        _delete_gallery_files_after_commit(files)
        pagecache.bump(pagecache.doctor(pair.doctor.slug))
        deleted += 1
    sent, _ = ConsultationRequest.objects.filter(sender_id=user.pk).delete()
    received, _ = ConsultationRequest.objects.filter(doctor__user_id=user.pk).delete()
    return deleted + sent + received
