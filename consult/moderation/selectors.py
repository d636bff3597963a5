"""Reads for the moderation queue. Each tab costs a fixed number of queries, however many flags exist."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Max, Min, Q

from consult.moderation.models import Flag, FlagReason, FlagStatus, ModerationAction
from consult.questions.models import Answer, Question
from consult.reviews.models import Review

QUEUE_LIMIT = 50
NOTES_PER_ITEM = 3

_REASON_LABELS = dict(FlagReason.choices)


@dataclass
class FlaggedItem:
    """One question, answer or review with open flags, as the queue shows it."""

    kind: str  # "question" | "answer" | "review"
    target: Question | Answer | Review
    question: Question | None  # the thread it lives in (the target itself for a question; None for a review)
    open_flags: int
    first_flagged_at: datetime
    last_flagged_at: datetime
    reasons: list[tuple[str, int]] = field(default_factory=list)  # (label, count), most common first
    notes: list[str] = field(default_factory=list)  # latest reporter notes

    @property
    def excerpt(self) -> str:
        return self.target.body


@dataclass
class HiddenItem:
    kind: str
    target: Question | Answer | Review
    question: Question | None
    hidden_by: ModerationAction | None  # the latest hide action, if any


def flag_queue(*, limit: int = QUEUE_LIMIT) -> list[FlaggedItem]:
    """Items with open flags, most-flagged first, then longest waiting. Four queries."""
    open_q = Q(flag__status=FlagStatus.OPEN)
    questions = list(
        Question.objects.filter(open_q)
        .annotate(
            open_flags=Count("flag", filter=open_q),
            first_flagged_at=Min("flag__created_at", filter=open_q),
            last_flagged_at=Max("flag__created_at", filter=open_q),
        )
        .defer("body_html")
        .order_by("-open_flags", "first_flagged_at", "pk")[:limit]
    )
    answers = list(
        Answer.objects.filter(open_q)
        .annotate(
            open_flags=Count("flag", filter=open_q),
            first_flagged_at=Min("flag__created_at", filter=open_q),
            last_flagged_at=Max("flag__created_at", filter=open_q),
        )
        .select_related("question", "doctor")
        .defer("body_html", "question__body", "question__body_html", "doctor__bio")
        .order_by("-open_flags", "first_flagged_at", "pk")[:limit]
    )
    reviews = list(
        Review.objects.filter(open_q)
        .annotate(
            open_flags=Count("flag", filter=open_q),
            first_flagged_at=Min("flag__created_at", filter=open_q),
            last_flagged_at=Max("flag__created_at", filter=open_q),
        )
        .select_related("doctor", "author")
        .defer("doctor__bio")
        .order_by("-open_flags", "first_flagged_at", "pk")[:limit]
    )
    items: dict[tuple[str, int], FlaggedItem] = {}
    for r in reviews:
        items[("review", r.pk)] = FlaggedItem("review", r, None, r.open_flags, r.first_flagged_at, r.last_flagged_at)
    for q in questions:
        items[("question", q.pk)] = FlaggedItem(
            "question", q, q, q.open_flags, q.first_flagged_at, q.last_flagged_at
        )
    for a in answers:
        items[("answer", a.pk)] = FlaggedItem(
            "answer", a, a.question, a.open_flags, a.first_flagged_at, a.last_flagged_at
        )
    if not items:
        return []

    reasons: dict[tuple[str, int], Counter[str]] = defaultdict(Counter)
    notes: dict[tuple[str, int], list[str]] = defaultdict(list)
    details = (
        Flag.objects.filter(status=FlagStatus.OPEN)
        .filter(
            Q(question_id__in=[q.pk for q in questions])
            | Q(answer_id__in=[a.pk for a in answers])
            | Q(review_id__in=[r.pk for r in reviews])
        )
        .order_by("-created_at", "-id")
        .values_list("question_id", "answer_id", "review_id", "reason", "note")
    )
    for question_id, answer_id, review_id, reason, note in details:
        if question_id is not None:
            key = ("question", question_id)
        else:
            key = ("answer", answer_id) if answer_id is not None else ("review", review_id)
        reasons[key][_REASON_LABELS.get(reason, reason)] += 1
        if note and len(notes[key]) < NOTES_PER_ITEM:
            notes[key].append(note)
    for key, item in items.items():
        item.reasons = reasons[key].most_common()
        item.notes = notes[key]
    return sorted(items.values(), key=lambda i: (-i.open_flags, i.first_flagged_at))[:limit]


def hidden_content(*, limit: int = QUEUE_LIMIT) -> list[HiddenItem]:
    """Hidden questions, answers and reviews, most recently hidden first, with who hid them. Four queries."""
    questions = list(
        Question.objects.filter(is_hidden=True).defer("body_html").order_by("-updated_at", "-pk")[:limit]
    )
    answers = list(
        Answer.objects.filter(is_hidden=True)
        .select_related("question", "doctor")
        .defer("body_html", "question__body", "question__body_html", "doctor__bio")
        .order_by("-updated_at", "-pk")[:limit]
    )
    reviews = list(
        Review.objects.filter(is_hidden=True).select_related("doctor").defer("doctor__bio").order_by("-pk")[:limit]
    )
    if not questions and not answers and not reviews:
        return []
    latest: dict[tuple[str, int], ModerationAction] = {}
    actions = (
        ModerationAction.objects.filter(kind=ModerationAction.Kind.HIDE)
        .filter(
            Q(question_id__in=[q.pk for q in questions])
            | Q(answer_id__in=[a.pk for a in answers])
            | Q(review_id__in=[r.pk for r in reviews])
        )
        .select_related("moderator")
        .order_by("-created_at", "-id")
    )
    for action in actions:
        if action.question_id:
            key = ("question", action.question_id)
        else:
            key = ("answer", action.answer_id) if action.answer_id else ("review", action.review_id)  # type: ignore[assignment]
        latest.setdefault(key, action)
    items = [HiddenItem("question", q, q, latest.get(("question", q.pk))) for q in questions]
    items += [HiddenItem("answer", a, a.question, latest.get(("answer", a.pk))) for a in answers]
    items += [HiddenItem("review", r, None, latest.get(("review", r.pk))) for r in reviews]

    def hidden_at(item: HiddenItem) -> datetime:
        if item.hidden_by:
            return item.hidden_by.created_at
        return item.target.created_at if isinstance(item.target, Review) else item.target.updated_at

    return sorted(items, key=hidden_at, reverse=True)[:limit]


def recent_actions(*, limit: int = QUEUE_LIMIT) -> list[ModerationAction]:
    """The moderation log, newest first, with the moderator and the item's thread. One query."""
    return list(
        ModerationAction.objects.select_related(
            "moderator", "question", "answer", "answer__question", "review", "review__doctor"
        )
        .defer(
            "question__body",
            "question__body_html",
            "answer__body",
            "answer__body_html",
            "answer__question__body",
            "answer__question__body_html",
            "review__body",
            "review__doctor__bio",
        )
        .order_by("-created_at", "-id")[:limit]
    )
