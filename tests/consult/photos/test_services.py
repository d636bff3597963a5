"""visit_create, photo_add, photo_replace, photo_delete, history_delete."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone

from consult.photos import services
from consult.photos.errors import BadPhoto, DuplicateExpression, NotAllowed, TooManyPhotos
from consult.photos.models import Expression, Photo, Status, Visit
from tests.consult.photos.conftest import face_bytes, jpeg_bytes, stored_files
from tests.factories import DoctorProfileFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


def add(visit, expression="neutral", data=None):
    return services.photo_add(visit=visit, expression=expression, upload=io.BytesIO(data or jpeg_bytes()))


def test_visit_create_for_own_question(patient, question):
    visit = services.visit_create(patient=patient, question=question, taken_on=datetime.date(2026, 1, 2))
    assert visit.patient == patient and visit.question == question and visit.status == Status.PENDING


def test_visit_create_refuses_someone_elses_question(patient):
    with pytest.raises(NotAllowed):
        services.visit_create(patient=patient, question=QuestionFactory(), taken_on=timezone.localdate())


def test_visit_create_refuses_doctors_and_future_dates(patient):
    with pytest.raises(NotAllowed):
        services.visit_create(patient=DoctorProfileFactory().user, taken_on=timezone.localdate())
    with pytest.raises(BadPhoto):
        services.visit_create(patient=patient, taken_on=timezone.localdate() + datetime.timedelta(days=2))


def test_photo_add_stores_private_files_under_unguessable_names(patient, photo_storage, django_capture_on_commit_callbacks):
    visit = services.visit_create(patient=patient, taken_on=timezone.localdate())
    with django_capture_on_commit_callbacks() as callbacks:
        photo = add(visit, data=face_bytes())
    assert photo.status == Status.PENDING
    assert len(callbacks) == 1  # measuring is queued when the transaction commits
    assert photo.image.name.startswith("photos/") and photo.thumbnail.name.startswith("thumbs/")
    assert len(photo.image.name.split("/")[1].removesuffix(".jpg")) >= 32
    assert "obama" not in photo.image.name
    assert len(stored_files(photo_storage)) == 2


def test_wrong_expression_duplicate_and_ninth_photo(patient, photo_storage):
    visit = services.visit_create(patient=patient, taken_on=timezone.localdate())
    with pytest.raises(BadPhoto, match="expression"):
        add(visit, expression="frown")
    for value in Expression.values:
        add(visit, expression=value)
    with pytest.raises((TooManyPhotos, DuplicateExpression)):
        add(visit, expression="neutral")
    assert Photo.objects.filter(visit=visit).count() == 8
    # nothing saved before is lost, and the refused uploads left no files behind
    assert len(stored_files(photo_storage)) == 16


def test_ninth_photo_is_refused_even_without_a_duplicate(patient, monkeypatch):
    import consult.photos.services as svc

    monkeypatch.setattr(svc, "MAX_PHOTOS_PER_VISIT", 2)
    visit = services.visit_create(patient=patient, taken_on=timezone.localdate())
    add(visit, "neutral")
    add(visit, "smile")
    with pytest.raises(TooManyPhotos):
        add(visit, "pucker")


def test_duplicate_expression(patient):
    visit = services.visit_create(patient=patient, taken_on=timezone.localdate())
    add(visit, "smile")
    with pytest.raises(DuplicateExpression):
        add(visit, "smile")


def test_bad_file_leaves_nothing(patient, photo_storage):
    visit = services.visit_create(patient=patient, taken_on=timezone.localdate())
    with pytest.raises(BadPhoto):
        add(visit, data=b"not an image at all" * 10)
    assert not Photo.objects.exists() and stored_files(photo_storage) == []


def test_photo_delete_really_deletes_files(patient, photo_storage, django_capture_on_commit_callbacks):
    visit = services.visit_create(patient=patient, taken_on=timezone.localdate())
    photo = add(visit)
    keep = add(visit, "smile")
    Photo.objects.filter(pk=photo.pk).update(overlay="overlays/x.jpg")
    photo_storage.joinpath("overlays").mkdir(parents=True)
    photo_storage.joinpath("overlays", "x.jpg").write_bytes(b"overlay")
    photo.refresh_from_db()
    with pytest.raises(NotAllowed):
        services.photo_delete(photo=photo, by=UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        services.photo_delete(photo=photo, by=patient)
    assert not Photo.objects.filter(pk=photo.pk).exists()
    names = {p.relative_to(photo_storage).as_posix() for p in stored_files(photo_storage)}
    assert names == {keep.image.name, keep.thumbnail.name}


def test_history_delete_removes_every_visit_and_file(patient, photo_storage, django_capture_on_commit_callbacks):
    other = UserFactory()
    other_visit = services.visit_create(patient=other, taken_on=timezone.localdate())
    add(other_visit)
    for _ in range(2):
        v = services.visit_create(patient=patient, taken_on=timezone.localdate())
        add(v)
        add(v, "smile")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.history_delete(patient=patient) == 2
    assert not Visit.objects.filter(patient=patient).exists()
    assert Visit.objects.filter(patient=other).count() == 1
    assert len(stored_files(photo_storage)) == 2  # only the other patient's photo and thumbnail


def test_photo_replace_keeps_expression(patient, photo_storage, django_capture_on_commit_callbacks):
    visit = services.visit_create(patient=patient, taken_on=timezone.localdate())
    old = add(visit, "smile")
    with django_capture_on_commit_callbacks(execute=True):
        new = services.photo_replace(photo=old, by=patient, upload=io.BytesIO(jpeg_bytes(color=(1, 2, 3))))
    assert new.expression == "smile" and new.pk != old.pk
    assert Photo.objects.filter(visit=visit).count() == 1
    assert len(stored_files(photo_storage)) == 2
