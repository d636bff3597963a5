"""Writes: inbox rows (by the background jobs in ``work.py``), reading them, preferences, unsubscribing,
invitations. Keyword-only arguments, one transaction each.

The unread badge in the header reads ``User.unread_notifications`` (on the user row: no query per page).
It is never incremented: :func:`unread_recount` sets it from the rows in one UPDATE after every change, so
it stays exact when jobs run twice or race.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Count, Expression, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from consult.accounts.models import DELETED_USER_NAME, User
from consult.doctors.models import DoctorProfile
from consult.questions import permissions as question_permissions
from consult.questions.models import Question, Tag

from .errors import BadUnsubscribeLink, InviteRefused
from .models import EmailState, Frequency, Invite, Kind, Notification, Preferences, QuestionAlerts

__all__ = [
    "EMAIL_KINDS",
    "UNSUBSCRIBE_ALL",
    "actor_forget",
    "invite_create",
    "mark_all_read",
    "mark_read",
    "member_notifications_delete",
    "notification_put",
    "preferences_save",
    "unread_recount",
    "unread_recount_about",
    "unsubscribe",
    "unsubscribe_token",
    "visible_to",
    "votes_put",
]

#: Every kind has its own e-mail choice (``Preferences.email_<kind>``).
EMAIL_KINDS: tuple[str, ...] = tuple(Kind.values)
UNSUBSCRIBE_ALL = "all"
_UNSUBSCRIBE_SALT = "consult.notifications.unsubscribe"


def visible_to(user_id: int | Expression | F | OuterRef) -> Q:
    """Notifications a member sees: none about a question, answer or review moderators hid, unless the member
    wrote it (the asker of a hidden question, the doctor of a hidden answer still hear about their own).

    ``user_id`` is the member's id, or an expression naming it (``F("user_id")`` for each row's own member,
    ``OuterRef("pk")`` from a query over users)."""
    return (
        (Q(question__isnull=True) | Q(question__is_hidden=False) | Q(question__author_id=user_id))
        & (Q(answer__isnull=True) | Q(answer__is_hidden=False) | Q(answer__doctor__user_id=user_id))
        & (Q(review__isnull=True) | Q(review__is_hidden=False) | Q(review__author_id=user_id))
    )


def _unread_of_each_user() -> Subquery:
    return Subquery(
        Notification.objects.filter(visible_to(OuterRef("pk")), user_id=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("user_id")
        .annotate(n=Count("pk"))
        .values("n")
    )


def unread_recount(*, user_id: int) -> None:
    """Set the member's unread badge from their rows, in one UPDATE (exact under retries and races)."""
    User.objects.filter(pk=user_id).update(unread_notifications=Coalesce(_unread_of_each_user(), Value(0)))


def unread_recount_about(
    *, question_id: int | None = None, answer_id: int | None = None, review_id: int | None = None
) -> int:
    """Moderators hid or restored a question, answer or review: set the unread badge of every member with a
    notification about it from their rows, in one UPDATE, inside the moderator's transaction (so the badge
    is exact the moment the change commits). Returns how many members."""
    about = Q()
    for field, value in (("question_id", question_id), ("answer_id", answer_id), ("review_id", review_id)):
        if value is not None:
            about |= Q(**{field: value})
    if not about:
        return 0
    return _unread_recount_members(Notification.objects.filter(about).values("user_id"))


def _unread_recount_members(members: Any) -> int:
    """Set the unread badge of each of ``members`` (user ids or a subquery of them) from their rows, in one UPDATE."""
    return User.objects.filter(pk__in=members).update(unread_notifications=Coalesce(_unread_of_each_user(), Value(0)))


def _preferences(user_id: int) -> Preferences:
    return Preferences.objects.filter(user_id=user_id).first() or Preferences(user_id=user_id)


def _email_state(user_id: int, kind: str) -> str:
    user = User.objects.filter(pk=user_id).only("email", "is_active", "deleted_at").first()
    if user is None or not user.email or not user.is_active or user.deleted_at is not None:
        return EmailState.NONE
    frequency = _preferences(user_id).frequency(kind)
    if frequency == Frequency.IMMEDIATELY:
        return str(EmailState.PENDING)
    if frequency == Frequency.DAILY:
        return str(EmailState.DIGEST)
    return str(EmailState.NONE)


def _email_on_commit(notification: Notification) -> None:
    if notification.email_state == EmailState.PENDING:
        from .jobs import enqueue_email_on_commit

        enqueue_email_on_commit(notification.pk)


@transaction.atomic
def notification_put(
    *,
    user_id: int,
    kind: str,
    key: str,
    text: str,
    url: str,
    question_id: int | None = None,
    answer_id: int | None = None,
    review_id: int | None = None,
    consultation_id: int | None = None,
    actor_id: int | None = None,
    actor_name: str = "",
) -> bool:
    """Put one notification in a member's inbox, once per ``key``: a second call with the same key changes
    nothing (what makes the fan-out jobs safe to retry). Returns whether it was new."""
    try:
        with transaction.atomic():  # savepoint: a concurrent run of the same job may win the insert
            notification, created = Notification.objects.get_or_create(
                user_id=user_id,
                key=key,
                defaults={
                    "kind": kind, "text": text[:400], "url": url[:300], "question_id": question_id,
                    "answer_id": answer_id, "review_id": review_id, "consultation_id": consultation_id,
                    "actor_id": actor_id,
                    "actor_name": actor_name[:150] if text.startswith(actor_name) else "",
                    "email_state": _email_state(user_id, kind),
                },
            )
    except IntegrityError:
        return False
    if created:
        unread_recount(user_id=user_id)
        _email_on_commit(notification)
    return created


@transaction.atomic
def votes_put(
    *, user_id: int, answer_id: int, headline: str, url: str, question_id: int,
    count_since: Callable[[datetime], int],
) -> Notification | None:
    """The batched helpful-vote notification of one answer: "5 people found your answer ... helpful".

    One row per answer (key ``votes:<answer>``). While unread it counts the votes since it was opened; once
    read, the next votes reopen it and count from the moment it was read. Counts are recomputed from the
    vote rows (``count_since``), so a retried job or a taken-back vote leaves the right number."""
    key = f"votes:{answer_id}"
    existing = Notification.objects.select_for_update().filter(user_id=user_id, key=key).first()
    now = timezone.now()
    if existing is None:
        since = datetime.min.replace(tzinfo=now.tzinfo)
    elif existing.read_at is None:
        since = existing.created_at
    else:
        since = existing.read_at
    count = count_since(since)
    text = f"{count} {'person' if count == 1 else 'people'} found your answer {headline} helpful"
    if existing is None:
        if count == 0:
            return None
        created = notification_put(
            user_id=user_id, kind=Kind.VOTES, key=key, text=text, url=url, question_id=question_id,
            answer_id=answer_id,
        )
        notification = Notification.objects.filter(user_id=user_id, key=key).first()
        if notification is not None and created:
            Notification.objects.filter(pk=notification.pk).update(count=count)
        return notification
    if existing.read_at is None:
        if count == 0:  # every vote of the batch was taken back
            existing.delete()
        elif count != existing.count:
            Notification.objects.filter(pk=existing.pk).update(count=count, text=text, updated_at=now)
    elif count > 0:  # new votes after it was read: the same row comes back unread, counting afresh
        state = _email_state(user_id, Kind.VOTES)
        Notification.objects.filter(pk=existing.pk).update(
            count=count, text=text, created_at=existing.read_at, updated_at=now, read_at=None, email_state=state
        )
        existing.email_state = state
        _email_on_commit(existing)
    unread_recount(user_id=user_id)
    return existing


@transaction.atomic
def mark_read(*, user: User, notification_id: int) -> Notification | None:
    """Mark one of the member's notifications read (another member's, or one about hidden content: None,
    nothing changes)."""
    notification = Notification.objects.filter(visible_to(user.pk), pk=notification_id, user_id=user.pk).first()
    if notification is None:
        return None
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
        # read on the site first: the digest need not repeat it
        Notification.objects.filter(pk=notification.pk, email_state=EmailState.DIGEST).update(
            email_state=EmailState.SKIPPED
        )
        unread_recount(user_id=user.pk)
    return notification


@transaction.atomic
def mark_all_read(*, user: User) -> int:
    """Mark every unread notification the member sees read; returns how many. (Those about hidden content
    are not shown, so not read: restored, they come back unread.)"""
    now = timezone.now()
    shown = Notification.objects.filter(visible_to(user.pk), user_id=user.pk, read_at__isnull=True)
    shown.filter(email_state=EmailState.DIGEST).update(email_state=EmailState.SKIPPED)
    changed = shown.update(read_at=now)
    unread_recount(user_id=user.pk)
    return changed


# -- preferences and unsubscribing --------------------------------------------------------------


@transaction.atomic
def preferences_save(
    *,
    user: User,
    emails: dict[str, str],
    question_alerts: str | None = None,
    alert_tags: list[Tag] | None = None,
) -> Preferences:
    """Save the member's e-mail choice per kind (``emails``: kind -> frequency) and, for doctors, which new
    questions reach them."""
    prefs, _ = Preferences.objects.select_for_update().get_or_create(user=user)
    for kind, frequency in emails.items():
        if kind not in EMAIL_KINDS or frequency not in Frequency.values:
            raise ValueError(f"Unknown e-mail choice {kind}={frequency}")
        setattr(prefs, f"email_{kind}", frequency)
    if question_alerts is not None:
        if question_alerts not in QuestionAlerts.values:
            raise ValueError(f"Unknown alert choice {question_alerts}")
        prefs.question_alerts = question_alerts
    prefs.save()
    if alert_tags is not None:
        prefs.alert_tags.set(alert_tags)
    return prefs


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    """A signed token for a one-click unsubscribe link (no sign-in needed): stop e-mails of ``kind``
    (or ``"all"``). It does not expire: an old e-mail's link keeps working."""
    return signing.dumps({"u": user_id, "k": kind}, salt=_UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(*, token: str) -> tuple[User, str]:
    """The member and kind a token names, or BadUnsubscribeLink."""
    try:
        data: Any = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
        user_id, kind = int(data["u"]), str(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise BadUnsubscribeLink() from None
    if kind != UNSUBSCRIBE_ALL and kind not in EMAIL_KINDS:
        raise BadUnsubscribeLink()
    user = User.objects.filter(pk=user_id, deleted_at__isnull=True).first()
    if user is None:
        raise BadUnsubscribeLink()
    return user, kind


@transaction.atomic
def unsubscribe(*, token: str) -> tuple[User, str]:
    """Stop the e-mails a token names; returns the member and the kind. Idempotent."""
    user, kind = unsubscribe_read(token=token)
    kinds = EMAIL_KINDS if kind == UNSUBSCRIBE_ALL else (kind,)
    preferences_save(user=user, emails=dict.fromkeys(kinds, Frequency.NEVER))
    # nothing already waiting goes out either
    Notification.objects.filter(
        user_id=user.pk, kind__in=kinds, email_state__in=[EmailState.PENDING, EmailState.DIGEST]
    ).update(email_state=EmailState.NONE)
    return user, kind


# -- inviting a doctor to answer ----------------------------------------------------------------


def invite_refusal(*, inviter: User, question: Question, doctor: DoctorProfile) -> str | None:
    """Why ``inviter`` may not invite ``doctor`` to answer ``question``, or None."""
    if question_permissions.update_refusal(inviter, question) is not None:
        return "Only the person who asked can invite doctors to answer, while the question is visible."
    if not doctor.is_verified:
        return "Only verified doctors can be invited to answer."
    if doctor.user_id == inviter.pk:
        return "You cannot invite yourself."
    if question.answers.filter(doctor=doctor).exists():
        return f"{doctor.display_name} has already answered this question."
    return None


@transaction.atomic
def invite_create(*, inviter: User, question: Question, doctor: DoctorProfile) -> Invite:
    """Ask a verified doctor to answer; they are told in their inbox (and by e-mail, as they chose). Once per
    doctor and question (constraint ``invite_once``)."""
    refusal = invite_refusal(inviter=inviter, question=question, doctor=doctor)
    if refusal is not None:
        raise InviteRefused(refusal)
    try:
        with transaction.atomic():
            invite = Invite.objects.create(question=question, doctor=doctor, invited_by=inviter)
    except IntegrityError:
        raise InviteRefused(f"{doctor.display_name} has already been invited to answer this question.") from None
    from .jobs import enqueue_on_commit

    enqueue_on_commit("invite_created", invite.pk)
    return invite


# -- deleting an account ------------------------------------------------------------------------


@transaction.atomic
def member_notifications_delete(*, user: User) -> None:
    """What this app keeps about a member who deletes their account: inbox, preferences, invitations they
    sent; and their name in everyone else's inbox (``actor_forget``)."""
    Notification.objects.filter(user=user).delete()
    # The private consultation requests they sent or received are deleted by the practice eraser; the other
    # side's notices about them go now, and those members' unread badges are set from what is left.
    about_theirs = Notification.objects.filter(
        Q(consultation__sender_id=user.pk) | Q(consultation__doctor__user_id=user.pk)
    )
    others = list(about_theirs.values_list("user_id", flat=True).distinct())
    about_theirs.delete()
    _unread_recount_members(others)
    Preferences.objects.filter(user=user).delete()
    Invite.objects.filter(invited_by=user).delete()
    User.objects.filter(pk=user.pk).update(unread_notifications=0)
    user.unread_notifications = 0
    actor_forget(actor_id=user.pk)


def actor_forget(*, actor_id: int) -> int:
    """Other members' notifications that start with the name of ``actor_id`` ("Robin invited you to answer
    ...") say "deleted user" instead, as every page does once the account is deleted. The text is rewritten,
    so the inbox, the API and e-mails not yet sent all say it. Returns how many rows changed."""
    rows = list(Notification.objects.filter(actor_id=actor_id).exclude(actor_name__in=["", DELETED_USER_NAME]))
    for row in rows:
        # notification_put keeps actor_name only when the text starts with it
        row.text = (DELETED_USER_NAME + row.text[len(row.actor_name) :])[:400]
        row.actor_name = DELETED_USER_NAME
    Notification.objects.bulk_update(rows, ["text", "actor_name"], batch_size=500)
    return len(rows)
