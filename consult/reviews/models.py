"""Treatments and patients' reviews of doctors, with the counters the pages show.

A review is about one doctor and one treatment; one per patient per doctor per treatment. Its
aggregates are materialised on the rows the pages read (``DoctorProfile.rating_avg`` /
``review_count``; ``Treatment``'s counters), kept exact by ``services.py`` in the review's
transaction and recomputed from the rows by ``consult.questions.recount``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse


class Treatment(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=80)
    summary = models.CharField(max_length=240, help_text="One sentence for lists and the page description.")
    description = models.TextField(help_text="Plain text; blank lines separate paragraphs.")
    # The questions' tag for this treatment (related questions, doctors who answer about it). A string
    # reference: reviews sit below questions and import nothing from them.
    tag = models.ForeignKey("questions.Tag", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Materialised from the visible reviews (services.treatment_counters_refresh; recount).
    review_count = models.PositiveIntegerField(default=0)
    worth_it_count = models.PositiveIntegerField(default=0)
    cost_count = models.PositiveIntegerField(default=0)
    cost_avg = models.PositiveIntegerField(null=True, blank=True)
    cost_min = models.PositiveIntegerField(null=True, blank=True)
    cost_max = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("reviews:treatment", kwargs={"slug": self.slug})

    @property
    def worth_it_percent(self) -> int | None:
        """Share of visible reviews that say Worth It, rounded; None without reviews."""
        if not self.review_count:
            return None
        return round(100 * self.worth_it_count / self.review_count)


class WorthIt(models.TextChoices):
    WORTH_IT = "worth-it", "Worth It"
    NOT_SURE = "not-sure", "Not Sure"
    NOT_WORTH_IT = "not-worth-it", "Not Worth It"


class Review(models.Model):
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews")
    doctor = models.ForeignKey("doctors.DoctorProfile", on_delete=models.CASCADE, related_name="reviews")
    treatment = models.ForeignKey(Treatment, on_delete=models.PROTECT, related_name="reviews")
    rating = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=120)
    body = models.TextField()
    worth_it = models.CharField(max_length=16, choices=WorthIt.choices)
    cost = models.PositiveIntegerField(null=True, blank=True, help_text="Approximate total cost in US dollars")
    treated_on = models.DateField(null=True, blank=True, help_text="Approximate date of the treatment")
    # The doctor confirms this person was their patient ("Verified patient").
    patient_confirmed_at = models.DateTimeField(null=True, blank=True)
    # The doctor's one public reply.
    reply = models.TextField(blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    # Only moderators hide, with a reason; nothing is ever deleted for being negative.
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)  # the author's last edit

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["author", "doctor", "treatment"], name="one_review_per_doctor_treatment"),
            models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=5), name="review_rating_1_to_5"),
        ]
        indexes = [
            models.Index(fields=["doctor", "is_hidden", "-created_at"], name="review_doctor_recent"),
            models.Index(fields=["treatment", "is_hidden", "-created_at"], name="review_treatment_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.rating}★ {self.title}"

    def get_absolute_url(self) -> str:
        """The review on its doctor's profile."""
        return reverse("doctors:profile", kwargs={"slug": self.doctor.slug}) + f"#review-{self.pk}"

    @property
    def is_verified_patient(self) -> bool:
        return self.patient_confirmed_at is not None
