"""Where patient photos live: a private storage that is never served by URL.

``STORAGES["photos"]`` picks the backend (settings): a FileSystemStorage under ``MEDIA_ROOT/photos`` by
default, or an S3-compatible bucket (django-storages) when ``PHOTOS_S3_BUCKET`` is set. Files are read
back only by :mod:`consult.photos.views`, which checks who is asking first.
"""

from __future__ import annotations

import secrets

from django.core.files.storage import Storage, storages

__all__ = ["new_name", "photo_storage"]


def photo_storage() -> Storage:
    """The private photo storage (a callable so tests and settings can swap it)."""
    return storages["photos"]


def new_name(kind: str) -> str:
    """An unguessable storage name, e.g. ``photos/Xy3...Qk.jpg``; nothing about the patient is in it."""
    return f"{kind}/{secrets.token_urlsafe(24)}.jpg"
