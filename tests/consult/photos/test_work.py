"""The worker's task bodies: real engine, idempotent re-runs, leases, failures, recovery."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from PIL import Image

from consult.photos import engine, services, work
from consult.photos.models import Photo, Status, Visit
from tests.consult.photos.conftest import face_bytes, jpeg_bytes, stored_files

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


def make_photo(patient, expression="neutral", data=None):
    visit = services.visit_create(patient=patient, taken_on=timezone.localdate())
    return services.photo_add(visit=visit, expression=expression, upload=io.BytesIO(data or face_bytes()))


def test_measure_photo_stores_measurement_and_overlay(patient, photo_storage):
    photo = make_photo(patient)
    assert work.measure_photo(photo.pk) == "done"
    photo.refresh_from_db()
    assert photo.status == Status.DONE and photo.attempts == 1 and photo.lease_until is None
    assert set(photo.measurement["measures"]) >= {"commissure_height", "brow_height"}
    assert photo.overlay.name.startswith("overlays/")
    with Image.open(photo_storage / photo.overlay.name) as overlay:
        assert overlay.size == (photo.width, photo.height)


def test_rerun_is_idempotent(patient, photo_storage, monkeypatch):
    photo = make_photo(patient)
    assert work.measure_photo(photo.pk) == "done"
    photo.refresh_from_db()
    files = stored_files(photo_storage)
    calls = []
    monkeypatch.setattr(engine, "measure_photo", lambda data: calls.append(data))
    assert work.measure_photo(photo.pk) == "skipped"
    assert calls == []
    again = Photo.objects.get(pk=photo.pk)
    assert again.measurement == photo.measurement and again.overlay == photo.overlay and again.attempts == 1
    assert stored_files(photo_storage) == files


def test_no_face_fails_with_message_and_hint_and_keeps_the_photo(patient):
    photo = make_photo(patient, data=jpeg_bytes(size=(600, 800)))
    assert work.measure_photo(photo.pk) == "failed"
    photo.refresh_from_db()
    assert photo.status == Status.FAILED
    assert "no face" in photo.error.lower()
    assert "retake" in photo.hint.lower() or "camera" in photo.hint.lower()
    assert photo.image.name  # kept


def test_face_too_small(patient):
    small = Image.open(io.BytesIO(face_bytes())).convert("RGB")
    canvas = Image.new("RGB", (1600, 1600), (200, 200, 200))
    canvas.paste(small.resize((small.width // 8, small.height // 8)), (700, 700))
    out = io.BytesIO()
    canvas.save(out, format="JPEG")
    photo = make_photo(patient, data=out.getvalue())
    work.measure_photo(photo.pk)
    photo.refresh_from_db()
    assert photo.status == Status.FAILED
    assert photo.error  # the engine's sentence (no face / too small)
    assert photo.hint


def test_expired_lease_is_taken_over_and_live_lease_is_not(patient):
    photo = make_photo(patient)
    Photo.objects.filter(pk=photo.pk).update(
        status=Status.MEASURING, lease_until=timezone.now() + datetime.timedelta(seconds=60), attempts=1
    )
    assert work.measure_photo(photo.pk) == "skipped"  # another worker holds it
    Photo.objects.filter(pk=photo.pk).update(lease_until=timezone.now() - datetime.timedelta(seconds=1))
    assert work.measure_photo(photo.pk) == "done"
    assert Photo.objects.get(pk=photo.pk).attempts == 2


def test_unexpected_error_is_retried_then_given_up(patient, monkeypatch, django_capture_on_commit_callbacks):
    photo = make_photo(patient)

    def boom(data):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(engine, "measure_photo", boom)
    with django_capture_on_commit_callbacks(execute=True):
        assert work.measure_photo(photo.pk) == "retry"
    assert Photo.objects.get(pk=photo.pk).status == Status.PENDING
    queued = DBTaskResult.objects.filter(args_kwargs__args=[photo.pk], status="READY")
    assert queued.exists() and queued.first().run_after is not None  # back-off
    Photo.objects.filter(pk=photo.pk).update(attempts=work.MAX_ATTEMPTS - 1)
    assert work.measure_photo(photo.pk) == "gave up"
    photo.refresh_from_db()
    assert photo.status == Status.FAILED and photo.error == work.INTERNAL_ERROR


def test_recover_stalled_requeues_abandoned_work(patient, settings):
    settings.PHOTOS_LEASE_SECONDS = 5
    photo = make_photo(patient)
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    Photo.objects.filter(pk=photo.pk).update(status=Status.MEASURING, lease_until=long_ago, updated_at=long_ago)
    assert work.recover_stalled() == 1
    assert DBTaskResult.objects.filter(args_kwargs__args=[photo.pk], status="READY").count() == 1
    assert work.recover_stalled() == 0  # not again before another lease period
    assert work.measure_photo(photo.pk) == "done"


def test_full_visit_is_graded_on_one_scale(patient):
    # The same neutral face for every expression: symmetric movement, but every required photo present.
    visit = services.visit_create(patient=patient, taken_on=timezone.localdate())
    data = face_bytes()
    photos = [
        services.photo_add(visit=visit, expression=e, upload=io.BytesIO(data))
        for e in ("neutral", "brows_raised", "eyes_closed_gentle", "smile", "pucker")
    ]
    for p in photos:
        assert work.measure_photo(p.pk) == "done"
    assert work.grade_visit(visit.pk) in {"graded", "measured"}
    visit.refresh_from_db()
    assert visit.status == Status.DONE
    assert set(visit.report.get("scores", {})) == {"static", "dynamic", "synkinesis", "total"} or visit.report_error
    for p in Photo.objects.filter(visit=visit):
        assert p.measurement["scale_source"] == "set"


def test_grade_waits_for_unfinished_photos_and_notes_missing_expressions(patient):
    photo = make_photo(patient)
    assert work.grade_visit(photo.visit_id) == "waiting"
    work.measure_photo(photo.pk)
    assert work.grade_visit(photo.visit_id) == "measured"
    visit = Visit.objects.get(pk=photo.visit_id)
    assert visit.status == Status.DONE and visit.report == {}
    assert "brows raised" in visit.report_error


def test_prune_task_results_keeps_recent_and_ready_rows(patient):
    from consult.photos.tasks import measure_photo as task

    photo = make_photo(patient)
    rows = [task.enqueue(photo.pk) for _ in range(4)]
    old = timezone.now() - datetime.timedelta(days=20)
    ids = [r.id for r in rows]
    DBTaskResult.objects.filter(id=ids[0]).update(status="SUCCESSFUL", finished_at=old)  # old, finished: pruned
    DBTaskResult.objects.filter(id=ids[1]).update(status="RUNNING", started_at=old)  # killed worker's: pruned
    DBTaskResult.objects.filter(id=ids[2]).update(status="SUCCESSFUL", finished_at=timezone.now())  # recent: kept
    assert work.prune_task_results() == 2  # ids[3] is READY: kept
    assert {str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)} == {str(ids[2]), str(ids[3])}
