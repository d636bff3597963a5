"""The database connection dropping in the middle of a request (issue 11): the visitor gets the site's clean
error page, and nothing the request had started to write is kept."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from consult.photos.models import Photo, Visit
from consult.questions.models import Question
from tests.consult.photos.test_faults import _jpeg
from tests.factories import TagFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_connection_lost_after_the_question_was_written_keeps_nothing(monkeypatch, photo_storage):
    from consult.photos import services

    def lost(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "attach_photos", lost)  # after question_create, inside the same transaction
    patient = UserFactory()
    client = Client(raise_request_exception=False)
    client.force_login(patient)
    response = client.post(reverse("questions:ask"), {
        "title": "Is my mouth corner lower on the left side?",
        "body": "Since my Bell's palsy last year the left corner looks lower at rest.",
        "tags": [TagFactory().pk], "display_name": "Sam", "photo_neutral": _jpeg(),
    })
    assert response.status_code == 500
    html = response.content.decode()
    assert "Traceback" not in html and "OperationalError" not in html and "server closed" not in html
    assert "<h1" in html  # the site's own error page, not a bare message
    assert not Question.objects.exists() and not Visit.objects.exists() and not Photo.objects.exists()
