"""Production settings on a fresh checkout, in the README's order (issue 11): no collectstatic yet."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _manage(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {
        key: value for key, value in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE: set by the browser tests' fixtures in this process, never in a deployment
        if key not in {"SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_COOKIES", "REDIS_URL",
                       "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environ.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": "a-production-like-secret-key-with-plenty-of-entropy-0123456789abcdef",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}",
        "ALLOWED_HOSTS": "consult.example",
        "SINGLE_PROCESS": "1",
        "STATIC_ROOT": str(tmp_path / "static-not-collected"),
        **env,
    })
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=300,
    )


def test_migrate_and_check_deploy_work_before_collectstatic_with_no_warnings(tmp_path):
    migrated = _manage(tmp_path, "migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stderr[-2000:]
    checked = _manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "no issues" in checked.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL"])
def test_production_refuses_to_start_without_its_secrets(missing):
    environ = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.prod", SINGLE_PROCESS="1",
                   DATABASE_URL="sqlite:///x",
                   SECRET_KEY="a-production-like-secret-key-with-plenty-of-entropy-0123456789abcdef")
    environ.pop(missing)
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=environ, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr


def test_production_sends_hsts_and_secure_cookies_by_default():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.DEBUG)"
    )
    environ = {key: value for key, value in os.environ.items()
               if key not in {"SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_COOKIES"}}
    environ.update(DJANGO_SETTINGS_MODULE="config.settings.prod", SINGLE_PROCESS="1", DATABASE_URL="sqlite:///x",
                   SECRET_KEY="a-production-like-secret-key-with-plenty-of-entropy-0123456789abcdef")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True,
                            timeout=120)
    assert result.stdout.split() == ["True", "True", "True", "True", "False"], result.stderr
