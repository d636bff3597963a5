"""Reads for photo sets and reports, each in a fixed number of queries (pinned by tests)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from consult.accounts.models import User

from .models import Photo, Visit
from .permissions import can_view_photos

__all__ = [
    "can_view_photos",
    "own_question",
    "visit_for_viewer",
    "visits_for_patient",
    "visits_for_question",
]


def _with_photos(visits: QuerySet[Visit]) -> QuerySet[Visit]:
    return visits.prefetch_related(Prefetch("photos", queryset=Photo.objects.order_by("id")))


def visits_for_patient(*, patient: User | int) -> list[Visit]:
    """Every visit of a patient, newest first, with ``visit.photos.all()`` (measurements in
    ``photo.measurement``) and ``visit.report`` loaded: 2 queries whatever the number of visits/photos."""
    patient_id = patient.pk if isinstance(patient, User) else patient
    return list(_with_photos(Visit.objects.filter(patient_id=patient_id).order_by("-taken_on", "-id")))


def visits_for_question(*, question_id: int) -> list[Visit]:
    """The visits attached to a thread that have photos, oldest first, each with ``visit.photo_list``.

    One query (photos joined to their visit), so the thread page pays one query for its photo section.
    Callers check ``can_view_photos`` first.
    """
    photos = (
        Photo.objects.filter(visit__question_id=question_id)
        .select_related("visit")
        .order_by("visit__taken_on", "visit_id", "id")
    )
    visits: dict[int, Visit] = {}
    for photo in photos:
        visit = visits.setdefault(photo.visit_id, photo.visit)
        if not hasattr(visit, "photo_list"):
            visit.photo_list = []  # type: ignore[attr-defined]
        visit.photo_list.append(photo)  # type: ignore[attr-defined]
        photo.visit = visit
    return list(visits.values())


def visit_for_viewer(*, pk: int) -> Visit | None:
    """One visit with its patient and photos (2 queries), or None."""
    visit = _with_photos(Visit.objects.select_related("patient", "question").filter(pk=pk)).first()
    return visit


def own_question(*, user: Any, pk: int) -> Any | None:
    """``user``'s own question ``pk`` (a photo set may be attached to it), or None. Reached through the
    ``Visit.question`` relation: photos sit below questions and import nothing from them."""
    question_model = Visit._meta.get_field("question").related_model
    return question_model._default_manager.filter(pk=pk, author=user).first()
