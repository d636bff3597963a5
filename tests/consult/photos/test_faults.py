"""A full disk (or an unreachable bucket) during an upload is a clear message, never a 500, and keeps
nothing half-written (issue 11)."""

from __future__ import annotations

import errno

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consult.photos.models import Photo, Visit
from consult.questions.models import Question
from tests.consult.photos.conftest import jpeg_bytes, stored_files
from tests.factories import TagFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def disk_full(monkeypatch):
    """The storage accepts the first file of an upload, then the disk is full."""
    from django.core.files.storage import FileSystemStorage

    real_save = FileSystemStorage.save
    calls = []

    def save(self, name, content, max_length=None):
        calls.append(name)
        if len(calls) >= 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_save(self, name, content, max_length=max_length)

    monkeypatch.setattr(FileSystemStorage, "save", save)
    return calls


def _jpeg(name="n.jpg"):
    return SimpleUploadedFile(name, jpeg_bytes(), content_type="image/jpeg")


def test_new_photo_set_on_a_full_disk_says_so_and_keeps_no_file(client, photo_storage, disk_full):
    patient = UserFactory()
    client.force_login(patient)
    response = client.post(reverse("photos:visit_new"), {"photo_neutral": _jpeg()}, follow=True)
    assert response.status_code == 200
    assert "storage is full or unreachable" in response.content.decode()
    assert not Photo.objects.exists()
    assert stored_files(photo_storage) == []  # the image written before the thumbnail failed is removed


def test_asking_with_photos_on_a_full_disk_keeps_neither_question_nor_photos(client, photo_storage, disk_full):
    patient = UserFactory()
    client.force_login(patient)
    response = client.post(reverse("questions:ask"), {
        "title": "Is my mouth corner lower on the left side?",
        "body": "Since my Bell's palsy last year the left corner looks lower at rest.",
        "tags": [TagFactory().pk], "display_name": "Sam", "photo_neutral": _jpeg(),
    })
    assert response.status_code == 200
    assert "storage is full or unreachable" in response.content.decode()
    assert not Question.objects.exists() and not Visit.objects.exists() and not Photo.objects.exists()
    assert stored_files(photo_storage) == []
