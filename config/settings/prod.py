"""Production: every secret from the environment, no insecure defaults."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")
if "DATABASE_URL" not in os.environ:
    raise ImproperlyConfigured("DATABASE_URL must be set in the environment for production.")

# HTTPS only by default (`manage.py check --deploy` reports nothing, tests/consult/test_deploy.py): plain
# HTTP is redirected, browsers are told to use HTTPS for a year, cookies are never sent in clear. The
# benchmarks, which talk plain HTTP on the loopback, switch these off with SECURE_SSL_REDIRECT=0 and
# SECURE_COOKIES=0.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# The TLS-terminating proxy must set X-Forwarded-Proto (and strip a client's own).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Sessions, rate limits and the page cache must be shared by every web process and the worker: a
# per-process memory cache would let one process serve a page another has invalidated, or keep a
# signed-out session alive. Only a deployment that runs exactly one process may opt out.
if not os.environ.get("REDIS_URL") and not env_bool("SINGLE_PROCESS", False):
    raise ImproperlyConfigured(
        "REDIS_URL must be set for production (shared sessions and caches); "
        "set SINGLE_PROCESS=1 only if the site runs as one process."
    )
