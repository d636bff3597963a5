"""Reads for the inbox, the settings page and the invite page; each a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from consult.accounts.models import User
from consult.core.paging import page_number
from consult.doctors.models import DoctorProfile, VerificationStatus
from consult.questions.models import Question, Tag

from .models import Invite, Notification, Preferences
from .services import visible_to

__all__ = ["INBOX_PAGE_SIZE", "InboxPage", "inbox_page", "invite_candidates", "preferences", "tag_names"]

INBOX_PAGE_SIZE = 30


@dataclass
class InboxPage:
    rows: list[Notification]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def inbox_page(*, user: User, page: str | None) -> InboxPage:
    """The member's notifications, newest change first: one query."""
    number = page_number(page)
    start = (number - 1) * INBOX_PAGE_SIZE
    rows = list(
        Notification.objects.filter(visible_to(user.pk), user_id=user.pk)
        .order_by("-updated_at", "-id")[start : start + INBOX_PAGE_SIZE + 1]
    )
    return InboxPage(rows=rows[:INBOX_PAGE_SIZE], number=number, has_next=len(rows) > INBOX_PAGE_SIZE)


def preferences(*, user: User) -> Preferences:
    """The member's preferences (the defaults, unsaved, when they never changed them): one query, and one
    more for a doctor's picked concerns."""
    prefs = Preferences.objects.filter(user_id=user.pk).first()
    return prefs if prefs is not None else Preferences(user_id=user.pk)


def invite_candidates(*, question: Question, name: str, limit: int = 20) -> list[tuple[DoctorProfile, bool]]:
    """Verified doctors to invite (name filter, those who have not answered), each with whether they were
    already invited to this question: two queries."""
    doctors = (
        DoctorProfile.objects.filter(status=VerificationStatus.VERIFIED)
        .exclude(user_id=question.author_id)
        .exclude(answers__question=question)
    )
    if name.strip():
        doctors = doctors.filter(full_name__icontains=name.strip()[:60])
    found = list(doctors.order_by("-answer_count", "full_name")[:limit])
    invited = set(Invite.objects.filter(question=question, doctor__in=found).values_list("doctor_id", flat=True))
    return [(doctor, doctor.pk in invited) for doctor in found]


def tag_names(*, slugs: tuple[str, ...]) -> list[str]:
    """The names of the concerns with these slugs (those that exist), in name order: one query."""
    return list(Tag.objects.filter(slug__in=slugs).order_by("name").values_list("name", flat=True)) if slugs else []
