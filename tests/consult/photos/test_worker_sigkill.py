"""A real worker process killed with SIGKILL mid-measurement loses nothing.

Runs against its own file-based SQLite database and media directory (the pytest database is in memory
or inside a transaction, invisible to other processes), with a 2-second lease so the second worker's
recovery sweep picks the photo up quickly.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.consult.photos.conftest import FACE

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.engine

SETUP = f"""
import io
from django.utils import timezone
from consult.accounts.models import User
from consult.photos import services
user = User.objects.create_user("sigkill@example.com", "x-password-123")
visit = services.visit_create(patient=user, taken_on=timezone.localdate())
photo = services.photo_add(visit=visit, expression="neutral", upload=open({str(FACE)!r}, "rb"))
print(photo.pk)
"""


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
        PHOTOS_LEASE_SECONDS="2",
        PHOTOS_RECOVER_EVERY="0.5",
        PYTHONUNBUFFERED="1",
    )
    return env


def _manage(env, *args, **kwargs):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True, timeout=120, **kwargs)


def _worker(env, log: Path) -> subprocess.Popen:
    with log.open("w") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [sys.executable, "manage.py", "photos_worker", "--no-warm-up", "--interval", "0.1"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )


def _row(db: Path, sql: str, *params):
    with sqlite3.connect(db, timeout=10) as conn:
        return conn.execute(sql, params).fetchone()


def _wait(predicate, timeout: float, step: float = 0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return None


def test_sigkill_mid_measurement_loses_nothing(tmp_path):
    env = _env(tmp_path)
    db = tmp_path / "db.sqlite3"
    _manage(env, "migrate", "--noinput")
    photo_id = int(_manage(env, "shell", "-c", SETUP).stdout.strip().splitlines()[-1])
    assert _row(db, "select status from photos_photo where id = ?", photo_id) == ("pending",)
    assert _row(db, "select count(*) from django_tasks_database_dbtaskresult where status = 'READY'")[0] == 1

    first = _worker(env, tmp_path / "worker1.log")
    try:
        # the landmarker takes about a second to load on the first photo: kill the worker inside it
        claimed = _wait(lambda: _row(db, "select status from photos_photo where id = ?", photo_id)[0] == "measuring", 60)
        assert claimed, (tmp_path / "worker1.log").read_text()
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == -signal.SIGKILL
    status, attempts = _row(db, "select status, attempts from photos_photo where id = ?", photo_id)
    assert (status, attempts) == ("measuring", 1), "the kill must land mid-measurement"
    assert _row(db, "select count(*) from django_tasks_database_dbtaskresult where status = 'RUNNING'")[0] == 1

    second = _worker(env, tmp_path / "worker2.log")
    try:
        done = _wait(lambda: _row(db, "select status from photos_photo where id = ?", photo_id)[0] in ("done", "failed"),
                     90, step=0.2)
        assert done, (tmp_path / "worker2.log").read_text()
        status, attempts, overlay, measurement = _row(
            db, "select status, attempts, overlay, measurement from photos_photo where id = ?", photo_id
        )
        assert status == "done" and attempts == 2
        assert '"commissure_height"' in measurement
        assert (tmp_path / "media" / "photos" / overlay).is_file()
        # the visit is graded (as far as one photo allows) by the same worker
        assert _wait(lambda: _row(db, "select status from photos_visit")[0] == "done", 30, step=0.2)
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(15)
        except subprocess.TimeoutExpired:
            second.kill()
