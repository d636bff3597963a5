"""Who may see a patient's photos and measurement reports.

The owner, verified doctors, and moderators/staff. Everyone else (anonymous visitors, other patients,
doctors whose credentials are not verified) is answered with a 404 by the views, so not even the
existence of a photo leaks.
"""

from __future__ import annotations

from consult.accounts.models import User
from consult.accounts.permissions import AnyUser, can_moderate, is_staff_member, is_verified_doctor

__all__ = ["can_manage_photos", "can_view_photos"]


def can_view_photos(viewer: AnyUser, patient: User | int) -> bool:
    """May ``viewer`` see the photos and reports of ``patient`` (a user or a user id)?"""
    if not isinstance(viewer, User) or not viewer.is_active:
        return False
    patient_id = patient.pk if isinstance(patient, User) else patient
    if viewer.pk == patient_id:
        return True
    return can_moderate(viewer) or is_staff_member(viewer) or is_verified_doctor(viewer)


def can_manage_photos(user: AnyUser, patient: User | int) -> bool:
    """Adding and deleting photos is for the owner only."""
    patient_id = patient.pk if isinstance(patient, User) else patient
    return isinstance(user, User) and user.is_active and user.pk == patient_id
