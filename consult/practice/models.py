"""What a doctor's practice publishes beside the profile. Today: the headshot.

This app sits above ``photos`` and ``doctors`` so that uploads go through the photos' upload checks
(``consult.photos.images.process_upload``: content-type allow-list, size and pixel caps, re-encode without
EXIF/GPS or comments) without doctors depending on photos.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse


class Headshot(models.Model):
    doctor = models.OneToOneField("doctors.DoctorProfile", on_delete=models.CASCADE, related_name="headshot")
    file = models.CharField(max_length=200)  # name in the default storage (random, never the upload's name)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"headshot of doctor {self.doctor_id}"

    def get_absolute_url(self) -> str:
        # A new upload is a new row, so the address changes and the file can be cached for good.
        return reverse("practice:headshot", kwargs={"pk": self.pk})


class FacePrivacy(models.TextChoices):
    FULL = "full", "Show the whole face"
    BLUR_EYES = "blur-eyes", "Blur the eyes"
    LOWER_FACE = "lower-face", "Show only the lower face (cropped below the eyes)"


class PairExpression(models.TextChoices):
    NEUTRAL = "neutral", "At rest (neutral face)"
    SMILE = "smile", "Big smile"


class PairStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be measured"
    MEASURING = "measuring", "Being measured"
    READY = "ready", "Published"
    FAILED = "failed", "Could not be measured"
    WITHDRAWN = "withdrawn", "Consent withdrawn"


class GalleryPair(models.Model):
    """A before/after pair of one treatment, posted by a verified doctor with the patient's recorded consent.

    The uploads (re-encoded, metadata stripped) are kept privately until the background worker has measured
    both with the engine (``work.measure_pair``); it then writes the published versions, blurred or cropped as
    the doctor chose using the engine's pupil positions, and deletes the originals. Withdrawing consent takes
    the pair off every page and deletes its files; the row stays as the record of consent and withdrawal.
    """

    doctor = models.ForeignKey("doctors.DoctorProfile", on_delete=models.CASCADE, related_name="gallery_pairs")
    treatment = models.ForeignKey("reviews.Treatment", on_delete=models.PROTECT, related_name="gallery_pairs")
    expression = models.CharField(max_length=16, choices=PairExpression.choices, default=PairExpression.NEUTRAL)
    caption = models.CharField(max_length=300, blank=True)
    before_taken_on = models.DateField(null=True, blank=True)
    after_taken_on = models.DateField(null=True, blank=True)
    privacy = models.CharField(max_length=16, choices=FacePrivacy.choices, default=FacePrivacy.BLUR_EYES)
    # The doctor's free-form crop of each photo, cut out before anything was stored or measured:
    # {"before": {"x": %, "y": %, "w": %, "h": %}, "after": {...}} in percent of the upright upload; a side
    # without a crop has no key.
    crops = models.JSONField(default=dict, blank=True)
    # Consent: what the doctor recorded (how and when the patient agreed), and a withdrawal if any.
    consent_note = models.CharField(max_length=300)
    consent_given_on = models.DateField()
    consent_recorded_at = models.DateTimeField(auto_now_add=True)
    consent_withdrawn_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=PairStatus.choices, default=PairStatus.PENDING, db_index=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    failure = models.CharField(max_length=300, blank=True)
    # Private originals (until measured) and the published versions: names in STORAGES["photos"].
    before_original = models.CharField(max_length=200, blank=True)
    after_original = models.CharField(max_length=200, blank=True)
    before_image = models.CharField(max_length=200, blank=True)
    after_image = models.CharField(max_length=200, blank=True)
    image_width = models.PositiveIntegerField(default=0)
    image_height = models.PositiveIntegerField(default=0)
    # {"before": {measure: {"left", "right", "deviation", "low"}}, "after": {...}} from the engine.
    measures = models.JSONField(default=dict, blank=True)
    low_confidence = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    measured_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["doctor", "status", "-created_at"], name="gallery_doctor_recent"),
            models.Index(fields=["treatment", "status", "-created_at"], name="gallery_treatment_recent"),
        ]

    def __str__(self) -> str:
        return f"gallery pair {self.pk} of doctor {self.doctor_id}"

    @property
    def is_published(self) -> bool:
        return self.status == PairStatus.READY and self.consent_withdrawn_at is None

    def image_url(self, side: str) -> str:
        return reverse("practice:gallery_photo", kwargs={"pk": self.pk, "side": side})


class ConsultationRequest(models.Model):
    """A private message from a member to a doctor's practice, sent from the profile. Seen only by the sender,
    the doctor and staff (``permissions.can_see_consultation``); the doctor may answer once."""

    doctor = models.ForeignKey("doctors.DoctorProfile", on_delete=models.CASCADE, related_name="consultation_requests")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consultation_requests")
    subject = models.CharField(max_length=120)
    message = models.TextField()
    contact_by = models.CharField(max_length=16, choices=[("site", "A reply here on Consult"), ("email", "E-mail"), ("phone", "Phone")], default="site")
    contact_detail = models.CharField(max_length=120, blank=True)  # phone number, when the sender asks for a call
    reply = models.TextField(blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)  # the doctor first opened it
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["doctor", "-created_at"], name="consultation_doctor_recent"),
            models.Index(fields=["sender", "-created_at"], name="consultation_sender_recent"),
        ]

    def __str__(self) -> str:
        return f"consultation request {self.pk} to doctor {self.doctor_id}"

    def get_absolute_url(self) -> str:
        return reverse("practice:consultation", kwargs={"pk": self.pk})
