"""Demo timeline for patient@example.com: a logged Botox treatment between their two photo sets and
an SAQ and FaCE for each set, so the demo dashboard shows charts with a treatment marker.
Idempotent; ``--reset`` rebuilds. Runs after load_demo_photos (load_demo calls both)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from consult.accounts.models import User
from consult.photos.models import Visit
from consult.progress import services
from consult.progress.models import OutcomeResponse, Treatment

DEMO_PATIENT = "patient@example.com"
# Synthetic answers: more synkinesis and worse function before the treatment than after.
SAQ_BEFORE = {f"saq{i}": v for i, v in enumerate([4, 4, 3, 3, 4, 2, 4, 3, 4], start=1)}
SAQ_AFTER = {f"saq{i}": v for i, v in enumerate([2, 3, 2, 2, 2, 1, 3, 2, 3], start=1)}
FACE_BEFORE = {f"face{i}": v for i, v in enumerate([2, 2, 3, 2, 3, 3, 2, 3, 3, 2, 4, 3, 2, 2, 3], start=1)}
FACE_AFTER = {f"face{i}": v for i, v in enumerate([3, 4, 4, 3, 4, 4, 3, 4, 4, 3, 5, 4, 3, 3, 4], start=1)}


class Command(BaseCommand):
    help = "Load the demo patient's treatment log and questionnaires (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true", help="Delete and reload the demo timeline.")

    @transaction.atomic
    def handle(self, *args: Any, reset: bool = False, **options: Any) -> None:
        patient = User.objects.filter(email=DEMO_PATIENT).first()
        if patient is None:
            self.stdout.write("No demo patient; run load_demo first.")
            return
        visits = list(Visit.objects.filter(patient=patient).order_by("taken_on", "id"))
        if len(visits) < 2:
            self.stdout.write("The demo patient needs two photo sets; nothing to do.")
            return
        if not reset and OutcomeResponse.objects.filter(patient=patient).exists():
            self.stdout.write("Demo progress timeline already loaded; nothing to do.")
            return
        Treatment.objects.filter(patient=patient).delete()
        OutcomeResponse.objects.filter(patient=patient).delete()
        first, last = visits[0], visits[-1]
        botox_day = first.taken_on + datetime.timedelta(days=max(1, (last.taken_on - first.taken_on).days // 3))
        services.treatment_log(patient=patient, kind="botox", date=botox_day, label="Botox, chin and neck",
                               notes="Demo entry: 4 units, mentalis and platysma")
        services.treatment_log(patient=patient, kind="therapy", date=first.taken_on + datetime.timedelta(days=1),
                               label="Facial retraining")
        for visit, saq, face in ((first, SAQ_BEFORE, FACE_BEFORE), (last, SAQ_AFTER, FACE_AFTER)):
            services.outcome_submit(patient=patient, instrument="saq", answers=saq, completed_on=visit.taken_on,
                                    visit=visit)
            services.outcome_submit(patient=patient, instrument="face", answers=face, completed_on=visit.taken_on,
                                    visit=visit)
        self.stdout.write(self.style.SUCCESS("Loaded the demo patient's treatments and questionnaires."))
