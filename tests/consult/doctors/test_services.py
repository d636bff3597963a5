"""doctors.services: creating and editing profiles, and the audited verification decisions."""

import pytest
from django.utils import timezone

from consult.accounts.models import Role
from consult.doctors.errors import (
    InvalidProfile,
    NotADoctor,
    NothingToDecide,
    ProfileExists,
    VerificationNotAllowed,
)
from consult.doctors.models import VerificationDecision, VerificationStatus
from consult.doctors.services import (
    doctor_profile_create,
    doctor_profile_update,
    doctor_reject,
    doctor_verify,
)
from tests.factories import (
    DoctorProfileFactory,
    ModeratorFactory,
    StaffFactory,
    UnverifiedDoctorProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _fields(**overrides):
    data = {
        "full_name": "Jane Roe",
        "credentials": "MD, FACS",
        "specialty": "facial-plastic",
        "city": "Portland",
        "state": "OR",
        "bio": "Facial reanimation surgeon.",
        "license_number": "MD-12345",
        "license_state": "OR",
    }
    data.update(overrides)
    return data


def test_create_starts_pending_with_a_unique_slug():
    first = doctor_profile_create(user=UserFactory(role=Role.DOCTOR), **_fields())
    second = doctor_profile_create(user=UserFactory(role=Role.DOCTOR), **_fields())
    assert first.status == VerificationStatus.PENDING
    assert first.verified_at is None
    assert not first.is_verified
    assert first.slug == "jane-roe"
    assert second.slug == "jane-roe-2"


def test_create_normalises_name_credentials_and_states():
    profile = doctor_profile_create(
        user=UserFactory(role=Role.DOCTOR),
        **_fields(
            full_name="  Dr.  Jane   Roe ", credentials="MD ,FACS,, ", state="or", license_state=" ca "
        ),
    )
    assert profile.full_name == "Jane Roe"
    assert profile.display_name == "Dr. Jane Roe, MD, FACS"
    assert profile.credentials == "MD, FACS"
    assert profile.state == "OR"
    assert profile.license_state == "CA"


@pytest.mark.parametrize(
    ("typed", "stored"), [("Drew Barry", "Drew Barry"), ("Doctor Ann Lee", "Ann Lee"), ("dr ann", "ann")]
)
def test_only_a_leading_honorific_is_stripped(typed, stored):
    profile = doctor_profile_create(user=UserFactory(role=Role.DOCTOR), **_fields(full_name=typed))
    assert profile.full_name == stored


def test_slug_never_shadows_a_directory_path():
    profile = doctor_profile_create(user=UserFactory(role=Role.DOCTOR), **_fields(full_name="Me"))
    assert profile.slug == "me-2"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"state": "XX"}, "state"),
        ({"state": "California"}, "state"),
        ({"license_state": ""}, "license_state"),
        ({"specialty": "astrology"}, "specialty"),
        ({"credentials": ""}, "credentials"),
        ({"credentials": "MD; DROP TABLE"}, "credentials"),
        ({"full_name": "Dr. "}, "full_name"),
        ({"city": "   "}, "city"),
        ({"license_number": "!!"}, "license_number"),
        ({"bio": "x" * 4001}, "bio"),
    ],
)
def test_create_rejects_bad_fields_naming_the_field(overrides, field):
    with pytest.raises(InvalidProfile) as exc:
        doctor_profile_create(user=UserFactory(role=Role.DOCTOR), **_fields(**overrides))
    assert exc.value.field == field


def test_only_doctor_accounts_get_a_profile_and_only_one():
    with pytest.raises(NotADoctor):
        doctor_profile_create(user=UserFactory(role=Role.PATIENT), **_fields())
    user = UserFactory(role=Role.DOCTOR)
    doctor_profile_create(user=user, **_fields())
    with pytest.raises(ProfileExists):
        doctor_profile_create(user=user, **_fields())


def test_verify_sets_status_and_time_and_writes_an_audit_row():
    profile = UnverifiedDoctorProfileFactory()
    staff = StaffFactory()
    before = timezone.now()
    decision = doctor_verify(profile=profile, decided_by=staff, note="Checked with the Oregon board")
    profile.refresh_from_db()
    assert profile.status == VerificationStatus.VERIFIED
    assert profile.verified_at >= before
    assert decision.profile == profile
    assert decision.decided_by == staff
    assert decision.decision == VerificationStatus.VERIFIED
    assert decision.note == "Checked with the Oregon board"
    assert decision.created_at >= before
    assert VerificationDecision.objects.count() == 1


def test_reject_clears_verification_and_writes_an_audit_row():
    profile = DoctorProfileFactory()  # verified: rejecting revokes
    staff = StaffFactory()
    decision = doctor_reject(profile=profile, decided_by=staff, note="Licence expired")
    profile.refresh_from_db()
    assert profile.status == VerificationStatus.REJECTED
    assert profile.verified_at is None
    assert (decision.decision, decision.decided_by, decision.note) == (
        VerificationStatus.REJECTED,
        staff,
        "Licence expired",
    )


@pytest.mark.parametrize("who", ["patient", "doctor", "moderator", "inactive_staff"])
def test_only_staff_can_verify_or_reject(who):
    decider = {
        "patient": lambda: UserFactory(),
        "doctor": lambda: DoctorProfileFactory().user,
        "moderator": lambda: ModeratorFactory(),
        "inactive_staff": lambda: StaffFactory(is_active=False),
    }[who]()
    profile = UnverifiedDoctorProfileFactory()
    with pytest.raises(VerificationNotAllowed):
        doctor_verify(profile=profile, decided_by=decider)
    with pytest.raises(VerificationNotAllowed):
        doctor_reject(profile=profile, decided_by=decider)
    profile.refresh_from_db()
    assert profile.status == VerificationStatus.PENDING
    assert not VerificationDecision.objects.exists()


def test_staff_cannot_verify_their_own_profile():
    staff_doctor = StaffFactory(role=Role.DOCTOR)
    profile = UnverifiedDoctorProfileFactory(user=staff_doctor)
    with pytest.raises(VerificationNotAllowed):
        doctor_verify(profile=profile, decided_by=staff_doctor)


def test_deciding_the_same_twice_is_an_error_not_a_second_row():
    profile = UnverifiedDoctorProfileFactory()
    staff = StaffFactory()
    doctor_verify(profile=profile, decided_by=staff)
    with pytest.raises(NothingToDecide):
        doctor_verify(profile=profile, decided_by=staff)
    assert VerificationDecision.objects.count() == 1


def test_editing_the_licence_of_a_verified_doctor_sends_it_back_to_review():
    profile = DoctorProfileFactory(license_number="OLD-1", license_state="IL", state="IL")
    doctor_profile_update(profile=profile, **_fields(license_number="NEW-2", license_state="IL"))
    profile.refresh_from_db()
    assert profile.status == VerificationStatus.PENDING
    assert profile.verified_at is None
    row = VerificationDecision.objects.get()
    assert row.decision == VerificationStatus.PENDING
    assert row.decided_by == profile.user
    assert "Licence" in row.note


def test_editing_other_fields_keeps_a_verified_doctor_verified():
    profile = DoctorProfileFactory(license_number="KEEP-1", license_state="IL")
    verified_at = profile.verified_at
    doctor_profile_update(
        profile=profile, **_fields(license_number="KEEP-1", license_state="IL", bio="New bio", city="Chicago")
    )
    profile.refresh_from_db()
    assert profile.status == VerificationStatus.VERIFIED
    assert profile.verified_at == verified_at
    assert profile.bio == "New bio"
    assert profile.city == "Chicago"
    assert not VerificationDecision.objects.exists()


def test_editing_a_rejected_profile_resubmits_it():
    profile = DoctorProfileFactory(status=VerificationStatus.REJECTED, verified_at=None)
    doctor_profile_update(profile=profile, **_fields())
    profile.refresh_from_db()
    assert profile.status == VerificationStatus.PENDING
    assert VerificationDecision.objects.get().decision == VerificationStatus.PENDING


def test_update_validates_like_create_and_changes_nothing_on_error():
    profile = DoctorProfileFactory(city="Springfield")
    with pytest.raises(InvalidProfile):
        doctor_profile_update(profile=profile, **_fields(city="Boston", state="ZZ"))
    profile.refresh_from_db()
    assert profile.city == "Springfield"


def test_saving_an_unchanged_profile_writes_nothing_and_an_edit_saves_it():
    profile = doctor_profile_create(user=UserFactory(role=Role.DOCTOR), **_fields())
    saved_at = profile.updated_at
    doctor_profile_update(profile=profile, **_fields())
    profile.refresh_from_db()
    assert profile.updated_at == saved_at
    assert not VerificationDecision.objects.exists()

    doctor_profile_update(profile=profile, **_fields(bio="Now also treating synkinesis."))
    profile.refresh_from_db()
    assert profile.bio == "Now also treating synkinesis."
    assert profile.updated_at > saved_at
    assert profile.status == VerificationStatus.PENDING
