"""Reads for photo sets and reports, each in a fixed number of queries (pinned by tests)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from consult.accounts.models import Role, User

from .models import Photo, PhotoAccess, Visit, VisitShare

__all__ = [
    "access_log",
    "doctor_by_id",
    "own_question",
    "shareable_doctors",
    "shares_for_visit",
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
    Callers check ``permissions.can_view_question_photos`` first.
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


def shares_for_visit(*, visit: Visit) -> list[VisitShare]:
    """The doctors a photo set is shared with, with their profiles (1 query)."""
    return list(VisitShare.objects.filter(visit=visit).select_related("doctor__doctor_profile").order_by("id"))


def shareable_doctors(*, exclude: set[int] | None = None) -> list[User]:
    """Verified, active doctors a patient may share a photo set with, by name (1 query)."""
    doctors = (
        User.objects.filter(role=Role.DOCTOR, is_active=True, doctor_profile__status="verified")
        .exclude(pk__in=exclude or set())
        .select_related("doctor_profile")
        .order_by("doctor_profile__full_name", "pk")
    )
    return list(doctors)


ACCESS_LOG_LIMIT = 500


def access_log(*, patient: User, limit: int = ACCESS_LOG_LIMIT) -> list[PhotoAccess]:
    """Who looked at ``patient``'s photos and reports, newest first (1 query, at most ``limit`` entries)."""
    return list(PhotoAccess.objects.filter(patient=patient).order_by("-at", "-id")[:limit])


def doctor_by_id(*, pk: int) -> User | None:
    """A doctor account with its profile (1 query), or None. The service checks they are verified."""
    return User.objects.filter(pk=pk, role=Role.DOCTOR).select_related("doctor_profile").first()
