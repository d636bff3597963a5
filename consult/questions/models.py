"""Questions, doctor answers, their edit history, helpful votes and concern tags.

Counters (answer_count, helpful_count, question_count) are denormalised and kept exact by the
services with atomic F() updates inside the same transaction as the row they count.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse


class Tag(models.Model):
    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=60)
    description = models.TextField(blank=True)
    question_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("questions:tag", kwargs={"slug": self.slug})


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"


class Question(models.Model):
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="questions")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200)
    body = models.TextField(help_text="Markdown")
    body_html = models.TextField(help_text="Sanitised HTML rendered from body by the service layer")
    display_name = models.CharField(max_length=60, help_text="Shown publicly; a pseudonym is fine")
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    sex = models.CharField(max_length=8, choices=Sex.choices, blank=True)
    tags = models.ManyToManyField(Tag, related_name="questions", blank=True)
    answer_count = models.PositiveIntegerField(default=0)
    # The asker's follow-up updates (QuestionUpdate): the thread reads them only when there are some.
    update_count = models.PositiveIntegerField(default=0)
    most_helpful_answer = models.ForeignKey(
        "Answer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # newest list and keyset pagination: WHERE NOT is_hidden ORDER BY created_at DESC, id DESC
            models.Index(fields=["is_hidden", "-created_at", "-id"], name="question_newest"),
            # unanswered list
            models.Index(
                fields=["-created_at", "-id"], name="question_unanswered", condition=Q(answer_count=0, is_hidden=False)
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("questions:detail", kwargs={"pk": self.pk, "slug": self.slug})


class Answer(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    doctor = models.ForeignKey("doctors.DoctorProfile", on_delete=models.CASCADE, related_name="answers")
    headline = models.CharField(max_length=160)
    body = models.TextField(help_text="Markdown")
    body_html = models.TextField()
    helpful_count = models.PositiveIntegerField(default=0)
    is_hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-helpful_count", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "doctor"], name="one_answer_per_doctor_per_question"),
        ]
        indexes = [models.Index(fields=["doctor", "-created_at"], name="answer_by_doctor")]

    def __str__(self) -> str:
        return self.headline

    def get_absolute_url(self) -> str:
        return f"{self.question.get_absolute_url()}#answer-{self.pk}"

    @property
    def is_edited(self) -> bool:
        """Edited by its doctor (votes and moderation update counters/flags, not updated_at)."""
        return (self.updated_at - self.created_at).total_seconds() > 60


class AnswerRevision(models.Model):
    """The text of an answer before an edit. Kept forever for audit."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="revisions")
    headline = models.CharField(max_length=160)
    body = models.TextField()
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Revision of answer {self.answer_id} at {self.created_at:%Y-%m-%d %H:%M}"


class HelpfulVote(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="helpful_votes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["answer", "user"], name="one_vote_per_user_per_answer")]
        indexes = [models.Index(fields=["user", "answer"], name="vote_by_user")]

    def __str__(self) -> str:
        return f"Vote by {self.user_id} on answer {self.answer_id}"


class RelatedQuestion(models.Model):
    """A thread's "Related questions", computed when the thread changes (``services.related_refresh``),
    not when it is read. Hidden questions are filtered out when read, and hiding one bumps the threads
    that list it, so it vanishes from every related list at once."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="related_links")
    related = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["question", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["question", "rank"], name="one_related_per_rank"),
            models.UniqueConstraint(fields=["question", "related"], name="related_once"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id} -> {self.related_id}"


class Follow(models.Model):
    """A member follows a thread: they are told of its new answers and updates (consult.notifications).
    The asker follows their own question from the start (``services.question_create``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "question"], name="follow_once")]
        indexes = [models.Index(fields=["question", "user"], name="follow_by_question")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.question_id}"


class QuestionUpdate(models.Model):
    """The asker's dated follow-up in their own thread (how it went, a new photo set, a new question),
    shown under the question; the doctors who answered are told (consult.notifications)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="updates")
    body = models.TextField(help_text="Markdown")
    body_html = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["question", "created_at"], name="update_by_question")]

    def __str__(self) -> str:
        return f"Update on {self.question_id} at {self.created_at:%Y-%m-%d}"
