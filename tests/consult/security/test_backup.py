"""Backup and restore round trip (issue 11), with the commands docs/security.md documents: the database as
Django fixtures (``dumpdata``; on PostgreSQL ``pg_dump`` does the same job faster) plus the photo storage
copied as files; restore into an empty database with ``loaddata`` and the files put back."""

from __future__ import annotations

import io
import shutil

import pytest
from django.core.management import call_command
from django.urls import reverse

from consult.accounts.models import User
from consult.moderation.models import Flag
from consult.photos.models import Photo, PhotoAccess, Visit, VisitShare
from consult.progress.models import OutcomeResponse, Treatment
from consult.questions.models import Answer, Question
from tests.consult.security import world as W

pytestmark = pytest.mark.django_db(transaction=True)

MODELS = (User, Question, Answer, Visit, Photo, VisitShare, PhotoAccess, Treatment, OutcomeResponse, Flag)
DUMP_ARGS = ("--natural-foreign", "--natural-primary", "-e", "contenttypes", "-e", "auth.permission",
             "-e", "sessions", "-e", "admin.logentry", "-e", "django_tasks_database")


def test_dump_and_restore_keeps_every_row_and_photo(client, photo_storage, tmp_path):
    from consult.photos import services

    world = W.build()
    services.visit_share(visit=world.private_visit, by=world.users["owner"], doctor=world.doctor.user)
    services.access_record(viewer=world.doctor.user, visits=[world.private_visit])
    before = {model.__name__: model.objects.count() for model in MODELS}
    owner_email = world.users["owner"].email
    from consult.photos.storage import photo_storage as storage

    with storage().open(world.private_photo.image.name, "rb") as handle:
        photo_bytes = handle.read()

    backup = tmp_path / "backup.json"
    out = io.StringIO()
    call_command("dumpdata", *DUMP_ARGS, stdout=out)
    backup.write_text(out.getvalue())
    shutil.copytree(photo_storage, tmp_path / "photos-backup")

    call_command("flush", "--noinput")
    shutil.rmtree(photo_storage)
    assert User.objects.count() == 0

    call_command("loaddata", str(backup))
    shutil.copytree(tmp_path / "photos-backup", photo_storage)
    assert {model.__name__: model.objects.count() for model in MODELS} == before
    owner = User.objects.get(email=owner_email)
    client.force_login(owner)
    response = client.get(reverse("photos:file", kwargs={"pk": world.private_photo.pk, "kind": "image"}))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body == photo_bytes
    assert client.get(reverse("photos:access_log")).content.decode().count("Dr. Vera Verified") == 1
