"""Who may see a patient's photos and measurement reports: one rule, per photo set (visit).

- The patient who took them, always.
- A set **attached to a question**: verified doctors (to answer it), moderators and staff (to moderate
  the thread), as the ask and upload pages say.
- A set **attached to no question** (progress only): the patient alone, unless they shared it with a named
  doctor (``VisitShare``), who sees it while they stay verified and until the patient stops sharing.
  Moderators and staff do not see these.

Everyone else (anonymous visitors, other patients, doctors whose credentials are not or no longer verified)
is answered with a 404 by the views, so not even the existence of a photo leaks. Every look by someone
other than the patient is recorded (``services.access_record``) and shown to the patient.
"""

from __future__ import annotations

from consult.accounts.models import User
from consult.accounts.permissions import AnyUser, can_moderate, is_staff_member, is_verified_doctor

from .models import Visit, VisitShare

__all__ = ["can_manage_photos", "can_share", "can_view_question_photos", "can_view_visit"]


def _member(viewer: AnyUser) -> User | None:
    return viewer if isinstance(viewer, User) and viewer.is_active else None


def can_view_question_photos(viewer: AnyUser, patient: User | int) -> bool:
    """Photo sets that ``patient`` attached to a question: the patient, verified doctors, moderators, staff.

    The thread page asks this (through ``consult.questions.permissions.can_see_photos``); it shows only the
    sets attached to that question."""
    member = _member(viewer)
    if member is None:
        return False
    patient_id = patient.pk if isinstance(patient, User) else patient
    if member.pk == patient_id:
        return True
    return can_moderate(member) or is_staff_member(member) or is_verified_doctor(member)


def can_view_visit(viewer: AnyUser, visit: Visit) -> bool:
    """May ``viewer`` see this photo set, its photos, overlays and report? (At most one query: the share.)"""
    member = _member(viewer)
    if member is None:
        return False
    if member.pk == visit.patient_id:
        return True
    if visit.question_id is not None:
        return can_view_question_photos(member, visit.patient_id)
    return is_verified_doctor(member) and VisitShare.objects.filter(visit_id=visit.pk, doctor_id=member.pk).exists()


def can_manage_photos(user: AnyUser, patient: User | int) -> bool:
    """Adding, deleting and sharing photos is for the owner only."""
    patient_id = patient.pk if isinstance(patient, User) else patient
    member = _member(user)
    return member is not None and member.pk == patient_id


def can_share(user: AnyUser, visit: Visit) -> bool:
    """Sharing with a named doctor is for the owner's sets attached to no question (a question's sets are
    already visible to every verified doctor)."""
    return can_manage_photos(user, visit.patient_id) and visit.question_id is None
