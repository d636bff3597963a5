"""Who may do what with a practice's gallery and consultation requests: the rules, once (services enforce
them, pages read them)."""

from __future__ import annotations

from consult.accounts.permissions import AnyUser, is_staff_member, is_verified_doctor
from consult.doctors.models import DoctorProfile
from consult.practice.models import ConsultationRequest, GalleryPair


def _is_doctor_of(user: AnyUser, doctor: DoctorProfile) -> bool:
    return bool(user.is_authenticated and doctor.user_id == user.pk)


def can_post_gallery(user: AnyUser, doctor: DoctorProfile) -> bool:
    """Only the doctor, while verified, posts before/after pairs to their own gallery."""
    return _is_doctor_of(user, doctor) and doctor.is_verified and is_verified_doctor(user)


def can_manage_pair(user: AnyUser, pair: GalleryPair) -> bool:
    """The doctor who posted it (verified or not: withdrawing consent must always work) and staff."""
    return _is_doctor_of(user, pair.doctor) or is_staff_member(user)


def can_see_pair_photos(user: AnyUser, pair: GalleryPair) -> bool:
    """Everyone, once published by a verified doctor; otherwise the doctor and staff."""
    if pair.is_published and pair.doctor.is_verified:
        return True
    return can_manage_pair(user, pair) and pair.consent_withdrawn_at is None


def consultation_refusal(user: AnyUser, doctor: DoctorProfile) -> str | None:
    """Why ``user`` may not send ``doctor`` a consultation request, or None."""
    if not user.is_authenticated:
        return "Sign in to contact a doctor's practice."
    if not doctor.is_verified:
        return "This doctor is not taking requests on Consult."
    if doctor.user_id == user.pk:
        return "This is your own practice."
    return None


def can_see_consultation(user: AnyUser, consultation: ConsultationRequest) -> bool:
    """The sender, the doctor it was sent to, and staff. Nobody else (moderators included)."""
    if not user.is_authenticated:
        return False
    return user.pk in (consultation.sender_id, consultation.doctor.user_id) or is_staff_member(user)


def can_reply_consultation(user: AnyUser, consultation: ConsultationRequest) -> bool:
    return _is_doctor_of(user, consultation.doctor) and consultation.doctor.is_verified
