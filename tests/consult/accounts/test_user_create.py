"""accounts.services.user_create: the rules of signing up."""

import pytest

from consult.accounts.errors import EmailTaken, InvalidDisplayName, InvalidEmail, RoleNotAllowed, WeakPassword
from consult.accounts.models import Role, User
from consult.accounts.services import user_create, user_update
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_creates_a_patient_with_a_hashed_password_and_normalised_email():
    user = user_create(
        email="  Jane.Doe@Example.COM ", password=PASSWORD, display_name=" Jane  D ", health_consent=True, role=Role.PATIENT
    )
    user.refresh_from_db()
    assert user.email == "jane.doe@example.com"
    assert user.display_name == "Jane D"
    assert user.role == Role.PATIENT
    assert user.check_password(PASSWORD)
    assert user.password != PASSWORD
    assert not user.is_staff


def test_a_doctor_signs_up_without_a_profile_and_is_therefore_unverified():
    user = user_create(email="doc@example.com", password=PASSWORD, display_name="Dr Who", health_consent=True, role=Role.DOCTOR)
    assert user.role == Role.DOCTOR
    assert not hasattr(user, "doctor_profile") or user.doctor_profile is None


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.STAFF, "superuser", ""])
def test_nobody_can_sign_up_as_moderator_or_staff(role):
    with pytest.raises(RoleNotAllowed):
        user_create(email="x@example.com", password=PASSWORD, display_name="X", health_consent=True, role=role)
    assert not User.objects.exists()


def test_email_is_unique_case_insensitively():
    UserFactory(email="taken@example.com")
    with pytest.raises(EmailTaken) as exc:
        user_create(email="TAKEN@example.com", password=PASSWORD, display_name="Y", health_consent=True, role=Role.PATIENT)
    assert exc.value.field == "email"


@pytest.mark.parametrize("email", ["not-an-email", "", "a@b"])
def test_rejects_invalid_email(email):
    with pytest.raises(InvalidEmail):
        user_create(email=email, password=PASSWORD, display_name="Z", health_consent=True, role=Role.PATIENT)


@pytest.mark.parametrize("password", ["short", "password123", "1234567890123", "weakling@example.com"])
def test_rejects_weak_passwords_with_the_validators_messages(password):
    with pytest.raises(WeakPassword) as exc:
        user_create(email="weakling@example.com", password=password, display_name="W", health_consent=True, role=Role.PATIENT)
    assert exc.value.messages
    assert not User.objects.exists()


@pytest.mark.parametrize("name", ["", "   ", "x" * 61])
def test_rejects_blank_or_overlong_display_name(name):
    with pytest.raises(InvalidDisplayName):
        user_create(email="n@example.com", password=PASSWORD, display_name=name, health_consent=True, role=Role.PATIENT)


def test_user_update_changes_display_name_only():
    user = UserFactory(display_name="Old", role=Role.PATIENT)
    user_update(user=user, display_name="  New   name ")
    user.refresh_from_db()
    assert user.display_name == "New name"
    assert user.role == Role.PATIENT
    with pytest.raises(InvalidDisplayName):
        user_update(user=user, display_name=" ")
