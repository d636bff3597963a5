"""A photo upload whose surrounding transaction rolls back leaves no file behind for long (issue 11)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from consult.photos import services
from consult.photos.models import Photo
from tests.consult.photos.conftest import jpeg_bytes, stored_files
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


class Boom(Exception):
    pass


def _rolled_back_upload(patient):
    with pytest.raises(Boom), transaction.atomic():  # e.g. the ask page's question failing after its photos
        visit = services.visit_create(patient=patient, taken_on=timezone.localdate())
        services.photo_add(visit=visit, expression="neutral", upload=io.BytesIO(jpeg_bytes()))
        raise Boom


def test_files_of_a_rolled_back_upload_are_swept_and_kept_photos_stay(photo_storage):
    patient = UserFactory()
    kept_visit = services.visit_create(patient=patient, taken_on=timezone.localdate())
    kept = services.photo_add(visit=kept_visit, expression="neutral", upload=io.BytesIO(jpeg_bytes()))
    _rolled_back_upload(patient)
    assert Photo.objects.count() == 1
    assert len(stored_files(photo_storage)) == 4, "the rolled-back photo and thumbnail are on disk"

    assert services.orphan_files_delete(older_than=datetime.timedelta(hours=1)) == 0  # too young: may be in flight
    assert services.orphan_files_delete(older_than=datetime.timedelta(0)) == 2
    left = {p.relative_to(photo_storage).as_posix() for p in stored_files(photo_storage)}
    assert left == {kept.image.name, kept.thumbnail.name}


def test_the_worker_sweeps_orphans(photo_storage, monkeypatch):
    _rolled_back_upload(UserFactory())
    monkeypatch.setattr(services, "ORPHAN_GRACE", datetime.timedelta(0))
    call_command("photos_worker", "--once", "--no-warm-up", "--prune-every", "0")
    assert stored_files(photo_storage) == []
