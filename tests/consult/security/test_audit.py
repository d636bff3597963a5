"""Audit log (issue 11): an admin sees who hid what and why, and who verified or revoked which doctor;
neither trail can be edited or deleted through the admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from consult.doctors.models import VerificationDecision
from consult.doctors.services import doctor_reject, doctor_verify
from consult.moderation.models import ModerationAction
from consult.moderation.services import content_hide
from tests.consult.security import world as W
from tests.factories import UnverifiedDoctorProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_admin_sees_who_hid_what_and_why(admin_client):
    world = W.build()
    moderator = world.users["moderator"]
    content_hide(moderator=moderator, question=world.question, note="Sells miracle cream")
    action = ModerationAction.objects.get()
    html = admin_client.get(reverse("admin:moderation_moderationaction_changelist")).content.decode()
    assert moderator.email in html and "Sells miracle cream" in html and world.question.title in html
    assert admin_client.get(reverse("admin:moderation_moderationaction_delete", args=[action.pk])).status_code == 403
    change = admin_client.post(reverse("admin:moderation_moderationaction_change", args=[action.pk]), {"note": "x"})
    assert change.status_code == 403
    assert ModerationAction.objects.get().note == "Sells miracle cream"


def test_admin_sees_who_verified_and_revoked_a_doctor(admin_client):
    world = W.build()
    staff = world.users["staff"]
    profile = UnverifiedDoctorProfileFactory(full_name="Pat Pending")
    doctor_verify(profile=profile, decided_by=staff, note="Licence checked with the board")
    doctor_reject(profile=profile, decided_by=staff, note="Licence lapsed")
    html = admin_client.get(reverse("admin:doctors_verificationdecision_changelist")).content.decode()
    assert "Licence checked with the board" in html and "Licence lapsed" in html and "Pat Pending" in html
    decision = VerificationDecision.objects.first()
    assert admin_client.get(reverse("admin:doctors_verificationdecision_delete", args=[decision.pk])).status_code == 403
    assert VerificationDecision.objects.count() == 2
