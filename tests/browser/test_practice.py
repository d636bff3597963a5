"""Issue 13's new flows in a real Chromium: a doctor posts a before/after pair, the worker measures it, it shows on
the profile and the treatment page with the measured change, and consent withdrawal takes it down; a patient
requests a consultation from a profile and the doctor reads and answers it from the dashboard."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import expect

from consult.practice import work
from consult.practice.models import GalleryPair, PairStatus
from consult.practice.services import gallery_storage
from consult.reviews.models import Treatment
from tests.browser.conftest import describe_violations, login, run_axe
from tests.factories import DoctorProfileFactory, TagFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FACE = Path(__file__).resolve().parents[1] / "fixtures" / "faces" / "obama_official_portrait_2012.jpg"


@pytest.fixture(autouse=True)
def photo_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                   "OPTIONS": {"location": str(tmp_path / "photos"), "base_url": None}},
    }


@pytest.fixture
def small_face(tmp_path) -> Path:
    with Image.open(FACE) as image:
        image = image.convert("RGB")
        image.thumbnail((640, 640))
        path = tmp_path / "face.jpg"
        image.save(path, format="JPEG", quality=90)
    return path


def test_doctor_posts_a_before_after_pair_and_takes_it_down_when_consent_is_withdrawn(
    new_page: Any, live_server: Any, browser: Any, small_face: Path
) -> None:
    tag = TagFactory(slug="botox", name="Botox")
    Treatment.objects.create(slug="botox", name="Botox", summary="Botox.", description="About Botox.", tag=tag)
    doctor = DoctorProfileFactory(full_name="Iris Calloway")
    page = new_page()
    login(page, live_server, doctor.user)
    page.goto(f"/doctors/{doctor.slug}/")
    page.get_by_role("link", name="Manage your before/after gallery").click()
    expect(page).to_have_url(re.compile(r"/practice/gallery/$"))
    page.get_by_label("Treatment", exact=True).select_option(label="Botox")
    page.set_input_files("#id_before", str(small_face))
    page.set_input_files("#id_after", str(small_face))
    page.get_by_label("Blur the eyes").check()
    page.get_by_label("Caption").fill("Four months after two sessions for synkinesis.")
    page.get_by_label("How the consent was recorded").fill("Signed photo release kept in the chart")
    page.get_by_label("Consent given on").fill("2025-11-02")
    page.get_by_role("button", name="Upload and measure").click()  # refused: consent not confirmed
    expect(page.locator("#id_consent_confirmed_error")).to_contain_text("written consent")
    assert not GalleryPair.objects.exists()
    page.set_input_files("#id_before", str(small_face))
    page.set_input_files("#id_after", str(small_face))
    page.get_by_label("The patient gave written consent to publishing these photos on Consult").check()
    page.get_by_role("button", name="Upload and measure").click()
    expect(page.locator("#pairs-heading")).to_be_visible()
    expect(page.locator(".gallery-admin")).to_contain_text("Waiting to be measured")

    pair = GalleryPair.objects.get()
    assert work.measure_pair(pair.pk) == "done"  # what the background worker runs
    pair.refresh_from_db()
    before = pair.measures["before"]["commissure_height"]["deviation"]
    after = pair.measures["after"]["commissure_height"]["deviation"]

    visitor = new_page()
    for path in (f"/doctors/{doctor.slug}/", "/treatments/botox/"):
        visitor.goto(path)
        figure = visitor.locator(f"#pair-{pair.pk}")
        expect(figure).to_be_visible()
        expect(figure.get_by_role("row", name=re.compile("Mouth-corner height difference"))).to_contain_text(
            f"{before:.1f} mm"
        )
        expect(figure).to_contain_text(f"{after:.1f} mm")
        expect(figure.get_by_role("img", name=re.compile("^After botox"))).to_be_visible()
        # the photos really load (served through the permission-checked view)
        assert figure.locator("img").first.evaluate("img => img.complete && img.naturalWidth > 0")
        violations = run_axe(browser, live_server, path)
        assert not violations, f"{path}: {describe_violations(violations)}"
    violations = run_axe(browser, live_server, "/practice/gallery/", cookies=page.context.cookies())
    assert not violations, describe_violations(violations)

    page.goto("/practice/gallery/")
    page.get_by_role("button", name=re.compile("Consent withdrawn: take down")).click()
    expect(page.locator(".gallery-admin")).to_contain_text("Consent withdrawn")
    assert GalleryPair.objects.get().status == PairStatus.WITHDRAWN
    visitor.goto(f"/doctors/{doctor.slug}/")
    expect(visitor.locator(f"#pair-{pair.pk}")).to_have_count(0)


def test_patient_requests_a_consultation_and_the_doctor_answers_from_the_dashboard(
    new_page: Any, live_server: Any, browser: Any
) -> None:
    doctor = DoctorProfileFactory(full_name="Ada Calloway", practice_name="Calloway Clinic")
    patient = UserFactory(display_name="Robin P.")
    page = new_page()
    login(page, live_server, patient)
    page.goto(f"/doctors/{doctor.slug}/")
    page.get_by_role("link", name="Request a consultation").click()
    expect(page.get_by_role("heading", name="Request a consultation")).to_be_visible()
    violations = run_axe(browser, live_server, f"/practice/consult/{doctor.slug}/", cookies=page.context.cookies())
    assert not violations, describe_violations(violations)
    page.get_by_label("Subject").fill("Synkinesis after Bell palsy")
    page.get_by_label("Your message").fill("My left eye closes when I smile. Could I book a visit to discuss Botox?")
    page.get_by_label("A reply here on Consult").check()
    page.get_by_role("button", name="Send to the practice").click()
    expect(page.get_by_role("heading", name="Synkinesis after Bell palsy")).to_be_visible()
    expect(page.get_by_text("No reply yet")).to_be_visible()
    request_url = page.url

    doctor_page = new_page()
    login(doctor_page, live_server, doctor.user)
    doctor_page.goto("/dashboard/")
    requests = doctor_page.locator("#consultations")
    expect(requests).to_contain_text("1 new")
    violations = run_axe(browser, live_server, "/dashboard/", cookies=doctor_page.context.cookies())
    assert not violations, describe_violations(violations)
    requests.get_by_role("link", name="Synkinesis after Bell palsy").click()
    expect(doctor_page.get_by_text("My left eye closes when I smile.")).to_be_visible()
    doctor_page.get_by_label("Your reply").fill("Yes: please call the office and mention this message.")
    doctor_page.get_by_role("button", name="Send reply").click()
    expect(doctor_page.get_by_text("Reply from Dr. Ada Calloway")).to_be_visible()

    page.goto(request_url)
    expect(page.get_by_text("please call the office")).to_be_visible()
    # nobody else can open it
    stranger = new_page()
    login(stranger, live_server, UserFactory())
    assert stranger.request.get(request_url).status == 404  # (not navigated: a 404 page logs a console error)


def test_doctor_uploads_a_licence_scan_and_staff_open_it_from_the_queue(
    new_page: Any, live_server: Any, browser: Any, tmp_path: Path
) -> None:
    from tests.factories import StaffFactory, UnverifiedDoctorProfileFactory

    doctor = UnverifiedDoctorProfileFactory(full_name="Noor Haddad", license_state="TX", license_number="TX-48213")
    scan = tmp_path / "texas licence.pdf"
    scan.write_bytes(b"%PDF-1.4\n% a scanned licence\n")
    page = new_page()
    login(page, live_server, doctor.user)
    page.goto("/doctors/me/")
    section = page.locator("#licence-documents")
    section.get_by_label("Licence document").set_input_files(str(scan))
    section.get_by_role("button", name="Upload document").click()
    expect(page.locator("#licence-documents")).to_contain_text("texas licence.pdf")
    violations = run_axe(browser, live_server, "/doctors/me/", cookies=page.context.cookies())
    assert not violations, describe_violations(violations)

    staff = new_page()
    login(staff, live_server, StaffFactory())
    staff.goto("/doctors/verification/")
    item = staff.locator(".queue-item", has_text="Noor Haddad")
    expect(item.get_by_role("link", name=re.compile("Texas Medical Board"))).to_have_attribute(
        "href", "https://profile.tmb.state.tx.us/"
    )
    response = staff.request.get(item.get_by_role("link", name="texas licence.pdf").get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF-")
    assert page.request.get(item.get_by_role("link", name="texas licence.pdf").get_attribute("href")).status == 403


def test_doctor_drags_a_crop_on_the_preview_and_only_the_cropped_part_is_stored_and_measured(
    new_page: Any, live_server: Any, browser: Any, small_face: Path
) -> None:
    tag = TagFactory(slug="botox", name="Botox")
    Treatment.objects.create(slug="botox", name="Botox", summary="Botox.", description="About Botox.", tag=tag)
    doctor = DoctorProfileFactory(full_name="Iris Calloway")
    page = new_page()
    login(page, live_server, doctor.user)
    page.goto("/practice/gallery/")
    preview = page.locator("[data-crop-preview='before'] canvas")
    expect(preview).to_be_hidden()  # nothing to show before a photo is chosen
    page.set_input_files("#id_before", str(small_face))
    expect(preview).to_be_visible()
    preview.scroll_into_view_if_needed()  # the mouse works in the viewport's coordinates
    box = preview.bounding_box()
    assert box and box["width"] > 100
    # drag from 10 % / 5 % to 90 % / 95 % of the photo
    page.mouse.move(box["x"] + 0.10 * box["width"], box["y"] + 0.05 * box["height"])
    page.mouse.down()
    page.mouse.move(box["x"] + 0.50 * box["width"], box["y"] + 0.50 * box["height"], steps=4)
    page.mouse.move(box["x"] + 0.90 * box["width"], box["y"] + 0.95 * box["height"], steps=4)
    page.mouse.up()
    values = [float(page.locator(f"#id_before_crop_{part}").input_value()) for part in "xywh"]
    for got, wanted in zip(values, (10, 5, 80, 90), strict=True):
        assert abs(got - wanted) <= 1.5, values
    violations = run_axe(browser, live_server, "/practice/gallery/", cookies=page.context.cookies())
    assert not violations, describe_violations(violations)
    # "Clear the crop" empties the numbers; typing them works as well as dragging
    page.get_by_role("button", name="Clear the crop").first.click()
    expect(page.locator("#id_before_crop_w")).to_have_value("")
    preview.scroll_into_view_if_needed()
    box = preview.bounding_box()
    assert box
    page.mouse.move(box["x"] + 0.10 * box["width"], box["y"] + 0.05 * box["height"])
    page.mouse.down()
    page.mouse.move(box["x"] + 0.90 * box["width"], box["y"] + 0.95 * box["height"], steps=6)
    page.mouse.up()
    page.get_by_label("Treatment", exact=True).select_option(label="Botox")
    page.set_input_files("#id_after", str(small_face))
    page.get_by_label("How the consent was recorded").fill("Signed photo release kept in the chart")
    page.get_by_label("Consent given on").fill("2025-11-02")
    page.get_by_label("The patient gave written consent to publishing these photos on Consult").check()
    page.get_by_role("button", name="Upload and measure").click()
    expect(page.locator(".gallery-admin")).to_contain_text("Cropped before publishing: before photo")

    pair = GalleryPair.objects.get()
    crop = pair.crops["before"]
    assert abs(crop["w"] - 80) <= 1.5 and abs(crop["h"] - 90) <= 1.5 and "after" not in pair.crops
    with Image.open(small_face) as original:
        full = original.size
    with gallery_storage().open(pair.before_original, "rb") as handle, Image.open(handle) as opened:
        stored = opened.size
    width, height = stored
    assert abs(width - crop["w"] / 100 * full[0]) <= 2 and abs(height - crop["h"] / 100 * full[1]) <= 2
    assert work.measure_pair(pair.pk) == "done"  # the engine measured the cropped photo
