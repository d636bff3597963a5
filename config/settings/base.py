"""Settings shared by every environment. Everything that varies comes from the environment."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "consult.core",
    "consult.accounts",
    "consult.doctors",
    "consult.reviews",
    "consult.questions",
    "consult.moderation",
    "consult.photos",
    "consult.practice",
    "consult.progress",
    "consult.api",  # /api/v1/: a thin layer over the apps below it
    "consult.search",
    "consult.notifications",
    "consult.dashboard",
    "consult.demo",  # load_demo: on top of every other app
    "django_tasks",
    "django_tasks_db",
    "ninja",  # its Swagger UI template and static files (served locally, no CDN) for /api/docs
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "consult.api.problems.ProblemDetailsMiddleware",  # any error under /api/ as RFC 9457 problem+json
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "consult.core.limits.RequestSizeLimitMiddleware",  # 413 before reading an oversized body
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "consult.api.auth.TokenMiddleware",  # /api/ only: Authorization: Bearer <personal token>, or a 401 problem
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "consult" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "consult.core.context_processors.site",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'consult.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the photos worker write to the same file. IMMEDIATE takes the write lock at BEGIN
    # (a deferred transaction that reads, then writes, fails at once with "database is locked" when another
    # process holds the lock) and waits up to `timeout` seconds for it; WAL lets readers run during a write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
# Opt-in read replica (docs/scaling.md): safe reads go to it, writes and the writer's own request stay on
# the primary (config/db_router.py).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["config.db_router.PrimaryReplicaRouter"]
    MIDDLEWARE.insert(1, "config.db_router.ReplicaPinMiddleware")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Loads the signed-in user with their doctor profile in one query (consult/accounts/backends.py).
AUTHENTICATION_BACKENDS = ["consult.accounts.backends.EmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "questions:list"
LOGOUT_REDIRECT_URL = "questions:list"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", "") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "consult" / "static"]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Private uploads (patient photos) live outside any public static path and are served only
# through permission-checking views.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Patient photos (consult.photos): a private FileSystemStorage under MEDIA_ROOT/photos with no base URL,
# or an S3-compatible bucket when PHOTOS_S3_BUCKET is set (needs the optional django-storages[s3] package;
# credentials from the usual AWS_* variables). Either way files are served only by permission-checking views.
PHOTOS_STORAGE: dict[str, Any]
if os.environ.get("PHOTOS_S3_BUCKET"):
    PHOTOS_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["PHOTOS_S3_BUCKET"],
            "endpoint_url": os.environ.get("PHOTOS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("PHOTOS_S3_REGION") or None,
            "location": os.environ.get("PHOTOS_S3_PREFIX", "photos"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    PHOTOS_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT / "photos"), "base_url": None,
                    "file_permissions_mode": 0o600, "directory_permissions_mode": 0o700},
    }
STORAGES["photos"] = PHOTOS_STORAGE

# Background work (photo measuring): django-tasks with the database queue (django-tasks-db), run by
# `manage.py photos_worker` (started by scripts/run.sh). A lease longer than any measurement: a worker
# killed mid-job leaves its photo to be picked up again once the lease has expired.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
PHOTOS_LEASE_SECONDS = int(os.environ.get("PHOTOS_LEASE_SECONDS", "120"))

# A clinic's licensed questionnaire wording (SAQ, FaCE): a JSON file of item labels and response anchors
# loaded over the short original labels at start-up (consult/progress/instruments.py, load_overrides).
PROGRESS_INSTRUMENTS_FILE = os.environ.get("PROGRESS_INSTRUMENTS_FILE", "")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Consult <no-reply@consult.example>")
# Where links in e-mails sent by the worker point (no request there to take the host from).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# The daily notification digest goes out once a day from this hour (UTC), sent by the worker.
NOTIFICATIONS_DIGEST_HOUR = int(os.environ.get("NOTIFICATIONS_DIGEST_HOUR", "7"))

# The cache's one lifetime (consult/core/pagecache.py): nothing any page shows is older than this; changes made
# through the services show at once (versioned keys).
ANON_PAGE_CACHE_SECONDS = int(os.environ.get("ANON_PAGE_CACHE_SECONDS", "60"))

# Largest request body (consult/core/limits.py): 8 photos of 15 MB (consult.photos' limits) + 2 MB of fields.
MAX_REQUEST_BYTES = (8 * 15 + 2) * 1024 * 1024

REDIS_URL = os.environ.get("REDIS_URL", "")
# Hot anonymous pages kept in each worker's memory this long (0: off); see consult/core/pagecache.py.
# Only worth it in front of a shared cache (Redis); without one the page cache is in-process already.
ANON_PAGE_LOCAL_SECONDS = float(os.environ.get("ANON_PAGE_LOCAL_SECONDS", "1" if REDIS_URL else "0"))


def _cache(name: str) -> dict[str, Any]:
    """One cache alias: on the shared Redis (django-redis) when REDIS_URL is set, else in process memory.
    CACHE_KEY_PREFIX keeps sites (or bench databases) that share one Redis apart."""
    if REDIS_URL:
        prefix = os.environ.get("CACHE_KEY_PREFIX", "")
        return {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{prefix}:{name}" if prefix else name,
        }
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"consult-{name}"}


# "default": pages and thread entries (consult/core/pagecache.py); "sessions": signed-in sessions, apart so
# that page churn (or clearing the page cache) never evicts a session.
CACHES = {"default": _cache("pages"), "sessions": _cache("sessions"), "ratelimit": _cache("ratelimit")}
SESSION_CACHE_ALIAS = "sessions"
# "ratelimit": the rate-limit counters (consult/core/ratelimit.py), apart so that page churn cannot evict a lock.
RATELIMIT_CACHE = "ratelimit"

# A session row is written only when something is stored in it (sign-in); anonymous reads write nothing.
# cached_db: reads come from the cache (falling back to the DB), writes go to both. That keeps the
# session lookup out of every signed-in page's SQL budget (thread page <= 6 queries) while a cache
# flush still signs no one out. With several worker processes the cache must be shared (REDIS_URL),
# as for the rate limits; a per-process locmem cache could keep a signed-out session alive elsewhere.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Strict Content-Security-Policy (django-csp 4): no inline script, no third-party origins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Rate limits (requests per window, per user or client address, or per account for sign-in and password
# reset) used by consult.core.ratelimit. "login" and "login_account" count failed sign-ins only.
RATELIMITS = {
    "question_create": (10, 3600),
    "answer_create": (30, 3600),
    "vote": (120, 60),
    "markdown_preview": (60, 60),
    "flag": (20, 3600),
    "login": (20, 900),  # failed sign-ins per client address
    "login_account": (5, 900),  # failed sign-ins per e-mail address: the account is locked for the window
    "signup": (10, 3600),
    "signup_email": (3, 3600),  # sign-up e-mails sent to one address
    "password_reset": (10, 3600),  # requests per client address
    "password_reset_email": (3, 3600),  # e-mails sent to one address
    "password_change": (5, 900),  # wrong old passwords per signed-in user
    "photo_upload": (60, 3600),
    "doctor_share": (30, 3600),
    "review_write": (10, 3600),  # reviews posted (new or edited) per member
    "api": (300, 60),  # every /api/ request, per token, member or client address (consult/api/limits.py)
    "follow": (60, 3600),  # follow / unfollow clicks per member
    "question_update": (10, 3600),  # follow-up updates posted per member
    "invite": (10, 3600),  # doctors invited to answer, per member
    "consultation_request": (5, 3600),  # private consultation requests sent to doctors' practices per member
}
# Addresses or networks of this site's own reverse proxies / load balancers: only their X-Forwarded-For
# is believed (the right-most hop that is not one of them is the client). Empty: REMOTE_ADDR is the client.
RATELIMIT_TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
