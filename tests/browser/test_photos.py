"""Photos in a real Chromium: attach photos on one's thread, watch "Measuring…" turn into the report
without a reload, and a doctor quotes a measurement into the answer form.

The measuring is done by the real task bodies (consult.photos.work) called from the test thread while the
page polls: pytest-django's live-server database is an in-memory SQLite shared with this thread, which a
separate worker process cannot open. The real worker process (queue, leases, SIGKILL) is covered by
tests/consult/photos/test_worker_sigkill.py.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from consult.photos import services, work
from consult.photos.models import Photo, Status, Visit
from consult.photos.report import MEASURES
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
    expect(page.get_by_label("Doctors may quote my measurements in their public answers")).not_to_be_checked()
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


DEMO_FACES = FACE.parents[3] / "consult" / "photos" / "demo_faces"  # composites of nobody (their README)
#: Each measure's label as the report's Quote button names it.
QUOTED_LABELS = {name: info.label.lower() for name, info in MEASURES.items()}


def test_doctor_quotes_a_measurement_into_the_answer(new_page: Any, live_server: Any, browser: Any) -> None:
    patient = UserFactory()
    question = QuestionFactory(author=patient, title="Is my smile asymmetry measurable after Bell's palsy?")
    visit = services.visit_create(patient=patient, question=question, taken_on=timezone.localdate())
    # A demo composite (a face of nobody) whose neutral measures the engine trusts; which measure is quoted is
    # read from what the engine stored, so the test does not hang on one measure's flag.
    services.photo_add(visit=visit, expression="neutral",
                       upload=io.BytesIO((DEMO_FACES / "c1_neutral.jpg").read_bytes()))
    run_worker_once()
    trusted = [name for name, c in Photo.objects.get(visit=visit).measurement["confidence"].items()
               if not c["reasons"] and name in QUOTED_LABELS]
    assert trusted, "the demo photo has no trusted measure to quote"
    measure = "commissure_height" if "commissure_height" in trusted else trusted[0]
    doctor = DoctorProfileFactory().user
    page = new_page()
    login(page, live_server, doctor)
    page.goto(question.get_absolute_url())
    # The patient did not allow quoting (the default): every Quote button is off, and the panel says why.
    expect(page.locator("#answer-form")).to_contain_text("Your answer will be public")
    expect(page.locator("#answer-form .quote-panel")).to_contain_text("has not allowed doctors to quote")
    assert page.locator("button.quote-button:not([disabled])").count() == 0
    Visit.objects.filter(pk=visit.pk).update(quotable=True)  # the patient allows it on the set's page
    page.reload()
    expect(page.locator("#photos")).to_contain_text("Photos and measurements")
    label = QUOTED_LABELS[measure]
    page.get_by_role("button", name=f"Quote {label} in your answer").click()
    text = page.locator("#answer-form textarea[name=body]").input_value()
    assert label in text.lower() and ("mm" in text or "°" in text)
    assert "/photos/" not in text and "](" not in text  # plain text: no link readers could not open
    # The same numbers with the answer box, as differences by face region: quoting from there appends at the cursor.
    panel = page.locator("#answer-form .quote-panel")
    expect(panel).to_contain_text("Quote a measurement")
    assert [t.strip().lower() for t in panel.locator(".quote-table__region").all_inner_texts()] == ["brow", "eyes", "mouth"]
    for diff in panel.locator(".quote-cell__diff").all_inner_texts():  # the number a doctor quotes
        assert re.fullmatch(r"symmetric|(left|right) \d+\.\d( mm|°) \w+", diff.strip()), diff
    enabled = panel.locator("button.quote-button:not([disabled])")
    second = enabled.nth(1)
    sentence = second.get_attribute("data-quote") or ""
    second.click()
    after = page.locator("#answer-form textarea[name=body]").input_value()
    assert after.startswith(text.rstrip()) and after[len(text.rstrip()):].strip() == sentence + "."
    # the editor keeps the answer card's full width (the panel sits above it, collapsible)
    form_box = page.locator("#answer-form textarea[name=body]").bounding_box()
    card_box = page.locator("#answer-form").bounding_box()
    assert form_box and card_box and form_box["width"] > 0.85 * card_box["width"]
    # numbers the engine does not trust have no working Quote button (greyed, with the reason)
    for cell in panel.locator("td.report-table__doubt").all():
        expect(cell.locator("button.quote-button")).to_be_disabled()
        expect(cell).to_contain_text("Not reliable")
    page.locator("#answer-form").screenshot(path=str(SCREENSHOTS / "answer-form-quote-panel.png"))
    page.locator("#photos").screenshot(path=str(SCREENSHOTS / "thread-photos-report.png"))

    violations = run_axe(browser, live_server, "/photos/guide/")
    assert not violations, describe_violations(violations)
    # the thread as the doctor sees it: report, quote panel and answer form
    violations = run_axe(browser, live_server, question.get_absolute_url(), cookies=page.context.cookies())
    assert not violations, describe_violations(violations)




def _thread_with_a_failed_photo(*, graded: bool = False) -> tuple[Any, Any]:
    """A patient's thread with measured photos and two the engine could not measure (no face in them);
    ``graded``: the five demo-composite photos the eFACE-like scores need, else one fixture portrait."""
    from tests.consult.photos.conftest import jpeg_bytes

    patient = UserFactory()
    question = QuestionFactory(author=patient, title="Why could one of my photos not be measured?")
    visit = services.visit_create(patient=patient, question=question, taken_on=timezone.localdate())
    if graded:
        for expression in ("neutral", "brows_raised", "eyes_closed_gentle", "smile", "pucker"):
            data = (DEMO_FACES / f"b1_{expression}.jpg").read_bytes()
            services.photo_add(visit=visit, expression=expression, upload=io.BytesIO(data))
    else:
        services.photo_add(visit=visit, expression="neutral", upload=io.BytesIO(FACE.read_bytes()))
    failing = ("show_teeth", "lip_down") if graded else ("smile", "pucker")
    services.photo_add(visit=visit, expression=failing[0], upload=io.BytesIO(jpeg_bytes()))
    services.photo_add(visit=visit, expression=failing[1], upload=io.BytesIO(jpeg_bytes(size=(600, 800))))
    run_worker_once()
    assert Photo.objects.filter(visit=visit, status=Status.FAILED).count() == 2
    return patient, question


OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"
TILES_INSIDE = """() => {
  const grid = document.querySelector('.photo-grid').getBoundingClientRect();
  const column = document.querySelector('.layout__side');
  const side = column ? column.getBoundingClientRect() : {left: 0, right: 0, top: 0, bottom: 0};
  const meets = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5
    && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
  const bad = [];
  const tiles = [...document.querySelectorAll('.photo-tile')];
  tiles.forEach((tile, i) => {
    // the tile and everything in it (file input, button, long words) stay inside the grid
    [tile, ...tile.querySelectorAll('*')].forEach(el => {
      const r = el.getBoundingClientRect();
      if (r.width && (r.right > grid.right + 0.5 || r.left < grid.left - 0.5)) bad.push(`tile ${i}: ${el.tagName} sticks out`);
      if (r.width && meets(r, side)) bad.push(`tile ${i}: ${el.tagName} runs into the side column`);
    });
    const t = tile.getBoundingClientRect();
    tiles.slice(i + 1).forEach((other, j) => {
      if (meets(t, other.getBoundingClientRect())) bad.push(`tiles ${i} and ${i + j + 1} overlap`);
    });
  });
  return bad;
}"""


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("who", ["patient", "doctor"])
def test_a_failed_photo_keeps_its_tile_in_the_grid(new_page: Any, live_server: Any, width: int, who: str) -> None:
    """A tile with an error message and a retake form stays as wide as the others: no tile overlaps another
    or the side column, and the page never scrolls sideways (also after a reload)."""
    patient, question = _thread_with_a_failed_photo()
    viewer = patient if who == "patient" else DoctorProfileFactory().user
    if who == "doctor":
        # the longest message a tile may hold, with long unbroken words (error and hint are 300 characters at most)
        Photo.objects.filter(visit__question=question, expression="pucker").update(error=("x" * 60 + " ") * 4 + "end.")
        # The doctor has looked at these photos before (logged, tests/consult/photos): the thumbnails, fetched
        # at once, write no new log entry, which the live server's in-memory SQLite could not take from
        # several threads at the same time ("database table is locked"; the file database waits instead).
        for photo in Photo.objects.filter(visit__question=question):
            for kind in ("thumbnail", "image", "overlay"):
                services.access_record(viewer=viewer, visits=[photo.visit], kind=kind, photo=photo)
    page = new_page(viewport={"width": width, "height": 900})
    login(page, live_server, viewer)
    for _ in range(2):  # the first visit, then a reload
        page.goto(question.get_absolute_url())
        expect(page.locator("#photos")).to_contain_text("Not measured")
        assert page.evaluate(OVERFLOW) <= 0, f"the page scrolls sideways by {page.evaluate(OVERFLOW)} px"
        assert page.evaluate(TILES_INSIDE) == []
    if who == "patient":
        name = "thread-failed-photo-phone.png" if width == 390 else "thread-failed-photo-desktop.png"
        page.locator("#photos").screenshot(path=str(SCREENSHOTS / name))
    page.goto(Visit.objects.get(question=question).get_absolute_url())  # the full report: the same tiles
    assert page.evaluate(OVERFLOW) <= 0, f"the report scrolls sideways by {page.evaluate(OVERFLOW)} px"


@pytest.mark.parametrize("width", [390, 1280])
def test_thread_and_report_pass_axe_for_patient_and_doctor(new_page: Any, live_server: Any, browser: Any, width: int) -> None:
    """Every axe rule, any impact, on the thread with a report and on the report page, as the patient and as a
    doctor: the scrolling measurement tables are keyboard-reachable named regions, headings go in order."""
    patient, question = _thread_with_a_failed_photo(graded=True)
    doctor = DoctorProfileFactory().user
    visit = Visit.objects.get(question=question)
    for photo in Photo.objects.filter(visit=visit):  # see test_a_failed_photo_keeps_its_tile_in_the_grid
        for kind in ("thumbnail", "image", "overlay"):
            services.access_record(viewer=doctor, visits=[visit], kind=kind, photo=photo)
    viewport = {"width": width, "height": 900}
    for user in (patient, doctor):
        page = new_page(viewport=viewport)
        login(page, live_server, user)
        for path in (question.get_absolute_url(), visit.get_absolute_url()):
            violations = run_axe(browser, live_server, path, viewport=viewport, cookies=page.context.cookies(),
                                 impacts=None)
            assert not violations, f"{user.role} {path}: {describe_violations(violations)}"
    # a scrolling table is reached with the keyboard and says what it holds
    page.goto(visit.get_absolute_url())
    scroller = page.locator(".table-wrap").first
    assert scroller.get_attribute("tabindex") == "0" and scroller.get_attribute("role") == "region"
    assert "Score items" in (scroller.get_attribute("aria-label") or "")
    assert "Neutral" in (page.locator(".report__photo .table-wrap").first.get_attribute("aria-label") or "")


@pytest.mark.parametrize("width", [390, 1280])
def test_photo_guide_shows_an_example_per_expression_and_a_legible_overlay(
    new_page: Any, live_server: Any, browser: Any, width: int
) -> None:
    page = new_page(viewport={"width": width, "height": 900})
    page.goto("/photos/guide/")
    examples = page.locator(".guide__expression img")
    assert examples.count() == 5  # the five expressions the scores need (composite faces of nobody)
    for img in [*examples.all(), page.locator(".guide__example img")]:
        img.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
    # the overlay is shown at (nearly) its own size on a desktop, so its labels keep their pixel size
    shown = page.evaluate("() => { const i = document.querySelector('.guide__example img'); return i.clientWidth / i.naturalWidth; }")
    assert shown >= (0.65 if width == 390 else 0.9), shown
    assert page.evaluate(OVERFLOW) <= 0
    violations = run_axe(browser, live_server, "/photos/guide/", viewport={"width": width, "height": 900}, impacts=None)
    assert not violations, describe_violations(violations)
