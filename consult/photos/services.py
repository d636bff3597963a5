"""Writes for visits (photo sets) and photos.

Every function takes keyword-only arguments, runs in one transaction, returns what it made and raises a
:mod:`consult.photos.errors` error that the view shows as a message. Files are written to the private photo
storage before the row that names them and deleted only after the transaction that removed their rows has
committed, so neither a failed upload nor a rolled-back delete leaves a row without its file. Measuring is
queued (``transaction.on_commit``) for the background worker; nothing here runs the engine.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterable, Mapping
from typing import IO, Any

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from consult.accounts.models import Role, User
from consult.accounts.permissions import is_verified_doctor

from . import jobs
from .errors import BadPhoto, DuplicateExpression, NotAllowed, StorageUnavailable, TooManyPhotos
from .images import ProcessedImage, process_upload
from .models import (
    MAX_PHOTOS_PER_VISIT,
    AccessKind,
    Expression,
    Photo,
    PhotoAccess,
    Status,
    Visit,
    VisitShare,
)
from .permissions import can_manage_photos, can_share
from .storage import new_name, photo_storage

__all__ = [
    "access_record",
    "attach_photos",
    "history_delete",
    "orphan_files_delete",
    "photo_add",
    "photo_delete",
    "photo_replace",
    "visit_create",
    "visit_delete",
    "visit_set_quotable",
    "visit_share",
    "visit_unshare",
]


def _delete_files_on_commit(names: Iterable[str]) -> None:
    names = [name for name in names if name]
    if not names:
        return

    def delete() -> None:
        storage = photo_storage()
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)


def _photo_files(photo: Photo) -> list[str]:
    return [name for name in (photo.image.name, photo.thumbnail.name, photo.overlay.name) if name]


@transaction.atomic
def visit_create(
    *, patient: User, question: Any = None, taken_on: datetime.date | None = None, quotable: bool = False
) -> Visit:
    """Start a photo set for ``patient``, optionally attached to their own question thread. ``quotable``: the
    patient lets doctors quote its measurements in public answers (off unless they say so)."""
    if not patient.is_authenticated or not patient.is_active or patient.role == Role.DOCTOR:
        raise NotAllowed("Only patients can add photo sets.")
    if question is not None and question.author_id != patient.pk:
        raise NotAllowed("You can attach photos only to your own question.")
    today = timezone.localdate()
    taken_on = taken_on or today
    if taken_on > today:
        raise BadPhoto("The date the photos were taken cannot be in the future.")
    return Visit.objects.create(patient=patient, question=question, taken_on=taken_on, quotable=quotable)


@transaction.atomic
def attach_photos(
    *, patient: User, question: Any, photos: Mapping[str, ProcessedImage], quotable: bool = False
) -> Visit:
    """A photo set on ``question`` (the patient's own) holding ``photos`` (a checked
    :class:`~consult.photos.forms.PhotoSetForm`'s ``photos()``), in one transaction: called inside the ask
    view's transaction, a failure keeps neither the question nor any photo. ``question`` is a
    ``questions.Question``; photos sit below questions and import nothing from them."""
    visit = visit_create(patient=patient, question=question, taken_on=timezone.localdate(), quotable=quotable)
    for expression, processed in photos.items():
        photo_add(visit=visit, expression=expression, upload=processed)
    return visit


def photo_add(*, visit: Visit, expression: str, upload: IO[bytes] | ProcessedImage) -> Photo:
    """Check, clean and store one labelled photo, and queue it for measuring.

    ``upload`` is the uploaded file, or a :class:`~consult.photos.images.ProcessedImage` a form already
    checked. The image is decoded and re-encoded before the transaction (it is CPU work); the visit row is
    locked while the limits are checked so two uploads cannot both be the 9th photo. Measuring is queued
    when the transaction commits.
    """
    if expression not in Expression.values:
        raise BadPhoto("Please choose which expression the photo shows.")
    if Photo.objects.filter(visit=visit).count() >= MAX_PHOTOS_PER_VISIT:
        raise TooManyPhotos()
    if Photo.objects.filter(visit=visit, expression=expression).exists():
        raise DuplicateExpression()
    processed = upload if isinstance(upload, ProcessedImage) else process_upload(upload)
    storage = photo_storage()
    image_name = thumb_name = ""
    try:
        image_name = storage.save(new_name("photos"), ContentFile(processed.jpeg))
        thumb_name = storage.save(new_name("thumbs"), ContentFile(processed.thumbnail))
    except OSError as exc:  # disk full, bucket unreachable, permissions: nothing is kept, the patient is told
        if image_name:
            with contextlib.suppress(OSError):
                storage.delete(image_name)
        raise StorageUnavailable() from exc
    try:
        with transaction.atomic():
            Visit.objects.select_for_update().filter(pk=visit.pk).get()
            if Photo.objects.filter(visit=visit).count() >= MAX_PHOTOS_PER_VISIT:
                raise TooManyPhotos()
            try:
                with transaction.atomic():
                    photo = Photo.objects.create(
                        visit=visit,
                        expression=expression,
                        image=image_name,
                        thumbnail=thumb_name,
                        width=processed.width,
                        height=processed.height,
                    )
            except IntegrityError as exc:
                raise DuplicateExpression() from exc
            Visit.objects.filter(pk=visit.pk).update(status=Status.PENDING, report={}, report_error="",
                                                     updated_at=timezone.now())
            visit.status = Status.PENDING
            visit.report = {}
            jobs.enqueue_measure_on_commit(photo.pk)
    except BaseException:
        storage.delete(image_name)
        storage.delete(thumb_name)
        raise
    return photo


@transaction.atomic
def photo_delete(*, photo: Photo, by: User) -> None:
    """The owner deletes one photo: the row, the photo, its thumbnail and overlay files (after commit).

    The visit's grade is recomputed from the photos that remain.
    """
    visit = Visit.objects.select_for_update().get(pk=photo.visit_id)
    if not can_manage_photos(by, visit.patient_id):
        raise NotAllowed("Only the person in the photos can delete them.")
    files = _photo_files(photo)
    Photo.objects.filter(pk=photo.pk).delete()
    _delete_files_on_commit(files)
    jobs.enqueue_grade_on_commit(visit.pk)


def photo_replace(*, photo: Photo, by: User, upload: IO[bytes] | ProcessedImage) -> Photo:
    """The owner retakes a photo: the new one takes the old one's expression, the old files go."""
    if not can_manage_photos(by, photo.visit.patient_id):
        raise NotAllowed("Only the person in the photos can replace them.")
    processed = upload if isinstance(upload, ProcessedImage) else process_upload(upload)
    with transaction.atomic():
        photo_delete(photo=photo, by=by)
        return photo_add(visit=photo.visit, expression=photo.expression, upload=processed)


@transaction.atomic
def visit_delete(*, visit: Visit, by: User) -> None:
    """The owner deletes a whole photo set and its files."""
    if not can_manage_photos(by, visit.patient_id):
        raise NotAllowed("Only the person in the photos can delete them.")
    files = [name for photo in Photo.objects.filter(visit=visit) for name in _photo_files(photo)]
    Visit.objects.filter(pk=visit.pk).delete()
    _delete_files_on_commit(files)


@transaction.atomic
def history_delete(*, patient: User) -> int:
    """Delete every visit and photo of ``patient``, files included (after commit). Returns visits deleted.

    Rows that other apps hang on a visit (``on_delete=CASCADE``) go with it.
    """
    files = [name for photo in Photo.objects.filter(visit__patient=patient) for name in _photo_files(photo)]
    deleted = Visit.objects.filter(patient=patient).count()
    Visit.objects.filter(patient=patient).delete()
    _delete_files_on_commit(files)
    return deleted


@transaction.atomic
def member_photos_delete(*, user: User) -> int:
    """Deleting an account: every photo set of ``user`` with its files, reports and measurements
    (:func:`history_delete`), the log of who looked at them (kept when only the photos go, not when the
    person goes), and the sets others shared with them as a doctor. Returns the photo sets deleted."""
    deleted = history_delete(patient=user)
    PhotoAccess.objects.filter(patient=user).delete()
    VisitShare.objects.filter(doctor=user).delete()
    return deleted


@transaction.atomic
def visit_set_quotable(*, visit: Visit, by: User, quotable: bool) -> Visit:
    """The patient allows (or stops allowing) doctors to quote this set's measurements in public answers.
    What is already published in answers stays as the doctors wrote it."""
    if not can_manage_photos(by, visit.patient_id):
        raise NotAllowed("Only the person in the photos can decide whether they are quoted.")
    Visit.objects.filter(pk=visit.pk).update(quotable=quotable, updated_at=timezone.now())
    visit.quotable = quotable
    return visit


@transaction.atomic
def visit_share(*, visit: Visit, by: User, doctor: User) -> VisitShare:
    """The owner lets one verified doctor see a photo set attached to no question. Sharing twice is a no-op."""
    if not can_manage_photos(by, visit.patient_id):
        raise NotAllowed("Only the person in the photos can share them.")
    if not can_share(by, visit):
        raise NotAllowed(
            "This photo set is attached to your question, so verified doctors can already see it there."
        )
    if doctor.pk == by.pk or not is_verified_doctor(doctor):
        raise NotAllowed("Photos can be shared only with a doctor whose credentials we have verified.")
    share, _created = VisitShare.objects.get_or_create(visit=visit, doctor=doctor)
    return share


@transaction.atomic
def visit_unshare(*, visit: Visit, by: User, doctor_id: int) -> bool:
    """The owner stops sharing a photo set with a doctor; their access ends at once. True if a share ended."""
    if not can_manage_photos(by, visit.patient_id):
        raise NotAllowed("Only the person in the photos can stop sharing them.")
    deleted, _ = VisitShare.objects.filter(visit=visit, doctor_id=doctor_id).delete()
    return bool(deleted)


#: One entry per person, photo set, photo and kind in this many seconds: a report polled every 1.5 s while
#: it is being measured, or a thumbnail shown on three pages, is one look, not hundreds.
ACCESS_COALESCE_SECONDS = 300


def _viewer_name(viewer: User) -> tuple[str, str]:
    profile = getattr(viewer, "doctor_profile", None) if viewer.role == Role.DOCTOR else None
    name = str(profile) if profile is not None else viewer.display_name or f"Member {viewer.pk}"
    role = "staff" if viewer.is_staff and viewer.role != Role.STAFF else viewer.role
    return name, role


def access_record(
    *, viewer: User, visits: Iterable[Visit], kind: str = AccessKind.REPORT, photo: Photo | None = None
) -> int:
    """Record that ``viewer`` saw ``visits`` (their reports, or one ``photo`` file of ``kind``) when the
    viewer is not the patient. One INSERT for any number of visits; returns the entries written.

    Callers have checked the viewer may see them (:func:`consult.photos.permissions.can_view_visit`)."""
    if not isinstance(viewer, User) or not viewer.is_authenticated:
        return 0
    name, role = _viewer_name(viewer)
    rows = []
    for visit in visits:
        if visit.patient_id == viewer.pk:
            continue
        photo_id = photo.pk if photo is not None else None
        if not cache.add(f"photo-access:{viewer.pk}:{visit.pk}:{kind}:{photo_id}", 1, ACCESS_COALESCE_SECONDS):
            continue
        rows.append(PhotoAccess(
            patient_id=visit.patient_id, viewer=viewer, viewer_name=name, viewer_role=role,
            visit_id_seen=visit.pk, visit_taken_on=visit.taken_on, photo_id_seen=photo_id,
            expression=photo.expression if photo is not None else "", kind=kind,
        ))
    if rows:
        PhotoAccess.objects.bulk_create(rows)
    return len(rows)


#: Folders of the photo storage that hold files named by Photo rows (storage.new_name's kinds).
PHOTO_FOLDERS = ("photos", "thumbs", "overlays")
#: A file is written a moment before the row that names it commits: younger files are never orphans.
ORPHAN_GRACE = datetime.timedelta(hours=1)


def orphan_files_delete(*, older_than: datetime.timedelta | None = None) -> int:
    """Delete stored photo files that no Photo row names and that are older than ``older_than`` (default
    ``ORPHAN_GRACE``).

    Files are written before their row (so a failed insert never leaves a row without its file); when the
    transaction around an upload rolls back (the ask page's question failing after its photos were saved,
    a crash between the two), the file stays behind. The worker runs this hourly (``photos_worker``), so no
    patient photo outlives its row by more than about two hours. Returns the number of files deleted.
    """
    storage = photo_storage()
    cutoff = timezone.now() - (ORPHAN_GRACE if older_than is None else older_than)
    candidates: list[str] = []
    for folder in PHOTO_FOLDERS:
        try:
            _dirs, files = storage.listdir(folder)
        except FileNotFoundError:
            continue
        for filename in files:
            name = f"{folder}/{filename}"
            try:
                if storage.get_modified_time(name) < cutoff:
                    candidates.append(name)
            except (FileNotFoundError, NotImplementedError):
                continue
    deleted = 0
    for start in range(0, len(candidates), 500):
        chunk = candidates[start:start + 500]
        named: set[str] = set()
        for field in ("image", "thumbnail", "overlay"):
            named.update(Photo.objects.filter(**{f"{field}__in": chunk}).values_list(field, flat=True))
        for name in chunk:
            if name not in named:
                storage.delete(name)
                deleted += 1
    return deleted
