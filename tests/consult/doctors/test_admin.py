"""The Django admin verifies and rejects through the services, so each decision is audited."""

import pytest
from django.urls import reverse

from consult.doctors.models import VerificationDecision, VerificationStatus
from tests.factories import StaffFactory, UnverifiedDoctorProfileFactory

pytestmark = pytest.mark.django_db


def _superuser():
    return StaffFactory(is_superuser=True)


def test_admin_approve_action_writes_audit_rows(client):
    staff = _superuser()
    client.force_login(staff)
    profiles = UnverifiedDoctorProfileFactory.create_batch(2)
    response = client.post(
        reverse("admin:doctors_doctorprofile_changelist"),
        {"action": "approve_selected", "_selected_action": [p.pk for p in profiles]},
    )
    assert response.status_code == 302
    for profile in profiles:
        profile.refresh_from_db()
        assert profile.status == VerificationStatus.VERIFIED
    assert VerificationDecision.objects.filter(decided_by=staff, decision="verified").count() == 2


def test_admin_cannot_edit_status_or_delete_profiles_or_audit_rows(client):
    client.force_login(_superuser())
    profile = UnverifiedDoctorProfileFactory()
    change = client.get(reverse("admin:doctors_doctorprofile_change", args=[profile.pk])).content.decode()
    assert 'name="status"' not in change
    assert client.get(reverse("admin:doctors_doctorprofile_delete", args=[profile.pk])).status_code == 403
    decision = VerificationDecision.objects.create(
        profile=profile, decided_by=StaffFactory(), decision="rejected"
    )
    url = reverse("admin:doctors_verificationdecision_change", args=[decision.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="note"' not in page.content.decode()
    assert client.post(url, {"note": "rewritten"}).status_code == 403
    assert (
        client.get(reverse("admin:doctors_verificationdecision_delete", args=[decision.pk])).status_code
        == 403
    )
