"""Requests made in-process, as gunicorn makes them: what bench/first_view.py and bench/profile_thread.py share.

:func:`setup` puts the production settings in the environment (``config.settings.prod``, the same variables
bench/load.py gives gunicorn) and starts Django; :class:`Wsgi` sends GET requests through Django's own WSGI
handler with a plain PEP 3333 environ, so nothing of the test client (its template instrumentation) or of
Django's private helpers is in what is measured.
"""

from __future__ import annotations

import io
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def setup(*, database_url: str, redis_url: str, label: str, hello: bool = False) -> None:
    """Production settings on this database and Redis, ``django.setup()`` and ``collectstatic`` (as
    bench/load.py runs it). The cache key prefix is new each time (``label``, the process id and the clock),
    so nothing is cached yet when the bench starts."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        SECRET_KEY="bench-only-secret-key-not-for-production-0123456789",
        DATABASE_URL=database_url,
        ALLOWED_HOSTS="*",
        REDIS_URL=redis_url,
        SECURE_COOKIES="0",
        SECURE_SSL_REDIRECT="0",  # plain HTTP (prod redirects to HTTPS by default)
        CACHE_KEY_PREFIX=f"{label}-{os.getpid()}-{time.time_ns()}",
    )
    if hello:
        os.environ["BENCH_HELLO"] = "1"  # the bare hello view, /bench/hello/
    import django
    from django.core.management import call_command

    django.setup()
    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest the pages' {% static %} reads


class Wsgi:
    """GET requests through one ``WSGIHandler``, with the cookies a browser would send (``cookie``)."""

    def __init__(self, cookie: str = "", host: str = "127.0.0.1") -> None:
        from django.core.handlers.wsgi import WSGIHandler

        self.handler = WSGIHandler()
        self.cookie = cookie
        self.host = host

    def environ(self, path: str) -> dict[str, Any]:
        path, _, query = path.partition("?")
        environ: dict[str, Any] = {
            "REQUEST_METHOD": "GET",
            "SCRIPT_NAME": "",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": self.host,
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": self.host,
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        if self.cookie:
            environ["HTTP_COOKIE"] = self.cookie
        return environ

    def get(self, path: str) -> bytes:
        """The response body; a status other than 200 is an error (the bench would measure the wrong page)."""
        status = []

        def start_response(line: str, headers: list[tuple[str, str]], exc_info: object = None) -> Callable[[bytes], None]:
            status.append(line)
            return lambda data: None

        response = self.handler(self.environ(path), start_response)
        try:
            body = b"".join(response)
        finally:
            response.close()  # as a WSGI server does: Django's request_finished (connections, caches)
        if not status[0].startswith("200"):
            raise SystemExit(f"GET {path}: {status[0]}")
        return body
