"""The bodies of the background jobs (``tasks.py``): who is told what, written to their inbox.

Every job is idempotent. A notification is upserted by its key, unique per member
(``Notification.key``, constraint ``notification_once_per_key``), and counts are recomputed from the rows
rather than incremented, so a job that runs twice — a retry, a worker killed after its commit — leaves what
one run leaves. Jobs read the rows as they are when they run: an answer hidden before its job ran tells
nobody.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.text import Truncator

from consult.accounts.models import DELETED_USER_NAME, User
from consult.doctors.models import DoctorProfile, VerificationDecision, VerificationStatus
from consult.moderation.models import ModerationAction
from consult.practice.models import ConsultationRequest
from consult.questions.models import Answer, Follow, HelpfulVote, Question, QuestionUpdate
from consult.reviews.models import Review

from . import alerts, services
from .models import Invite, Kind, QuestionAlerts

__all__ = ["JOBS", "run"]

log = logging.getLogger(__name__)


def _title(text: str) -> str:
    return "\u201c" + Truncator(text).chars(90) + "\u201d"


@dataclass(frozen=True)
class Note:
    kind: str
    key: str
    text: str
    url: str
    question_id: int | None = None
    answer_id: int | None = None
    review_id: int | None = None
    consultation_id: int | None = None
    actor_id: int | None = None  # the member whose name the text starts with (``services.actor_forget``)
    actor_name: str = ""


def _tell(user_ids: Iterable[int], note: Note) -> int:
    """Each of ``user_ids`` gets ``note`` once (by key); returns how many were new."""
    if note.actor_id is not None and note.actor_name and User.objects.filter(
        pk=note.actor_id, deleted_at__isnull=False
    ).exists():  # they deleted their account while this job waited
        note = replace(
            note, text=DELETED_USER_NAME + note.text[len(note.actor_name) :], actor_name=DELETED_USER_NAME
        )
    # nobody who deleted their account meanwhile (the job may have waited in the queue)
    members = User.objects.filter(pk__in=set(user_ids), deleted_at__isnull=True).values_list("pk", flat=True)
    made = 0
    for user_id in sorted(members):
        if services.notification_put(
            user_id=user_id, kind=note.kind, key=note.key, text=note.text, url=note.url,
            question_id=note.question_id, answer_id=note.answer_id, review_id=note.review_id,
            consultation_id=note.consultation_id, actor_id=note.actor_id, actor_name=note.actor_name,
        ):
            made += 1
    return made


def answer_created(answer_id: int) -> int:
    """Followers of the thread hear of a new answer (not its author)."""
    answer = Answer.objects.select_related("question", "doctor").filter(pk=answer_id).first()
    if answer is None or answer.is_hidden or answer.question.is_hidden:
        return 0
    question = answer.question
    followers = Follow.objects.filter(question=question).exclude(user_id=answer.doctor.user_id).values_list("user_id", flat=True)
    note = Note(
        Kind.ANSWER, f"answer:{answer.pk}", f"{answer.doctor.display_name} answered {_title(question.title)}",
        answer.get_absolute_url(), question.pk, answer_id=answer.pk,
    )
    return _tell(followers, note)


def votes_changed(answer_id: int) -> int:
    """The answer's doctor: one notification per answer for the votes since they last read it."""
    answer = Answer.objects.select_related("question", "doctor").filter(pk=answer_id).first()
    if answer is None:
        return 0
    services.votes_put(
        user_id=answer.doctor.user_id,
        answer_id=answer.pk,
        headline=_title(answer.headline),
        url=answer.get_absolute_url(),
        question_id=answer.question_id,
        count_since=lambda since: HelpfulVote.objects.filter(answer_id=answer.pk, created_at__gte=since)
        .exclude(user_id=answer.doctor.user_id)
        .count(),
    )
    return 1


def review_created(review_id: int) -> int:
    review = Review.objects.select_related("doctor", "author").filter(pk=review_id).first()
    if review is None or review.is_hidden:
        return 0
    name = review.author.public_name
    note = Note(
        Kind.REVIEW, f"review:{review.pk}",
        f"{name} reviewed you: {review.rating} out of 5 stars, {_title(review.title)}",
        review.get_absolute_url(), review_id=review.pk, actor_id=review.author_id, actor_name=name,
    )
    return _tell([review.doctor.user_id], note)


def update_posted(update_id: int) -> int:
    """The doctors who answered (visible answers) and the thread's followers hear of the asker's update."""
    update = QuestionUpdate.objects.select_related("question").filter(pk=update_id).first()
    if update is None or update.question.is_hidden:
        return 0
    question = update.question
    doctors = Answer.objects.filter(question=question, is_hidden=False).values_list("doctor__user_id", flat=True)
    followers = Follow.objects.filter(question=question).values_list("user_id", flat=True)
    who = (set(doctors) | set(followers)) - {question.author_id}
    note = Note(
        Kind.UPDATE, f"update:{update.pk}", f"{question.display_name} posted an update on {_title(question.title)}",
        f"{question.get_absolute_url()}#update-{update.pk}", question.pk,
        actor_id=question.author_id, actor_name=question.display_name,
    )
    return _tell(who, note)


def invite_created(invite_id: int) -> int:
    invite = Invite.objects.select_related("question", "doctor", "invited_by").filter(pk=invite_id).first()
    if invite is None or invite.question.is_hidden or not invite.doctor.is_verified:
        return 0
    question = invite.question
    who = question.display_name if invite.invited_by_id == question.author_id else invite.invited_by.public_name
    note = Note(
        Kind.INVITE, f"invite:{invite.pk}", f"{who} invited you to answer {_title(question.title)}",
        question.get_absolute_url(), question.pk, actor_id=invite.invited_by_id, actor_name=who,
    )
    return _tell([invite.doctor.user_id], note)


def verification_decided(decision_id: int) -> int:
    decision = VerificationDecision.objects.select_related("profile").filter(pk=decision_id).first()
    if decision is None:
        return 0
    # Verified: their public profile (now listed); not verified: their own profile page, where they correct
    # their details or upload a licence document and ask again.
    if decision.decision == VerificationStatus.VERIFIED:
        text = "Your doctor profile is verified: you can answer questions now."
        url = reverse("doctors:profile", kwargs={"slug": decision.profile.slug})
    elif decision.decision == VerificationStatus.REJECTED:
        reason = decision.note.strip() or "no reason given"
        text = f"Your doctor profile was not verified. Reason: {Truncator(reason).chars(300)}"
        url = reverse("doctors:profile_edit")
    else:
        return 0
    note = Note(Kind.ACCOUNT, f"verification:{decision.pk}", text, url)
    return _tell([decision.profile.user_id], note)


def moderation_acted(action_id: int) -> int:
    """The author of the content a moderator hid or restored is told (with the moderator's note)."""
    action = (
        ModerationAction.objects.select_related("question", "answer__question", "answer__doctor", "review__doctor")
        .filter(pk=action_id)
        .first()
    )
    if action is None or action.kind not in (ModerationAction.Kind.HIDE, ModerationAction.Kind.UNHIDE):
        return 0
    hid = action.kind == ModerationAction.Kind.HIDE
    verb = "hid" if hid else "restored"
    if action.question is not None:
        author_id, what, url = action.question.author_id, f"your question {_title(action.question.title)}", action.question.get_absolute_url()
    elif action.answer is not None:
        author_id = action.answer.doctor.user_id
        what = f"your answer {_title(action.answer.headline)}"
        url = action.answer.get_absolute_url()
    elif action.review is not None:
        author_id, what, url = action.review.author_id, f"your review {_title(action.review.title)}", action.review.get_absolute_url()
    else:
        return 0
    if author_id == action.moderator_id:
        return 0
    text = f"A moderator {verb} {what}."
    if action.note.strip():
        text += f" Reason: {Truncator(action.note.strip()).chars(300)}"
    return _tell([author_id], Note(Kind.ACCOUNT, f"moderation:{action.pk}", text, url))


def question_created(question_id: int) -> int:
    """Verified doctors whose alerts cover one of the question's concerns (specialty and/or picked tags)."""
    question = Question.objects.filter(pk=question_id).prefetch_related("tags").first()
    if question is None or question.is_hidden:
        return 0
    tags = list(question.tags.all())
    if not tags:
        return 0
    specialties = alerts.specialties_for(t.slug for t in tags)
    by_specialty = Q(specialty__in=specialties) & (
        Q(user__notification_prefs__isnull=True)
        | Q(user__notification_prefs__question_alerts__in=[QuestionAlerts.SPECIALTY, QuestionAlerts.BOTH])
    )
    by_tag = Q(user__notification_prefs__question_alerts__in=[QuestionAlerts.TAGS, QuestionAlerts.BOTH]) & Q(
        user__notification_prefs__alert_tags__in=[t.pk for t in tags]
    )
    doctors = (
        DoctorProfile.objects.filter(status=VerificationStatus.VERIFIED, user__is_active=True)
        .filter(by_specialty | by_tag)
        .exclude(user_id=question.author_id)
        .values_list("user_id", flat=True)
        .distinct()
    )
    names = ", ".join(t.name for t in tags[:3])
    note = Note(
        Kind.NEW_QUESTION, f"question:{question.pk}", f"New question about {names}: {_title(question.title)}",
        question.get_absolute_url(), question.pk,
    )
    return _tell(doctors, note)


def consultation_requested(consultation_id: int) -> int:
    """The doctor hears of a private consultation request. The notice (and its e-mail) names the sender and
    the subject only: the message stays behind the sign-in, on the request's page."""
    consultation = ConsultationRequest.objects.select_related("doctor", "sender").filter(pk=consultation_id).first()
    if consultation is None:
        return 0
    name = consultation.sender.public_name
    note = Note(
        Kind.CONSULTATION, f"consultation:{consultation.pk}",
        f"{name} sent you a private consultation request: {_title(consultation.subject)}",
        consultation.get_absolute_url(), consultation_id=consultation.pk, actor_id=consultation.sender_id,
        actor_name=name,
    )
    return _tell([consultation.doctor.user_id], note)


def consultation_replied(consultation_id: int) -> int:
    """The sender hears that the doctor replied (the reply itself is read on the request's page)."""
    consultation = ConsultationRequest.objects.select_related("doctor").filter(pk=consultation_id).first()
    if consultation is None or consultation.replied_at is None:
        return 0
    note = Note(
        Kind.CONSULTATION, f"consultation-reply:{consultation.pk}",
        f"{consultation.doctor.display_name} replied to your consultation request {_title(consultation.subject)}",
        consultation.get_absolute_url(), consultation_id=consultation.pk,
    )
    return _tell([consultation.sender_id], note)


def question_visibility(question_id: int) -> int:
    """A thread was hidden or restored: the unread counts of everyone with news about it change. (Done in
    the moderator's transaction since, by ``receivers``; kept for jobs queued before, and harmless again.)"""
    return services.unread_recount_about(question_id=question_id)


JOBS = {
    "answer_created": answer_created,
    "votes_changed": votes_changed,
    "review_created": review_created,
    "update_posted": update_posted,
    "invite_created": invite_created,
    "verification_decided": verification_decided,
    "moderation_acted": moderation_acted,
    "question_created": question_created,
    "question_visibility": question_visibility,
    "consultation_requested": consultation_requested,
    "consultation_replied": consultation_replied,
}


def run(job: str, pk: int) -> int:
    """Run one fan-out job in one transaction; returns how many notifications it made new."""
    with transaction.atomic():
        made = JOBS[job](pk)
    log.info("notifications: %s(%s) made %s", job, pk, made)
    return made

