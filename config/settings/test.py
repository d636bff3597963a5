"""Test settings: fast hashing, in-memory mail, SQLite unless DATABASE_URL says otherwise."""

from .base import *  # noqa: F403
from .base import BASE_DIR, PHOTOS_STORAGE

SECRET_KEY = "test-only-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
(BASE_DIR / "var").mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "photos": PHOTOS_STORAGE,
}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "consult-test"},
    "sessions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "consult-test-sessions"},
    "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "consult-test-ratelimit"},
}
RATELIMIT_ENABLED = False
ANON_PAGE_LOCAL_SECONDS = 0.0  # tests see the shared page cache; tests/consult/scale/test_pagecache.py turns it on
# Serve static files from the finders (no collectstatic before tests); also silences WhiteNoise's
# "No directory at STATIC_ROOT" warning, which the pytest config turns into an error.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
