from __future__ import annotations

import datetime
import io

import pytest

from consult.photos.models import Photo, Status, Visit
from tests.consult.photos.conftest import jpeg_bytes, photo_storage, stored_files  # noqa: F401  (fixtures)
from tests.factories import UserFactory


@pytest.fixture
def patient():
    return UserFactory()


def measured_visit(patient, day: datetime.date, *, corner_dev: float, total: float) -> Visit:
    """A visit as the worker leaves it: measured neutral and smile photos and a visit grade.

    Rows are written directly (no image files) so the dashboard can be tested without the engine.
    """
    visit = Visit.objects.create(
        patient=patient, taken_on=day, status=Status.DONE,
        report={"affected": "left", "scores": {"static": 90.0, "dynamic": total - 5, "synkinesis": 95.0, "total": total}},
    )
    for expression, excursion_dev in (("neutral", 0.5), ("smile", corner_dev * 1.5)):
        Photo.objects.create(
            visit=visit, expression=expression, image=f"x/{visit.pk}-{expression}.jpg", status=Status.DONE,
            measurement={
                "measures": {"commissure_height": {"left": 60.0 + corner_dev, "right": 60.0}},
                "deviation": {"commissure_height": corner_dev, "commissure_excursion": excursion_dev,
                              "smile_angle": 2.0, "brow_height": 0.4, "palpebral_fissure_height": 0.3},
                "asymmetry_pct": {"commissure_height": corner_dev / 60 * 100},
            },
        )
    return visit


def upload(visit, expression="neutral"):
    from consult.photos import services

    return services.photo_add(visit=visit, expression=expression, upload=io.BytesIO(jpeg_bytes()))
