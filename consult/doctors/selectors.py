"""Reads for doctor pages. Each returns what a page needs in a fixed number of queries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import F, Q, QuerySet

from consult.accounts.permissions import AnyUser, can_verify_doctors
from consult.doctors.models import DoctorProfile, LicenceDocument, VerificationDecision, VerificationStatus

# Directory sorts: name -> ORDER BY (each ends in unique columns so pages never overlap; each has an index
# that starts with status, see DoctorProfile.Meta.indexes).
DIRECTORY_SORTS: dict[str, tuple[Any, ...]] = {
    "name": ("full_name", "pk"),
    "rating": (F("rating_avg").desc(nulls_last=True), "-review_count", "full_name", "pk"),
    "reviews": ("-review_count", "full_name", "pk"),
    "answers": ("-answer_count", "full_name", "pk"),
    "helpful": ("-helpful_count", "full_name", "pk"),
}


def doctor_directory(
    *,
    specialty: str = "",
    country: str = "",
    state: str = "",
    region: str = "",
    city: str = "",
    topic: str = "",
    sort: str = "name",
) -> QuerySet[DoctorProfile]:
    """Verified doctors; optionally one specialty, practice country, then a US state (``state``, a two-letter
    code: it means the US) or another country's region (``region``, any case), a city (any case) and a topic: the
    slug of a question tag they have answered about (visible answers on visible questions). A US state with
    another country, or a region with the US, is ignored. Sorted by ``sort``."""
    qs = DoctorProfile.objects.filter(status=VerificationStatus.VERIFIED)
    if specialty:
        qs = qs.filter(specialty=specialty)
    if state and country in ("", "US"):
        qs = qs.filter(country="US", state=state)
    elif country:
        qs = qs.filter(country=country)
        if region and country != "US":
            qs = qs.filter(state__iexact=region)
    elif region:
        qs = qs.exclude(country="US").filter(state__iexact=region)
    if city:
        qs = qs.filter(city__iexact=city)
    if topic:
        # Through the reverse relations: doctors import nothing from questions.
        qs = qs.filter(
            pk__in=DoctorProfile.objects.filter(
                answers__is_hidden=False, answers__question__is_hidden=False, answers__question__tags__slug=topic
            ).values("pk")
        )
    return qs.order_by(*DIRECTORY_SORTS.get(sort, DIRECTORY_SORTS["name"]))


def doctor_profile_for_viewer(*, slug: str, viewer: AnyUser) -> DoctorProfile | None:
    """The public profile, or None (a 404) unless verified, a former doctor's (no longer verified, answers still
    up: shown as such), the viewer's own, or the viewer is staff."""
    # "headshot": the practice app's one-to-one (a string lookup; doctors import nothing from it).
    profile = DoctorProfile.objects.select_related("user", "headshot").filter(slug=slug).first()
    if profile is None:
        return None
    if profile.is_verified or profile.is_former or can_verify_doctors(viewer):
        return profile
    if viewer.is_authenticated and profile.user_id == viewer.pk:
        return profile
    return None


def verified_doctor(*, slug: str) -> DoctorProfile | None:
    """The verified doctor with this profile address, or None."""
    return DoctorProfile.objects.filter(slug=slug, status=VerificationStatus.VERIFIED).first()


def doctor_profile_of(*, user: AnyUser) -> DoctorProfile | None:
    if not user.is_authenticated:
        return None
    return DoctorProfile.objects.filter(user_id=user.pk).first()


def doctor_recent_answers(*, profile: DoctorProfile, limit: int = 10) -> list[Any]:
    """The doctor's latest answers that the public can see, with their questions (one query). Read
    through the reverse relation: doctors sit below questions and import nothing from them."""
    return list(
        profile.answers.filter(is_hidden=False, question__is_hidden=False)
        .select_related("question")
        .only(
            "id",
            "doctor",  # the related manager fills answer.doctor from it (no query per answer)
            "headline",
            "helpful_count",
            "created_at",
            "question__id",
            "question__title",
            "question__slug",
            "question__answer_count",
        )
        .order_by("-created_at", "-id")[:limit]
    )


def doctor_reviews(
    *,
    profile: DoctorProfile,
    include_hidden: bool = False,
    limit: int = 20,
    before: tuple[datetime, int] | None = None,
    offset: int = 0,
) -> list[Any]:
    """The doctor's newest reviews with author and treatment (one query); hidden ones only for moderators.
    ``before`` (created_at, id) continues a list after its last row (keyset, the API); ``offset`` skips rows (the
    profile's numbered pages). Read through the reverse relation: reviews sit above doctors."""
    rows = profile.reviews.all() if include_hidden else profile.reviews.filter(is_hidden=False)
    if before is not None:
        rows = rows.filter(Q(created_at__lt=before[0]) | Q(created_at=before[0], pk__lt=before[1]))
    return list(rows.select_related("author", "treatment").order_by("-created_at", "-id")[offset : offset + limit])


def doctor_latest_decision(*, profile: DoctorProfile) -> VerificationDecision | None:
    return profile.decisions.order_by("-created_at", "-id").first()


def verification_pending() -> QuerySet[DoctorProfile]:
    """Profiles waiting for a staff decision, oldest first (first come, first served), with their licence
    documents (one more query)."""
    return (
        DoctorProfile.objects.filter(status=VerificationStatus.PENDING)
        .select_related("user")
        .prefetch_related("licence_documents")
        .order_by("updated_at", "pk")
    )


def licence_documents_of(*, profile: DoctorProfile) -> list[LicenceDocument]:
    return list(profile.licence_documents.all())


def licence_document(*, pk: int) -> LicenceDocument | None:
    return LicenceDocument.objects.select_related("profile").filter(pk=pk).first()


def verification_recent_decisions(*, limit: int = 25) -> list[VerificationDecision]:
    """The audit trail, newest first, with who decided and about whom (one query)."""
    return list(
        VerificationDecision.objects.select_related("profile", "decided_by").order_by("-created_at", "-id")[
            :limit
        ]
    )
