"""``manage.py load_demo_photos``: fictional demo patients with measured photo sets (run by load_demo).

The photos are composites of nobody with synthetic droops, kept beside the photos app that they
illustrate (consult/photos/demo_faces/, see its README.md).
They go through the same services as uploads and are measured right here by the real engine, so the
reports are there as soon as the site starts. Idempotent; ``--reset`` deletes and rebuilds them.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.utils import timezone

from consult.accounts.models import Role, User
from consult.demo.content import DEMO_PASSWORD
from consult.photos import services, work
from consult.photos.models import Photo, Visit
from consult.questions import services as question_services
from consult.questions.models import Question, Tag

FACES = Path(apps.get_app_config("photos").path) / "demo_faces"
EXPRESSIONS = ("neutral", "brows_raised", "eyes_closed_gentle", "smile", "pucker")
THREAD_TITLE = "My left mouth corner still droops after Bell's palsy: measured photos attached"
THREAD_BODY = (
    "I had Bell's palsy on the left side four months ago. Most of the movement came back, but my left "
    "mouth corner still sits lower and my smile is lopsided. I attached a full photo set.\n\n"
    "Is this likely to improve further on its own, and would physical therapy or Botox on the right side help?"
)

# email, display name, [(photo prefix, days ago, attach to the demo thread)]
PATIENTS = [
    ("patient@example.com", "Robin (demo patient)", [("a1", 120, True), ("a2", 14, False)]),
    ("jordan.photos@example.com", "Jordan (demo patient)", [("b1", 30, False)]),
    ("alex.photos@example.com", "Alex (demo patient)", [("c1", 60, False)]),
]


class Command(BaseCommand):
    help = "Load demo patients with measured photo sets (composite faces of nobody). Idempotent."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--reset", action="store_true", help="Delete the demo photo sets, then load them again.")

    def handle(self, *args: Any, reset: bool = False, **options: Any) -> None:
        started = timezone.now()
        made = 0
        for email, name, plan in PATIENTS:
            patient = self._patient(email, name)
            if reset or not self._complete(patient, plan):
                services.history_delete(patient=patient)
                for prefix, days_ago, on_thread in plan:
                    self._visit(patient, prefix, days_ago, self._thread(patient) if on_thread else None)
                    made += 1
        if made:
            seconds = (timezone.now() - started).total_seconds()
            self.stdout.write(self.style.SUCCESS(f"Loaded and measured {made} demo photo sets in {seconds:.1f}s."))
        else:
            self.stdout.write("Demo photo sets already loaded; nothing to do.")

    def _patient(self, email: str, name: str) -> User:
        user, _ = User.objects.get_or_create(
            email=email,
            defaults={"role": Role.PATIENT, "display_name": name, "password": make_password(DEMO_PASSWORD)},
        )
        return user

    def _complete(self, patient: User, plan: list[tuple[str, int, bool]]) -> bool:
        visits = list(Visit.objects.filter(patient=patient))
        if len(visits) != len(plan):
            return False
        if any(on_thread for _, _, on_thread in plan) and not any(v.question_id for v in visits):
            return False
        return Photo.objects.filter(visit__patient=patient).count() == len(plan) * len(EXPRESSIONS)

    def _thread(self, patient: User) -> Question:
        """One of the patient's demo questions about palsy or asymmetry that doctor@example.com has not
        answered (so the demo doctor sees the report beside the answer form); else a new question."""
        mine = Question.objects.filter(author=patient, is_hidden=False).exclude(
            answers__doctor__user__email="doctor@example.com"
        )
        question = mine.filter(title=THREAD_TITLE).first()
        for slug in ("bells-palsy", "facial-paralysis", "synkinesis"):
            question = question or mine.filter(tags__slug=slug).order_by("-created_at").first()
        if question is None:
            tags = Tag.objects.filter(slug__in=["bells-palsy", "asymmetry", "physical-therapy"])
            question = question_services.question_create(
                author=patient, title=THREAD_TITLE, body=THREAD_BODY, tags=list(tags),
                display_name="Robin", age=41, sex="female",
            )
        return question

    def _visit(self, patient: User, prefix: str, days_ago: int, question: Question | None) -> Visit:
        taken_on = timezone.localdate() - datetime.timedelta(days=days_ago)
        # The demo thread's set allows quoting, so the demo doctor can try the Quote buttons (off by default).
        visit = services.visit_create(
            patient=patient, question=question, taken_on=taken_on, quotable=question is not None
        )
        photos = []
        for expression in EXPRESSIONS:
            with (FACES / f"{prefix}_{expression}.jpg").open("rb") as fh:
                photos.append(services.photo_add(visit=visit, expression=expression, upload=fh))
        for photo in photos:
            work.measure_photo(photo.pk)
        work.grade_visit(visit.pk)
        return visit
