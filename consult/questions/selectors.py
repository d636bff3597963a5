"""Reads for the question pages. Each function's SQL query count is fixed (see the tests).

Lists use keyset pagination on (created_at, id) so page 500 costs what page 1 costs: the
``question_newest`` and ``question_unanswered`` indexes serve the ORDER BY ... LIMIT directly.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, prefetch_related_objects

from consult.accounts.permissions import AnyUser
from consult.core.paging import page_number
from consult.photos.models import Status, Visit

from .models import (
    Answer,
    AnswerRevision,
    Follow,
    HelpfulVote,
    Question,
    QuestionUpdate,
    RelatedQuestion,
    Tag,
)

__all__ = [
    "MINE_PAGE_SIZE",
    "PAGE_SIZE",
    "MinePage",
    "QuestionPage",
    "ThreadRows",
    "answer_get",
    "answer_revisions",
    "decode_cursor",
    "encode_cursor",
    "my_answers",
    "my_questions",
    "popular_tags",
    "question_get",
    "question_page",
    "tag_get",
    "tags_all",
    "tags_by_slugs",
    "thread_rows",
    "viewer_follows",
    "viewer_votes",
]

PAGE_SIZE = 20


# -- lists --------------------------------------------------------------------------------------


def encode_cursor(question: Question) -> str:
    raw = f"{question.created_at.isoformat()}|{question.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    """Parse a cursor from the URL; anything malformed means 'first page', never an error."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, pk = raw.rsplit("|", 1)
        created_at = datetime.fromisoformat(stamp)
        if created_at.tzinfo is None:
            return None
        return created_at, int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


@dataclass(frozen=True)
class QuestionPage:
    questions: list[Question]
    next_cursor: str | None
    is_first: bool


def _measured_photos(question_ref: str) -> Exists:
    """Whether the question has a measured photo set (the lists' badge); one indexed probe per row."""
    return Exists(Visit.objects.filter(question_id=OuterRef(question_ref), status=Status.DONE))


def _list_queryset() -> QuerySet[Question]:
    return (
        Question.objects.filter(is_hidden=False)
        .defer("body", "updated_at")
        .annotate(has_measured_photos=_measured_photos("pk"))
        .prefetch_related("tags")
        .order_by("-created_at", "-id")
    )


def question_page(
    *, kind: str = "newest", tag: Tag | None = None, cursor: str | None = None, page_size: int = PAGE_SIZE
) -> QuestionPage:
    """One page of visible questions, newest first: 'newest', 'unanswered', or those with ``tag``.

    Two queries: the page (page_size + 1 rows, the extra one tells whether there is a next page)
    and the tags of the questions on it.
    """
    position = decode_cursor(cursor)
    if tag is not None and kind == "newest":
        return _tag_page(tag=tag, position=position, page_size=page_size)
    qs = _list_queryset()
    if kind == "unanswered":
        qs = qs.filter(answer_count=0)
    if tag is not None:
        qs = qs.filter(tags=tag)
    if position is not None:
        created_at, pk = position
        # The redundant created_at <= bound is what lets the index range-scan from the cursor
        # (PostgreSQL does not derive a range from the OR alone).
        qs = qs.filter(
            Q(created_at__lt=created_at) | Q(created_at=created_at, pk__lt=pk), created_at__lte=created_at
        )
    rows = list(qs[: page_size + 1])
    has_next = len(rows) > page_size
    rows = rows[:page_size]
    return QuestionPage(
        questions=rows,
        next_cursor=encode_cursor(rows[-1]) if has_next and rows else None,
        is_first=position is None,
    )


def _tag_page(*, tag: Tag, position: tuple[datetime, int] | None, page_size: int) -> QuestionPage:
    """A tag page walks the tag's rows of the M2M table backwards on its (tag_id, question_id) index,
    in question-id order (publication order: ids are handed out as questions are inserted), with the
    cursor's id in the index condition, so page 10 000 of a big tag costs what page 1 costs.

    Two queries: the rows with their questions (one join), and the tags of those questions.
    """
    through = Question.tags.through
    rows_qs = (
        through.objects.filter(tag_id=tag.pk, question__is_hidden=False)
        .annotate(has_measured_photos=_measured_photos("question_id"))
        .select_related("question")
        .defer("question__body", "question__updated_at")
        .order_by("-question_id")
    )
    if position is not None:
        rows_qs = rows_qs.filter(question_id__lt=position[1])
    rows = []
    for row in rows_qs[: page_size + 1]:
        question: Question = row.question
        question.has_measured_photos = bool(getattr(row, "has_measured_photos", False))  # type: ignore[attr-defined]
        rows.append(question)
    has_next = len(rows) > page_size
    rows = rows[:page_size]
    prefetch_related_objects(rows, "tags")
    return QuestionPage(
        questions=rows,
        next_cursor=encode_cursor(rows[-1]) if has_next and rows else None,
        is_first=position is None,
    )


def popular_tags(*, limit: int = 16) -> list[Tag]:
    return list(Tag.objects.filter(question_count__gt=0).order_by("-question_count", "name")[:limit])


def tag_get(*, slug: str) -> Tag | None:
    return Tag.objects.filter(slug=slug).first()


def tags_all() -> list[Tag]:
    """Every concern, by name (the ask form's choices)."""
    return list(Tag.objects.order_by("name"))


def tags_by_slugs(*, slugs: list[str]) -> dict[str, Tag]:
    """The concerns among ``slugs``, by slug (unknown slugs are simply absent). One query."""
    return {tag.slug: tag for tag in Tag.objects.filter(slug__in=slugs)}


# -- thread -------------------------------------------------------------------------------------


@dataclass
class ThreadRows:
    """What the thread page shows every reader: the same for all of them, so it is cached whole
    (``consult/questions/page.py``). Who sees which answer is decided per reader (``permissions``)."""

    question: Question
    tags: list[Tag]
    answers: list[Answer]  # every answer, hidden ones too, with .doctor; the most helpful first
    related: list[Question]
    updates: list[QuestionUpdate]  # the asker's follow-ups, oldest first


# What a byline shows (name, credentials, specialty, place: city with state or country, verification, stars and review count) and what the
# thread's rules read (``user_id``): the rest of the profile (bio, practice, licence) stays in the database.
BYLINE_FIELDS = (
    "id", "user_id", "slug", "full_name", "credentials", "specialty", "city", "state", "country", "status",
    "rating_avg", "review_count",
)


def thread_rows(*, pk: int) -> ThreadRows | None:
    """The question (with ``under_report``: non-zero while a report on it or one of its answers is open), its
    tags, every answer with its doctor's byline, and the stored related questions (computed when the thread
    changed, ``services.related_refresh``). Four queries, and a fifth for the asker's follow-up updates when there are
    any (``Question.update_count``)."""
    # The Markdown sources (``body``) are not shown: the page shows the rendered ``body_html``.
    found = (
        Question.objects.filter(pk=pk)
        .defer("body")
        # Open reports on the question or its answers (moderation's Flag rows, read through the reverse
        # relations: questions import nothing from moderation): the page asks search engines not to index a
        # thread under report until a moderator has looked. Part of the question's own query: one aggregate
        # over the joined rows, which counts them (not the reports), so only whether it is zero means anything.
        .annotate(under_report=Count("pk", filter=Q(flag__status="open") | Q(answers__flag__status="open")))
        .order_by()  # one row at most: no ORDER BY, no LIMIT to build
    )
    question = next(iter(found), None)
    if question is None:
        return None
    tags = list(Tag.objects.filter(questions=pk))  # by name (Tag.Meta.ordering)
    answers = list(
        Answer.objects.filter(question_id=pk)
        .select_related("doctor")
        .only(
            "id", "question_id", "doctor_id", "headline", "body_html", "helpful_count", "is_hidden", "created_at",
            "updated_at", *(f"doctor__{name}" for name in BYLINE_FIELDS),
        )
        .order_by("-helpful_count", "created_at", "id")
    )
    answers.sort(key=lambda a: a.pk != question.most_helpful_answer_id)  # stable: the rest keep their order
    for answer in answers:
        answer.question = question  # no lazy load for get_absolute_url
    related = [
        link.related
        for link in RelatedQuestion.objects.filter(question_id=pk, related__is_hidden=False)
        .select_related("related")
        .only("rank", "related__id", "related__title", "related__slug", "related__answer_count")
        .order_by("rank")
    ]
    updates = list(QuestionUpdate.objects.filter(question_id=pk).defer("body").order_by("created_at", "id")) if question.update_count else []
    return ThreadRows(question=question, tags=tags, answers=answers, related=related, updates=updates)


def viewer_votes(*, viewer: AnyUser, answer_ids: list[int]) -> set[int]:
    """The answers (of ``answer_ids``) that ``viewer`` found helpful: one query, none when anonymous."""
    if not viewer.is_authenticated or not answer_ids:
        return set()
    return set(HelpfulVote.objects.filter(user_id=viewer.pk, answer_id__in=answer_ids).values_list("answer_id", flat=True))


def question_get(*, pk: int) -> Question | None:
    return Question.objects.filter(pk=pk).first()


def viewer_follows(*, viewer: AnyUser, question_id: int) -> bool:
    """Does ``viewer`` follow the thread? One query when signed in, none when anonymous."""
    if not viewer.is_authenticated:
        return False
    return Follow.objects.filter(user_id=viewer.pk, question_id=question_id).exists()


def answer_get(*, pk: int) -> Answer | None:
    """An answer with its question and doctor (what the edit, vote and most-helpful rules read)."""
    return Answer.objects.select_related("question", "doctor").filter(pk=pk).first()


def answer_revisions(*, answer: Answer) -> list[AnswerRevision]:
    return list(AnswerRevision.objects.filter(answer=answer).order_by("-created_at", "-id"))


# -- "My questions" and "My answers" ------------------------------------------------------------

MINE_PAGE_SIZE = 20


@dataclass
class MinePage:
    rows: list[Question] | list[Answer]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def my_questions(*, user: AnyUser, page: str | None) -> MinePage:
    """The member's own questions, newest first, hidden ones too (they see them with a notice): one query
    (rows with their answer and update counts, which live on the row)."""
    number = page_number(page)
    start = (number - 1) * MINE_PAGE_SIZE
    rows = list(
        Question.objects.filter(author_id=user.pk)
        .only("id", "title", "slug", "answer_count", "update_count", "is_hidden", "created_at", "most_helpful_answer_id")
        .order_by("-created_at", "-id")[start : start + MINE_PAGE_SIZE + 1]
    )
    return MinePage(rows=rows[:MINE_PAGE_SIZE], number=number, has_next=len(rows) > MINE_PAGE_SIZE)


def my_answers(*, doctor_id: int, page: str | None) -> MinePage:
    """A doctor's own answers with their question, newest first: one query."""
    number = page_number(page)
    start = (number - 1) * MINE_PAGE_SIZE
    rows = list(
        Answer.objects.filter(doctor_id=doctor_id)
        .select_related("question")
        .only(
            "id", "headline", "helpful_count", "is_hidden", "created_at", "question_id",
            "question__id", "question__title", "question__slug", "question__is_hidden",
            "question__answer_count", "question__most_helpful_answer_id",
        )
        .order_by("-created_at", "-id")[start : start + MINE_PAGE_SIZE + 1]
    )
    return MinePage(rows=rows[:MINE_PAGE_SIZE], number=number, has_next=len(rows) > MINE_PAGE_SIZE)
