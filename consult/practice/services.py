"""Headshot writes. The file goes through the photos' upload checks and is stored as a small JPEG."""

from __future__ import annotations

import io
import secrets
from typing import IO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image

from consult.accounts.models import User
from consult.core import pagecache
from consult.doctors.models import DoctorProfile
from consult.photos.errors import BadPhoto
from consult.photos.images import process_upload
from consult.practice.errors import HeadshotNotAllowed, InvalidHeadshot
from consult.practice.models import Headshot


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
