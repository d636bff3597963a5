"""Pages with personal data are never stored by a browser or a shared cache (issue 11): the back button on a
shared computer after signing out shows nothing. Each page here is checked for the role that reads it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.consult.security import world as W

pytestmark = pytest.mark.django_db

PRIVATE = [
    ("owner", "progress:dashboard", {}),
    ("owner", "progress:export_csv", {}),
    ("owner", "progress:export_json", {}),
    ("owner", "progress:outcome_new", {"slug": "saq"}),
    ("owner", "accounts:settings", {}),
    ("owner", "accounts:delete", {}),
    ("owner", "photos:mine", {}),
    ("owner", "photos:access_log", {}),
    ("moderator", "moderation:queue", {}),
    ("staff", "doctors:verification_queue", {}),
    ("verified_doctor", "doctors:profile_edit", {}),
    ("owner", "notifications:inbox", {}),
    ("owner", "notifications:settings", {}),
    ("owner", "questions:mine", {}),
    ("verified_doctor", "questions:my_answers", {}),
]


def test_unsubscribe_page_is_private_no_store(client):
    from consult.notifications.services import unsubscribe_token

    world = W.build()
    token = unsubscribe_token(user_id=world.users["owner"].pk, kind="answer")
    response = client.get(reverse("notifications:unsubscribe", kwargs={"token": token}))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(("role", "name", "kwargs"), PRIVATE)
def test_private_pages_send_private_no_store(client, role, name, kwargs):
    world = W.build()
    client.force_login(world.users[role])
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_photo_set_pages_and_files_are_private_no_store(client):
    world = W.build()
    client.force_login(world.users["owner"])
    for url in (world.private_visit.get_absolute_url(),
                reverse("photos:visit_status", kwargs={"pk": world.private_visit.pk}),
                reverse("photos:file", kwargs={"pk": world.private_photo.pk, "kind": "thumbnail"})):
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        assert response["Cache-Control"] == "private, no-store", url
