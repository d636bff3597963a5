"""Writes for questions, answers and helpful votes.

Every function takes keyword-only arguments, runs in one transaction, returns what it made and
raises a :mod:`consult.questions.errors` error that the view shows as a message. Denormalised
counters are changed with F() expressions in the same transaction as the rows they count, so they
stay exact when requests race.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils.text import slugify

from consult.accounts.models import DELETED_USER_NAME, Role, User
from consult.core import events, pagecache
from consult.core.markdown import render
from consult.doctors.models import DoctorProfile

from . import permissions
from .errors import AlreadyAnswered, ContentHidden, NotAllowed, NotVerifiedDoctor
from .models import (
    Answer,
    AnswerRevision,
    Follow,
    HelpfulVote,
    Question,
    QuestionUpdate,
    RelatedQuestion,
    Sex,
    Tag,
)

__all__ = [
    "RELATED_CANDIDATES",
    "RELATED_SHOWN",
    "answer_create",
    "answer_set_hidden",
    "answer_update",
    "follow_set",
    "mark_most_helpful",
    "question_create",
    "question_set_hidden",
    "question_update",
    "related_refresh",
    "slug_for",
    "update_create",
    "vote_toggle",
]

# Every write below bumps the cache versions (consult.core.pagecache) of the pages that show what it
# changed, so those pages show it at once; see that module for the one staleness rule.
RELATED_SHOWN = 5
RELATED_CANDIDATES = 300


def _bump_thread_and_linkers(question_id: int, *extra: str) -> None:
    """The thread, and every thread whose related list shows this question (title, visibility)."""
    linkers = RelatedQuestion.objects.filter(related_id=question_id).values_list("question_id", flat=True)
    pagecache.bump(pagecache.thread(question_id), *(pagecache.thread(pk) for pk in linkers), *extra)


def related_refresh(*, question: Question) -> list[int]:
    """Store the thread's related questions: visible questions sharing the most tags with it, newest
    first among equals, ranked among the newest ``RELATED_CANDIDATES`` that share a tag (so a tag with
    100k questions costs what a small one does). Run when the thread is created or answered, never when
    it is read. Returns the related ids in order."""
    tag_ids = list(question.tags.values_list("pk", flat=True))
    ranked: list[int] = []
    if tag_ids:
        candidates = (
            Question.objects.filter(is_hidden=False, tags__in=tag_ids)
            .exclude(pk=question.pk)
            .order_by("-created_at", "-id")
            .values("pk")[:RELATED_CANDIDATES]
        )
        ranked = list(
            Question.objects.filter(pk__in=candidates, tags__in=tag_ids)
            .annotate(shared=Count("tags"))
            .order_by("-shared", "-created_at", "-id")
            .values_list("pk", flat=True)[:RELATED_SHOWN]
        )
    RelatedQuestion.objects.filter(question=question).delete()
    RelatedQuestion.objects.bulk_create(
        RelatedQuestion(question=question, related_id=pk, rank=rank) for rank, pk in enumerate(ranked)
    )
    return ranked


RESERVED_SLUGS = frozenset({"answers", "follow", "updates"})


def slug_for(title: str) -> str:
    slug = slugify(title)[:200].strip("-") or "question"
    # /questions/<pk>/answers/ (and follow/, updates/) are endpoints, so those slugs are taken.
    return f"{slug}-question" if slug in RESERVED_SLUGS else slug


def can_ask(user: User) -> bool:
    """Doctors answer; they do not ask (it keeps self-promotion out of the question stream)."""
    return user.is_authenticated and user.role != Role.DOCTOR


@transaction.atomic
def question_create(
    *,
    author: User,
    title: str,
    body: str,
    tags: Iterable[Tag],
    display_name: str,
    age: int | None = None,
    sex: str = "",
    invite_doctor: DoctorProfile | None = None,
) -> Question:
    """Publish a question. The asker's display name may be a pseudonym. ``invite_doctor``: the doctor whose
    profile the asker came from ("Ask Dr. X"); the question's ``question_saved`` event carries them and
    ``consult.notifications`` invites them to answer (an invitation like any other, refused quietly when it may
    not be made, e.g. the doctor is no longer verified)."""
    if not can_ask(author):
        raise NotAllowed("Doctors answer questions rather than ask them. Sign in with a patient account to ask.")
    if sex and sex not in Sex.values:
        raise ValueError(f"Unknown sex value {sex!r}")
    question = Question.objects.create(
        author=author,
        title=title.strip(),
        slug=slug_for(title),
        body=body,
        body_html=render(body),
        display_name=display_name.strip() or author.public_name,
        age=age,
        sex=sex,
    )
    tag_ids = sorted({tag.pk for tag in tags})
    if tag_ids:
        question.tags.set(tag_ids)
        Tag.objects.filter(pk__in=tag_ids).update(question_count=F("question_count") + 1)
    related_refresh(question=question)
    Follow.objects.create(user=author, question=question)  # the asker hears of answers from the start
    pagecache.bump(pagecache.LISTS)
    events.question_saved.send(sender=Question, question=question, created=True, invite_doctor=invite_doctor)
    return question


@transaction.atomic
def question_update(*, question: Question, title: str, body: str, display_name: str) -> Question:
    """Edit a question's text (staff, through the admin): re-renders its HTML and refreshes every page
    that shows it (its thread, the lists, the threads listing it as related). The slug stays, so links
    keep working."""
    question.title = title.strip()
    question.body = body
    question.body_html = render(body)
    question.display_name = display_name.strip() or question.display_name
    question.save(update_fields=["title", "body", "body_html", "display_name", "updated_at"])
    _bump_thread_and_linkers(question.pk, pagecache.LISTS)
    events.question_saved.send(sender=Question, question=question, created=False)
    return question


@transaction.atomic
def answer_create(*, doctor: DoctorProfile, question: Question, headline: str, body: str) -> Answer:
    """A verified doctor answers a question, once."""
    refusal = permissions.answer_refusal(doctor, question)
    if refusal is not None:
        if not doctor.is_verified:
            raise NotVerifiedDoctor(refusal)
        raise (ContentHidden if question.is_hidden else NotAllowed)(refusal)
    if Answer.objects.filter(question=question, doctor=doctor).exists():
        raise AlreadyAnswered()
    try:
        with transaction.atomic():  # savepoint: a lost race on the unique constraint leaves us usable
            answer = Answer.objects.create(
                question=question, doctor=doctor, headline=headline.strip(), body=body, body_html=render(body)
            )
    except IntegrityError as exc:
        raise AlreadyAnswered() from exc
    Question.objects.filter(pk=question.pk).update(answer_count=F("answer_count") + 1)
    DoctorProfile.objects.filter(pk=doctor.pk).update(answer_count=F("answer_count") + 1)
    related_refresh(question=question)  # an active thread keeps its related list current
    pagecache.bump(pagecache.thread(question.pk), pagecache.LISTS, pagecache.doctor(doctor.slug))
    events.answer_saved.send(sender=Answer, answer=answer, created=True)
    return answer


@transaction.atomic
def answer_update(*, answer: Answer, editor: User, headline: str, body: str, as_staff: bool = False) -> Answer:
    """The answering doctor edits their answer (or staff do, through the admin: ``as_staff``); the
    previous text is kept as a revision. The row is locked and its text read again first, so of two edits at
    once each keeps the other's text in the history (no lost update; tests/consult/security/test_concurrency.py)."""
    refusal = permissions.edit_refusal(editor, answer)
    if refusal is not None and not (as_staff and editor.is_staff):
        raise NotAllowed(refusal)
    current = Answer.objects.select_for_update().only("headline", "body").get(pk=answer.pk)
    answer.headline, answer.body = current.headline, current.body
    headline = headline.strip()
    if headline == answer.headline and body == answer.body:
        return answer
    AnswerRevision.objects.create(answer=answer, headline=answer.headline, body=answer.body, edited_by=editor)
    answer.headline = headline
    answer.body = body
    answer.body_html = render(body)
    answer.save(update_fields=["headline", "body", "body_html", "updated_at"])
    pagecache.bump(pagecache.thread(answer.question_id), pagecache.doctor(answer.doctor.slug))
    events.answer_saved.send(sender=Answer, answer=answer, created=False)
    return answer


@transaction.atomic
def vote_toggle(*, user: User, answer: Answer) -> tuple[bool, int]:
    """Add the user's helpful vote, or take it back. Returns (voted now, helpful count).

    Exact under concurrency: the unique (answer, user) constraint decides who inserted, the
    counter moves only when a row was really inserted or deleted, and it moves with F().
    """
    refusal = permissions.vote_refusal(user, answer, answer.question)
    if refusal is not None:
        raise (ContentHidden if answer.is_hidden or answer.question.is_hidden else NotAllowed)(refusal)

    deleted, _ = HelpfulVote.objects.filter(answer=answer, user=user).delete()
    if deleted:
        Answer.objects.filter(pk=answer.pk).update(helpful_count=F("helpful_count") - 1)
        DoctorProfile.objects.filter(pk=answer.doctor_id).update(helpful_count=F("helpful_count") - 1)
        voted = False
    else:
        try:
            with transaction.atomic():
                HelpfulVote.objects.create(answer=answer, user=user)
        except IntegrityError:
            # The same user's concurrent request inserted first; their vote stands, count unchanged.
            voted = True
        else:
            Answer.objects.filter(pk=answer.pk).update(helpful_count=F("helpful_count") + 1)
            DoctorProfile.objects.filter(pk=answer.doctor_id).update(helpful_count=F("helpful_count") + 1)
            voted = True
    count = Answer.objects.filter(pk=answer.pk).values_list("helpful_count", flat=True).get()
    answer.helpful_count = count
    pagecache.bump(pagecache.thread(answer.question_id), pagecache.doctor(answer.doctor.slug))
    events.vote_toggled.send(sender=Answer, answer=answer, user=user, voted=voted)
    return voted, count


@transaction.atomic
def mark_most_helpful(*, user: User, answer: Answer) -> bool:
    """The asker marks (or unmarks) an answer as most helpful. Returns whether it is marked now."""
    question = Question.objects.select_for_update().get(pk=answer.question_id)
    refusal = permissions.most_helpful_refusal(user, answer, question)
    if refusal is not None:
        raise (ContentHidden if answer.is_hidden and question.author_id == user.pk else NotAllowed)(refusal)
    marked = question.most_helpful_answer_id != answer.pk
    question.most_helpful_answer = answer if marked else None
    question.save(update_fields=["most_helpful_answer", "updated_at"])
    answer.question.most_helpful_answer_id = question.most_helpful_answer_id
    pagecache.bump(pagecache.thread(question.pk))
    events.most_helpful_changed.send(sender=Answer, answer=answer, marked=marked)
    return marked


@transaction.atomic
def answer_set_hidden(*, answer: Answer, is_hidden: bool) -> Answer:
    """Hide or restore an answer (for moderation). Counters count visible answers only."""
    changed = Answer.objects.filter(pk=answer.pk, is_hidden=not is_hidden).update(is_hidden=is_hidden)
    if changed:
        delta = -1 if is_hidden else 1
        Question.objects.filter(pk=answer.question_id).update(answer_count=F("answer_count") + delta)
        # A doctor's count holds visible answers on visible questions: on a hidden question this answer
        # was already taken off (question_set_hidden), so it moves only when the question is visible.
        if Question.objects.filter(pk=answer.question_id, is_hidden=False).exists():
            votes = Answer.objects.filter(pk=answer.pk).values_list("helpful_count", flat=True).get()
            DoctorProfile.objects.filter(pk=answer.doctor_id).update(
                answer_count=F("answer_count") + delta, helpful_count=F("helpful_count") + delta * votes
            )
        if is_hidden:
            Question.objects.filter(pk=answer.question_id, most_helpful_answer=answer).update(
                most_helpful_answer=None
            )
        doctor_slug = DoctorProfile.objects.filter(pk=answer.doctor_id).values_list("slug", flat=True).first()
        pagecache.bump(pagecache.thread(answer.question_id), pagecache.LISTS, pagecache.doctor(doctor_slug or ""))
    answer.is_hidden = is_hidden
    if changed:
        events.answer_visibility_changed.send(sender=Answer, answer=answer, is_hidden=is_hidden)
    return answer


@transaction.atomic
def question_set_hidden(*, question: Question, is_hidden: bool) -> Question:
    """Hide or restore a question (for moderation).

    Tag counts and the answering doctors' answer counts follow visible content: the visible answers
    on a hidden question no longer count on the doctors' profiles.
    """
    changed = Question.objects.filter(pk=question.pk, is_hidden=not is_hidden).update(is_hidden=is_hidden)
    if changed:
        delta = -1 if is_hidden else 1
        tag_ids = list(question.tags.values_list("pk", flat=True))
        Tag.objects.filter(pk__in=tag_ids).update(question_count=F("question_count") + delta)
        visible = list(
            Answer.objects.filter(question_id=question.pk, is_hidden=False).values_list("doctor_id", "helpful_count")
        )
        # A doctor answers a question once, so one row per doctor: answer count +-1, their votes on it +-n.
        for doctor_id, votes in visible:
            DoctorProfile.objects.filter(pk=doctor_id).update(
                answer_count=F("answer_count") + delta, helpful_count=F("helpful_count") + delta * votes
            )
        # Every doctor who answered lists this question among their recent answers, hidden or not.
        slugs = DoctorProfile.objects.filter(answers__question_id=question.pk).values_list("slug", flat=True)
        # ... and every thread listing it as related: a hidden question vanishes from those at once.
        _bump_thread_and_linkers(question.pk, pagecache.LISTS, *(pagecache.doctor(s) for s in slugs))
    question.is_hidden = is_hidden
    if changed:
        events.question_visibility_changed.send(sender=Question, question=question, is_hidden=is_hidden)
    return question


@transaction.atomic
def author_forget(*, author: User) -> int:
    """Deleting an account (``consult.accounts.erasure``): the member's questions stay, but the name each
    was asked under becomes "deleted user" on every page at once. Returns the questions renamed."""
    ids = list(Question.objects.filter(author=author).values_list("pk", flat=True))
    Question.objects.filter(pk__in=ids).update(display_name=DELETED_USER_NAME)
    Follow.objects.filter(user=author).delete()  # what they followed is theirs alone
    pagecache.bump(pagecache.LISTS, *(pagecache.thread(pk) for pk in ids))
    return len(ids)


@transaction.atomic
def follow_set(*, user: User, question: Question, follow: bool) -> bool:
    """Follow or stop following a thread (its new answers and updates reach the inbox). Idempotent;
    returns whether ``user`` now follows it. A hidden question cannot be followed anew."""
    if not user.is_authenticated or not user.is_active:
        raise NotAllowed("Sign in to follow a question.")
    if not follow:
        Follow.objects.filter(user=user, question=question).delete()
        return False
    if not permissions.can_see_question(user, question):
        raise ContentHidden("This question has been hidden by a moderator.")
    Follow.objects.get_or_create(user=user, question=question)
    return True


UPDATE_MAX_CHARS = 5000


@transaction.atomic
def update_create(*, author: User, question: Question, body: str) -> QuestionUpdate:
    """The asker posts a dated follow-up under their question; the doctors who answered are told
    (``events.question_update_posted``, consult.notifications)."""
    refusal = permissions.update_refusal(author, question)
    if refusal is not None:
        raise (ContentHidden if question.is_hidden else NotAllowed)(refusal)
    text = body.strip()
    if not text:
        raise NotAllowed("Write what has changed before posting an update.")
    if len(text) > UPDATE_MAX_CHARS:
        raise NotAllowed(f"An update can be at most {UPDATE_MAX_CHARS} characters long.")
    update = QuestionUpdate.objects.create(question=question, body=text, body_html=render(text))
    Question.objects.filter(pk=question.pk).update(update_count=F("update_count") + 1)
    pagecache.bump(pagecache.thread(question.pk))
    events.question_update_posted.send(sender=QuestionUpdate, update=update)
    return update
