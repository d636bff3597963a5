"""Doctor profiles, their verification, and the audit trail of verification decisions."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from consult.doctors.registration import country_name
from consult.doctors.states import US_STATE_NAMES


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
    # The doctor deleted their account: the profile is kept (their answers' bylines and the reviews about
    # them point to it) but they are out of the directory and cannot answer, be reviewed or be shared with.
    LEFT = "left", "Left Consult"


class DoctorProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="doctor_profile"
    )
    slug = models.SlugField(max_length=120, unique=True)
    full_name = models.CharField(max_length=120)
    credentials = models.CharField(max_length=60, help_text="e.g. MD, FACS")
    specialty = models.CharField(max_length=32, choices=Specialty.choices, db_index=True)
    # Where the practice is. db_default: rows loaded in bulk without the column (bench/generate.py) are US ones.
    country = models.CharField(
        max_length=2, default="US", db_default="US", help_text="ISO 3166-1 alpha-2 code of the practice's country"
    )
    city = models.CharField(max_length=80)
    state = models.CharField(
        max_length=80,
        blank=True,
        help_text="US: the two-letter state code (required). Elsewhere: the region, province or state as the "
        "doctor writes it (optional)",
    )
    bio = models.TextField(blank=True)
    # The licence staff check. US: the state licence number and its state. Elsewhere the national register's
    # number (registration_number) is what staff check: license_number is empty and license_state holds the
    # issuing region where the register is regional (a Canadian province, a German state chamber), else empty.
    license_number = models.CharField(max_length=40, blank=True)
    license_state = models.CharField(max_length=80, blank=True)
    # National registration: the NPI in the US, the national register's number elsewhere (staff check it), and
    # the country that issued it.
    registration_country = models.CharField(max_length=2, default="US", help_text="ISO 3166 country code")
    registration_number = models.CharField(max_length=40, blank=True)
    board_certification = models.CharField(max_length=160, blank=True)
    practice_name = models.CharField(max_length=120, blank=True)
    practice_address = models.CharField(max_length=200, blank=True)
    practice_phone = models.CharField(max_length=30, blank=True)
    practice_website = models.CharField(max_length=200, blank=True)
    languages = models.CharField(max_length=200, blank=True, help_text="Comma-separated, e.g. English, Spanish")
    status = models.CharField(
        max_length=16, choices=VerificationStatus.choices, default=VerificationStatus.PENDING, db_index=True
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    # Filled by the reviews feature; None/0 renders as "No reviews yet".
    rating_avg = models.DecimalField(max_digits=2, decimal_places=1, null=True, blank=True)
    review_count = models.PositiveIntegerField(default=0)
    answer_count = models.PositiveIntegerField(default=0)
    # Helpful votes on the doctor's visible answers on visible questions (questions.services; recount).
    # db_default: rows loaded in bulk without the column (bench/generate.py's COPY) start at 0.
    helpful_count = models.PositiveIntegerField(default=0, db_default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["full_name"]
        indexes = [
            models.Index(fields=["status", "specialty", "full_name"]),
            # The directory's filters and sorts (doctors.selectors.doctor_directory).
            models.Index(fields=["status", "full_name"], name="doctor_dir_name"),
            models.Index(fields=["status", "country", "state", "city"], name="doctor_dir_place"),
            models.Index(fields=["status", "rating_avg", "review_count"], name="doctor_dir_rating"),
            models.Index(fields=["status", "review_count"], name="doctor_dir_reviews"),
            models.Index(fields=["status", "answer_count"], name="doctor_dir_answers"),
            models.Index(fields=["status", "helpful_count"], name="doctor_dir_helpful"),
        ]

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
    def is_former(self) -> bool:
        """No longer verified (rejected, or left by deleting their account), with answers or reviews still on
        the site: the profile stays public and says so (bylines link to it; profiles are never deleted)."""
        return self.status in (VerificationStatus.REJECTED, VerificationStatus.LEFT) and (
            self.answer_count > 0 or self.review_count > 0
        )

    @property
    def has_left(self) -> bool:
        return self.status == VerificationStatus.LEFT

    @property
    def place(self) -> str:
        """The byline's place: 'Austin, TX' in the US, 'Munich, Germany' elsewhere (the country says more to a
        reader anywhere than a region would; the profile gives the region too, ``place_full``)."""
        if self.country == "US":
            return f"{self.city}, {self.state}" if self.state else self.city
        return f"{self.city}, {country_name(self.country)}"

    @property
    def place_full(self) -> str:
        """The profile's place: 'Austin, Texas' in the US, 'Munich, Bavaria, Germany' elsewhere."""
        if self.country == "US":
            return f"{self.city}, {US_STATE_NAMES.get(self.state, self.state)}" if self.state else self.city
        parts = [self.city, self.state, country_name(self.country)]
        return ", ".join(part for part in parts if part)

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    @property
    def language_list(self) -> list[str]:
        return [part.strip() for part in self.languages.split(",") if part.strip()]

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


class LicenceDocument(models.Model):
    """A scan of the doctor's licence (or registration certificate) uploaded for verification.

    Seen only by staff: the file lives in the private storage (``STORAGES["photos"]``, never served by URL)
    under a random name and is read back only by ``doctors.views.licence_document``, which checks
    ``can_verify_doctors``. Deleted with the account (``services.doctor_mark_left``).
    """

    profile = models.ForeignKey(DoctorProfile, on_delete=models.CASCADE, related_name="licence_documents")
    file = models.CharField(max_length=200)  # name in the private storage (random, never the upload's name)
    original_name = models.CharField(max_length=120)  # shown to staff and the doctor only
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"licence document {self.pk} of doctor {self.profile_id}"
