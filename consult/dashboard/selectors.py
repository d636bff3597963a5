"""Reads for the doctor's dashboard: one query each.

The dashboard sits above questions, reviews and practice (it shows all three), so it is its own app.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from consult.doctors.models import DoctorProfile, Specialty
from consult.practice import selectors as practice_selectors
from consult.practice.models import ConsultationRequest
from consult.questions.models import Answer, HelpfulVote, Question
from consult.reviews.models import Review

#: Which question tags each specialty answers about (the dashboard's "questions in your specialty").
SPECIALTY_TAGS: dict[str, tuple[str, ...]] = {
    Specialty.FACIAL_PLASTIC: (
        "facelift", "fillers", "botox", "brow-lift", "asymmetry", "smile-reanimation", "synkinesis", "scars",
        "facial-paralysis",
    ),
    Specialty.PLASTIC: ("facelift", "smile-reanimation", "facial-nerve-surgery", "scars", "brow-lift", "asymmetry"),
    Specialty.OCULOPLASTIC: ("eyelid-surgery", "dry-eye", "brow-lift", "synkinesis"),
    Specialty.DERMATOLOGY: ("botox", "fillers", "scars", "asymmetry"),
    Specialty.ENT_FACIAL_NERVE: (
        "facial-paralysis", "bells-palsy", "ramsay-hunt", "facial-nerve-surgery", "acoustic-neuroma", "synkinesis",
        "smile-reanimation",
    ),
    Specialty.NEUROLOGY: ("bells-palsy", "facial-paralysis", "ramsay-hunt", "synkinesis", "acoustic-neuroma"),
    Specialty.PHYSIATRY: ("physical-therapy", "synkinesis", "bells-palsy", "facial-paralysis"),
}
RECENT_DAYS = 30


def unanswered_in_specialty(*, doctor: DoctorProfile, limit: int = 10) -> list[Question]:
    """The newest visible questions tagged with the doctor's specialty's topics that they have not answered."""
    slugs = SPECIALTY_TAGS.get(doctor.specialty, ())
    if not slugs:
        return []
    tagged = Question.tags.through.objects.filter(tag__slug__in=slugs).values("question_id")
    answered = Answer.objects.filter(doctor=doctor).values("question_id")
    return list(
        Question.objects.filter(is_hidden=False, pk__in=tagged)
        .exclude(pk__in=answered)
        .only("id", "title", "slug", "answer_count", "created_at")
        .order_by("-created_at", "-id")[:limit]
    )


def top_answers(*, doctor: DoctorProfile, limit: int = 5) -> list[Answer]:
    """The doctor's visible answers with the most helpful votes, with their questions."""
    return list(
        Answer.objects.filter(doctor=doctor, is_hidden=False, question__is_hidden=False, helpful_count__gt=0)
        .select_related("question")
        .only("id", "doctor", "headline", "helpful_count", "created_at", "question__id", "question__title",
              "question__slug")
        .order_by("-helpful_count", "-id")[:limit]
    )


def recent_votes(*, doctor: DoctorProfile, days: int = RECENT_DAYS) -> int:
    """Helpful votes the doctor's answers received in the last ``days`` days."""
    since = timezone.now() - dt.timedelta(days=days)
    return HelpfulVote.objects.filter(answer__doctor=doctor, created_at__gte=since).count()


def new_reviews(*, doctor: DoctorProfile, limit: int = 10) -> list[Review]:
    """The doctor's newest visible reviews, with author and treatment (reply status from the row)."""
    return list(
        Review.objects.filter(doctor=doctor, is_hidden=False)
        .select_related("author", "treatment", "doctor")
        .order_by("-created_at", "-id")[:limit]
    )


def consultation_requests(*, doctor: DoctorProfile, limit: int = 20) -> list[ConsultationRequest]:
    return practice_selectors.consultations_received(doctor=doctor, limit=limit)
