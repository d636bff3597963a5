"""Doctor pages: profile form, directory, public profile visibility and the staff verification queue."""

import pytest
from django.urls import reverse

from consult.accounts.models import Role
from consult.doctors.models import DoctorProfile, Specialty, VerificationDecision, VerificationStatus
from tests.factories import (
    AnswerFactory,
    DoctorProfileFactory,
    ModeratorFactory,
    QuestionFactory,
    StaffFactory,
    UnverifiedDoctorProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PROFILE_POST = {
    "full_name": "Jane Roe",
    "credentials": "MD, FACS",
    "specialty": "oculoplastic",
    "country": "US",
    "city": "Austin",
    "state": "TX",
    "bio": "Eyelid surgery.",
    "license_number": "TX-998",
    "license_state": "TX",
}


# --- profile form -------------------------------------------------------------------------------


def test_profile_edit_requires_sign_in_and_a_doctor_account(client):
    url = reverse("doctors:profile_edit")
    assert client.get(url)["Location"].startswith(reverse("accounts:login"))
    client.force_login(UserFactory(role=Role.PATIENT))
    assert client.get(url).status_code == 403


def test_doctor_creates_a_pending_profile_and_sees_it(client):
    user = UserFactory(role=Role.DOCTOR)
    client.force_login(user)
    response = client.get(reverse("doctors:profile_edit"))
    assert response.status_code == 200
    assert "Not submitted yet" in response.content.decode()
    response = client.post(reverse("doctors:profile_edit"), PROFILE_POST)
    profile = DoctorProfile.objects.get(user=user)
    assert response.status_code == 302
    # on to the licence documents: a scan of the licence is the next step of a new profile
    assert response["Location"] == reverse("doctors:profile_edit") + "#licence-documents"
    assert "Licence documents" in client.get(response["Location"]).content.decode()
    assert profile.status == VerificationStatus.PENDING
    page = client.get(reverse("doctors:profile", kwargs={"slug": profile.slug}))
    assert page.status_code == 200
    assert "Only you and our staff can see this page" in page.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("state", "ZZ", "valid choice"),
        ("license_state", "", "Choose a US state"),  # required for a US licence (the service says so)
        ("specialty", "astrology", "valid choice"),
        ("credentials", "MD; <script>", "does not look like a credential"),
        ("full_name", "", "required"),
        ("license_number", "#$%", "licence number"),
    ],
)
def test_profile_bad_input_is_a_form_error_not_500(client, field, value, message):
    client.force_login(UserFactory(role=Role.DOCTOR))
    response = client.post(reverse("doctors:profile_edit"), {**PROFILE_POST, field: value})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors[field])
    assert f'aria-describedby="id_{field}_' in response.content.decode()
    assert not DoctorProfile.objects.exists()


def test_verified_doctor_changing_licence_is_warned_and_sent_back_to_review(client):
    profile = DoctorProfileFactory()
    client.force_login(profile.user)
    data = {**PROFILE_POST, "license_number": "CHANGED-1"}
    response = client.post(reverse("doctors:profile_edit"), data, follow=True)
    profile.refresh_from_db()
    assert profile.status == VerificationStatus.PENDING
    assert "verify them again" in response.content.decode()


def test_rejected_doctor_sees_the_staff_note(client):
    profile = UnverifiedDoctorProfileFactory()
    VerificationDecision.objects.create(
        profile=profile,
        decided_by=StaffFactory(),
        decision=VerificationStatus.REJECTED,
        note="Licence not found",
    )
    profile.status = VerificationStatus.REJECTED
    profile.save()
    client.force_login(profile.user)
    html = client.get(reverse("doctors:profile_edit")).content.decode()
    assert "Licence not found" in html


# --- public profile ------------------------------------------------------------------------------


def test_verified_profile_is_public_with_byline_stars_and_answers(client):
    doctor = DoctorProfileFactory(
        full_name="Ann Lee",
        credentials="MD, FACS",
        city="Denver",
        state="CO",
        rating_avg="4.1",
        review_count=9,
    )
    answer = AnswerFactory(doctor=doctor, headline="Try neuromuscular retraining")
    response = client.get(reverse("doctors:profile", kwargs={"slug": doctor.slug}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dr. Ann Lee, MD, FACS" in html
    assert "4.1 out of 5 stars" in html
    assert "9 reviews" in html
    assert "Denver, Colorado" in html
    assert "Facial plastic surgery" in html
    assert "Try neuromuscular retraining" in html
    assert answer.question.get_absolute_url() in html
    assert doctor.license_number not in html  # licence details are for staff only


def test_profile_without_reviews_says_so(client):
    doctor = DoctorProfileFactory(rating_avg=None, review_count=0)
    html = client.get(reverse("doctors:profile", kwargs={"slug": doctor.slug})).content.decode()
    assert "No reviews yet" in html
    assert "out of 5 stars" not in html


def test_hidden_answers_and_answers_on_hidden_questions_are_not_listed(client):
    doctor = DoctorProfileFactory()
    AnswerFactory(doctor=doctor, headline="Visible one")
    AnswerFactory(doctor=doctor, headline="Hidden answer", is_hidden=True)
    AnswerFactory(doctor=doctor, headline="On hidden question", question=QuestionFactory(is_hidden=True))
    html = client.get(reverse("doctors:profile", kwargs={"slug": doctor.slug})).content.decode()
    assert "Visible one" in html
    assert "Hidden answer" not in html
    assert "On hidden question" not in html


@pytest.mark.parametrize("status", [VerificationStatus.PENDING, VerificationStatus.REJECTED])
@pytest.mark.parametrize("viewer", ["anonymous", "patient", "other_doctor", "moderator"])
def test_unverified_profile_is_404_for_the_public(client, status, viewer):
    profile = DoctorProfileFactory(status=status, verified_at=None)
    if viewer == "patient":
        client.force_login(UserFactory())
    elif viewer == "other_doctor":
        client.force_login(DoctorProfileFactory().user)
    elif viewer == "moderator":
        client.force_login(ModeratorFactory())
    assert client.get(reverse("doctors:profile", kwargs={"slug": profile.slug})).status_code == 404


def test_unverified_profile_is_visible_to_its_doctor_and_to_staff(client):
    profile = UnverifiedDoctorProfileFactory(license_number="LIC-777")
    url = reverse("doctors:profile", kwargs={"slug": profile.slug})
    client.force_login(profile.user)
    assert client.get(url).status_code == 200
    client.force_login(StaffFactory())
    response = client.get(url)
    assert response.status_code == 200
    assert "LIC-777" in response.content.decode()


def test_unknown_slug_is_404(client):
    assert client.get(reverse("doctors:profile", kwargs={"slug": "nobody"})).status_code == 404


# --- directory -----------------------------------------------------------------------------------


def test_directory_lists_verified_doctors_only(client):
    DoctorProfileFactory(full_name="Visible Verified")
    UnverifiedDoctorProfileFactory(full_name="Hidden Pending")
    DoctorProfileFactory(full_name="Hidden Rejected", status=VerificationStatus.REJECTED, verified_at=None)
    html = client.get(reverse("doctors:directory")).content.decode()
    assert "Visible Verified" in html
    assert "Hidden Pending" not in html
    assert "Hidden Rejected" not in html
    assert "1 verified doctor" in html


def test_directory_filters_by_specialty_and_state(client):
    DoctorProfileFactory(full_name="Derm Texas", specialty=Specialty.DERMATOLOGY, state="TX")
    DoctorProfileFactory(full_name="Derm Ohio", specialty=Specialty.DERMATOLOGY, state="OH")
    DoctorProfileFactory(full_name="Ent Texas", specialty=Specialty.ENT_FACIAL_NERVE, state="TX")
    response = client.get(reverse("doctors:directory"), {"specialty": "dermatology", "state": "TX"})
    names = [d.full_name for d in response.context["doctors"]]
    assert names == ["Derm Texas"]
    response = client.get(reverse("doctors:directory"), {"state": "TX"})
    assert [d.full_name for d in response.context["doctors"]] == ["Derm Texas", "Ent Texas"]


def test_directory_ignores_bad_filters_and_bad_pages(client):
    DoctorProfileFactory(full_name="Only One")
    response = client.get(
        reverse("doctors:directory"), {"specialty": "nonsense", "state": "<b>", "page": "999"}
    )
    assert response.status_code == 200
    assert [d.full_name for d in response.context["doctors"]] == ["Only One"]


def test_directory_paginates_and_keeps_filters_in_page_links(client):
    DoctorProfileFactory.create_batch(30, specialty=Specialty.DERMATOLOGY)
    response = client.get(reverse("doctors:directory"), {"specialty": "dermatology"})
    assert len(response.context["doctors"]) == 24
    assert "specialty=dermatology&amp;page=2" in response.content.decode()
    response = client.get(reverse("doctors:directory"), {"specialty": "dermatology", "page": 2})
    assert len(response.context["doctors"]) == 6


# --- verification queue --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["patient", "verified_doctor", "moderator"])
def test_verification_queue_is_staff_only(client, who):
    user = {"patient": UserFactory, "moderator": ModeratorFactory}.get(
        who, lambda: DoctorProfileFactory().user
    )()
    client.force_login(user)
    assert client.get(reverse("doctors:verification_queue")).status_code == 403
    profile = UnverifiedDoctorProfileFactory()
    response = client.post(
        reverse("doctors:verification_decide", kwargs={"pk": profile.pk}), {"decision": "approve"}
    )
    assert response.status_code == 403
    profile.refresh_from_db()
    assert profile.status == VerificationStatus.PENDING


def test_verification_queue_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("doctors:verification_queue"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_staff_see_pending_profiles_with_licence_info_and_can_approve(client):
    profile = UnverifiedDoctorProfileFactory(
        full_name="Pat Pending", license_number="NY-4242", license_state="NY"
    )
    DoctorProfileFactory(full_name="Already Verified")
    staff = StaffFactory(email="boss@example.com")
    client.force_login(staff)
    html = client.get(reverse("doctors:verification_queue")).content.decode()
    assert "Pat Pending" in html
    assert "NY-4242" in html
    assert "New York" in html
    assert "Already Verified" not in html

    url = reverse("doctors:verification_decide", kwargs={"pk": profile.pk})
    assert client.get(url).status_code == 405
    response = client.post(url, {"decision": "approve", "note": "Board lookup OK"}, follow=True)
    profile.refresh_from_db()
    assert profile.status == VerificationStatus.VERIFIED
    html = response.content.decode()
    assert "can now answer questions" in html
    # The decision shows up in the history with who and the note.
    assert "boss@example.com" in html
    assert "Board lookup OK" in html
    decision = VerificationDecision.objects.get()
    assert (decision.decided_by, decision.decision) == (staff, VerificationStatus.VERIFIED)


def test_staff_can_reject_with_a_note(client):
    profile = UnverifiedDoctorProfileFactory()
    client.force_login(StaffFactory())
    client.post(
        reverse("doctors:verification_decide", kwargs={"pk": profile.pk}),
        {"decision": "reject", "note": "No match"},
    )
    profile.refresh_from_db()
    assert profile.status == VerificationStatus.REJECTED
    assert VerificationDecision.objects.get().note == "No match"


def test_bad_decision_value_is_a_message_not_a_500(client):
    profile = UnverifiedDoctorProfileFactory()
    client.force_login(StaffFactory())
    response = client.post(
        reverse("doctors:verification_decide", kwargs={"pk": profile.pk}), {"decision": "delete"}, follow=True
    )
    assert response.status_code == 200
    assert "Choose approve or reject" in response.content.decode()
    assert not VerificationDecision.objects.exists()
    response = client.post(
        reverse("doctors:verification_decide", kwargs={"pk": 999999}), {"decision": "approve"}
    )
    assert response.status_code == 404
