"""What a doctor's practice publishes beside the profile. Today: the headshot.

This app sits above ``photos`` and ``doctors`` so that uploads go through the photos' upload checks
(``consult.photos.images.process_upload``: content-type allow-list, size and pixel caps, re-encode without
EXIF/GPS or comments) without doctors depending on photos.
"""

from __future__ import annotations

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
