"""Local development: DEBUG on, SQLite by default, console e-mail."""

from .base import *  # noqa: F403
from .base import BASE_DIR, PHOTOS_STORAGE, env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405
(BASE_DIR / "var").mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "photos": PHOTOS_STORAGE,
}
