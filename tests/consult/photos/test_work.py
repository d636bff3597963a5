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


def test_a_set_whose_photos_do_not_show_their_expressions_is_not_graded(patient):
    # The same neutral face under every label: the expression check says so on the photos and in the note.
    visit = services.visit_create(patient=patient, taken_on=timezone.localdate())
    data = face_bytes()
    photos = [
        services.photo_add(visit=visit, expression=e, upload=io.BytesIO(data))
        for e in ("neutral", "brows_raised", "eyes_closed_gentle", "smile", "pucker")
    ]
    for p in photos:
        assert work.measure_photo(p.pk) == "done"
    assert work.grade_visit(visit.pk) == "measured"
    visit.refresh_from_db()
    assert visit.status == Status.DONE and visit.report == {}
    assert "not showing their expression" in visit.report_error and "eyes closed gentle" in visit.report_error
    by = {p.expression: p for p in Photo.objects.filter(visit=visit)}
    assert all(p.measurement["scale_source"] == "set" for p in by.values())
    assert not by["neutral"].measurement["needs_retake"]
    for e in ("brows_raised", "eyes_closed_gentle", "smile", "pucker"):
        codes = {w["code"] for w in by[e].measurement["warnings"]}
        assert "expression_mismatch" in codes and by[e].measurement["needs_retake"], e
        assert "expression" in by[e].hint


def _jpeg(rgb) -> bytes:
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, format="JPEG", quality=92)
    return out.getvalue()


def _visit_from(patient, images: dict) -> Visit:
    visit = services.visit_create(patient=patient, taken_on=timezone.localdate())
    for expression, rgb in images.items():
        p = services.photo_add(visit=visit, expression=expression, upload=io.BytesIO(_jpeg(rgb)))
        assert work.measure_photo(p.pk) == "done"
    work.grade_visit(visit.pk)
    return visit


@pytest.fixture(scope="module")
def synthetic_visit():
    """A visit of one face whose left side moves 40 % as far (platform expression names)."""
    from tests.facemeasure.synthetic import expression_set, load

    names = {"neutral": "neutral", "brows_up": "brows_raised", "eyes_closed": "eyes_closed_gentle",
             "smile": "smile", "pucker": "pucker"}
    images = expression_set(load("ibm_codait_luciano_cc0.png", 2.0), affected="left", strength=0.4)
    return {names[k]: v for k, v in images.items()}


def _numbers(visit) -> dict[str, dict]:
    return {p.expression: p.measurement for p in Photo.objects.filter(visit=visit)}


def test_a_full_visit_is_graded_with_a_face_level_scale_and_the_overlays_show_its_numbers(
    patient, synthetic_visit, photo_storage, monkeypatch, django_capture_on_commit_callbacks
):
    drawn: list = []
    real = engine.facemeasure.draw_overlay

    def spy(image, m):
        drawn.append(m)
        return real(image, m)

    monkeypatch.setattr(engine.facemeasure, "draw_overlay", spy)
    with django_capture_on_commit_callbacks(execute=True):
        visit = _visit_from(patient, synthetic_visit)
    visit.refresh_from_db()
    assert set(visit.report["scores"]) == {"static", "dynamic", "synkinesis", "total"}
    assert visit.report["affected"] == "left" and visit.report["excluded"] == {}
    photos = list(Photo.objects.filter(visit=visit))
    for p in photos:
        assert p.measurement["scale_source"] == "set" and not p.measurement["needs_retake"]
        # the overlay now on the photo was drawn from exactly the numbers the table shows
        assert (photo_storage / p.overlay.name).exists()
    visit_drawn = drawn[-len(photos):]
    shown = sorted(round(p.measurement["measures"]["commissure_height"]["left"], 3) for p in photos)
    assert sorted(round(m.measures.commissure_height.left, 3) for m in visit_drawn) == shown
    # the per-photo overlays were replaced, not left behind
    overlays = [f for f in stored_files(photo_storage) if f.parent.name == "overlays"]
    assert sorted(f.name for f in overlays) == sorted(p.overlay.name.split("/")[-1] for p in photos)


@pytest.mark.parametrize("factor", [0.6])
def test_zooming_one_photo_out_changes_no_other_photos_numbers_through_the_site(patient, synthetic_visit, factor):
    from tests.facemeasure.synthetic import rescale

    before = _numbers(_visit_from(patient, synthetic_visit))
    smile = synthetic_visit["smile"]
    small = rescale(smile, factor)
    padded = smile.copy()
    padded[:] = 235
    y0, x0 = (smile.shape[0] - small.shape[0]) // 2, (smile.shape[1] - small.shape[1]) // 2
    padded[y0 : y0 + small.shape[0], x0 : x0 + small.shape[1]] = small
    after = _numbers(_visit_from(patient, dict(synthetic_visit, smile=padded)))
    for expression, record in before.items():
        if expression == "smile":
            continue
        for name, sides in record["measures"].items():
            other = after[expression]["measures"][name]
            assert abs(sides["left"] - other["left"]) <= 0.3, (expression, name)
            assert abs(sides["right"] - other["right"]) <= 0.3, (expression, name)
    # the farther photo has its own scale, and the same face keeps about the same millimetres
    assert after["smile"]["mm_per_px"] == pytest.approx(before["smile"]["mm_per_px"] / factor, rel=0.03)
    for side in ("left", "right"):
        a = before["smile"]["measures"]["commissure_height"][side]
        b = after["smile"]["measures"]["commissure_height"][side]
        assert abs(a - b) <= 2.0


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


def _measurable_faces() -> list[str]:
    from tests.facemeasure.synthetic import measurable_faces

    return measurable_faces()


@pytest.fixture(scope="module")
def mouth_warped_pairs():
    """Every measurable fixture face and a copy with only the mouth changed (corners 3 mm down, 1.5 mm out)."""
    import facemeasure
    from facemeasure._image import decode_image
    from tests.facemeasure.synthetic import FACES, GaussianField, warp_image

    pairs = {}
    for name in _measurable_faces():
        rgb = decode_image(FACES / name).rgb
        m = facemeasure.measure(rgb)
        k = 1.0 / m.mm_per_px
        warped = rgb.copy()
        for side, out_dir in (("left", 1.0), ("right", -1.0)):
            c = m.points[f"corner_{side}"]
            warped = warp_image(warped, GaussianField(c.x, c.y, out_dir * 1.5 * k, 3.0 * k, 10 * k, 10 * k))
        pairs[name] = (rgb, warped)
    return pairs


def test_changing_only_the_mouth_keeps_the_scale_through_the_site(patient, mouth_warped_pairs):
    # Issue 16: two photos of one face whose eye regions are identical (only the mouth changed) must
    # keep the same millimetre scale on the site, for every fixture face the engine measures.
    moved = {}
    for name, (rgb, warped) in mouth_warped_pairs.items():
        visit = _visit_from(patient, {"neutral": rgb, "smile": warped})
        by = _numbers(visit)
        moved[name] = abs(by["smile"]["mm_per_px"] / by["neutral"]["mm_per_px"] - 1.0)
    assert len(moved) >= 18
    assert max(moved.values()) <= 0.01, moved


def test_the_platform_measures_with_the_engines_grading_options():
    # twelve averaged landmark passes on a denoised crop: what keeps a JPEG re-encode from moving a
    # grade (docs/measurement.md, "Grade stability"; tests/facemeasure/test_grade_overlay.py)
    assert engine.OPTIONS is engine.facemeasure.GRADING_OPTIONS
    image = Image.new("RGB", (640, 480))
    options = engine._options(image)
    assert (options.passes, options.denoise, options.max_side) == (12, 1.5, 640)
