"""Directory filters and sorts; the profile's practice, registration and languages; their validation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from consult.accounts.models import Role
from consult.doctors.errors import InvalidProfile
from consult.doctors.models import VerificationStatus
from consult.doctors.registration import npi_is_valid
from consult.doctors.services import doctor_profile_create, doctor_profile_update
from consult.questions import services as question_services
from tests.consult.doctors.test_query_counts import _queries
from tests.factories import DoctorProfileFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


def _fields(**overrides):
    fields = {
        "full_name": "Lena Moreau", "credentials": "MD", "specialty": "dermatology", "city": "Austin",
        "state": "TX", "bio": "", "license_number": "TX-1234", "license_state": "TX",
        "practice_name": "Moreau Skin Clinic", "practice_address": "12 Elm Street, Suite 4",
        "practice_phone": "+1 512 555 0100", "practice_website": "https://moreau.example.org",
        "languages": "English, Spanish, english", "board_certification": "American Board of Dermatology",
        "registration_country": "US", "registration_number": "1234567893",
    }  # fmt: skip
    fields.update(overrides)
    return fields


def test_npi_check_digit():
    assert npi_is_valid("1234567893")  # the CMS worked example
    assert not npi_is_valid("1234567890")
    assert not npi_is_valid("123456789")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"registration_number": "1234567890"}, "registration_number"),
        ({"registration_country": "XX"}, "registration_country"),
        ({"registration_country": "GB", "registration_number": "#!"}, "registration_number"),
        ({"practice_phone": "call me"}, "practice_phone"),
        ({"practice_website": "javascript:alert(1)"}, "practice_website"),
        ({"languages": "English, <b>"}, "languages"),
    ],
)
def test_bad_practice_and_registration_input_is_refused(overrides, field):
    with pytest.raises(InvalidProfile) as caught:
        doctor_profile_create(user=UserFactory(role=Role.DOCTOR), **_fields(**overrides))
    assert caught.value.field == field


def test_a_national_number_outside_the_us_and_languages_are_cleaned():
    profile = doctor_profile_create(
        user=UserFactory(role=Role.DOCTOR), **_fields(registration_country="GB", registration_number="GMC 7654321")
    )
    assert profile.registration_number == "GMC 7654321" and profile.languages == "English, Spanish"


def test_changing_the_registration_or_certification_sends_a_verified_profile_back_to_review():
    profile = doctor_profile_create(user=UserFactory(role=Role.DOCTOR), **_fields())
    profile.status = VerificationStatus.VERIFIED
    profile.save()
    doctor_profile_update(profile=profile, **_fields(practice_phone="+1 512 555 0199"))
    assert profile.status == VerificationStatus.VERIFIED  # practice details: no new check needed
    doctor_profile_update(profile=profile, **_fields(board_certification="Another board"))
    profile.refresh_from_db()
    assert profile.status == VerificationStatus.PENDING


def test_profile_shows_practice_languages_certification_verification_date_and_ask(client):
    doctor = DoctorProfileFactory(
        practice_name="Moreau Skin Clinic", practice_phone="+1 512 555 0100", practice_website="https://m.example.org",
        languages="English, Spanish", board_certification="American Board of Dermatology",
        registration_number="1234567893",
    )
    page = client.get(f"/doctors/{doctor.slug}/").content.decode()
    for text in ("Moreau Skin Clinic", 'href="tel:+15125550100"', 'href="https://m.example.org"', "English, Spanish",
                 "American Board of Dermatology", "Licence checked by Consult staff on", "a question</a>"):
        assert text in page, text
    assert "1234567893" not in page  # registration numbers are for staff


def test_a_stored_unsafe_website_is_never_a_link(client):
    doctor = DoctorProfileFactory(practice_website="javascript:alert(1)")
    assert "javascript:" not in client.get(f"/doctors/{doctor.slug}/").content.decode()


def _names(client, **params):
    response = client.get(reverse("doctors:directory"), params)
    assert response.status_code == 200
    return [d.full_name for d in response.context["doctors"]]


def test_directory_filters_and_sorts(client):
    a = DoctorProfileFactory(full_name="Ann A", city="Austin", state="TX", rating_avg="4.9", review_count=3, answer_count=1)
    b = DoctorProfileFactory(full_name="Bob B", city="Austin", state="TX", rating_avg="3.1", review_count=9, answer_count=7)
    DoctorProfileFactory(full_name="Cy C", city="Denver", state="CO", rating_avg=None, review_count=0, answer_count=4)
    assert _names(client) == ["Ann A", "Bob B", "Cy C"]
    assert _names(client, sort="rating") == ["Ann A", "Bob B", "Cy C"]  # no rating last
    assert _names(client, sort="reviews") == ["Bob B", "Ann A", "Cy C"]
    assert _names(client, sort="answers") == ["Bob B", "Cy C", "Ann A"]
    assert _names(client, city="  austin ", state="TX") == ["Ann A", "Bob B"]
    assert _names(client, sort="nonsense", city="x" * 200) == ["Ann A", "Bob B", "Cy C"]  # bad input: ignored

    tag = TagFactory(slug="botox")
    question = question_services.question_create(author=UserFactory(), title="Botox for synkinesis?", body="Details.",
                                                 tags=[tag], display_name="Sam")
    question_services.answer_create(doctor=b, question=question, headline="Yes", body="Text")
    question_services.answer_create(doctor=a, question=question, headline="Maybe", body="Text")
    assert _names(client, topic="botox") == ["Ann A", "Bob B"]
    assert "Doctors who have answered questions tagged" in client.get("/doctors/?topic=botox").content.decode()


@pytest.mark.parametrize("params", [{}, {"sort": "rating", "city": "Austin", "state": "TX"}, {"topic": "botox", "sort": "answers"}])
def test_directory_query_count_is_constant_with_filters_and_sorts(client, params):
    tag = TagFactory(slug="botox")

    def grow(n):
        for _ in range(n):
            doctor = DoctorProfileFactory(city="Austin", state="TX")
            question = question_services.question_create(author=UserFactory(), title="Botox for synkinesis?",
                                                         body="Details.", tags=[tag], display_name="Sam")
            question_services.answer_create(doctor=doctor, question=question, headline="Yes", body="Text")

    grow(1)
    small = _queries(client, reverse("doctors:directory"), params)
    grow(30)
    large = _queries(client, reverse("doctors:directory"), {**params, "page": "2"})
    assert small == large <= 6


def test_a_rejection_needs_a_reason_the_doctor_then_sees(client):
    from consult.doctors.services import doctor_reject
    from tests.factories import StaffFactory, UnverifiedDoctorProfileFactory

    profile = UnverifiedDoctorProfileFactory(registration_number="1234567893", board_certification="Board X")
    staff = StaffFactory()
    with pytest.raises(InvalidProfile, match="reason"):
        doctor_reject(profile=profile, decided_by=staff, note="  ")
    client.force_login(staff)
    queue = client.get(reverse("doctors:verification_queue")).content.decode()
    assert 'href="https://npiregistry.cms.hhs.gov/provider-view/1234567893"' in queue and "Board X" in queue
    client.post(reverse("doctors:verification_decide", kwargs={"pk": profile.pk}), {"decision": "reject", "note": ""})
    profile.refresh_from_db()
    assert profile.status == VerificationStatus.PENDING
    client.post(reverse("doctors:verification_decide", kwargs={"pk": profile.pk}),
                {"decision": "reject", "note": "The NPI belongs to someone else"})
    profile.refresh_from_db()
    assert profile.status == VerificationStatus.REJECTED
    client.force_login(profile.user)
    assert "The NPI belongs to someone else" in client.get(reverse("doctors:profile_edit")).content.decode()


def test_a_doctor_who_loses_verification_keeps_a_public_profile_that_says_so(client):
    from consult.doctors.services import doctor_reject
    from tests.factories import StaffFactory, UnverifiedDoctorProfileFactory

    doctor = DoctorProfileFactory(full_name="Former Doctor")
    question = question_services.question_create(author=UserFactory(), title="A question about my brow",
                                                 body="Details.", tags=[TagFactory()], display_name="Sam")
    question_services.answer_create(doctor=doctor, question=question, headline="Physio first", body="Text")
    assert "no longer verified" not in client.get(f"/doctors/{doctor.slug}/").content.decode()
    doctor_reject(profile=doctor, decided_by=StaffFactory(), note="Licence lapsed")
    page = client.get(f"/doctors/{doctor.slug}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Dr. Former Doctor, MD, FACS is no longer verified on Consult." in body
    assert "Write a review" not in body and "Ask a question</a>" not in body and "application/ld+json" not in body
    # A profile that never had answers, or was never verified, stays private.
    assert client.get(f"/doctors/{UnverifiedDoctorProfileFactory().slug}/").status_code == 404
    silent = DoctorProfileFactory()
    doctor_reject(profile=silent, decided_by=StaffFactory(), note="Licence lapsed")
    assert client.get(f"/doctors/{silent.slug}/").status_code == 404
