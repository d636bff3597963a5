"""Reads for review and treatment pages, each in a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from consult.accounts.permissions import AnyUser
from consult.doctors.models import DoctorProfile, VerificationStatus
from consult.reviews.models import Review, Treatment


def reviewable_doctor(*, slug: str) -> DoctorProfile | None:
    """A verified doctor by profile address (only those can be reviewed)."""
    return DoctorProfile.objects.filter(slug=slug, status=VerificationStatus.VERIFIED).first()


def treatments() -> QuerySet[Treatment]:
    return Treatment.objects.select_related("tag").order_by("name")


def own_review(*, pk: int, user: AnyUser) -> Review | None:
    """The review ``pk`` if ``user`` wrote it (with its doctor and treatment), else None."""
    if not user.is_authenticated:
        return None
    return Review.objects.select_related("doctor", "treatment").filter(pk=pk, author_id=user.pk).first()


def review_with_doctor(*, pk: int) -> Review | None:
    return Review.objects.select_related("doctor", "treatment").filter(pk=pk).first()


def treatment_by_slug(*, slug: str) -> Treatment | None:
    return Treatment.objects.select_related("tag").filter(slug=slug).first()


def treatment_reviews(*, treatment: Treatment, limit: int = 20) -> list[Review]:
    """The newest visible reviews of a treatment, with their doctor and author (one query)."""
    return list(
        treatment.reviews.filter(is_hidden=False)
        .select_related("doctor", "author")
        .order_by("-created_at", "-id")[:limit]
    )


def treatment_related_questions(*, treatment: Treatment, limit: int = 10) -> list[Any]:
    """The newest visible questions tagged with the treatment's tag (one query; none without a tag).
    Read through the tag's reverse relation: reviews import nothing from questions."""
    if treatment.tag is None:
        return []
    return list(
        treatment.tag.questions.filter(is_hidden=False)
        .only("id", "title", "slug", "answer_count", "created_at")
        .order_by("-created_at", "-id")[:limit]
    )


def treatment_top_doctors(*, treatment: Treatment, limit: int = 5) -> list[DoctorProfile]:
    """Verified doctors with the most visible answers on questions about the treatment (one query)."""
    if treatment.tag_id is None:
        return []
    about = Q(
        answers__is_hidden=False,
        answers__question__is_hidden=False,
        answers__question__tags=treatment.tag_id,
    )
    return list(
        DoctorProfile.objects.filter(about, status=VerificationStatus.VERIFIED)
        .annotate(treatment_answers=Count("answers", distinct=True))
        .order_by("-treatment_answers", "full_name", "pk")[:limit]
    )
