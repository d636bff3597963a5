"""Writes for moderation: members flag content; moderators hide, unhide, or dismiss the flags.

Every moderator decision writes a ``ModerationAction`` row (who, what, which item, note, when) and
resolves the item's open flags in the same transaction. Hidden content is never deleted: it leaves
the lists (the questions selectors filter ``is_hidden``) and search (``consult.search`` drops its
document on the visibility event, in the same transaction) but stays for audit. The
visible-content counters are kept by ``consult.questions.services`` ``*_set_hidden``.

Reviews (``consult.reviews``) are flagged and moderated the same way; hiding one needs a note (the
reason, recorded on the review and in the log: a review is hidden for breaking a rule, never for being
negative), and ``consult.reviews.services.review_set_hidden`` keeps the doctor's and treatment's figures.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from consult.accounts.models import User
from consult.accounts.permissions import can_flag, can_moderate
from consult.core import events, pagecache
from consult.moderation.errors import (
    AlreadyFlagged,
    ContentUnavailable,
    InvalidFlag,
    InvalidTarget,
    ModerationNotAllowed,
    NothingToDo,
)
from consult.moderation.models import Flag, FlagReason, FlagStatus, ModerationAction
from consult.questions.models import Answer, Question
from consult.questions.services import answer_set_hidden, question_set_hidden
from consult.reviews.errors import NothingToDo as ReviewUnchanged
from consult.reviews.errors import ReviewError
from consult.reviews.models import Review
from consult.reviews.services import review_set_hidden

NOTE_MAX_LENGTH = 500


def _one_target(question: Question | None, answer: Answer | None, review: Review | None = None) -> Q:
    given = [(name, obj) for name, obj in (("question", question), ("answer", answer), ("review", review)) if obj is not None]
    if len(given) != 1:
        raise InvalidTarget("Choose exactly one question, answer or review.")
    name, obj = given[0]
    return Q(**{name: obj})


def _clean_note(note: str) -> str:
    note = note.strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise InvalidFlag(f"Keep the note to {NOTE_MAX_LENGTH} characters or fewer.", field="note")
    return note


def _kind(question: Question | None, review: Review | None = None) -> str:
    if review is not None:
        return "review"
    return "question" if question is not None else "answer"


@transaction.atomic
def flag_create(
    *,
    reporter: User,
    question: Question | None = None,
    answer: Answer | None = None,
    review: Review | None = None,
    reason: str,
    note: str = "",
) -> Flag:
    """Report a question, an answer or a review. One open flag per member per item."""
    if not can_flag(reporter):
        raise ModerationNotAllowed("Sign in to report content.")
    target = _one_target(question, answer, review)
    if reason not in FlagReason.values:
        raise InvalidFlag("Choose a reason from the list.", field="reason")
    note = _clean_note(note)
    if review is not None:
        hidden = review.is_hidden
    else:
        hidden = (
            question.is_hidden
            if question is not None
            else (answer is not None and (answer.is_hidden or answer.question.is_hidden))
        )
    kind = _kind(question, review)
    if hidden:
        raise ContentUnavailable(f"This {kind} has already been removed.")
    if Flag.objects.filter(target, reporter=reporter, status=FlagStatus.OPEN).exists():
        raise AlreadyFlagged(f"You have already reported this {kind}; a moderator will look at it.")
    flag = Flag(reporter=reporter, question=question, answer=answer, review=review, reason=reason, note=note)
    try:
        with transaction.atomic():  # the partial unique constraints catch a double submit
            flag.save()
    except IntegrityError:
        raise AlreadyFlagged(f"You have already reported this {kind}; a moderator will look at it.") from None
    _bump_thread_of(question=question, answer=answer)
    return flag


def _bump_thread_of(*, question: Question | None, answer: Answer | None) -> None:
    """A thread under report is not indexed (its page says noindex while a report is open): opening or
    closing a report on the question or an answer refreshes the thread's cached page."""
    question_id = question.pk if question is not None else (answer.question_id if answer is not None else None)
    if question_id is not None:
        pagecache.bump(pagecache.thread(question_id))


def _require_moderator(moderator: User) -> None:
    if not can_moderate(moderator):
        raise ModerationNotAllowed("Only moderators can do that.")


def _resolve_open_flags(*, target: Q, moderator: User, status: str) -> int:
    return Flag.objects.filter(target, status=FlagStatus.OPEN).update(
        status=status, resolved_by=moderator, resolved_at=timezone.now()
    )


def _record(
    *,
    moderator: User,
    kind: str,
    question: Question | None,
    answer: Answer | None,
    note: str,
    review: Review | None = None,
) -> ModerationAction:
    action = ModerationAction.objects.create(
        moderator=moderator, kind=kind, question=question, answer=answer, review=review, note=note
    )
    events.moderation_action_taken.send(sender=ModerationAction, action=action)
    return action


def _set_review_hidden(*, moderator: User, review: Review, note: str, hide: bool) -> ModerationAction:
    try:
        review_set_hidden(review=review, moderator=moderator, is_hidden=hide, reason=note)
    except ReviewUnchanged as exc:
        raise NothingToDo(exc.message) from None
    except ReviewError as exc:  # no reason given, or too long
        raise InvalidFlag(exc.message, field="note") from None
    if hide:
        _resolve_open_flags(target=Q(review=review), moderator=moderator, status=FlagStatus.ACTIONED)
    kind = ModerationAction.Kind.HIDE if hide else ModerationAction.Kind.UNHIDE
    return _record(moderator=moderator, kind=kind, question=None, answer=None, review=review, note=note)


def _set_hidden(
    *,
    moderator: User,
    question: Question | None,
    answer: Answer | None,
    note: str,
    hide: bool,
    review: Review | None = None,
) -> ModerationAction:
    _require_moderator(moderator)
    target = _one_target(question, answer, review)
    note = _clean_note(note)
    if review is not None:
        return _set_review_hidden(moderator=moderator, review=review, note=note, hide=hide)
    model: type[Question] | type[Answer] = Question if question is not None else Answer
    obj = question if question is not None else answer
    assert obj is not None
    # Lock the row so two moderators acting at once produce one action, not two.
    locked = model.objects.select_for_update().get(pk=obj.pk)
    if locked.is_hidden == hide:
        state = "hidden" if hide else "visible"
        raise NothingToDo(f"This {_kind(question)} is already {state}.")
    if isinstance(locked, Question):
        question_set_hidden(question=locked, is_hidden=hide)
    else:
        answer_set_hidden(answer=locked, is_hidden=hide)
    obj.is_hidden = hide
    if hide:
        _resolve_open_flags(target=target, moderator=moderator, status=FlagStatus.ACTIONED)
    kind = ModerationAction.Kind.HIDE if hide else ModerationAction.Kind.UNHIDE
    return _record(moderator=moderator, kind=kind, question=question, answer=answer, note=note)


@transaction.atomic
def content_hide(
    *,
    moderator: User,
    question: Question | None = None,
    answer: Answer | None = None,
    review: Review | None = None,
    note: str = "",
) -> ModerationAction:
    """Hide a question, answer or review from everyone but its author and moderators; its open flags are
    actioned. A review needs the note: the rule it breaks, kept with it."""
    return _set_hidden(moderator=moderator, question=question, answer=answer, review=review, note=note, hide=True)


@transaction.atomic
def content_unhide(
    *,
    moderator: User,
    question: Question | None = None,
    answer: Answer | None = None,
    review: Review | None = None,
    note: str = "",
) -> ModerationAction:
    """Put hidden content back in the lists (a mistaken hide, or an edit fixed it)."""
    return _set_hidden(moderator=moderator, question=question, answer=answer, review=review, note=note, hide=False)


@transaction.atomic
def flags_dismiss(
    *,
    moderator: User,
    question: Question | None = None,
    answer: Answer | None = None,
    review: Review | None = None,
    note: str = "",
) -> ModerationAction:
    """The item is fine: close its open flags without hiding it."""
    _require_moderator(moderator)
    target = _one_target(question, answer, review)
    note = _clean_note(note)
    if not _resolve_open_flags(target=target, moderator=moderator, status=FlagStatus.DISMISSED):
        raise NothingToDo(f"This {_kind(question, review)} has no open reports.")
    _bump_thread_of(question=question, answer=answer)
    return _record(
        moderator=moderator,
        kind=ModerationAction.Kind.DISMISS,
        question=question,
        answer=answer,
        review=review,
        note=note,
    )
