"""The progress dashboard in a real Chromium: charts over two measured photo sets, before/after
overlays, logging a treatment, filling the SAQ, and an axe-core check."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.db import transaction
from playwright.sync_api import expect

from consult.photos import services, work
from consult.photos.models import Photo, Visit
from tests.browser.conftest import describe_violations, login, run_axe
from tests.consult.photos.conftest import FACE
from tests.factories import UserFactory

DEMO_FACES = FACE.parents[3] / "consult" / "photos" / "demo_faces"  # composites of nobody (their README)

pytestmark = [pytest.mark.browser, pytest.mark.engine, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def photo_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                   "OPTIONS": {"location": str(tmp_path / "photos"), "base_url": None}},
    }


@pytest.fixture
def patient_with_two_visits():
    patient = UserFactory(display_name="Sam")
    for day in (datetime.date(2026, 2, 1), datetime.date(2026, 6, 1)):
        with transaction.atomic():
            visit = services.visit_create(patient=patient, taken_on=day)
            for expression in ("neutral", "smile"):
                # demo composites (faces of nobody) whose mouth measures the engine trusts: the charts need them
                data = (DEMO_FACES / f"c1_{expression}.jpg").read_bytes()
                services.photo_add(visit=visit, expression=expression, upload=io.BytesIO(data))
    # The worker's task bodies, run here (the live server's test database is not reachable from another process).
    for photo in Photo.objects.all():
        work.measure_photo(photo.pk)
    for visit in Visit.objects.all():
        work.grade_visit(visit.pk)
    return patient


def test_dashboard_charts_treatments_and_questionnaires(new_page: Any, live_server: Any, patient_with_two_visits) -> None:
    page = new_page()
    login(page, live_server, patient_with_two_visits)
    page.goto("/")
    page.locator(".user-menu summary").click()
    page.get_by_role("link", name="My progress").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My progress")

    chart = page.locator("#chart-commissure_rest")
    expect(chart.locator(".chart__point")).to_have_count(2)
    # Before/after overlays really load through the permission-checked file view.
    overlays = page.locator(".compare img")
    expect(overlays).to_have_count(4)
    for i in range(4):
        overlays.nth(i).scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=overlays.nth(i).element_handle())

    page.get_by_label("Treatment", exact=True).select_option("botox")
    page.get_by_label("Date", exact=True).fill("2026-03-02")
    page.get_by_label("Details").fill("Botox, chin")
    page.get_by_role("button", name="Log treatment").click()
    expect(page.locator("body")).to_contain_text("Treatment logged")
    expect(chart.locator(".chart__marker")).to_have_count(1)
    expect(chart).to_contain_text("Botox, chin, 2026-03-02")

    page.get_by_role("link", name="Fill in the SAQ").click()
    for i in range(1, 10):
        page.locator(f"input[name=saq{i}][value='2']").check()
    page.get_by_role("button", name="Save my answers").click()
    expect(page.locator("body")).to_contain_text("SAQ saved: score 40.0 / 100")
    expect(page.locator("#chart-saq .chart__point")).to_have_count(1)
    expect(page.locator("#chart-saq")).to_contain_text("Botox, chin, 2026-03-02")  # same timeline, same marker

    # The chooser compares any two photo sets (here the later one with itself).
    page.get_by_label("Before", exact=True).select_option(label="June 1, 2026")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", name="Before: June 1, 2026")).to_be_visible()
    expect(page.get_by_role("heading", name="After: June 1, 2026")).to_be_visible()
    assert page.errors == []


def test_dashboard_has_no_serious_accessibility_violations(browser: Any, live_server: Any, new_page: Any,
                                                           patient_with_two_visits) -> None:
    page = new_page()
    login(page, live_server, patient_with_two_visits)
    # run_axe opens its own context; hand it the same session cookie.
    violations = run_axe(browser, live_server, "/me/progress/", cookies=page.context.cookies())
    assert violations == [], describe_violations(violations)


@pytest.mark.parametrize("path", ["/me/progress/questionnaires/face/", "/me/progress/photos/delete-all/"])
def test_questionnaire_and_delete_pages_have_no_serious_accessibility_violations(
    browser: Any, live_server: Any, new_page: Any, patient_with_two_visits, path: str
) -> None:
    page = new_page()
    login(page, live_server, patient_with_two_visits)
    violations = run_axe(browser, live_server, path, cookies=page.context.cookies())
    assert violations == [], describe_violations(violations)


@pytest.mark.parametrize("width", [390, 1280])
def test_before_and_after_sit_side_by_side_and_charts_fit(new_page: Any, live_server: Any, browser: Any,
                                                         patient_with_two_visits, width: int) -> None:
    """Issue 12: on a phone the two overlays of an expression are side by side (same row, before on the
    left), nothing scrolls sideways, the unit label is inside its chart, and no axe violation of any impact."""
    from tests.browser.conftest import SCREENSHOTS

    page = new_page(viewport={"width": width, "height": 900})
    login(page, live_server, patient_with_two_visits)
    page.goto("/me/progress/")
    row = page.locator(".compare__row").first
    expect(row.locator("img")).to_have_count(2)
    before, after = (row.locator("img").nth(i).bounding_box() for i in range(2))
    assert before and after
    assert abs(before["y"] - after["y"]) < 1 and before["x"] + before["width"] <= after["x"]
    assert before["width"] > min(width * 0.3, 300)  # big enough to compare
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # Every unit label ("mm", "degrees", "score") lies inside its chart.
    units = page.locator(".chart__unit")
    assert units.count() >= 2
    for i in range(units.count()):
        box = units.nth(i).bounding_box()
        chart = units.nth(i).locator("xpath=ancestor::*[local-name()='svg']").bounding_box()
        assert box and chart and box["x"] >= chart["x"] and box["x"] + box["width"] <= chart["x"] + chart["width"]
    name = "progress-phone.png" if width == 390 else "progress-desktop.png"
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)
    violations = run_axe(browser, live_server, "/me/progress/", viewport={"width": width, "height": 900},
                         cookies=page.context.cookies(), impacts=None)
    assert violations == [], describe_violations(violations)
