"""consult.accounts.permissions: who may answer, moderate, verify and flag."""

import pytest
from django.contrib.auth.models import AnonymousUser

from consult.accounts.models import Role
from consult.accounts.permissions import (
    can_flag,
    can_moderate,
    can_verify_doctors,
    is_staff_member,
    is_verified_doctor,
)
from consult.doctors.models import VerificationStatus
from tests.factories import (
    DoctorProfileFactory,
    ModeratorFactory,
    StaffFactory,
    UnverifiedDoctorProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _people():
    rejected = DoctorProfileFactory(status=VerificationStatus.REJECTED, verified_at=None)
    return {
        "anonymous": AnonymousUser(),
        "patient": UserFactory(),
        "doctor_without_profile": UserFactory(role=Role.DOCTOR),
        "pending_doctor": UnverifiedDoctorProfileFactory().user,
        "rejected_doctor": rejected.user,
        "verified_doctor": DoctorProfileFactory().user,
        "moderator": ModeratorFactory(),
        "staff": StaffFactory(),
        "is_staff_flag_only": UserFactory(is_staff=True),
        "inactive_staff": StaffFactory(is_active=False),
    }


@pytest.mark.parametrize(
    ("predicate", "allowed"),
    [
        (is_verified_doctor, {"verified_doctor"}),
        (can_moderate, {"moderator", "staff", "is_staff_flag_only"}),
        (is_staff_member, {"staff", "is_staff_flag_only"}),
        (can_verify_doctors, {"staff", "is_staff_flag_only"}),
        (
            can_flag,
            {
                "patient",
                "doctor_without_profile",
                "pending_doctor",
                "rejected_doctor",
                "verified_doctor",
                "moderator",
                "staff",
                "is_staff_flag_only",
            },
        ),
    ],
)
def test_predicate_allows_exactly(predicate, allowed):
    people = _people()
    granted = {name for name, user in people.items() if predicate(user)}
    assert granted == allowed


def test_a_verified_profile_on_a_non_doctor_account_does_not_count():
    profile = DoctorProfileFactory()
    profile.user.role = Role.PATIENT
    profile.user.save()
    assert not is_verified_doctor(profile.user)
