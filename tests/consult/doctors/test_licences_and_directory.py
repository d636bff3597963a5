"""Issue 13: licence documents (staff only, deleted with the account), the register lookup table, the directory's
helpful-votes sort, review pages on the profile, former doctors marked on bylines and profiles, and the headshot
deleted with the account."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from consult.accounts.services import account_delete
from consult.doctors import registers, services
from consult.doctors.errors import InvalidLicenceDocument
from consult.doctors.models import LicenceDocument
from consult.doctors.registration import COUNTRY_CODES
from consult.doctors.states import US_STATE_CODES
from consult.practice.models import Headshot
from consult.practice.services import headshot_set
from consult.questions import services as question_services
from consult.questions.recount import recount_all, recount_doctor_helpful_counts
from consult.reviews.models import Review, Treatment
from tests.consult.photos.conftest import jpeg_bytes, stored_files
from tests.factories import (
    PASSWORD,
    AnswerFactory,
    DoctorProfileFactory,
    StaffFactory,
    UnverifiedDoctorProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def photo_storage(settings, tmp_path):
    """Licence scans go to the private photo storage: a directory of this test's own."""
    root = tmp_path / "photos"
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                   "OPTIONS": {"location": str(root), "base_url": None}},
    }
    return root

PDF = b"%PDF-1.4\n% a scanned licence\n"


def _add(profile, data=PDF, name="licence.pdf"):
    return services.licence_document_add(profile=profile, uploaded_by=profile.user, upload=io.BytesIO(data), name=name)


# --- licence documents -------------------------------------------------------------------------------------


def test_a_doctor_uploads_a_pdf_from_the_profile_page_and_only_staff_can_open_it(client, photo_storage):
    doctor = UnverifiedDoctorProfileFactory()
    client.force_login(doctor.user)
    page = client.get(reverse("doctors:profile_edit"))
    assert "Licence documents" in page.content.decode()
    response = client.post(
        reverse("doctors:licence_upload"), {"document": SimpleUploadedFile("my licence.pdf", PDF, "application/pdf")}
    )
    assert response.status_code == 302
    document = LicenceDocument.objects.get(profile=doctor)
    assert document.original_name == "my licence.pdf" and document.content_type == "application/pdf"
    assert not document.file.endswith("my licence.pdf") and "licence" not in Path(document.file).name
    assert (photo_storage / document.file).read_bytes() == PDF  # in the private storage, not MEDIA_ROOT
    url = reverse("doctors:licence_document", kwargs={"pk": document.pk})
    # the doctor themselves, other doctors, moderators: refused
    assert client.get(url).status_code == 403
    for other in (DoctorProfileFactory().user, UserFactory(role="moderator")):
        client.force_login(other)
        assert client.get(url).status_code == 403
    client.logout()
    assert "/accounts/login/" in client.get(url)["Location"]
    client.force_login(StaffFactory())
    served = client.get(url)
    assert served.status_code == 200 and served.content == PDF
    assert served["Content-Type"] == "application/pdf"
    assert served["Cache-Control"] == "private, no-store"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served["Content-Security-Policy"]
    queue = client.get(reverse("doctors:verification_queue")).content.decode()
    assert url in queue and "my licence.pdf" in queue


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"<html><script>alert(1)</script>", "PDF, JPEG or PNG"),
        (b"GIF89a....", "PDF, JPEG or PNG"),
        (b"%PDF-" + b"x" * services.LICENCE_MAX_BYTES, "larger than 10 MB"),
    ],
)
def test_a_bad_document_is_refused_with_a_reason_and_nothing_is_stored(data, message, photo_storage):
    doctor = UnverifiedDoctorProfileFactory()
    with pytest.raises(InvalidLicenceDocument, match=message):
        _add(doctor, data)
    assert not LicenceDocument.objects.exists()
    assert stored_files(photo_storage) == []


def test_images_are_accepted_by_content_and_the_count_is_capped(photo_storage):
    doctor = UnverifiedDoctorProfileFactory()
    assert _add(doctor, jpeg_bytes(), name="scan.pdf").content_type == "image/jpeg"  # by content, not name
    for _ in range(services.LICENCE_MAX_DOCUMENTS - 1):
        _add(doctor)
    with pytest.raises(InvalidLicenceDocument, match="the most we keep"):
        _add(doctor)
    assert LicenceDocument.objects.filter(profile=doctor).count() == services.LICENCE_MAX_DOCUMENTS


def test_nobody_adds_or_removes_documents_on_someone_elses_profile(client, photo_storage):
    doctor, other = UnverifiedDoctorProfileFactory(), DoctorProfileFactory()
    with pytest.raises(InvalidLicenceDocument):
        services.licence_document_add(profile=doctor, uploaded_by=other.user, upload=io.BytesIO(PDF), name="x.pdf")
    document = _add(doctor)
    client.force_login(other.user)
    assert client.post(reverse("doctors:licence_remove", kwargs={"pk": document.pk})).status_code == 404
    assert LicenceDocument.objects.filter(pk=document.pk).exists()
    client.force_login(doctor.user)
    assert client.post(reverse("doctors:licence_remove", kwargs={"pk": document.pk})).status_code == 302
    assert not LicenceDocument.objects.exists()


def test_deleting_the_account_deletes_licence_documents_and_the_headshot_files(settings, photo_storage,
                                                                               django_capture_on_commit_callbacks):
    doctor = DoctorProfileFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _add(doctor)
        headshot_set(profile=doctor, uploaded_by=doctor.user, upload=io.BytesIO(jpeg_bytes()))
    media = Path(settings.MEDIA_ROOT)
    assert stored_files(photo_storage) and stored_files(media / "headshots")
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=doctor.user, password=PASSWORD)
    assert not LicenceDocument.objects.exists() and not Headshot.objects.exists()
    assert stored_files(photo_storage / "licences") == []
    assert stored_files(media / "headshots") == []
    doctor.refresh_from_db()
    assert doctor.status == "left"  # the profile itself stays


# --- register lookups ----------------------------------------------------------------------------------------


def test_every_state_and_offered_country_has_an_https_register_lookup_or_a_stated_reason():
    """Coverage of the register table for the countries a doctor can choose: a lookup page, or (where we are not
    sure of one) a reason in NO_REGISTER that the queue shows staff; never both, never neither."""
    assert set(registers.STATE_REGISTERS) == set(US_STATE_CODES)
    assert set(registers.COUNTRY_REGISTERS) | set(registers.NO_REGISTER) == set(COUNTRY_CODES)
    assert not set(registers.COUNTRY_REGISTERS) & set(registers.NO_REGISTER)
    assert all(reason for reason in registers.NO_REGISTER.values())
    for name, url in [*registers.STATE_REGISTERS.values(), *registers.COUNTRY_REGISTERS.values()]:
        assert name and re.match(r"^https://[a-z0-9.-]+\.[a-z]{2,}/", url), url
    # the module says the addresses were not verified online
    assert "Not verified online" in (registers.__doc__ or "")


def test_the_queue_links_each_licence_to_its_state_or_country_register(client):
    texas = UnverifiedDoctorProfileFactory(license_state="TX", license_number="TX-1")
    irish = UnverifiedDoctorProfileFactory(
        country="IE", state="Leinster", city="Dublin", registration_country="IE", registration_number="IMC 123456",
        license_number="", license_state="",
    )
    german = UnverifiedDoctorProfileFactory(
        country="DE", state="Bavaria", city="Munich", registration_country="DE", registration_number="DE-EFN-7788",
        license_number="", license_state="Bavaria",
    )
    client.force_login(StaffFactory())
    page = client.get(reverse("doctors:verification_queue")).content.decode()
    assert registers.STATE_REGISTERS["TX"][1] in page and "Texas Medical Board" in page
    assert registers.COUNTRY_REGISTERS["IE"][1] in page
    assert texas.license_number in page and irish.registration_number in page
    item = page.split(f'id="profile-{german.pk}"')[1].split("</li>")[0]
    assert "DE-EFN-7788" in item and "(Bavaria, Germany)" in item and "Munich, Bavaria, Germany" in item
    assert "no register link on file for Germany" in item and escape(registers.NO_REGISTER["DE"]) in item
    irish_item = page.split(f'id="profile-{irish.pk}"')[1].split("</li>")[0]
    assert "Licence state" not in irish_item and "(Ireland)" in irish_item


# --- directory: helpful votes ----------------------------------------------------------------------------------


def test_helpful_votes_are_counted_per_doctor_and_sort_the_directory(client):
    popular, quiet = DoctorProfileFactory(full_name="Zed Popular"), DoctorProfileFactory(full_name="Abe Quiet")
    answer = AnswerFactory(doctor=popular)
    AnswerFactory(doctor=quiet)
    recount_all()  # the factories write rows, not counters
    voters = [UserFactory() for _ in range(3)]
    for voter in voters:
        question_services.vote_toggle(user=voter, answer=answer)
    question_services.vote_toggle(user=voters[0], answer=answer)  # taken back
    popular.refresh_from_db()
    assert popular.helpful_count == 2
    question_services.answer_set_hidden(answer=answer, is_hidden=True)
    popular.refresh_from_db()
    assert popular.helpful_count == 0  # hidden answers do not count
    question_services.answer_set_hidden(answer=answer, is_hidden=False)
    question_services.question_set_hidden(question=answer.question, is_hidden=True)
    popular.refresh_from_db()
    assert popular.helpful_count == 0
    question_services.question_set_hidden(question=answer.question, is_hidden=False)
    popular.refresh_from_db()
    assert popular.helpful_count == 2
    assert recount_doctor_helpful_counts() == 0  # the live counter is exact

    page = client.get(reverse("doctors:directory"), {"sort": "helpful"}).content.decode()
    assert page.index("Zed Popular") < page.index("Abe Quiet")
    assert "2 helpful votes" in page
    by_name = client.get(reverse("doctors:directory"), {"sort": "name"}).content.decode()
    assert by_name.index("Abe Quiet") < by_name.index("Zed Popular")


# --- profile: pages of reviews ---------------------------------------------------------------------------------


def test_the_profile_pages_through_every_review(client):
    from consult.reviews.figures import refresh_doctor_figures

    doctor = DoctorProfileFactory()
    treatment = Treatment.objects.create(slug="t", name="T", summary="s", description="d")
    for i in range(45):
        Review.objects.create(author=UserFactory(), doctor=doctor, treatment=treatment, rating=4,
                              title=f"Review number {i:02d}", body="b" * 30, worth_it="worth-it")
    refresh_doctor_figures()
    url = reverse("doctors:profile", kwargs={"slug": doctor.slug})
    seen = []
    for page_number in (1, 2, 3):
        body = client.get(url, {"reviews": page_number} if page_number > 1 else {}).content.decode()
        seen += re.findall(r"Review number (\d\d)", body)
        assert ("Older reviews" in body) == (page_number < 3)
        assert ("Newer reviews" in body) == (page_number > 1)
    assert sorted(seen) == [f"{i:02d}" for i in range(45)]
    assert client.get(url, {"reviews": 4}).status_code == 404
    assert client.get(url, {"reviews": "x"}).status_code == 200  # junk is page 1


# --- former doctors --------------------------------------------------------------------------------------------


def test_bylines_and_profiles_mark_doctors_who_left_or_lost_verification(client, photo_storage):
    left, revoked = DoctorProfileFactory(full_name="Lee Left"), DoctorProfileFactory(full_name="Rae Revoked")
    a1, a2 = AnswerFactory(doctor=left), AnswerFactory(doctor=revoked)
    recount_all()  # the factories write rows, not counters
    thread1 = client.get(a1.question.get_absolute_url()).content.decode()
    assert "Has left Consult" not in thread1 and "Verified doctor" in thread1
    account_delete(user=left.user, password=PASSWORD)
    services.doctor_reject(profile=revoked, decided_by=StaffFactory(), note="Licence lapsed")
    assert "Has left Consult" in client.get(a1.question.get_absolute_url()).content.decode()
    assert "No longer verified" in client.get(a2.question.get_absolute_url()).content.decode()
    left_page = client.get(reverse("doctors:profile", kwargs={"slug": left.slug}))
    assert left_page.status_code == 200 and "has left Consult" in left_page.content.decode()
    revoked_page = client.get(reverse("doctors:profile", kwargs={"slug": revoked.slug}))
    assert revoked_page.status_code == 200 and "is no longer verified" in revoked_page.content.decode()


def test_a_former_doctor_with_reviews_but_no_answers_keeps_a_public_profile(client):
    from consult.reviews.figures import refresh_doctor_figures

    doctor = DoctorProfileFactory()
    treatment = Treatment.objects.create(slug="t", name="T", summary="s", description="d")
    Review.objects.create(author=UserFactory(), doctor=doctor, treatment=treatment, rating=2,
                          title="Not for me", body="b" * 30, worth_it="not-worth-it")
    refresh_doctor_figures()
    account_delete(user=doctor.user, password=PASSWORD)
    page = client.get(reverse("doctors:profile", kwargs={"slug": doctor.slug}))
    assert page.status_code == 200 and "Not for me" in page.content.decode()
