"""Who sees what (404, never 403, for everyone not allowed), uploads through the views, query counts."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consult.photos import services, work
from consult.photos.models import Photo, Status, Visit
from tests.consult.photos.conftest import face_bytes, jpeg_bytes
from tests.consult.photos.test_images import (
    animated_gif,
    cmyk_jpeg,
    heic_header,
    mpo_jpeg,
    png_bomb,
    rgba_png,
)
from tests.factories import (
    DoctorProfileFactory,
    ModeratorFactory,
    QuestionFactory,
    StaffFactory,
    UnverifiedDoctorProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def measured(patient, question):
    """A visit on the patient's thread with one measured photo (overlay included)."""
    visit = services.visit_create(patient=patient, question=question, taken_on=timezone.localdate())
    photo = services.photo_add(visit=visit, expression="neutral", upload=io.BytesIO(face_bytes()))
    work.measure_photo(photo.pk)
    work.grade_visit(visit.pk)
    photo.refresh_from_db()
    assert photo.status == Status.DONE
    return visit, photo


VIEWERS = {
    "owner": (lambda patient: patient, True),
    "verified_doctor": (lambda patient: DoctorProfileFactory().user, True),
    "moderator": (lambda patient: ModeratorFactory(), True),
    "staff": (lambda patient: StaffFactory(), True),
    "django_is_staff": (lambda patient: UserFactory(is_staff=True), True),
    "anonymous": (lambda patient: None, False),
    "other_patient": (lambda patient: UserFactory(), False),
    "unverified_doctor": (lambda patient: UnverifiedDoctorProfileFactory().user, False),
    "inactive_owner_clone": (lambda patient: UserFactory(is_active=False), False),
}


@pytest.mark.engine
@pytest.mark.parametrize("who", list(VIEWERS))
def test_permission_matrix(client, patient, measured, who):
    visit, photo = measured
    make, allowed = VIEWERS[who]
    user = make(patient)
    if user is not None:
        client.force_login(user)
    urls = [reverse("photos:file", kwargs={"pk": photo.pk, "kind": k}) for k in ("image", "thumbnail", "overlay")]
    urls += [reverse("photos:visit", kwargs={"pk": visit.pk}), reverse("photos:visit_status", kwargs={"pk": visit.pk})]
    for url in urls:
        response = client.get(url)
        if response.streaming:  # read it through the client's wrapper, which closes the file
            b"".join(response.streaming_content)
        if allowed:
            assert response.status_code == 200, (who, url)
            assert "private" in response["Cache-Control"], url
        else:
            assert response.status_code == 404, (who, url, response.status_code)  # not 403: existence not leaked
    thread = client.get(visit.question.get_absolute_url())
    assert thread.status_code == 200
    html = thread.content.decode()
    assert (f"/photos/files/{photo.pk}/" in html) is allowed
    assert ("Photos and measurements" in html) is allowed


@pytest.mark.engine
def test_files_are_jpeg_without_exif_and_report_shows_table(client, patient, measured):
    visit, photo = measured
    client.force_login(patient)
    response = client.get(reverse("photos:file", kwargs={"pk": photo.pk, "kind": "image"}))
    assert response["Content-Type"] == "image/jpeg"
    body = response.content
    assert body[:2] == b"\xff\xd8" and b"Exif" not in body
    page = client.get(reverse("photos:visit", kwargs={"pk": visit.pk})).content.decode()
    assert "Mouth corner height" in page and "Asymmetry" in page and "kind" not in page
    # every measure row: plain label, unit, one-line definition
    assert "Pupil line to upper lip" in page and "(not the lip&#x27;s own height)" in page
    assert f"/photos/files/{photo.pk}/overlay.jpg" in page
    assert "hx-trigger" not in page  # finished: no polling


def test_unknown_kind_and_missing_photo_are_404(client, patient):
    client.force_login(patient)
    assert client.get("/photos/files/999/image.jpg").status_code == 404
    assert client.get("/photos/files/1/secret.jpg").status_code == 404
    assert client.get("/photos/visits/999/").status_code == 404


def test_pending_report_polls_and_doctor_gets_quote_buttons_in_fragment(client, patient, question):
    visit = services.visit_create(patient=patient, question=question, taken_on=timezone.localdate())
    services.photo_add(visit=visit, expression="neutral", upload=io.BytesIO(jpeg_bytes()))
    client.force_login(patient)
    page = client.get(reverse("photos:visit", kwargs={"pk": visit.pk})).content.decode()
    assert 'hx-trigger="every 1500ms"' in page and "Measuring" in page
    doctor = DoctorProfileFactory().user
    client.force_login(doctor)
    thread = client.get(question.get_absolute_url()).content.decode()
    assert "?quote=1" in thread  # the polled fragment keeps the doctor's Quote buttons


@pytest.mark.engine
def test_doctor_sees_quote_buttons_beside_answer_form(client, patient, measured):
    visit, _ = measured
    Visit.objects.filter(pk=visit.pk).update(quotable=True)
    client.force_login(DoctorProfileFactory().user)
    html = client.get(visit.question.get_absolute_url()).content.decode()
    assert 'id="answer-form"' in html and "data-quote=" in html
    # plain text: no link to a report that every reader but the patient and doctors would get a 404 for
    quotes = re.findall(r'data-quote="([^"]*)"', html)
    assert quotes and not [q for q in quotes if "/photos/" in q or "](" in q or "http" in q]
    client.force_login(ModeratorFactory())  # no answer form, no quote buttons
    assert "data-quote=" not in client.get(visit.question.get_absolute_url()).content.decode()


def _answer_form(html: str) -> str:
    return html[html.index('id="answer-form"'):]


@pytest.mark.engine
def test_quoting_is_off_unless_the_patient_allowed_it_and_the_doctor_is_told_why(client, patient, measured):
    visit, _ = measured
    assert visit.quotable is False  # the default
    doctor = DoctorProfileFactory().user
    client.force_login(doctor)
    html = client.get(visit.question.get_absolute_url()).content.decode()
    form = _answer_form(html)
    assert "data-quote=" not in html  # no working Quote button anywhere on the page
    assert "Not for quoting" in form and "has not allowed doctors to quote these measurements" in form
    assert form.count("The asker has not allowed quoting") >= len(visit.photos.get().measurement["measures"])
    assert html.count(" disabled ") >= 2 * len(visit.photos.get().measurement["measures"])  # report + panel
    # the doctor sees that the answer is public before posting, next to the form
    assert "Your answer will be public:" in form and 'aria-describedby="answer-public"' in form
    # the patient allows it on the set's page: the same numbers become quotable (plain text)
    client.force_login(patient)
    response = client.post(reverse("photos:visit_quoting", kwargs={"pk": visit.pk}), {"quotable": "on"})
    assert response.status_code == 302 and response["Location"].endswith("#quoting")
    visit.refresh_from_db()
    assert visit.quotable is True
    client.force_login(doctor)
    form = _answer_form(client.get(visit.question.get_absolute_url()).content.decode())
    assert "The asker allows quoting" in form and "data-quote=" in form and "has not allowed" not in form
    # ...and stops allowing it (an unticked checkbox sends nothing)
    client.force_login(patient)
    client.post(reverse("photos:visit_quoting", kwargs={"pk": visit.pk}), {})
    visit.refresh_from_db()
    assert visit.quotable is False


def test_the_patient_chooses_quoting_at_upload_default_off(client, patient, question):
    client.force_login(patient)
    page = client.get(reverse("photos:visit_new")).content.decode()
    assert "Doctors may quote my measurements in their public answers" in page
    assert 'name="quotable"' in page and "checked" not in page[page.index('name="quotable"') - 200:][:400]
    url = reverse("photos:visit_new")
    client.post(url, {"photo_neutral": upload("n.jpg", jpeg_bytes())})
    client.post(url, {"photo_neutral": upload("n.jpg", jpeg_bytes()), "quotable": "on"})
    assert list(Visit.objects.order_by("id").values_list("quotable", flat=True)) == [False, True]
    # the set's page shows the choice and lets the patient change it; adding photos later does not ask again
    visit = Visit.objects.order_by("id").last()
    page = client.get(visit.get_absolute_url()).content.decode()
    assert 'id="quoting"' in page and "<strong>Allowed.</strong>" in page
    assert page.count('name="quotable"') == 1  # the quoting form only, not the add-photos form
    # nobody else sees or changes it: 404, and the set keeps its choice
    for user in (UserFactory(), DoctorProfileFactory().user, ModeratorFactory()):
        client.force_login(user)
        assert client.post(reverse("photos:visit_quoting", kwargs={"pk": visit.pk}), {}).status_code == 404
    visit.refresh_from_db()
    assert visit.quotable is True
    client.force_login(DoctorProfileFactory().user)
    visit.question = question
    visit.save(update_fields=["question"])
    assert 'id="quoting"' not in client.get(visit.get_absolute_url()).content.decode()


def test_quoting_choice_on_the_ask_form(client, patient):
    from tests.factories import TagFactory

    client.force_login(patient)
    page = client.get(reverse("questions:ask")).content.decode()
    assert "Doctors may quote my measurements in their public answers" in page
    client.post(reverse("questions:ask"), {
        "title": "Is my mouth corner lower on the left side?",
        "body": "Since my Bell's palsy last year the left corner looks lower at rest.",
        "tags": [TagFactory().pk], "display_name": "Sam",
        "photo_neutral": upload("n.jpg", jpeg_bytes()), "quotable": "on",
    })
    assert Visit.objects.get(patient=patient).quotable is True


@pytest.mark.parametrize("value", ["", "0", "false", "off", "garbage", "\u0000"])
def test_quoting_form_odd_values_never_500(client, patient, value):
    visit = services.visit_create(patient=patient, taken_on=timezone.localdate(), quotable=True)
    client.force_login(patient)
    response = client.post(reverse("photos:visit_quoting", kwargs={"pk": visit.pk}), {"quotable": value})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.quotable is False  # a ticked checkbox sends "on"; anything else is "no"


def upload(name, data, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


FUZZ = {
    "empty": (b"", "empty"),
    "text-renamed-jpg": (b"hello, I am a text file\n" * 40, "not an image"),
    "truncated-jpeg": (jpeg_bytes()[:700], "damaged or incomplete"),
    "huge-dimensions": (png_bomb(70_000, 70_000), "pixels"),
    "animated-gif": (animated_gif(), "Animated"),
    "heic": (heic_header(), "HEIC"),
}


@pytest.mark.parametrize("case", list(FUZZ))
def test_upload_fuzz_through_the_view_never_500_and_keeps_saved_photos(client, patient, case):
    data, message = FUZZ[case]
    visit = services.visit_create(patient=patient, taken_on=timezone.localdate())
    kept = services.photo_add(visit=visit, expression="neutral", upload=io.BytesIO(jpeg_bytes()))
    client.force_login(patient)
    response = client.post(
        reverse("photos:photo_upload", kwargs={"pk": visit.pk}),
        {"expression": "smile", "image": upload("photo.jpg", data)},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert message.lower() in text.lower() or (case == "empty" and "submitted file is empty" in text.lower())
    assert list(Photo.objects.filter(visit=visit)) == [kept]


@pytest.mark.parametrize("data", [rgba_png(), cmyk_jpeg(), mpo_jpeg()], ids=["png-alpha", "cmyk-jpeg", "phone-mpo"])
def test_valid_odd_images_upload(client, patient, data):
    visit = services.visit_create(patient=patient, taken_on=timezone.localdate())
    client.force_login(patient)
    response = client.post(reverse("photos:photo_upload", kwargs={"pk": visit.pk}),
                           {"expression": "smile", "image": upload("x.png", data, "image/png")})
    assert response.status_code == 302
    assert Photo.objects.filter(visit=visit, expression="smile").exists()


def test_duplicate_wrong_expression_and_ninth_photo_through_views(client, patient):
    visit = services.visit_create(patient=patient, taken_on=timezone.localdate())
    client.force_login(patient)
    url = reverse("photos:photo_upload", kwargs={"pk": visit.pk})
    ok = client.post(url, {"expression": "neutral", "image": upload("a.jpg", jpeg_bytes())})
    assert ok.status_code == 302
    dup = client.post(url, {"expression": "neutral", "image": upload("b.jpg", jpeg_bytes())})
    assert dup.status_code == 400 and "already has a photo with that expression" in dup.content.decode()
    wrong = client.post(url, {"expression": "frown", "image": upload("c.jpg", jpeg_bytes())})
    assert wrong.status_code == 400 and "frown is not one of the available choices" in wrong.content.decode()
    for value in ["brows_raised", "eyes_closed_gentle", "eyes_closed_tight", "smile", "pucker", "show_teeth", "lip_down"]:
        assert client.post(url, {"expression": value, "image": upload("d.jpg", jpeg_bytes())}).status_code == 302
    ninth = client.post(url, {"expression": "smile", "image": upload("e.jpg", jpeg_bytes())})
    assert ninth.status_code == 400
    assert Photo.objects.filter(visit=visit).count() == 8


def test_other_people_cannot_upload_to_a_visit(client, patient):
    visit = services.visit_create(patient=patient, taken_on=timezone.localdate())
    for user in (UserFactory(), DoctorProfileFactory().user, ModeratorFactory()):
        client.force_login(user)
        response = client.post(reverse("photos:photo_upload", kwargs={"pk": visit.pk}),
                               {"expression": "smile", "image": upload("a.jpg", jpeg_bytes())})
        assert response.status_code == 404
    assert not Photo.objects.exists()


def test_ask_with_photos_attaches_a_visit(client, patient, django_capture_on_commit_callbacks):
    from tests.factories import TagFactory

    tag = TagFactory()
    client.force_login(patient)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("questions:ask"), {
            "title": "Is my mouth corner lower on the left side?",
            "body": "Since my Bell's palsy last year the left corner looks lower at rest.",
            "tags": [tag.pk], "display_name": "Sam",
            "photo_neutral": upload("n.jpg", face_bytes()), "photo_smile": upload("s.jpg", face_bytes()),
        })
    assert response.status_code == 302 and response["Location"].endswith("#photos")
    visit = Visit.objects.get(patient=patient)
    assert visit.question is not None and visit.question.author == patient
    assert sorted(visit.photos.values_list("expression", flat=True)) == ["neutral", "smile"]
    assert len(callbacks) >= 2  # one measuring job per photo, queued on commit


def test_ask_with_a_bad_photo_shows_the_error_and_creates_nothing(client, patient):
    from consult.questions.models import Question
    from tests.factories import TagFactory

    client.force_login(patient)
    response = client.post(reverse("questions:ask"), {
        "title": "Is my mouth corner lower on the left side?",
        "body": "Since my Bell's palsy last year the left corner looks lower at rest.",
        "tags": [TagFactory().pk], "display_name": "Sam",
        "photo_neutral": upload("n.jpg", b"not really a jpeg" * 10),
    })
    assert response.status_code == 200
    assert "not an image" in response.content.decode()
    assert not Question.objects.exists() and not Visit.objects.exists()


def test_visit_new_on_someone_elses_question_is_404(client, patient):
    client.force_login(patient)
    assert client.get(reverse("photos:visit_new") + f"?question={QuestionFactory().pk}").status_code == 404


def test_guide_is_public_and_mobile_friendly(client):
    html = client.get(reverse("photos:guide")).content.decode()
    assert "Glasses off" in html and "guide-overlay.jpg" in html and "not a real person" in html
    client.force_login(UserFactory())
    form = client.get(reverse("photos:visit_new")).content.decode()
    assert 'accept="image/*"' in form and 'capture="user"' in form


# -- query counts (pinned) ------------------------------------------------------------------------

VISIT_PAGE = 3  # user row, visit (+patient, question), photos
STATUS_FRAGMENT = 3  # same reads as the page
ACCESS_LOG = 1  # someone other than the patient looked: one INSERT into the patient's access log


def _count(client, url):
    from tests.consult.scale import forget_cached_pages

    forget_cached_pages()  # the cost of a render, not of a thread whose rows are cached
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("n", [1, 8])
def test_visit_page_and_fragment_queries(client, patient, question, n):
    from consult.photos.models import Expression

    visit = services.visit_create(patient=patient, question=question, taken_on=timezone.localdate())
    for value in Expression.values[:n]:
        services.photo_add(visit=visit, expression=value, upload=io.BytesIO(jpeg_bytes()))
    for user, logged in ((patient, 0), (ModeratorFactory(), ACCESS_LOG)):
        client.force_login(user)
        assert _count(client, reverse("photos:visit", kwargs={"pk": visit.pk})) == VISIT_PAGE + logged
        assert _count(client, reverse("photos:visit_status", kwargs={"pk": visit.pk})) == STATUS_FRAGMENT + logged
    client.force_login(DoctorProfileFactory().user)  # the profile comes with the user row: no extra query
    assert _count(client, reverse("photos:visit", kwargs={"pk": visit.pk})) == VISIT_PAGE + ACCESS_LOG


@pytest.mark.parametrize("visits", [1, 3])
def test_thread_with_photos_costs_one_query(client, patient, question, visits):
    for _ in range(visits):
        visit = services.visit_create(patient=patient, question=question, taken_on=timezone.localdate())
        for value in ("neutral", "smile", "pucker"):
            services.photo_add(visit=visit, expression=value, upload=io.BytesIO(jpeg_bytes()))
    client.force_login(UserFactory())  # sees no photo section: the questions app's own budget
    baseline = _count(client, question.get_absolute_url())
    client.force_login(patient)
    assert _count(client, question.get_absolute_url()) == baseline + 1  # photos joined to their visits


@pytest.mark.engine
def test_my_photos_counts_each_state_honestly(client, patient, measured):
    """Two measured, one needing a retake, two the engine could not measure, one waiting: never "6 photos ·
    Measured"."""
    visit, photo = measured
    for expression in ("smile", "pucker"):
        services.photo_add(visit=visit, expression=expression, upload=io.BytesIO(jpeg_bytes()))
    for extra in Photo.objects.filter(visit=visit, status=Status.PENDING):
        work.measure_photo(extra.pk)
    assert Photo.objects.filter(visit=visit, status=Status.FAILED).count() == 2
    done = Photo.objects.get(pk=photo.pk)
    for expression in ("brows_raised", "eyes_closed_gentle"):  # copies of the measured photo, one doubtful
        Photo.objects.create(visit=visit, expression=expression, image=done.image.name, status=Status.DONE,
                             measurement=done.measurement)
    _doubtful(Photo.objects.get(visit=visit, expression="eyes_closed_gentle"))
    services.photo_add(visit=visit, expression="show_teeth", upload=io.BytesIO(jpeg_bytes()))  # not measured yet
    Visit.objects.filter(pk=visit.pk).update(status=Status.DONE)  # what the page used to summarise the set by
    client.force_login(patient)
    html = client.get(reverse("photos:mine")).content.decode()
    states = html[html.index('class="visit-list__states"'):]
    states = re.sub(r"<[^>]+>", "", states[:states.index("</p>")]).split()
    assert " ".join(states).endswith("6 photos: 2 measured 1 needs a retake 2 could not be measured 1 being measured")
    assert "· Measured" not in html


def test_my_photos_queries(client, patient):
    for _ in range(3):
        visit = services.visit_create(patient=patient, taken_on=timezone.localdate())
        services.photo_add(visit=visit, expression="neutral", upload=io.BytesIO(jpeg_bytes()))
    client.force_login(patient)
    assert _count(client, reverse("photos:mine")) == 3  # user, visits, photos


@pytest.mark.engine
def test_quote_panel_beside_the_answer_form_only_for_answering_doctors(client, patient, measured):
    visit, _ = measured
    Visit.objects.filter(pk=visit.pk).update(quotable=True)
    url = visit.question.get_absolute_url()
    client.force_login(DoctorProfileFactory().user)
    html = client.get(url).content.decode()
    form = html[html.index('id="answer-form"'):]
    panel = form[form.index('class="quote-panel"'):form.index("<form ")]  # inside the answer card, before the form
    assert "Quote a measurement" in panel and "mouth corner height" in panel.lower() and "data-quote=" in panel
    assert "[report](" not in panel and "no link" in panel
    for user in (patient, ModeratorFactory(), UnverifiedDoctorProfileFactory().user, UserFactory()):
        client.force_login(user)
        assert 'class="quote-panel"' not in client.get(url).content.decode()


@pytest.mark.engine
def test_doctor_thread_with_report_and_quote_panel_costs_one_query(client, patient, measured):
    visit, _ = measured
    url = visit.question.get_absolute_url()
    client.force_login(DoctorProfileFactory().user)
    with_photos = _count(client, url)
    assert 'class="quote-panel"' in client.get(url).content.decode()
    # A thread without photos costs the doctor the same: the one photos query (empty) and nothing more,
    # so the report above the answers and the quote panel beside the form share that query.
    other = QuestionFactory()
    assert _count(client, other.get_absolute_url()) == with_photos - ACCESS_LOG  # no photos: nothing to log


@pytest.mark.engine
def test_anonymous_cached_thread_never_holds_photos(client, patient, measured):
    visit, photo = measured
    url = visit.question.get_absolute_url()
    client.force_login(DoctorProfileFactory().user)  # signed-in renders are never cached...
    assert f"/photos/files/{photo.pk}/" in client.get(url).content.decode()
    client.logout()
    client.cookies.clear()
    first, second = client.get(url), client.get(url)  # ...the anonymous render is, and holds no photos
    assert second["X-Page-Cache"] == "hit"
    for response in (first, second):
        html = response.content.decode()
        assert "/photos/files/" not in html and "Photos and measurements" not in html and "quote-panel" not in html
    client.force_login(patient)  # and the owner is not served the anonymous copy
    assert f"/photos/files/{photo.pk}/" in client.get(url).content.decode()


def test_report_says_so_when_measuring_takes_long(client, patient):
    visit = services.visit_create(patient=patient, taken_on=timezone.localdate())
    photo = services.photo_add(visit=visit, expression="neutral", upload=io.BytesIO(jpeg_bytes()))
    client.force_login(patient)
    url = reverse("photos:visit_status", kwargs={"pk": visit.pk})
    assert "longer than usual" not in client.get(url).content.decode()
    Photo.objects.filter(pk=photo.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=2))
    html = client.get(url).content.decode()
    assert "longer than usual" in html and 'hx-trigger="every 1500ms"' in html  # and it keeps polling


def test_an_oversized_request_gets_a_clear_413_and_loses_nothing(client, patient, settings):
    from consult.photos.images import MAX_BYTES
    from consult.photos.models import MAX_PHOTOS_PER_VISIT

    # the default cap is exactly the most one form may carry: every photo at its limit + 2 MB of fields
    assert settings.MAX_REQUEST_BYTES == MAX_PHOTOS_PER_VISIT * MAX_BYTES + 2 * 1024 * 1024
    visit = services.visit_create(patient=patient, taken_on=timezone.localdate())
    client.force_login(patient)
    url = reverse("photos:photo_upload", kwargs={"pk": visit.pk})
    assert client.post(url, {"expression": "neutral", "image": upload("a.jpg", jpeg_bytes())}).status_code == 302
    settings.MAX_REQUEST_BYTES = 50_000  # a small cap, so the test sends a small body
    big = client.post(url, {"expression": "smile", "image": upload("big.jpg", b"\xff" * 60_000)})
    assert big.status_code == 413
    page = big.content.decode()
    assert "That upload is too large" in page and "What you sent was 0.1 MB" in page and "at most 0.0 MB" in page
    assert "Nothing was saved from it" in page and "Traceback" not in page
    assert Photo.objects.filter(visit=visit).count() == 1  # the earlier photo is still there
    from wsgiref.util import is_hop_by_hop

    assert not [name for name in big.headers if is_hop_by_hop(name)]  # WSGI servers refuse those
    # an ordinary page is unaffected
    assert client.get(reverse("photos:visit", kwargs={"pk": visit.pk})).status_code == 200


@pytest.mark.parametrize("value", ["%C2%B2", "%D9%A3", "abc", "1.5", "9" * 40])
def test_photo_set_for_a_strange_question_parameter_is_a_404_not_a_500(client, value):
    client.force_login(UserFactory())
    response = client.get(reverse("photos:visit_new") + f"?question={value}")
    assert response.status_code == 404


def _doubtful(photo) -> None:
    """Mark the stored measurement as the engine does when the iris estimates disagree."""
    m = dict(photo.measurement)
    m["warnings"] = [*m["warnings"], {"code": "scale_uncertain", "message": "the iris size estimates disagree"}]
    m["needs_retake"] = True
    m["confidence"] = {name: {**c, "low": True, "reasons": ["scale"]} for name, c in m["confidence"].items()}
    Photo.objects.filter(pk=photo.pk).update(measurement=m)


@pytest.mark.engine
def test_a_photo_with_an_uncertain_scale_says_needs_retake_greys_its_numbers_and_cannot_be_quoted(
    client, patient, measured
):
    visit, photo = measured
    Visit.objects.filter(pk=visit.pk).update(quotable=True)  # allowed: only the doubt keeps them from quotes
    client.force_login(patient)
    page = client.get(reverse("photos:visit", kwargs={"pk": visit.pk})).content.decode()
    assert ">Measured<" in page and "Needs retake" not in page
    assert page.count('class="report-table__doubt"') < len(photo.measurement["measures"])
    _doubtful(photo)
    page = client.get(reverse("photos:visit", kwargs={"pk": visit.pk})).content.decode()
    assert "Needs retake" in page and ">Measured<" not in page
    assert "the iris size estimates disagree" in page
    assert page.count('class="report-table__doubt"') == len(photo.measurement["measures"])
    assert "Not reliable: the size of the iris could not be measured reliably" in page
    # the doctor's Quote buttons for these numbers are disabled, in the report and beside the answer form
    client.force_login(DoctorProfileFactory().user)
    html = client.get(visit.question.get_absolute_url()).content.decode()
    assert "Needs retake" in html and "data-quote=" not in html
    assert "cannot be quoted" in html and " disabled " in html
