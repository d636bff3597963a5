"""Listeners to the domain events (``consult.core.events``): each queues a background job once the
writing transaction commits. Nothing here writes to the inbox or sends mail in the request. One listener records
a row in the writer's transaction: the invitation a question asked from a doctor's profile carries ("Ask Dr. X"),
through ``services.invite_create`` (its notice is queued like any other); and the unread badges of the members
concerned are set when moderators hide or restore something (below)."""

from __future__ import annotations

import contextlib
from typing import Any

from consult.core import events

from . import services
from .jobs import enqueue_on_commit

__all__ = ["connect"]


def _answer_saved(sender: Any, *, answer: Any, created: bool, **kwargs: Any) -> None:
    if created:
        enqueue_on_commit("answer_created", answer.pk)


def _vote_toggled(sender: Any, *, answer: Any, **kwargs: Any) -> None:
    enqueue_on_commit("votes_changed", answer.pk)


def _review_saved(sender: Any, *, review: Any, created: bool, **kwargs: Any) -> None:
    if created:
        enqueue_on_commit("review_created", review.pk)


def _update_posted(sender: Any, *, update: Any, **kwargs: Any) -> None:
    enqueue_on_commit("update_posted", update.pk)


def _verification_decided(sender: Any, *, decision: Any, **kwargs: Any) -> None:
    enqueue_on_commit("verification_decided", decision.pk)


def _moderation_action(sender: Any, *, action: Any, **kwargs: Any) -> None:
    enqueue_on_commit("moderation_acted", action.pk)


def _question_saved(sender: Any, *, question: Any, created: bool, invite_doctor: Any = None, **kwargs: Any) -> None:
    if created:
        enqueue_on_commit("question_created", question.pk)
    if created and invite_doctor is not None:
        # "Ask Dr. X" from a profile: an invitation from the asker, as if made on the invite page; one that may
        # not be made (the doctor lost verification meanwhile) is left out, the question stands.
        from .errors import InviteRefused
        from .services import invite_create

        with contextlib.suppress(InviteRefused):
            invite_create(inviter=question.author, question=question, doctor=invite_doctor)


def _consultation_requested(sender: Any, *, consultation: Any, **kwargs: Any) -> None:
    enqueue_on_commit("consultation_requested", consultation.pk)


def _consultation_replied(sender: Any, *, consultation: Any, **kwargs: Any) -> None:
    enqueue_on_commit("consultation_replied", consultation.pk)


# Moderators hid or restored something: notifications about it leave (or come back to) inboxes at once,
# since inboxes read visibility through ``services.visible_to``; the unread badges of the members concerned
# are set here, in the moderator's transaction (derived data in the same database, one UPDATE), so they are
# exact the moment the change commits. E-mails not yet sent are checked again when they are sent.


def _question_visibility(sender: Any, *, question: Any, **kwargs: Any) -> None:
    services.unread_recount_about(question_id=question.pk)


def _answer_visibility(sender: Any, *, answer: Any, **kwargs: Any) -> None:
    services.unread_recount_about(answer_id=answer.pk)


def _review_visibility(sender: Any, *, review: Any, **kwargs: Any) -> None:
    services.unread_recount_about(review_id=review.pk)


def connect() -> None:
    uid = "consult.notifications"
    events.answer_saved.connect(_answer_saved, dispatch_uid=f"{uid}.answer")
    events.vote_toggled.connect(_vote_toggled, dispatch_uid=f"{uid}.vote")
    events.review_saved.connect(_review_saved, dispatch_uid=f"{uid}.review")
    events.question_update_posted.connect(_update_posted, dispatch_uid=f"{uid}.update")
    events.doctor_verification_decided.connect(_verification_decided, dispatch_uid=f"{uid}.verification")
    events.moderation_action_taken.connect(_moderation_action, dispatch_uid=f"{uid}.moderation")
    events.question_saved.connect(_question_saved, dispatch_uid=f"{uid}.question")
    events.question_visibility_changed.connect(_question_visibility, dispatch_uid=f"{uid}.visibility")
    events.answer_visibility_changed.connect(_answer_visibility, dispatch_uid=f"{uid}.answer_visibility")
    events.review_visibility_changed.connect(_review_visibility, dispatch_uid=f"{uid}.review_visibility")
    events.consultation_requested.connect(_consultation_requested, dispatch_uid=f"{uid}.consultation")
    events.consultation_replied.connect(_consultation_replied, dispatch_uid=f"{uid}.consultation_reply")
