"""Photos in a real Chromium: attach photos on one's thread, watch "Measuring…" turn into the report
without a reload, and a doctor quotes a measurement into the answer form.

The measuring is done by the real task bodies (consult.photos.work) called from the test thread while the
page polls: pytest-django's live-server database is an in-memory SQLite shared with this thread, which a
separate worker process cannot open. The real worker process (queue, leases, SIGKILL) is covered by
tests/consult/photos/test_worker_sigkill.py.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from consult.photos import services, work
from consult.photos.models import Photo, Status, Visit
from tests.browser.conftest import SCREENSHOTS, describe_violations, login, run_axe
from tests.consult.photos.conftest import FACE
from tests.factories import DoctorProfileFactory, QuestionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.engine, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def photo_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                   "OPTIONS": {"location": str(tmp_path / "photos"), "base_url": None}},
    }


def run_worker_once() -> None:
    for photo in Photo.objects.filter(status=Status.PENDING):
        work.measure_photo(photo.pk)
    for visit in Visit.objects.all():
        work.grade_visit(visit.pk)


def test_attach_photos_on_own_thread_and_see_the_report_appear(new_page: Any, live_server: Any) -> None:
    patient = UserFactory()
    question = QuestionFactory(author=patient, title="My left mouth corner droops since my Bell's palsy")
    page = new_page()
    login(page, live_server, patient)
    page.goto(question.get_absolute_url())
    page.get_by_role("link", name="Add photos").click()
    expect(page.get_by_role("heading", name="Add a photo set")).to_be_visible()
    assert page.locator("#id_photo_neutral").get_attribute("capture") == "user"
    page.set_input_files("#id_photo_neutral", str(FACE))
    page.set_input_files("#id_photo_smile", str(FACE))
    page.get_by_role("button", name="Upload photos").click()

    # back on the thread: measuring is queued, the section polls
    expect(page.locator("#photos")).to_contain_text("Measuring")
    page.evaluate("window.__sameDocument = true")
    assert Photo.objects.filter(status=Status.PENDING).count() == 2
    run_worker_once()

    expect(page.locator(".report-table").first).to_be_visible(timeout=15_000)
    assert page.evaluate("window.__sameDocument === true"), "the report must appear without a reload"
    expect(page.locator("#photos")).not_to_contain_text("Measuring")
    expect(page.locator(".report-table").first).to_contain_text("Mouth corner height")
    overlay = page.locator("img[src$='overlay.jpg']").first
    expect(overlay).to_be_visible()
    # The overlay arrives with the swapped-in report (and is lazy-loaded): wait until it has really loaded.
    overlay.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=overlay.element_handle())
    expect(page.locator("#photos")).to_contain_text("No eFACE-like scores")  # only 2 of the 5 needed

    # the photo files themselves are private: a signed-out browser gets 404
    src = overlay.get_attribute("src")
    stranger = new_page()
    assert stranger.request.get(live_server.url + src).status == 404


def test_doctor_quotes_a_measurement_into_the_answer(new_page: Any, live_server: Any, browser: Any) -> None:
    patient = UserFactory()
    question = QuestionFactory(author=patient, title="Is my smile asymmetry measurable after Bell's palsy?")
    visit = services.visit_create(patient=patient, question=question, taken_on=timezone.localdate())
    services.photo_add(visit=visit, expression="neutral", upload=io.BytesIO(FACE.read_bytes()))
    run_worker_once()
    doctor = DoctorProfileFactory().user
    page = new_page()
    login(page, live_server, doctor)
    page.goto(question.get_absolute_url())
    expect(page.locator("#photos")).to_contain_text("Photos and measurements")
    page.get_by_role("button", name="Quote mouth corner height in your answer").click()
    text = page.locator("#answer-form textarea[name=body]").input_value()
    assert "mouth corner height" in text.lower() and "mm" in text and f"/photos/visits/{visit.pk}/" in text
    # The same numbers beside the answer box: quoting from there appends at the cursor.
    panel = page.locator("#answer-form .quote-panel")
    expect(panel).to_contain_text("Quote a measurement")
    enabled = panel.locator("button.quote-button:not([disabled])")
    second = enabled.nth(1)  # the first is the mouth corner height again
    label = second.get_attribute("aria-label") or ""
    second.click()
    after = page.locator("#answer-form textarea[name=body]").input_value()
    measure = label.removeprefix("Quote ").split(",")[0]
    assert after.startswith(text.rstrip()) and measure in after[len(text.rstrip()):].lower()
    # numbers the engine does not trust have no working Quote button (greyed, with the reason)
    for row in panel.locator("tr.report-table__doubt").all():
        expect(row.locator("button.quote-button")).to_be_disabled()
        expect(row).to_contain_text("Not reliable")
    page.locator("#answer-form").screenshot(path=str(SCREENSHOTS / "answer-form-quote-panel.png"))
    page.locator("#photos").screenshot(path=str(SCREENSHOTS / "thread-photos-report.png"))

    violations = run_axe(browser, live_server, "/photos/guide/")
    assert not violations, describe_violations(violations)
    # the thread as the doctor sees it: report, quote panel and answer form
    violations = run_axe(browser, live_server, question.get_absolute_url(), cookies=page.context.cookies())
    assert not violations, describe_violations(violations)
