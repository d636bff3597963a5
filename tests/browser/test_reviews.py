"""A patient writes a review in a real Chromium and sees it on the profile and the stars update in the byline."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from consult.questions import services as question_services
from consult.reviews.models import Review, Treatment
from tests.browser.conftest import describe_violations, login, run_axe
from tests.factories import DoctorProfileFactory, TagFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_patient_writes_a_review_and_sees_it_on_the_profile_and_the_byline(
    new_page: Any, live_server: Any, browser: Any
) -> None:
    tag = TagFactory(slug="botox", name="Botox")
    Treatment.objects.create(slug="botox", name="Botox", summary="Botox.", description="About Botox.", tag=tag)
    doctor = DoctorProfileFactory(full_name="Iris Calloway")
    question = question_services.question_create(
        author=UserFactory(), title="Does Botox help an eye that closes when I smile?", body="Since my palsy.",
        tags=[tag], display_name="Sam",
    )
    question_services.answer_create(doctor=doctor, question=question, headline="Often, in small doses", body="Yes.")

    page = new_page()
    page.goto(question.get_absolute_url())  # anonymous first: the page is cached with "No reviews yet"
    expect(page.locator(".byline").get_by_text("No reviews yet")).to_be_visible()

    login(page, live_server, UserFactory(display_name="Robin P."))
    page.goto(f"/doctors/{doctor.slug}/")
    page.get_by_role("link", name="Write a review").click()
    page.get_by_label("Treatment", exact=True).select_option(label="Botox")
    page.get_by_label("4 stars: good").check()
    page.get_by_label("Worth It", exact=True).check()
    page.get_by_label("Title").fill("Calm, precise and honest")
    page.get_by_label("Your review").fill("Two small sessions; my eye no longer narrows when I smile.")
    page.get_by_label("Approximate total cost (US dollars)").fill("480")
    page.get_by_role("button", name="Publish review").click()

    review = Review.objects.get()
    expect(page).to_have_url(re.compile(rf"/doctors/{doctor.slug}/#review-{review.pk}$"))
    reviews = page.locator("#reviews")
    expect(reviews.get_by_role("heading", name="Calm, precise and honest")).to_be_visible()
    expect(reviews).to_contain_text("4.0 out of 5 stars")
    expect(reviews).to_contain_text("Robin P.")

    # The byline of the doctor's answer, for this reader and for an anonymous one: stars and count, linked.
    page.goto(question.get_absolute_url())
    byline = page.locator(".byline")
    expect(byline).to_contain_text("4.0 out of 5 stars")
    anonymous = new_page()
    anonymous.goto(question.get_absolute_url())
    expect(anonymous.locator(".byline")).to_contain_text("4.0 out of 5 stars")
    anonymous.locator(".byline").get_by_role("link", name="1 review").click()
    expect(anonymous).to_have_url(re.compile(rf"/doctors/{doctor.slug}/#reviews$"))
    expect(anonymous.locator("#reviews")).to_be_in_viewport()

    for path, cookies in (
        (f"/doctors/{doctor.slug}/", None),
        (f"/reviews/new/{doctor.slug}/", page.context.cookies()),
        ("/treatments/botox/", None),
        ("/treatments/", None),
    ):
        violations = run_axe(browser, live_server, path, cookies=cookies)
        assert not violations, f"{path}: {describe_violations(violations)}"


def test_directory_profile_form_and_headshot_pages_pass_axe(new_page: Any, live_server: Any, browser: Any) -> None:
    doctor = DoctorProfileFactory(full_name="Ada Calloway", practice_name="Calloway Clinic", languages="English")
    page = new_page()
    login(page, live_server, doctor.user)
    page.goto("/doctors/me/")
    expect(page.get_by_label("NPI or national registration number")).to_be_visible()
    page.goto("/practice/headshot/")
    expect(page.get_by_label("Headshot")).to_be_visible()
    for path, cookies in (
        ("/doctors/?sort=rating&city=Austin", None),
        ("/doctors/me/", page.context.cookies()),
        ("/practice/headshot/", page.context.cookies()),
    ):
        violations = run_axe(browser, live_server, path, cookies=cookies)
        assert not violations, f"{path}: {describe_violations(violations)}"
