"""The photo privacy model (issue 11): who sees which photo set, sharing with a named doctor, the access log.

- A set attached to a question: the patient, verified doctors, moderators, staff.
- A set attached to no question (progress only): the patient, and doctors they shared it with while verified.
- Every look by someone else is logged; the patient reads the log; photo files are never cached.
"""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone

from consult.doctors.models import VerificationStatus
from consult.photos import services
from consult.photos.models import PhotoAccess, VisitShare
from tests.consult.photos.conftest import jpeg_bytes
from tests.consult.scale import forget_cached_pages
from tests.factories import (
    DoctorProfileFactory,
    ModeratorFactory,
    QuestionFactory,
    StaffFactory,
    UnverifiedDoctorProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _visit(patient, question=None):
    visit = services.visit_create(patient=patient, question=question, taken_on=timezone.localdate())
    photo = services.photo_add(visit=visit, expression="neutral", upload=io.BytesIO(jpeg_bytes()))
    return visit, photo


def _urls(visit, photo):
    return [
        reverse("photos:visit", kwargs={"pk": visit.pk}),
        reverse("photos:visit_status", kwargs={"pk": visit.pk}),
        reverse("photos:file", kwargs={"pk": photo.pk, "kind": "image"}),
        reverse("photos:file", kwargs={"pk": photo.pk, "kind": "thumbnail"}),
    ]


def _get(client, url):
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)
    return response


@pytest.fixture
def patient():
    return UserFactory(display_name="Robin")


@pytest.fixture
def shared_doctor():
    return DoctorProfileFactory(full_name="Ana Shared").user


ROLES = ["owner", "verified_doctor", "shared_doctor", "moderator", "staff", "other_patient", "anonymous",
         "unverified_doctor", "unverified_doctor_shared"]
# role -> (sees a set attached to a question, sees a progress-only set)
EXPECTED = {
    "owner": (True, True),
    "verified_doctor": (True, False),
    "shared_doctor": (True, True),
    "moderator": (True, False),
    "staff": (True, False),
    "other_patient": (False, False),
    "anonymous": (False, False),
    "unverified_doctor": (False, False),
    "unverified_doctor_shared": (False, False),  # shared, then verification withdrawn
}


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_which_photo_set(client, patient, shared_doctor, role):
    attached = _visit(patient, QuestionFactory(author=patient))
    private = _visit(patient)
    services.visit_share(visit=private[0], by=patient, doctor=shared_doctor)
    revoked = DoctorProfileFactory()
    services.visit_share(visit=private[0], by=patient, doctor=revoked.user)
    revoked.status = VerificationStatus.REJECTED
    revoked.save()
    user = {
        "owner": patient, "verified_doctor": DoctorProfileFactory().user, "shared_doctor": shared_doctor,
        "moderator": ModeratorFactory(), "staff": StaffFactory(), "other_patient": UserFactory(),
        "anonymous": None, "unverified_doctor": UnverifiedDoctorProfileFactory().user,
        "unverified_doctor_shared": revoked.user,
    }[role]
    if user is not None:
        client.force_login(user)
    for (visit, photo), allowed in zip((attached, private), EXPECTED[role], strict=True):
        for url in _urls(visit, photo):
            status = _get(client, url).status_code
            assert status == (200 if allowed else 404), (role, url, status)


def test_counting_ids_finds_no_progress_only_photos(client, patient):
    """The issue's probe: a verified doctor walking every id sees only sets attached to questions."""
    attached = [_visit(patient, QuestionFactory(author=patient)) for _ in range(2)]
    private = [_visit(patient) for _ in range(3)]
    client.force_login(DoctorProfileFactory().user)
    last_visit = max(v.pk for v, _ in attached + private)
    last_photo = max(p.pk for _, p in attached + private)
    seen_visits = {pk for pk in range(1, last_visit + 3) if client.get(f"/photos/visits/{pk}/").status_code == 200}
    seen_photos = {pk for pk in range(1, last_photo + 3)
                   if _get(client, f"/photos/files/{pk}/image.jpg").status_code == 200}
    assert seen_visits == {v.pk for v, _ in attached}
    assert seen_photos == {p.pk for _, p in attached}


def test_patient_shares_a_progress_set_with_a_doctor_they_pick_and_stops(client, patient, shared_doctor):
    visit, photo = _visit(patient)
    client.force_login(patient)
    page = client.get(visit.get_absolute_url()).content.decode()
    assert "Only you." in page and "Dr. Ana Shared" in page  # offered in the list
    assert client.post(reverse("photos:visit_share", kwargs={"pk": visit.pk}),
                       {"doctor": shared_doctor.pk}).status_code == 302
    page = client.get(visit.get_absolute_url()).content.decode()
    assert "Stop sharing with Dr. Ana Shared" in page

    client.force_login(shared_doctor)
    assert _get(client, reverse("photos:file", kwargs={"pk": photo.pk, "kind": "image"})).status_code == 200

    client.force_login(patient)
    stop = reverse("photos:visit_unshare", kwargs={"pk": visit.pk, "doctor_id": shared_doctor.pk})
    assert client.post(stop).status_code == 302
    assert not VisitShare.objects.exists()
    client.force_login(shared_doctor)
    assert _get(client, reverse("photos:file", kwargs={"pk": photo.pk, "kind": "image"})).status_code == 404
    assert client.get(visit.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("target", ["unverified", "patient", "self", "missing", "garbage"])
def test_sharing_only_with_a_verified_doctor_and_bad_input_is_a_message(client, patient, target):
    visit, _ = _visit(patient)
    doctor = {
        "unverified": lambda: UnverifiedDoctorProfileFactory().user.pk,
        "patient": lambda: UserFactory().pk,
        "self": lambda: patient.pk,
        "missing": lambda: 987654,
        "garbage": lambda: "²",
    }[target]()
    client.force_login(patient)
    response = client.post(reverse("photos:visit_share", kwargs={"pk": visit.pk}), {"doctor": doctor}, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "verified" in text or "Choose a doctor" in text
    assert not VisitShare.objects.exists()


def test_a_question_set_is_not_shared_and_others_cannot_share_my_set(client, patient, shared_doctor):
    attached, _ = _visit(patient, QuestionFactory(author=patient))
    private, _ = _visit(patient)
    client.force_login(patient)
    response = client.post(reverse("photos:visit_share", kwargs={"pk": attached.pk}), {"doctor": shared_doctor.pk},
                           follow=True)
    assert "verified doctors can already see it" in response.content.decode()
    assert 'id="sharing"' not in client.get(attached.get_absolute_url()).content.decode()
    for intruder in (UserFactory(), shared_doctor, ModeratorFactory()):
        client.force_login(intruder)
        assert client.post(reverse("photos:visit_share", kwargs={"pk": private.pk}),
                           {"doctor": shared_doctor.pk}).status_code == 404
    assert not VisitShare.objects.exists()
    services.visit_share(visit=private, by=patient, doctor=shared_doctor)
    client.force_login(shared_doctor)  # the doctor cannot end (or see the controls of) the patient's sharing
    stop = reverse("photos:visit_unshare", kwargs={"pk": private.pk, "doctor_id": shared_doctor.pk})
    assert client.post(stop).status_code == 404
    assert VisitShare.objects.count() == 1


def test_every_look_by_someone_else_is_logged_and_the_patient_reads_it(client, patient, shared_doctor):
    question = QuestionFactory(author=patient)
    attached, attached_photo = _visit(patient, question)
    private, private_photo = _visit(patient)
    services.visit_share(visit=private, by=patient, doctor=shared_doctor)
    client.force_login(patient)  # the patient's own looks are not logged
    for url in _urls(attached, attached_photo) + _urls(private, private_photo):
        _get(client, url)
    client.get(question.get_absolute_url())
    assert not PhotoAccess.objects.exists()

    moderator = ModeratorFactory(display_name="Mo the moderator")
    client.force_login(moderator)
    client.get(question.get_absolute_url())  # the thread's photo panel shows the report
    client.force_login(shared_doctor)
    client.get(private.get_absolute_url())
    _get(client, reverse("photos:file", kwargs={"pk": private_photo.pk, "kind": "image"}))

    log = list(PhotoAccess.objects.order_by("id").values_list("viewer_name", "kind", "visit_id_seen", "patient_id"))
    assert log == [
        ("Mo the moderator", "report", attached.pk, patient.pk),
        ("Dr. Ana Shared, MD, FACS", "report", private.pk, patient.pk),
        ("Dr. Ana Shared, MD, FACS", "image", private.pk, patient.pk),
    ]

    client.force_login(patient)
    page = client.get(reverse("photos:access_log"))
    assert page["Cache-Control"] == "private, no-store"
    html = page.content.decode()
    assert "Mo the moderator" in html and "Dr. Ana Shared" in html and "Photo (neutral, at rest)" in html
    assert html.count("<tr>") == 1 + 3
    # Linked from the photos and progress pages.
    assert reverse("photos:access_log") in client.get(reverse("photos:mine")).content.decode()
    assert reverse("photos:access_log") in client.get(reverse("progress:dashboard")).content.decode()
    # Nobody else reads it: the page is always the signed-in member's own log.
    client.force_login(shared_doctor)
    assert "Mo the moderator" not in client.get(reverse("photos:access_log")).content.decode()
    # Deleting the photos does not erase who saw them.
    services.history_delete(patient=patient)
    assert PhotoAccess.objects.filter(patient=patient).count() == 3


def test_repeated_looks_within_minutes_are_one_entry(client, patient):
    visit, photo = _visit(patient, QuestionFactory(author=patient))
    client.force_login(DoctorProfileFactory().user)
    for _ in range(5):  # a report polled while measuring, a photo opened again
        client.get(reverse("photos:visit_status", kwargs={"pk": visit.pk}))
        _get(client, reverse("photos:file", kwargs={"pk": photo.pk, "kind": "image"}))
    assert PhotoAccess.objects.count() == 2


def test_photo_files_are_not_kept_in_the_browser_cache(client, patient):
    visit, photo = _visit(patient)
    client.force_login(patient)
    for kind in ("image", "thumbnail"):
        response = _get(client, reverse("photos:file", kwargs={"pk": photo.pk, "kind": kind}))
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
    assert client.get(visit.get_absolute_url())["Cache-Control"] == "private, no-store"


def test_access_log_and_sharing_pages_have_pinned_query_counts(client, patient, django_assert_num_queries):
    visit, _ = _visit(patient)
    for _ in range(3):
        services.visit_share(visit=visit, by=patient, doctor=DoctorProfileFactory().user)
    doctor = DoctorProfileFactory().user
    client.force_login(doctor)
    # no share: the share lookup says no
    assert client.get(visit.get_absolute_url()).status_code == 404
    client.force_login(patient)
    for i in range(5):
        PhotoAccess.objects.create(patient=patient, viewer=doctor, viewer_name=f"Dr {i}", viewer_role="doctor",
                                   visit_id_seen=visit.pk, visit_taken_on=visit.taken_on, kind="report")
    forget_cached_pages()
    with django_assert_num_queries(2):  # user, entries
        client.get(reverse("photos:access_log"))
    forget_cached_pages()
    # user, visit, photos, shares (+ doctors' profiles), doctors one could still share with
    with django_assert_num_queries(5):
        client.get(visit.get_absolute_url())


def test_every_page_that_says_who_sees_photos_says_what_the_rule_does(client, patient):
    """The sentences on the guide, the upload forms and the progress dashboard match the rule above."""
    client.force_login(patient)
    pages = [reverse("photos:guide"), reverse("photos:visit_new"), reverse("photos:mine"), reverse("progress:dashboard")]
    for url in pages:
        text = " ".join(client.get(url).content.decode().split())
        assert "verified doctors" in text, url
        assert "share" in text, url  # progress-only sets: only the doctors the patient shares them with
        assert "Only you, verified doctors and moderators can" not in text, url
