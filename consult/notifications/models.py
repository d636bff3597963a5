"""The inbox (Notification), each member's notification preferences, and invitations to answer.

A notification is one row per member and *key* (``answer:17``, ``votes:42``, ``invite:3``...), kept unique by
a constraint: the background jobs that write them upsert by key, so a job that runs twice (a retry, a crash
after the write) leaves exactly the rows one run leaves. Votes on an answer are batched into one row per
answer ("5 people found your answer helpful") that is reopened when new votes come after it was read.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Kind(models.TextChoices):
    ANSWER = "answer", "New answers on questions you follow"
    UPDATE = "update", "Updates from askers on questions you follow or answered"
    VOTES = "votes", "Helpful votes on your answers"
    REVIEW = "review", "New reviews of you"
    INVITE = "invite", "Invitations to answer a question"
    NEW_QUESTION = "new_question", "New questions in your field"
    ACCOUNT = "account", "Your verification and moderators' decisions about your posts"
    CONSULTATION = "consultation", "Private consultation requests and replies"


class EmailState(models.TextChoices):
    NONE = "none", "Not e-mailed"  # the member's preference for this kind is "never"
    PENDING = "pending", "To be e-mailed now"
    DIGEST = "digest", "Waiting for the daily digest"
    SENT = "sent", "E-mailed"
    SKIPPED = "skipped", "Read on the site before it was e-mailed"
    WITHHELD = "withheld", "Not e-mailed: moderators hid what it is about before it was sent"


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    key = models.CharField(max_length=80, help_text="What it is about, unique per member: 'answer:17'")
    text = models.CharField(max_length=400)
    url = models.CharField(max_length=300)
    # What it is about, if anything: a notification about content moderators hid drops out of the inbox (and
    # the unread count, and the e-mails not yet sent) of everyone but that content's author, and comes back
    # when it is restored (``services.visible_to``).
    question = models.ForeignKey("questions.Question", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    answer = models.ForeignKey("questions.Answer", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    review = models.ForeignKey("reviews.Review", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # A private consultation request: the notice goes with the request when it is deleted (account deletion).
    consultation = models.ForeignKey(
        "practice.ConsultationRequest", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The member whose name the text starts with ("Robin posted an update on ..."), as it was then: when they
    # delete their account, the name in everyone else's inbox becomes "deleted user" (``actor_forget``).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    count = models.PositiveIntegerField(default=1)  # votes in a batch
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)  # last change: orders the inbox
    read_at = models.DateTimeField(null=True, blank=True)
    email_state = models.CharField(max_length=8, choices=EmailState.choices, default=EmailState.NONE)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_key")]
        indexes = [
            models.Index(fields=["user", "-updated_at", "-id"], name="inbox"),
            models.Index(fields=["user"], name="inbox_unread", condition=Q(read_at__isnull=True)),
            models.Index(fields=["user", "updated_at"], name="digest_due", condition=Q(email_state="digest")),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}: {self.text[:40]}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", "Right away"
    DAILY = "daily", "In a daily digest"
    NEVER = "never", "Never (inbox only)"


class QuestionAlerts(models.TextChoices):
    SPECIALTY = "specialty", "Questions about my specialty's concerns"
    TAGS = "tags", "Questions about the concerns I pick"
    BOTH = "both", "Both"
    NONE = "none", "None"


def _email(default: str) -> models.CharField[str, str]:
    return models.CharField(max_length=12, choices=Frequency.choices, default=default)


class Preferences(models.Model):
    """One member's choices; a member without a row has the defaults below (``selectors.preferences``)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_prefs")
    email_answer = _email(Frequency.IMMEDIATELY)
    email_update = _email(Frequency.IMMEDIATELY)
    email_votes = _email(Frequency.DAILY)
    email_review = _email(Frequency.IMMEDIATELY)
    email_invite = _email(Frequency.IMMEDIATELY)
    email_new_question = _email(Frequency.DAILY)
    email_account = _email(Frequency.IMMEDIATELY)
    email_consultation = _email(Frequency.IMMEDIATELY)
    # Doctors: which new questions reach their inbox.
    question_alerts = models.CharField(max_length=10, choices=QuestionAlerts.choices, default=QuestionAlerts.SPECIALTY)
    alert_tags = models.ManyToManyField("questions.Tag", blank=True, related_name="+")
    last_digest_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Notification preferences of {self.user_id}"

    def frequency(self, kind: str) -> str:
        return str(getattr(self, f"email_{kind}"))


class Invite(models.Model):
    """A member asked a verified doctor to answer their question (once per doctor and question)."""

    question = models.ForeignKey("questions.Question", on_delete=models.CASCADE, related_name="+")
    doctor = models.ForeignKey("doctors.DoctorProfile", on_delete=models.CASCADE, related_name="+")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "doctor"], name="invite_once")]

    def __str__(self) -> str:
        return f"{self.invited_by_id} invited {self.doctor_id} to {self.question_id}"


class DigestRun(models.Model):
    """One row per day the daily digest was sent: the worker that inserts it sends that day's digest."""

    day = models.DateField(unique=True)
    started_at = models.DateTimeField(auto_now_add=True)
    sent = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Digest of {self.day}"
