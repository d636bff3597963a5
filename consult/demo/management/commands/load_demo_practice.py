"""``manage.py load_demo_practice``: the demo doctor's before/after gallery and a consultation request (run by
load_demo).

The gallery pairs are the demo patient Robin's composite photos (faces of nobody, consult/photos/demo_faces/):
before treatment (``a1_``, left mouth corner 3.5 mm low at rest) and after (``a2_``, 1.5 mm). They are posted
through the practice services with a recorded consent, as a doctor would, and measured right here by the real
engine (``practice.work.measure_pair``, the worker's task body), so the gallery shows measured changes as soon as
the site starts. Idempotent; ``--reset`` deletes and rebuilds them.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils import timezone

from consult.accounts.models import User
from consult.doctors.models import DoctorProfile
from consult.practice import services, work
from consult.practice.models import ConsultationRequest, FacePrivacy, GalleryPair, PairExpression
from consult.reviews.models import Treatment

FACES = Path(apps.get_app_config("photos").path) / "demo_faces"
DOCTOR_EMAIL = "doctor@example.com"
PATIENT_EMAIL = "patient@example.com"
# (expression, treatment slug, privacy, caption)
PAIRS = [
    (PairExpression.NEUTRAL, "physical-therapy", FacePrivacy.BLUR_EYES,
     "At rest, before and after four months of mirror retraining and two small Botox doses on the stronger side."),
    (PairExpression.SMILE, "botox", FacePrivacy.LOWER_FACE,
     "The same patient smiling: the weaker mouth corner now travels further and the smile is more even."),
]  # fmt: skip
REQUEST_SUBJECT = "Follow-up visit about my smile"
REQUEST_MESSAGE = (
    "Hello, I posted my photos in the community a few months ago. My left mouth corner is better but still lags "
    "when I smile. Could I book a visit to talk about whether more therapy or another Botox dose makes sense?"
)


class Command(BaseCommand):
    help = "Load the demo doctor's before/after gallery (measured by the engine) and a consultation request."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--reset", action="store_true", help="Delete them, then load them again.")

    def handle(self, *args: Any, reset: bool = False, **options: Any) -> None:
        doctor = DoctorProfile.objects.filter(user__email=DOCTOR_EMAIL).select_related("user").first()
        patient = User.objects.filter(email=PATIENT_EMAIL).first()
        if doctor is None or patient is None or not doctor.is_verified:
            self.stdout.write("No verified demo doctor; skipping the demo gallery.")
            return
        if reset:
            for pair in GalleryPair.objects.filter(doctor=doctor):
                services.gallery_pair_remove(pair=pair, removed_by=doctor.user)
            ConsultationRequest.objects.filter(doctor=doctor, sender=patient).delete()
        made = 0
        if not GalleryPair.objects.filter(doctor=doctor).exists():
            consent_on = timezone.localdate() - datetime.timedelta(days=20)
            for expression, slug, privacy, caption in PAIRS:
                treatment = Treatment.objects.filter(slug=slug).first()
                if treatment is None:
                    continue
                with (FACES / f"a1_{expression}.jpg").open("rb") as before, (FACES / f"a2_{expression}.jpg").open("rb") as after:
                    pair = services.gallery_pair_create(
                        doctor=doctor, posted_by=doctor.user, treatment=treatment, before=before, after=after,
                        consent_confirmed=True, consent_note="Signed photo release for publication, kept in the chart",
                        consent_given_on=consent_on, privacy=privacy, expression=expression, caption=caption,
                        before_taken_on=timezone.localdate() - datetime.timedelta(days=120),
                        after_taken_on=timezone.localdate() - datetime.timedelta(days=14),
                    )
                work.measure_pair(pair.pk)
                made += 1
        if not ConsultationRequest.objects.filter(doctor=doctor, sender=patient).exists():
            services.consultation_request_send(
                doctor=doctor, sender=patient, subject=REQUEST_SUBJECT, message=REQUEST_MESSAGE, contact_by="site"
            )
        if made:
            self.stdout.write(self.style.SUCCESS(f"Loaded and measured {made} demo before/after pairs."))
        else:
            self.stdout.write("Demo gallery already loaded; nothing to do.")
