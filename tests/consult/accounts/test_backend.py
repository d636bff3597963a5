import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consult.accounts.backends import EmailBackend
from tests.factories import DoctorProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_signed_in_doctor_comes_with_their_profile_in_one_query():
    profile = DoctorProfileFactory()
    with CaptureQueriesContext(connection) as ctx:
        user = EmailBackend().get_user(profile.user_id)
        assert user.doctor_profile.is_verified
    assert len(ctx.captured_queries) == 1


def test_patient_without_profile_and_inactive_users():
    patient = UserFactory()
    assert EmailBackend().get_user(patient.pk) == patient
    assert getattr(EmailBackend().get_user(patient.pk), "doctor_profile", None) is None
    patient.is_active = False
    patient.save()
    assert EmailBackend().get_user(patient.pk) is None
    assert EmailBackend().get_user(999_999) is None
