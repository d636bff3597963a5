"""Reads for the practice pages, each in a fixed number of queries."""

from __future__ import annotations

from django.db.models import QuerySet

from consult.accounts.permissions import AnyUser
from consult.doctors.models import DoctorProfile, VerificationStatus
from consult.practice.models import ConsultationRequest, GalleryPair, PairStatus


def published_pairs() -> QuerySet[GalleryPair]:
    """Pairs anyone may see: measured, consent not withdrawn, by a doctor who is verified now."""
    return GalleryPair.objects.filter(
        status=PairStatus.READY, consent_withdrawn_at__isnull=True, doctor__status=VerificationStatus.VERIFIED
    )


def doctor_gallery(*, doctor: DoctorProfile, limit: int = 4, offset: int = 0) -> list[GalleryPair]:
    """A doctor's newest published pairs with their treatment (one query)."""
    return list(
        published_pairs()
        .filter(doctor=doctor)
        .select_related("treatment", "doctor")
        .order_by("-created_at", "-id")[offset : offset + limit]
    )


def treatment_gallery(*, treatment_id: int, limit: int = 6) -> list[GalleryPair]:
    """The newest published pairs of a treatment with their doctor (one query)."""
    return list(
        published_pairs()
        .filter(treatment_id=treatment_id)
        .select_related("doctor", "treatment")
        .order_by("-created_at", "-id")[:limit]
    )


def own_pairs(*, doctor: DoctorProfile) -> list[GalleryPair]:
    """Every pair the doctor posted, any state, with its treatment (one query)."""
    return list(doctor.gallery_pairs.select_related("treatment", "doctor").order_by("-created_at", "-id")[:200])


def pair(*, pk: int) -> GalleryPair | None:
    return GalleryPair.objects.select_related("doctor", "treatment").filter(pk=pk).first()


def consultations_received(*, doctor: DoctorProfile, limit: int = 20) -> list[ConsultationRequest]:
    """The newest requests sent to the doctor, with their senders (one query)."""
    return list(
        doctor.consultation_requests.select_related("sender", "doctor").order_by("-created_at", "-id")[:limit]
    )


def consultations_sent(*, user: AnyUser, limit: int = 50) -> list[ConsultationRequest]:
    if not user.is_authenticated:
        return []
    return list(
        ConsultationRequest.objects.filter(sender_id=user.pk)
        .select_related("doctor")
        .order_by("-created_at", "-id")[:limit]
    )


def consultation(*, pk: int) -> ConsultationRequest | None:
    return ConsultationRequest.objects.select_related("doctor", "sender").filter(pk=pk).first()
