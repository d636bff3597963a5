"""The bodies of the background tasks: measure one photo, grade one visit, recover lost work.

Exactly-once *effects* on top of at-least-once delivery:

* A photo is **claimed** with one conditional UPDATE (``pending``, or ``measuring`` whose lease has
  expired -> ``measuring`` with a fresh lease). A task that finds nothing to claim does nothing, so
  running a job twice, or two workers racing, measures the photo once.
* The result is written only while the photo still exists; an overlay from an earlier, abandoned attempt
  is replaced and its file deleted.
* A worker killed with SIGKILL leaves its photo ``measuring`` with a lease in the past and its task row
  ``running``. :func:`recover_stalled`, run by every worker at start and every few seconds, re-queues such
  photos (and pending photos or ungraded visits whose task went missing), so nothing is lost.
* Engine refusals (no face, face too small...) are final: the photo is kept, marked ``failed`` with the
  engine's message and a retake hint. Unexpected errors are retried with a back-off up to
  ``MAX_ATTEMPTS``, then shown as a failure on our side.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from consult.core import pagecache

from . import engine
from .models import Photo, Status, Visit
from .storage import new_name, photo_storage

__all__ = ["MAX_ATTEMPTS", "grade_visit", "lease_seconds", "measure_photo", "prune_task_results", "recover_stalled"]

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
INTERNAL_ERROR = "We could not measure this photo because of a problem on our side."
INTERNAL_HINT = "It will not be retried automatically. Delete it and upload it again, or try later."


def lease_seconds() -> int:
    return int(getattr(settings, "PHOTOS_LEASE_SECONDS", 120))


def _claim(photo_id: int) -> Photo | None:
    now = timezone.now()
    claimed = (
        Photo.objects.filter(pk=photo_id)
        .filter(Q(status=Status.PENDING) | Q(status=Status.MEASURING, lease_until__lt=now))
        .update(
            status=Status.MEASURING,
            lease_until=now + datetime.timedelta(seconds=lease_seconds()),
            attempts=F("attempts") + 1,
            updated_at=now,
        )
    )
    if not claimed:
        return None
    return Photo.objects.filter(pk=photo_id).first()


def _enqueue_measure(photo_id: int, *, delay: float = 0) -> None:
    from .tasks import measure_photo as task

    if delay and task.get_backend().supports_defer:
        task.using(run_after=timezone.now() + datetime.timedelta(seconds=delay)).enqueue(photo_id)
    else:
        task.enqueue(photo_id)


def _enqueue_grade(visit_id: int) -> None:
    from .tasks import grade_visit as task

    task.enqueue(visit_id)


def _finish_visit_if_ready(visit_id: int) -> None:
    if not Photo.objects.filter(visit_id=visit_id, status__in=[Status.PENDING, Status.MEASURING]).exists():
        transaction.on_commit(lambda: _enqueue_grade(visit_id))


def measure_photo(photo_id: int) -> str:
    """Measure one photo. Safe to run any number of times, by any number of workers."""
    photo = _claim(photo_id)
    if photo is None:
        return "skipped"
    storage = photo_storage()
    try:
        with storage.open(photo.image.name or "", "rb") as fh:
            data = fh.read()
        result = engine.measure_photo(data)
    except engine.EngineFailure as failure:
        with transaction.atomic():
            Photo.objects.filter(pk=photo.pk, status=Status.MEASURING).update(
                status=Status.FAILED, error=failure.message[:300], hint=failure.hint[:300], measurement={},
                lease_until=None, measured_at=timezone.now(), updated_at=timezone.now(),
            )
            _finish_visit_if_ready(photo.visit_id)
        return "failed"
    except Exception:
        logger.exception("measuring photo %s failed (attempt %s)", photo.pk, photo.attempts)
        with transaction.atomic():
            if photo.attempts >= MAX_ATTEMPTS:
                Photo.objects.filter(pk=photo.pk, status=Status.MEASURING).update(
                    status=Status.FAILED, error=INTERNAL_ERROR, hint=INTERNAL_HINT, lease_until=None,
                    updated_at=timezone.now(),
                )
                _finish_visit_if_ready(photo.visit_id)
                return "gave up"
            Photo.objects.filter(pk=photo.pk, status=Status.MEASURING).update(
                status=Status.PENDING, lease_until=None, updated_at=timezone.now()
            )
            delay = 2.0 ** photo.attempts
            transaction.on_commit(lambda: _enqueue_measure(photo.pk, delay=delay))
        return "retry"

    overlay_name = storage.save(new_name("overlays"), ContentFile(result.overlay_jpeg))
    stale: list[str] = []
    with transaction.atomic():
        current = Photo.objects.select_for_update().filter(pk=photo.pk).first()
        if current is None or current.status != Status.MEASURING:
            stale.append(overlay_name)  # deleted meanwhile, or another worker already finished it
        else:
            if current.overlay.name and current.overlay.name != overlay_name:
                stale.append(current.overlay.name)
            now = timezone.now()
            Photo.objects.filter(pk=photo.pk).update(
                status=Status.DONE, measurement=result.measurement, overlay=overlay_name, error="",
                hint=result.hint[:300], lease_until=None, measured_at=now, updated_at=now,
            )
            _finish_visit_if_ready(photo.visit_id)
        for name in stale:
            transaction.on_commit(lambda name=name: storage.delete(name))  # type: ignore[misc]
    return "done"


def grade_visit(visit_id: int) -> str:
    """Re-measure a finished visit's photos on one shared scale and store its grade. Idempotent."""
    visit = Visit.objects.filter(pk=visit_id).first()
    if visit is None:
        return "gone"
    photos = list(Photo.objects.filter(visit_id=visit_id).order_by("id"))
    if any(p.status in (Status.PENDING, Status.MEASURING) for p in photos):
        return "waiting"
    done = [p for p in photos if p.status == Status.DONE]
    storage = photo_storage()
    result: engine.VisitResult | None = None
    note = ""
    if done:
        try:
            data = {}
            for p in done:
                with storage.open(p.image.name or "", "rb") as fh:
                    data[p.expression] = fh.read()
            result = engine.measure_visit(data)
            note = result.grade_note
        except engine.EngineFailure as failure:
            note = failure.message
    elif photos:
        note = "None of the photos could be measured."
    # The overlays are redrawn with the visit's numbers (the table shows those): saved before the
    # transaction, attached inside it, and whichever file ends up unused is deleted after commit.
    new_overlays: dict[int, str] = {}
    if result is not None:
        for p in done:
            jpeg = result.overlays.get(p.expression)
            if jpeg:
                new_overlays[p.pk] = storage.save(new_name("overlays"), ContentFile(jpeg))
    unused: list[str] = []
    outcome = "waiting"
    with transaction.atomic():
        locked = Visit.objects.select_for_update().filter(pk=visit_id).first()
        current = {p.pk: p for p in Photo.objects.select_for_update().filter(visit_id=visit_id)}
        if locked is None:
            outcome = "gone"
        elif not any(p.status in (Status.PENDING, Status.MEASURING) for p in current.values()):
            if result is not None:
                for p in done:
                    now = current.get(p.pk)
                    if now is None or now.status != Status.DONE:
                        continue
                    fields: dict[str, object] = {"measurement": result.measurements[p.expression]}
                    fields["hint"] = result.hints.get(p.expression, "")[:300]
                    if p.pk in new_overlays:
                        fields["overlay"] = new_overlays.pop(p.pk)
                        if now.overlay.name:
                            unused.append(now.overlay.name)
                    Photo.objects.filter(pk=p.pk).update(**fields)
            status = Status.DONE if done or not photos else Status.FAILED
            Visit.objects.filter(pk=visit_id).update(
                report=result.grade if result else {}, report_error=note[:300], status=status, updated_at=timezone.now()
            )
            if locked.question_id is not None:  # the lists' "Measured photos" badge (consult.questions)
                pagecache.bump(pagecache.LISTS)
            outcome = "graded" if result and result.grade else "measured"
        # a photo added meanwhile ("waiting") grades the visit again when it is measured
        unused.extend(new_overlays.values())
        for name in unused:
            transaction.on_commit(lambda name=name: storage.delete(name))  # type: ignore[misc]
    return outcome


def recover_stalled() -> int:
    """Re-queue work a dead worker left behind. Returns how many jobs were queued.

    * photos ``measuring`` whose lease has expired (the worker died mid-job);
    * photos ``pending`` untouched for a lease period (their task row was lost or is stuck ``running``);
    * visits still ``pending`` whose photos are all finished (the grading task was lost).
    Touching ``updated_at`` keeps one sweep from re-queueing the same item again before a lease passes.
    """
    now = timezone.now()
    stale_before = now - datetime.timedelta(seconds=lease_seconds())
    photo_ids = list(
        Photo.objects.filter(
            Q(status=Status.MEASURING, lease_until__lt=now) | Q(status=Status.PENDING),
            updated_at__lt=stale_before,
        ).values_list("pk", flat=True)[:500]
    )
    visit_ids = list(
        Visit.objects.filter(status=Status.PENDING, updated_at__lt=stale_before)
        .exclude(photos__status__in=[Status.PENDING, Status.MEASURING])
        .values_list("pk", flat=True)
        .distinct()[:500]
    )
    if photo_ids:
        Photo.objects.filter(pk__in=photo_ids).update(updated_at=now)
    if visit_ids:
        Visit.objects.filter(pk__in=visit_ids).update(updated_at=now)
    for pk in photo_ids:
        _enqueue_measure(pk)
    for pk in visit_ids:
        _enqueue_grade(pk)
    if photo_ids or visit_ids:
        logger.warning("recovered %d photo(s) and %d visit(s) left behind", len(photo_ids), len(visit_ids))
    return len(photo_ids) + len(visit_ids)


def prune_task_results(*, finished_days: int = 14, running_days: int = 1) -> int:
    """Delete old task rows so the queue table does not grow for ever. Returns rows deleted.

    Finished tasks older than ``finished_days`` go (the results live on the photos, not on the tasks), and
    tasks still ``RUNNING`` after ``running_days``: their worker was killed, and :func:`recover_stalled`
    queued the photo again long ago (a measurement takes seconds).
    """
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    finished = DBTaskResult.objects.finished().filter(finished_at__lt=now - datetime.timedelta(days=finished_days))
    stuck = DBTaskResult.objects.filter(status="RUNNING", started_at__lt=now - datetime.timedelta(days=running_days))
    deleted = finished.delete()[0] + stuck.delete()[0]
    if deleted:
        logger.info("pruned %d old task row(s)", deleted)
    return deleted
