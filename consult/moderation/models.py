"""Flags raised by users and the moderators' actions on them (an append-only audit trail)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


def _target_name(row: Flag | ModerationAction) -> str:
    if row.question_id:
        return f"question {row.question_id}"
    return f"answer {row.answer_id}" if row.answer_id else f"review {row.review_id}"


class FlagReason(models.TextChoices):
    SPAM = "spam", "Spam"
    SELF_PROMOTION = "self-promotion", "Self-promotion"
    UNSAFE = "unsafe", "Unsafe medical advice"
    OFFENSIVE = "offensive", "Rude or offensive"
    OTHER = "other", "Something else"


class FlagStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACTIONED = "actioned", "Content hidden"
    DISMISSED = "dismissed", "Dismissed"


class Flag(models.Model):
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags")
    question = models.ForeignKey("questions.Question", null=True, blank=True, on_delete=models.CASCADE)
    answer = models.ForeignKey("questions.Answer", null=True, blank=True, on_delete=models.CASCADE)
    review = models.ForeignKey("reviews.Review", null=True, blank=True, on_delete=models.CASCADE)
    reason = models.CharField(max_length=20, choices=FlagReason.choices)
    note = models.CharField(max_length=500, blank=True)
    status = models.CharField(
        max_length=12, choices=FlagStatus.choices, default=FlagStatus.OPEN, db_index=True
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(question__isnull=False) & Q(answer__isnull=True) & Q(review__isnull=True))
                | (Q(question__isnull=True) & Q(answer__isnull=False) & Q(review__isnull=True))
                | (Q(question__isnull=True) & Q(answer__isnull=True) & Q(review__isnull=False)),
                name="flag_targets_exactly_one",
            ),
            models.UniqueConstraint(
                fields=["reporter", "question"], condition=Q(status="open"), name="one_open_flag_per_question"
            ),
            models.UniqueConstraint(
                fields=["reporter", "answer"], condition=Q(status="open"), name="one_open_flag_per_answer"
            ),
            models.UniqueConstraint(
                fields=["reporter", "review"], condition=Q(status="open"), name="one_open_flag_per_review"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} flag on {_target_name(self)}"


class ModerationAction(models.Model):
    class Kind(models.TextChoices):
        HIDE = "hide", "Hide"
        UNHIDE = "unhide", "Unhide"
        DISMISS = "dismiss", "Dismiss flags"

    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    question = models.ForeignKey("questions.Question", null=True, blank=True, on_delete=models.CASCADE)
    answer = models.ForeignKey("questions.Answer", null=True, blank=True, on_delete=models.CASCADE)
    review = models.ForeignKey("reviews.Review", null=True, blank=True, on_delete=models.CASCADE)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {_target_name(self)} by {self.moderator_id}"
