"""Reads for the question pages. Each function's SQL query count is fixed (see the tests).

Lists use keyset pagination on (created_at, id) so page 500 costs what page 1 costs: the
``question_newest`` and ``question_unanswered`` indexes serve the ORDER BY ... LIMIT directly.
"""

from __future__ import annotations

import base64
import binascii
import logging
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache as memoize
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet, prefetch_related_objects

from consult.accounts import permissions
from consult.accounts.models import User
from consult.core import pagecache
from consult.core.pagecache import page_ttl
from consult.core.rows import Columns, read_alias, select_rows
from consult.doctors.models import DoctorProfile

from .models import Answer, AnswerRevision, HelpfulVote, Question, Tag

__all__ = [
    "PAGE_SIZE",
    "QuestionPage",
    "Thread",
    "answer_for_edit",
    "answer_revisions",
    "decode_cursor",
    "encode_cursor",
    "popular_tags",
    "question_page",
    "related_questions",
    "thread_get",
]

PAGE_SIZE = 20
log = logging.getLogger(__name__)
RELATED_CANDIDATES = 300
Viewer = User | AnonymousUser

# -- visibility ---------------------------------------------------------------------------------


def can_moderate(viewer: Viewer) -> bool:
    return permissions.can_moderate(viewer)


def can_see_question(viewer: Viewer, question: Question) -> bool:
    """Hidden questions stay visible to moderators (for audit) and to their asker (with a notice)."""
    if not question.is_hidden:
        return True
    return can_moderate(viewer) or (viewer.is_authenticated and question.author_id == viewer.pk)


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


def _list_queryset() -> QuerySet[Question]:
    return (
        Question.objects.filter(is_hidden=False)
        .defer("body", "updated_at")
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
        .select_related("question")
        .defer("question__body", "question__updated_at")
        .order_by("-question_id")
    )
    if position is not None:
        rows_qs = rows_qs.filter(question_id__lt=position[1])
    rows = [row.question for row in rows_qs[: page_size + 1]]
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


def tags_for_form() -> QuerySet[Tag]:
    return Tag.objects.order_by("name")


# -- thread -------------------------------------------------------------------------------------


@dataclass
class Thread:
    """Everything the thread page shows, loaded in a fixed number of queries."""

    question: Question
    tags: list[Tag]
    answers: list[Any]  # Answer rows annotated with .viewer_voted; most helpful first
    related: list[Question]
    viewer_doctor: DoctorProfile | None = None
    viewer_answer: Answer | None = None
    viewer_is_asker: bool = False
    viewer_can_moderate: bool = False
    most_helpful: Answer | None = field(default=None)
    # The thread's page-cache version these rows were read under (None: the cache is unavailable).
    # Fragments of the thread page that show only these rows are cached under it (fragments.py).
    cache_version: str | None = None


def related_questions(*, question: Question, tag_ids: list[int], limit: int = 5) -> list[Question]:
    """Visible questions sharing the most tags with this one, newest first among equals."""
    if not tag_ids:
        return []
    # Rank only the newest few hundred candidates, so a tag with 100k questions costs what a
    # small one does (one query either way: the candidates are a LIMITed subquery).
    candidates = (
        Question.objects.filter(is_hidden=False, tags__in=tag_ids)
        .exclude(pk=question.pk)
        .order_by("-created_at", "-id")
        .values("pk")[:RELATED_CANDIDATES]
    )
    return list(
        Question.objects.filter(pk__in=candidates, tags__in=tag_ids)
        .annotate(shared=Count("tags"))
        .only("id", "title", "slug", "answer_count", "created_at")
        .order_by("-shared", "-created_at", "-id")[:limit]
    )


def _thread_rows(*, pk: int) -> tuple[tuple[Question, list[Tag], list[Question]], str | None] | None:
    """The question row, its tags and its related questions, from the cache while the thread's page-cache
    version holds (one cache round trip), else from the database (two or three queries) and cached.

    Every write that changes the question row or its tags (a new answer, most helpful, hiding) bumps the
    thread's version in ``questions.services`` (in its transaction and again on commit), so a cached row is
    never older than the last such write; related questions (other questions' titles and answer counts)
    and edits made outside the services (the admin) are at most ``ANON_PAGE_CACHE_SECONDS`` old.
    """
    from .services import thread_version  # services import nothing from selectors; keep it that way

    key = f"thread:{pk}"
    try:
        versions, entry = pagecache.fetch_versioned([thread_version(pk)], key)
    except Exception:
        log.warning("thread cache unavailable", exc_info=True)
        versions, entry = None, None
    version = versions[0] if versions is not None else None
    if versions is not None and entry is not None and entry[0] == versions:
        return entry[1], version
    question = Question.objects.filter(pk=pk).first()
    if question is None:
        return None
    tags = list(question.tags.all())
    related = related_questions(question=question, tag_ids=[t.pk for t in tags])
    if versions is not None:
        try:
            cache.set(key, (versions, (question, tags, related)), timeout=page_ttl())
        except Exception:
            log.warning("could not cache a thread's rows", exc_info=True)
    return (question, tags, related), version


@memoize
def _answers_sql() -> tuple[Columns[Answer], Columns[DoctorProfile], dict[str, str]]:
    answer, doctor = Columns(Answer, "a"), Columns(DoctorProfile, "d")
    vote = HelpfulVote._meta.db_table
    head = f"SELECT {answer.select}, {doctor.select}"
    body = f' FROM {answer.table} JOIN {doctor.table} ON d."id" = a."doctor_id" WHERE a."question_id" = %s'
    order = ' ORDER BY a."helpful_count" DESC, a."created_at" ASC, a."id" ASC'
    # identifiers from model metadata; values are parameters
    voted = f', EXISTS(SELECT 1 FROM "{vote}" v WHERE v."answer_id" = a."id" AND v."user_id" = %s)'  # noqa: S608
    return (
        answer,
        doctor,
        {
            # (user_id, question_id[, user_id]) / (question_id,)
            "member": head + voted + body + ' AND (NOT a."is_hidden" OR d."user_id" = %s)' + order,
            "moderator": head + voted + body + order,
            "anonymous": head + ", 0" + body + ' AND NOT a."is_hidden"' + order,
        },
    )


def _thread_answers(*, question_id: int, viewer: Viewer, moderator: bool) -> list[Any]:
    """The answers ``viewer`` may see, with their doctor and ``viewer_voted``, best first: the ORM's
    ``Answer.objects.filter(question=...).select_related("doctor").annotate(viewer_voted=Exists(...))``
    in one hand-written query (:mod:`consult.core.rows`; the ORM spent about 1.3 ms of 1.9 ms on it).
    Moderators see hidden answers; a doctor sees their own hidden answer (with a notice)."""
    answer_cols, doctor_cols, sql = _answers_sql()
    if not viewer.is_authenticated:
        query, params = sql["anonymous"], [question_id]
    elif moderator:
        query, params = sql["moderator"], [viewer.pk, question_id]
    else:
        query, params = sql["member"], [viewer.pk, question_id, viewer.pk]
    db = read_alias(Answer)
    answers = []
    split = answer_cols.width
    for row in select_rows(db, query, params):
        answer = answer_cols.build(db, row[:split])
        answer._state.fields_cache["doctor"] = doctor_cols.build(db, row[split : split + doctor_cols.width])
        answer.viewer_voted = bool(row[-1])  # type: ignore[attr-defined]
        answers.append(answer)
    return answers


def thread_get(*, pk: int, viewer: Viewer) -> Thread | None:
    """The question with its tags, the answers the viewer may see (with their vote state), and
    related questions. None when there is no such question or the viewer may not see it.

    Queries: the answers (+ doctor byline + viewer's vote as an EXISTS column), always fresh; the
    question, its tags and related questions come from the cache while the thread's version holds
    (:func:`_thread_rows`), else cost three more: at most 4.
    """
    found = _thread_rows(pk=pk)
    if found is None:
        return None
    (question, tags, related), version = found
    if not can_see_question(viewer, question):
        return None
    moderator = can_moderate(viewer)

    answers = _thread_answers(question_id=question.pk, viewer=viewer, moderator=moderator)
    most_helpful = next((a for a in answers if a.pk == question.most_helpful_answer_id), None)
    if most_helpful is not None:
        answers.remove(most_helpful)
        answers.insert(0, most_helpful)
    for answer in answers:
        answer.question = question  # no lazy load for get_absolute_url / permission checks

    viewer_doctor = None
    viewer_answer = None
    if isinstance(viewer, User) and viewer.is_doctor:
        viewer_answer = next((a for a in answers if a.doctor.user_id == viewer.pk), None)
        # Loaded with the user by consult.accounts.backends (no query here).
        viewer_doctor = getattr(viewer, "doctor_profile", None)

    return Thread(
        question=question,
        tags=tags,
        answers=answers,
        related=related,
        viewer_doctor=viewer_doctor,
        viewer_answer=viewer_answer,
        viewer_is_asker=viewer.is_authenticated and question.author_id == viewer.pk,
        viewer_can_moderate=moderator,
        most_helpful=most_helpful,
        cache_version=version,
    )


def answer_for_edit(*, pk: int) -> Answer | None:
    return Answer.objects.select_related("question", "doctor").filter(pk=pk).first()


def answer_for_action(*, pk: int) -> Answer | None:
    """An answer with what the vote / most-helpful services check (question, doctor)."""
    return Answer.objects.select_related("question", "doctor").filter(pk=pk).first()


def answer_revisions(*, answer: Answer) -> list[AnswerRevision]:
    return list(AnswerRevision.objects.filter(answer=answer).order_by("-created_at", "-id"))


def has_voted(*, user: Viewer, answer: Answer) -> bool:
    return user.is_authenticated and HelpfulVote.objects.filter(answer=answer, user_id=user.pk).exists()
