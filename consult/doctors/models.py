"""Doctor profiles, their verification, and the audit trail of verification decisions."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models


class Specialty(models.TextChoices):
    FACIAL_PLASTIC = "facial-plastic", "Facial plastic surgery"
    PLASTIC = "plastic", "Plastic surgery"
    OCULOPLASTIC = "oculoplastic", "Oculoplastic surgery"
    DERMATOLOGY = "dermatology", "Dermatology"
    ENT_FACIAL_NERVE = "ent-facial-nerve", "ENT / facial nerve"
    NEUROLOGY = "neurology", "Neurology"
    PHYSIATRY = "physiatry", "Facial rehabilitation"


class VerificationStatus(models.TextChoices):
    PENDING = "pending", "Pending review"
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Rejected"


class DoctorProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="doctor_profile"
    )
    slug = models.SlugField(max_length=120, unique=True)
    full_name = models.CharField(max_length=120)
    credentials = models.CharField(max_length=60, help_text="e.g. MD, FACS")
    specialty = models.CharField(max_length=32, choices=Specialty.choices, db_index=True)
    city = models.CharField(max_length=80)
    state = models.CharField(max_length=2, help_text="Two-letter US state code")
    bio = models.TextField(blank=True)
    license_number = models.CharField(max_length=40)
    license_state = models.CharField(max_length=2)
    status = models.CharField(
        max_length=16, choices=VerificationStatus.choices, default=VerificationStatus.PENDING, db_index=True
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    # Filled by the reviews feature; None/0 renders as "No reviews yet".
    rating_avg = models.DecimalField(max_digits=2, decimal_places=1, null=True, blank=True)
    review_count = models.PositiveIntegerField(default=0)
    answer_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["full_name"]
        indexes = [models.Index(fields=["status", "specialty", "full_name"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """Byline name: 'Dr. Jane Roe, MD, FACS'."""
        return f"Dr. {self.full_name}, {self.credentials}" if self.credentials else f"Dr. {self.full_name}"

    @property
    def is_verified(self) -> bool:
        return self.status == VerificationStatus.VERIFIED

    @property
    def rating(self) -> Decimal | None:
        return self.rating_avg if self.review_count else None


class VerificationDecision(models.Model):
    """Audit record: who decided what about a doctor's verification, and when. Never edited."""

    profile = models.ForeignKey(DoctorProfile, on_delete=models.CASCADE, related_name="decisions")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=16, choices=VerificationStatus.choices)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.decision} for {self.profile_id} by {self.decided_by_id}"
