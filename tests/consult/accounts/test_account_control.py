"""Consent at sign-up, e-mail change and account deletion (issue 12), through the views."""

from __future__ import annotations

import datetime
import io
import re
from html import unescape

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consult.accounts import erasure
from consult.accounts.models import User
from consult.accounts.services import signup_token
from consult.doctors.models import DoctorProfile, VerificationStatus
from consult.photos import services as photo_services
from consult.photos.models import Photo, PhotoAccess, Visit, VisitShare
from consult.photos.permissions import can_view_visit
from consult.progress.models import OutcomeResponse, Treatment
from consult.questions import services as question_services
from tests.consult.photos.conftest import jpeg_bytes, stored_files
from tests.factories import (
    PASSWORD,
    DoctorProfileFactory,
    ModeratorFactory,
    QuestionFactory,
    StaffFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

FINISH = {"display_name": "Newcomer", "password1": PASSWORD, "password2": PASSWORD, "role": "patient"}


@pytest.fixture(autouse=True)
def photo_storage(settings, tmp_path):
    root = tmp_path / "photos"
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                   "OPTIONS": {"location": str(root), "base_url": None}},
    }
    return root


def _finish_url(email="new@example.com"):
    return reverse("accounts:signup_finish", kwargs={"token": signup_token(email=email)})


# --- consent --------------------------------------------------------------------------------------------


def test_the_signup_form_says_what_is_stored_who_sees_it_and_how_to_delete_it(client):
    html = client.get(_finish_url()).content.decode()
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
    for sentence in (
        "What we store:",
        "Photos attached to a question are seen by you, doctors whose licence we have verified, moderators and staff",
        "Photos attached to no question are yours alone, unless you share them with a verified doctor you choose",
        "Every look at your photos by someone else is logged",
        "delete your account in Account settings",
        "Your questions stay, shown as by “deleted user”",
    ):
        assert sentence in text, sentence
    assert 'type="checkbox" name="consent"' in html and "required" in html


def test_the_consent_text_matches_the_photo_rules():
    """What the consent text says about who sees photos is what consult.photos.permissions does."""
    patient, other = UserFactory(), UserFactory()
    doctor = DoctorProfileFactory().user
    moderator, staff = ModeratorFactory(), StaffFactory()
    on_question = Visit.objects.create(patient=patient, question=QuestionFactory(author=patient),
                                       taken_on=datetime.date(2026, 1, 1))
    progress_only = Visit.objects.create(patient=patient, taken_on=datetime.date(2026, 1, 2))
    assert [can_view_visit(u, on_question) for u in (patient, doctor, moderator, staff, other)] == [
        True, True, True, True, False]
    assert [can_view_visit(u, progress_only) for u in (patient, doctor, moderator, staff, other)] == [
        True, False, False, False, False]
    photo_services.visit_share(visit=progress_only, by=patient, doctor=doctor)
    assert can_view_visit(doctor, progress_only)


def test_signing_up_without_consent_is_a_form_error_and_makes_no_account(client):
    response = client.post(_finish_url(), FINISH)
    assert response.status_code == 200
    assert "please agree" in " ".join(response.context["form"].errors["consent"])
    assert 'id="id_consent_error"' in response.content.decode()
    assert not User.objects.exists()


def test_the_consent_time_is_recorded_on_the_user(client):
    before = timezone.now()
    response = client.post(_finish_url(), {**FINISH, "consent": "on"})
    assert response.status_code == 302
    user = User.objects.get(email="new@example.com")
    assert user.health_consent_at is not None and before <= user.health_consent_at <= timezone.now()


# --- e-mail change --------------------------------------------------------------------------------------


def _ask_change(client, new="new.address@example.com", password=PASSWORD):
    return client.post(reverse("accounts:settings"),
                       {"change_email": "1", "new_email": new, "email_password": password})


def _confirm_link(message) -> str:
    match = re.search(r"http://testserver(/accounts/email/confirm/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_email_change_goes_through_a_link_sent_to_the_new_address_and_tells_the_old_one(client):
    user = UserFactory(email="old@example.com")
    client.force_login(user)
    response = _ask_change(client, "New.Address@Example.com")
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new.address@example.com"]
    follow = client.get(reverse("accounts:settings")).content.decode()
    assert "Check your inbox at new.address@example.com" in follow
    user.refresh_from_db()
    assert user.email == "old@example.com"  # nothing changes before the link is opened

    link = _confirm_link(mail.outbox[0])
    page = client.get(link)  # a GET (a mail scanner) changes nothing
    assert page.status_code == 200 and "Use new.address@example.com" in page.content.decode()
    assert page["Cache-Control"] == "private, no-store"
    user.refresh_from_db()
    assert user.email == "old@example.com"

    assert client.post(link).status_code == 302
    user.refresh_from_db()
    assert user.email == "new.address@example.com"
    told = mail.outbox[-1]
    assert told.to == ["old@example.com"] and "new.address@example.com" in told.body
    assert "Your e-mail address is now new.address@example.com" in client.get(reverse("accounts:settings")).content.decode()
    # Signing in works with the new address only.
    client.logout()
    assert Client().login(username="new.address@example.com", password=PASSWORD)
    assert not Client().login(username="old@example.com", password=PASSWORD)
    # The link is used up.
    client.force_login(user)
    again = client.post(link)
    assert again.status_code == 400 and "already been used" in again.content.decode()


@pytest.mark.parametrize(
    ("new", "password", "field", "message"),
    [
        ("new@example.com", "wrong-password", "email_password", "not your current password"),
        ("not an address", PASSWORD, "new_email", "valid email"),
        ("me@example.com", PASSWORD, "new_email", "already your e-mail address"),
    ],
)
def test_email_change_bad_input_is_a_form_error(client, new, password, field, message):
    client.force_login(UserFactory(email="me@example.com"))
    response = _ask_change(client, new, password)
    assert response.status_code == 200
    assert message in " ".join(response.context["email_form"].errors[field]).lower().replace("e-mail", "e-mail")
    assert not mail.outbox


def test_email_change_to_a_members_address_reveals_nothing_and_changes_nothing(client):
    UserFactory(email="taken@example.com")
    user = UserFactory(email="me@example.com")
    client.force_login(user)
    assert _ask_change(client, "taken@example.com").status_code == 302
    assert "Check your inbox at taken@example.com" in client.get(reverse("accounts:settings")).content.decode()
    assert mail.outbox[0].to == ["taken@example.com"] and "already has an account" in mail.outbox[0].body
    assert "/accounts/email/confirm/" not in mail.outbox[0].body


def test_an_email_link_for_another_account_or_a_forged_one_is_a_clear_400(client):
    user = UserFactory(email="me@example.com")
    client.force_login(user)
    _ask_change(client, "mine@example.com")
    link = _confirm_link(mail.outbox[0])
    intruder = Client()
    intruder.force_login(UserFactory())
    response = intruder.post(link)
    assert response.status_code == 400 and "another account" in response.content.decode()
    assert client.get("/accounts/email/confirm/forged-token/").status_code == 400
    user.refresh_from_db()
    assert user.email == "me@example.com"
    anonymous = Client().get(link)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_email_confirm_page_query_count(client, django_assert_max_num_queries):
    user = UserFactory(email="me@example.com")
    client.force_login(user)
    _ask_change(client, "mine@example.com")
    link = _confirm_link(mail.outbox[0])
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(link).status_code == 200
    assert len(ctx.captured_queries) <= 1  # the user (the session is in the cache)


# --- account deletion -----------------------------------------------------------------------------------


def test_every_app_with_personal_data_registers_an_eraser():
    assert erasure.registered() == ["doctors", "notifications", "photos", "practice", "progress", "questions"]


def _patient_with_everything(photo_storage):
    patient = UserFactory(email="leaving@example.com", display_name="Robin")
    question = QuestionFactory(author=patient, title="Will my smile come back after Bell's palsy?")
    visit = photo_services.visit_create(patient=patient, question=question)
    photo_services.photo_add(visit=visit, expression="neutral", upload=io.BytesIO(jpeg_bytes()))
    progress_visit = photo_services.visit_create(patient=patient)
    photo_services.photo_add(visit=progress_visit, expression="smile", upload=io.BytesIO(jpeg_bytes()))
    doctor = DoctorProfileFactory()
    photo_services.visit_share(visit=progress_visit, by=patient, doctor=doctor.user)
    photo_services.access_record(viewer=doctor.user, visits=[progress_visit])
    Treatment.objects.create(patient=patient, kind="botox", date=datetime.date(2026, 3, 2))
    OutcomeResponse.objects.create(patient=patient, instrument="saq", answers={}, scores={},
                                   completed_on=datetime.date(2026, 3, 3))
    assert stored_files(photo_storage)
    return patient, question


def test_deleting_the_account_needs_the_password_and_deletes_the_persons_data(
    client, photo_storage, django_capture_on_commit_callbacks
):
    patient, question = _patient_with_everything(photo_storage)
    other_device = Client()
    other_device.force_login(patient)
    client.force_login(patient)
    page = client.get(reverse("accounts:delete"))
    assert page.status_code == 200 and page["Cache-Control"] == "private, no-store"
    assert "your questions, reviews and helpful votes stay" in page.content.decode()

    wrong = client.post(reverse("accounts:delete"), {"password": "not-my-password"})
    assert wrong.status_code == 200 and "not your current password" in wrong.content.decode()
    assert Visit.objects.filter(patient=patient).count() == 2

    with django_capture_on_commit_callbacks(execute=True):  # files go after the commit
        response = client.post(reverse("accounts:delete"), {"password": PASSWORD}, follow=True)
    assert "Your account is deleted" in response.content.decode()
    assert not response.context["user"].is_authenticated
    assert not Visit.objects.filter(patient=patient).exists() and not Photo.objects.exists()
    assert stored_files(photo_storage) == []
    assert not Treatment.objects.exists() and not OutcomeResponse.objects.exists()
    assert not PhotoAccess.objects.exists() and not VisitShare.objects.exists()

    patient.refresh_from_db()
    assert patient.deleted_at is not None and not patient.is_active
    assert "leaving@example.com" not in patient.email and patient.display_name == "deleted user"
    assert not patient.has_usable_password()
    # Every session ended; nobody can sign in with the old address.
    assert other_device.get(reverse("accounts:settings")).status_code == 302
    assert not Client().login(username="leaving@example.com", password=PASSWORD)
    # The question stays, attributed to "deleted user".
    thread = Client().get(question.get_absolute_url()).content.decode()
    assert "Will my smile come back" in thread and "deleted user" in thread and "Robin" not in thread


def test_a_doctor_who_deletes_their_account_keeps_a_profile_marked_as_left(client):
    profile = DoctorProfileFactory(full_name="Morgan Ellery")
    question = question_services.question_create(author=UserFactory(), title="A question about my brow",
                                                 body="Details.", tags=[TagFactory()], display_name="Sam")
    answer = question_services.answer_create(doctor=profile, question=question, headline="Physio first", body="Text")
    assert "Morgan Ellery" in Client().get(reverse("doctors:directory")).content.decode()
    client.force_login(profile.user)
    assert "marked as having left Consult" in client.get(reverse("accounts:delete")).content.decode()
    client.post(reverse("accounts:delete"), {"password": PASSWORD})
    profile.refresh_from_db()
    assert profile.status == VerificationStatus.LEFT
    assert profile.decisions.filter(decision=VerificationStatus.LEFT).exists()
    assert DoctorProfile.objects.filter(pk=profile.pk).exists()
    assert "Morgan Ellery" not in Client().get(reverse("doctors:directory")).content.decode()
    thread = Client().get(answer.question.get_absolute_url()).content.decode()
    assert answer.headline in thread and "Morgan Ellery" in thread
    # The byline's link still leads somewhere: the profile says they left, with no review or ask.
    profile_page = Client().get(reverse("doctors:profile", kwargs={"slug": profile.slug}))
    assert profile_page.status_code == 200
    assert "Dr. Morgan Ellery, MD, FACS has left Consult." in profile_page.content.decode()
    assert "Write a review" not in profile_page.content.decode()


def test_deleting_is_for_members_only_and_get_changes_nothing(client):
    response = client.get(reverse("accounts:delete"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    user = UserFactory()
    client.force_login(user)
    client.get(reverse("accounts:delete"))
    user.refresh_from_db()
    assert user.is_active and user.deleted_at is None


def test_delete_page_query_count(client):
    client.force_login(UserFactory())
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("accounts:delete")).status_code == 200
    assert len(ctx.captured_queries) <= 1  # the user (the session is in the cache)


def test_a_deleted_patients_review_stays_under_deleted_user(client):
    """The delete page says reviews stay, shown as by "deleted user": the doctor's profile shows exactly that."""
    from consult.reviews import services as review_services
    from consult.reviews.models import Treatment as TreatmentPage

    patient = UserFactory(display_name="Robin Reviewer")
    doctor = DoctorProfileFactory()
    page = TreatmentPage.objects.create(slug="botox", name="Botox", summary="Botox.", description="About Botox.")
    review_services.review_create(author=patient, doctor=doctor, treatment=page, rating=4, title="Careful and kind",
                                  body="A careful doctor who explained everything.", worth_it="worth-it")
    profile_url = reverse("doctors:profile", kwargs={"slug": doctor.slug})
    assert "Robin Reviewer" in Client().get(profile_url).content.decode()
    client.force_login(patient)
    client.post(reverse("accounts:delete"), {"password": PASSWORD})
    html = Client().get(profile_url).content.decode()
    assert "Careful and kind" in html and "deleted user" in html and "Robin Reviewer" not in html
