"""Photo sets (visits), their photos and the engine's measurements.

A *visit* is one photo set a patient takes on a day (before treatment, after...). Each photo is labelled
with the expression it shows, at most one photo per expression, at most eight per visit. Files live in the
private photo storage (:mod:`consult.photos.storage`) under unguessable names; the database holds only
their names. The measurement of a photo (``facemeasure`` ``Measurement.to_dict()``) and the visit's
eFACE-like grade are stored as JSON, written by the background worker through :mod:`consult.photos.engine`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from .storage import photo_storage

MAX_PHOTOS_PER_VISIT = 8


class Expression(models.TextChoices):
    """The facemeasure expression labels (``facemeasure.EXPRESSIONS``), in the order photos are taken."""

    NEUTRAL = "neutral", "Neutral, at rest"
    BROWS_RAISED = "brows_raised", "Eyebrows raised"
    EYES_CLOSED_GENTLE = "eyes_closed_gentle", "Eyes closed gently"
    EYES_CLOSED_TIGHT = "eyes_closed_tight", "Eyes closed tightly"
    SMILE = "smile", "Big smile"
    PUCKER = "pucker", "Lips puckered"
    SHOW_TEETH = "show_teeth", "Showing the teeth"
    LIP_DOWN = "lip_down", "Lower lip pulled down"


class Status(models.TextChoices):
    PENDING = "pending", "Waiting to be measured"
    MEASURING = "measuring", "Measuring"
    DONE = "done", "Measured"
    FAILED = "failed", "Could not be measured"


class Visit(models.Model):
    """One photo set. ``report`` holds the visit-level grade (eFACE-like scores) once every photo is done."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="visits")
    question = models.ForeignKey(
        "questions.Question", null=True, blank=True, on_delete=models.SET_NULL, related_name="visits",
        help_text="The thread these photos are attached to, if any",
    )
    taken_on = models.DateField()
    quotable = models.BooleanField(
        default=False,
        help_text="The patient lets doctors quote these measurements (numbers only) in their public answers",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    report = models.JSONField(
        default=dict, blank=True,
        help_text="Visit-level grade from facemeasure.grade_photos (GradeResult.to_dict()), or {'error': ...}",
    )
    report_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-taken_on", "-id"]
        indexes = [
            models.Index(fields=["patient", "-taken_on", "-id"], name="visit_by_patient"),
            models.Index(fields=["question", "-taken_on"], name="visit_by_question"),
        ]

    def __str__(self) -> str:
        return f"Visit {self.pk} of user {self.patient_id} on {self.taken_on}"

    def get_absolute_url(self) -> str:
        return reverse("photos:visit", kwargs={"pk": self.pk})


class Photo(models.Model):
    """One labelled photo. ``image`` is the re-encoded JPEG without EXIF; the original upload is not kept."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos")
    expression = models.CharField(max_length=24, choices=Expression.choices)
    image = models.FileField(storage=photo_storage, max_length=200)
    thumbnail = models.FileField(storage=photo_storage, max_length=200, blank=True)
    overlay = models.FileField(storage=photo_storage, max_length=200, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    measurement = models.JSONField(
        default=dict, blank=True, help_text="facemeasure Measurement.to_dict() once measured"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True)
    error = models.CharField(max_length=300, blank=True, help_text="The engine's message when measuring failed")
    hint = models.CharField(max_length=300, blank=True, help_text="How to retake the photo")
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(
        null=True, blank=True,
        help_text="While measuring: the worker holds the photo until then; after it, another worker may take over",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    measured_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["visit_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "expression"], name="one_photo_per_expression_per_visit"),
        ]
        indexes = [
            models.Index(
                fields=["lease_until"], name="photo_unfinished",
                condition=Q(status__in=["pending", "measuring"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_expression_display()} photo {self.pk} (visit {self.visit_id})"

    @property
    def is_finished(self) -> bool:
        return self.status in (Status.DONE, Status.FAILED)


class VisitShare(models.Model):
    """A patient lets one named, verified doctor see a photo set that is attached to no question.

    Deleting the row (the patient's "Stop sharing") ends the access at once. A doctor whose verification
    is withdrawn loses access too: the rule (:mod:`consult.photos.permissions`) checks both.
    """

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="shares")
    doctor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="photo_shares")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["visit", "doctor"], name="one_share_per_visit_and_doctor")]

    def __str__(self) -> str:
        return f"Visit {self.visit_id} shared with user {self.doctor_id}"


class AccessKind(models.TextChoices):
    REPORT = "report", "Measurement report"
    IMAGE = "image", "Photo"
    THUMBNAIL = "thumbnail", "Photo (small)"
    OVERLAY = "overlay", "Measurement drawing"


class PhotoAccess(models.Model):
    """One look at a patient's photo or report by someone else: who, what, when. Append-only; the patient
    reads it at ``/photos/access/``. It outlives the photos it names (the visit and photo are kept as
    plain values), so deleting photos does not erase who saw them."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="photo_accesses")
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="photo_views",
    )
    viewer_name = models.CharField(max_length=200, help_text="Who it was, as shown then (kept if the account goes)")
    viewer_role = models.CharField(max_length=20)
    visit_id_seen = models.PositiveBigIntegerField()
    visit_taken_on = models.DateField()
    photo_id_seen = models.PositiveBigIntegerField(null=True, blank=True)
    expression = models.CharField(max_length=24, blank=True)
    kind = models.CharField(max_length=12, choices=AccessKind.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["patient", "-at", "-id"], name="photo_access_by_patient")]

    def __str__(self) -> str:
        return f"{self.viewer_name} saw {self.kind} of visit {self.visit_id_seen} at {self.at}"

    @property
    def expression_label(self) -> str:
        return Expression(self.expression).label if self.expression in Expression.values else ""
