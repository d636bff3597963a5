"""Domain events: what happened, announced by the service that did it, for apps above to react to.

The services in the domain apps (questions, doctors, reviews, moderation) send these *inside* their
transaction, after the write. A receiver that keeps derived data in the same database (the search
index) writes at once and so commits or rolls back with the change; a receiver that talks to the
outside world (notifications, e-mail) must defer with ``transaction.on_commit`` and enqueue a
background task, never do the work in the request.

Events live in core (the bottom layer) so that any app may send them and any app above may listen,
without the sender importing the listener: the import layers in pyproject.toml stay one-way.
Receivers are connected in their app's ``AppConfig.ready``.

Every event carries keyword arguments only; ``sender`` is the model class concerned.
"""

from __future__ import annotations

from django.dispatch import Signal

__all__ = [
    "answer_saved",
    "answer_visibility_changed",
    "consultation_replied",
    "consultation_requested",
    "doctor_profile_saved",
    "doctor_verification_decided",
    "moderation_action_taken",
    "most_helpful_changed",
    "question_saved",
    "question_update_posted",
    "question_visibility_changed",
    "review_replied",
    "review_saved",
    "review_visibility_changed",
    "treatment_saved",
    "vote_toggled",
]

#: ``question=Question, created=bool`` — a question was asked or its text edited.
question_saved = Signal()
#: ``update=QuestionUpdate`` — the asker posted a follow-up update in their own thread.
question_update_posted = Signal()
#: ``question=Question, is_hidden=bool`` — moderation hid or restored a question.
question_visibility_changed = Signal()
#: ``answer=Answer, created=bool`` — a doctor answered, or an answer's text was edited.
answer_saved = Signal()
#: ``answer=Answer, is_hidden=bool`` — moderation hid or restored an answer.
answer_visibility_changed = Signal()
#: ``answer=Answer, user=User, voted=bool`` — a helpful vote was cast (True) or taken back (False).
vote_toggled = Signal()
#: ``answer=Answer, marked=bool`` — the asker marked or unmarked the most helpful answer.
most_helpful_changed = Signal()
#: ``profile=DoctorProfile, decision=VerificationDecision`` — staff verified or rejected a doctor.
doctor_verification_decided = Signal()
#: ``profile=DoctorProfile`` — a doctor's public profile changed (edited, or the doctor left Consult).
doctor_profile_saved = Signal()
#: ``review=Review, created=bool`` — a patient wrote or edited a review.
review_saved = Signal()
#: ``review=Review, is_hidden=bool`` — a moderator hid or restored a review.
review_visibility_changed = Signal()
#: ``review=Review, created=bool`` — the reviewed doctor posted (True) or edited (False) their public reply.
review_replied = Signal()
#: ``treatment=Treatment, created=bool`` — staff (the admin) or the demo loader created or edited a treatment page.
treatment_saved = Signal()
#: ``action=ModerationAction`` — a moderator acted on someone's content (hide, unhide, dismiss).
moderation_action_taken = Signal()
#: ``consultation=ConsultationRequest`` — a member sent a doctor's practice a private consultation request.
consultation_requested = Signal()
#: ``consultation=ConsultationRequest`` — the doctor replied to a consultation request.
consultation_replied = Signal()
