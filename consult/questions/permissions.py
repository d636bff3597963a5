"""Who may do what on a thread: the one place these rules live.

The services enforce them (each refusal is a sentence for the person refused), the thread page reads
them to decide which controls to show (``consult/questions/page.py``), and the photo panel asks
:func:`can_see_photos`. Each function takes whatever ``request.user`` is.
"""

from __future__ import annotations

from consult.accounts.models import User
from consult.accounts.permissions import AnyUser, can_moderate
from consult.doctors.models import DoctorProfile
from consult.photos.permissions import can_view_question_photos

from .models import Answer, Question

__all__ = [
    "answer_refusal",
    "can_answer",
    "can_edit_answer",
    "can_mark_most_helpful",
    "can_see_answer",
    "can_see_photos",
    "can_see_question",
    "can_vote",
    "doctor_of",
    "edit_refusal",
    "most_helpful_refusal",
    "update_refusal",
    "vote_refusal",
]


def _is(viewer: AnyUser, user_id: int | None) -> bool:
    return isinstance(viewer, User) and viewer.is_active and viewer.pk == user_id


def doctor_of(viewer: AnyUser) -> DoctorProfile | None:
    """The viewer's doctor profile (loaded with the user by the auth backend: no query), or None."""
    if not isinstance(viewer, User) or not viewer.is_doctor:
        return None
    return getattr(viewer, "doctor_profile", None)


def can_see_question(viewer: AnyUser, question: Question) -> bool:
    """Hidden questions stay visible to moderators (for audit) and to their asker (with a notice)."""
    return not question.is_hidden or can_moderate(viewer) or _is(viewer, question.author_id)


def can_see_answer(viewer: AnyUser, answer: Answer) -> bool:
    """Hidden answers stay visible to moderators and to the doctor who wrote them (with a notice)."""
    return not answer.is_hidden or can_moderate(viewer) or _is(viewer, answer.doctor.user_id)


def vote_refusal(viewer: AnyUser, answer: Answer, question: Question) -> str | None:
    """Why ``viewer`` may not give ``answer`` a helpful vote, or None if they may."""
    if not isinstance(viewer, User) or not viewer.is_active:
        return "Sign in to vote."
    if answer.is_hidden or question.is_hidden:
        return "Hidden answers cannot be voted on."
    if answer.doctor.user_id == viewer.pk:
        return "You cannot vote on your own answer."
    return None


def can_vote(viewer: AnyUser, answer: Answer, question: Question) -> bool:
    return vote_refusal(viewer, answer, question) is None


def most_helpful_refusal(viewer: AnyUser, answer: Answer, question: Question) -> str | None:
    if not _is(viewer, question.author_id):
        return "Only the person who asked can choose the most helpful answer."
    if answer.is_hidden:
        return "A hidden answer cannot be marked most helpful."
    return None


def can_mark_most_helpful(viewer: AnyUser, answer: Answer, question: Question) -> bool:
    return most_helpful_refusal(viewer, answer, question) is None


def answer_refusal(doctor: DoctorProfile | None, question: Question) -> str | None:
    """Why ``doctor`` may not answer ``question`` (before looking for an earlier answer), or None."""
    if doctor is None:
        return "Only doctors can answer questions."
    if not doctor.is_verified:
        return "Only doctors whose credentials we have verified can answer questions."
    if question.is_hidden:
        return "This question has been hidden by a moderator and cannot be answered."
    if question.author_id == doctor.user_id:
        return "You cannot answer your own question."
    return None


def can_answer(viewer: AnyUser, question: Question, *, already_answered: bool) -> bool:
    """Show the answer form: a verified doctor who has not answered this visible question yet."""
    return not already_answered and answer_refusal(doctor_of(viewer), question) is None


def edit_refusal(viewer: AnyUser, answer: Answer) -> str | None:
    """Only the doctor who wrote an answer edits it, and only while their profile is verified."""
    doctor = doctor_of(viewer)
    if doctor is None or doctor.pk != answer.doctor_id:
        return "Only the doctor who wrote an answer can edit it."
    if not doctor.is_verified:
        return "Your doctor profile is no longer verified, so your answers cannot be edited."
    return None


def can_edit_answer(viewer: AnyUser, answer: Answer) -> bool:
    return edit_refusal(viewer, answer) is None


def can_see_photos(viewer: AnyUser, question: Question) -> bool:
    """The photo sets attached to this question (the only ones the thread shows): the asker, verified
    doctors, moderators and staff. The rule lives in ``consult.photos.permissions``."""
    return can_view_question_photos(viewer, question.author_id)


def update_refusal(viewer: AnyUser, question: Question) -> str | None:
    """Only the asker posts follow-up updates in their thread, while it is visible."""
    if not _is(viewer, question.author_id):
        return "Only the person who asked can post an update to this question."
    if question.is_hidden:
        return "This question has been hidden by a moderator and cannot be updated."
    return None
