"""What a patient logs beside their photo sets: treatments and questionnaire answers."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TreatmentKind(models.TextChoices):
    BOTOX = "botox", "Botox"
    FILLER = "filler", "Filler"
    SURGERY = "surgery", "Surgery"
    THERAPY = "therapy", "Physical therapy / facial retraining"
    OTHER = "other", "Other"


class Treatment(models.Model):
    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="treatments")
    kind = models.CharField(max_length=12, choices=TreatmentKind.choices)
    label = models.CharField(max_length=80, blank=True, help_text="e.g. 'Botox, left platysma'")
    date = models.DateField()
    notes = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["patient", "date"], name="treatment_by_patient")]

    def __str__(self) -> str:
        return f"{self.title}, {self.date:%Y-%m-%d}"

    @property
    def title(self) -> str:
        return self.label or self.get_kind_display()


class OutcomeResponse(models.Model):
    """One filled questionnaire. ``scores`` is computed by the service from ``answers`` and kept."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outcomes")
    instrument = models.CharField(max_length=16)
    visit = models.ForeignKey(
        "photos.Visit", null=True, blank=True, on_delete=models.SET_NULL, related_name="outcomes"
    )
    answers = models.JSONField()
    scores = models.JSONField()
    completed_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["completed_on", "id"]
        indexes = [models.Index(fields=["patient", "instrument", "completed_on"], name="outcome_by_patient")]

    def __str__(self) -> str:
        return f"{self.instrument} {self.completed_on:%Y-%m-%d}: {self.scores.get('total')}"
