"""One small site with something private of every kind, for the access matrix (tests/consult/security)."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from consult.accounts.models import Role
from consult.moderation.models import Flag, FlagReason
from consult.photos import services as photo_services
from consult.progress.models import OutcomeResponse, Treatment
from consult.questions import services as question_services
from consult.reviews import services as review_services
from consult.reviews.models import Treatment as TreatmentPage
from tests.consult.photos.conftest import jpeg_bytes
from tests.factories import (
    DoctorProfileFactory,
    ModeratorFactory,
    StaffFactory,
    TagFactory,
    UnverifiedDoctorProfileFactory,
    UserFactory,
)

ROLES = ("anonymous", "owner", "other_patient", "unverified_doctor", "verified_doctor", "moderator", "staff")

OWNER_EMAIL = "owner.private.address@example.com"
DOCTOR_EMAIL = "doctor.private.address@example.com"
UNVERIFIED_EMAIL = "unverified.private.address@example.com"
LICENSE = "LIC-SECRET-4711"
UNVERIFIED_LICENSE = "LIC-SECRET-0815"
PRIVATE_TREATMENT = "Private treatment note 93"


@dataclass
class World:
    users: dict[str, Any]
    question: Any
    answer: Any
    doctor: Any
    unverified: Any
    attached_visit: Any
    attached_photo: Any
    private_visit: Any
    private_photo: Any
    treatment: Any
    outcome: Any
    flag: Any
    review: Any


def build() -> World:
    owner = UserFactory(email=OWNER_EMAIL, display_name="Robin Owner")
    doctor = DoctorProfileFactory(user__email=DOCTOR_EMAIL, license_number=LICENSE, full_name="Vera Verified")
    unverified = UnverifiedDoctorProfileFactory(user__email=UNVERIFIED_EMAIL, license_number=UNVERIFIED_LICENSE)
    users = {
        "anonymous": None,
        "owner": owner,
        "other_patient": UserFactory(),
        "unverified_doctor": unverified.user,
        "verified_doctor": doctor.user,
        "moderator": ModeratorFactory(),
        "staff": StaffFactory(),
    }
    question = question_services.question_create(author=owner, title="A question about my brow",
                                                  body="It droops since my palsy.", tags=[TagFactory()],
                                                  display_name="Robin")
    # Through the service, so the counters are right (hiding the question takes the answer off them).
    answer = question_services.answer_create(doctor=doctor, question=question, headline="Try physical therapy",
                                            body="Facial retraining helps most people.")
    attached = photo_services.visit_create(patient=owner, question=question, taken_on=timezone.localdate())
    attached_photo = photo_services.photo_add(visit=attached, expression="neutral", upload=io.BytesIO(jpeg_bytes()))
    private = photo_services.visit_create(patient=owner, taken_on=timezone.localdate())
    private_photo = photo_services.photo_add(visit=private, expression="smile", upload=io.BytesIO(jpeg_bytes()))
    treatment = Treatment.objects.create(patient=owner, kind="botox", date=datetime.date(2026, 1, 2),
                                         label=PRIVATE_TREATMENT)
    outcome = OutcomeResponse.objects.create(patient=owner, instrument="saq", answers={f"saq{i}": 3 for i in range(1, 10)},
                                             scores={"total": 60.0}, completed_on=datetime.date(2026, 1, 3))
    flag = Flag.objects.create(question=question, reporter=users["other_patient"], reason=FlagReason.SPAM)
    page = TreatmentPage.objects.create(slug="botox", name="Botox", summary="Botox.", description="About Botox.")
    review = review_services.review_create(author=owner, doctor=doctor, treatment=page, rating=4, title="Helpful",
                                           body="A careful doctor who explained everything.", worth_it="worth-it")
    assert users["verified_doctor"].role == Role.DOCTOR
    return World(users, question, answer, doctor, unverified, attached, attached_photo, private, private_photo,
                 treatment, outcome, flag, review)
