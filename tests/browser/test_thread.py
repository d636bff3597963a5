"""The question thread as a person uses it, in a real Chromium: ask, answer, vote, read."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from consult.questions.models import Answer, HelpfulVote, Question
from tests.browser.conftest import SCREENSHOTS, describe_violations, login, run_axe
from tests.factories import (
    PASSWORD,
    AnswerFactory,
    DoctorProfileFactory,
    QuestionFactory,
    TagFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def thread() -> Question:
    """A question with two answers by verified doctors, one of them with reviews."""
    tag = TagFactory(name="Synkinesis", slug="synkinesis")
    question = QuestionFactory(title="My eye closes when I smile, two years after Bell's palsy")
    question.tags.add(tag)
    reviewed = DoctorProfileFactory(
        full_name="Morgan Vale", credentials="MD, FACS", city="Portland", state="OR",
        rating_avg=Decimal("4.1"), review_count=9,
    )
    AnswerFactory(question=question, doctor=reviewed, headline="This is synkinesis and it is treatable")
    AnswerFactory(question=question, headline="Ask for a facial therapy referral first")
    Question.objects.filter(pk=question.pk).update(answer_count=2)
    question.refresh_from_db()
    return question


def test_patient_signs_in_and_asks_a_question(page: Any, live_server: Any) -> None:
    UserFactory(email="asker@example.com", display_name="Robin P.")
    TagFactory(name="Facial paralysis", slug="facial-paralysis")

    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill("asker@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".user-menu summary")).to_contain_text("Robin P.")

    page.goto("/questions/ask/")
    # Bad input first: the form answers with messages, nothing is lost.
    page.get_by_label("Title").fill("Why?")
    page.get_by_role("button", name="Post my question").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Why?")

    page.get_by_label("Title").fill("Will my smile come back after Bell's palsy?")
    page.get_by_label("Details").fill(
        "Three weeks ago the left side of my face stopped moving. I can't close my left eye fully."
    )
    page.get_by_label("Facial paralysis").check()
    page.get_by_label("Name shown with your question").fill("Robin")
    page.get_by_role("button", name="Post my question").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Will my smile come back after Bell's palsy?")
    expect(page).to_have_url(re.compile(r"/questions/\d+/will-my-smile-come-back-after-bells-palsy/$"))
    expect(page.get_by_role("heading", name=re.compile("Doctor Answers"))).to_contain_text("0")
    expect(page.get_by_role("heading", name="Medical disclaimer")).to_be_visible()
    assert Question.objects.get().display_name == "Robin"


def test_verified_doctor_answers_with_live_preview(page: Any, live_server: Any, thread: Question) -> None:
    doctor = DoctorProfileFactory(
        full_name="Casey Rowan", credentials="MD", city="Austin", state="TX", specialty="oculoplastic"
    )
    login(page, live_server, doctor.user)
    page.goto(thread.get_absolute_url())

    page.get_by_role("textbox", name="Headline").fill("Selective Botox can relax the eye during a smile")
    page.get_by_role("textbox", name="Answer", exact=True).fill("Synkinesis is **common** after Bell's palsy.\n\n- facial retraining\n- Botox")
    preview = page.locator("[data-md-preview]")
    expect(preview.locator("strong")).to_have_text("common")
    expect(preview.locator("li")).to_have_count(2)

    page.get_by_role("button", name="Publish answer").click()
    answer = page.locator("article.answer", has_text="Selective Botox can relax the eye during a smile")
    expect(answer).to_be_visible()
    expect(answer.locator(".answer__body strong")).to_have_text("common")
    expect(answer).to_contain_text("Dr. Casey Rowan, MD")
    expect(answer).to_contain_text("Austin, TX")
    expect(answer).to_contain_text("Oculoplastic surgery")
    expect(answer).to_contain_text("No reviews yet")
    expect(page.get_by_role("heading", name=re.compile("Doctor Answers"))).to_contain_text("3")
    assert Answer.objects.filter(doctor=doctor, question=thread).count() == 1


def test_helpful_vote_updates_in_place_and_persists(page: Any, live_server: Any, thread: Question) -> None:
    voter = UserFactory()
    answer = thread.answers.get(headline="This is synkinesis and it is treatable")
    login(page, live_server, voter)
    page.goto(thread.get_absolute_url())
    page.evaluate("window.__noReload = true")  # survives only if the page is not reloaded

    widget = page.locator(f"#vote-{answer.pk}")
    button = widget.get_by_role("button", name="Helpful")
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(widget.locator("[data-vote-count]")).to_have_text("0")

    button.click()
    expect(page.locator(f"#vote-{answer.pk} [data-vote-count]")).to_have_text("1")
    expect(page.locator(f"#vote-{answer.pk}").get_by_role("button", name="Helpful")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert page.evaluate("window.__noReload") is True
    assert HelpfulVote.objects.filter(answer=answer, user=voter).exists()

    page.locator(f"#vote-{answer.pk}").get_by_role("button", name="Helpful").click()
    expect(page.locator(f"#vote-{answer.pk} [data-vote-count]")).to_have_text("0")
    assert page.evaluate("window.__noReload") is True

    page.locator(f"#vote-{answer.pk}").get_by_role("button", name="Helpful").click()
    expect(page.locator(f"#vote-{answer.pk} [data-vote-count]")).to_have_text("1")
    page.reload()
    expect(page.locator(f"#vote-{answer.pk} [data-vote-count]")).to_have_text("1")
    answer.refresh_from_db()
    assert answer.helpful_count == 1


def test_helpful_vote_works_without_javascript(new_page: Any, live_server: Any, thread: Question) -> None:
    page = new_page(java_script_enabled=False)
    voter = UserFactory()
    answer = thread.answers.get(headline="This is synkinesis and it is treatable")
    login(page, live_server, voter)
    page.goto(thread.get_absolute_url())
    page.locator(f"#vote-{answer.pk}").get_by_role("button", name="Helpful").click()
    expect(page.locator(f"#vote-{answer.pk} [data-vote-count]")).to_have_text("1")
    expect(page).to_have_url(re.compile(re.escape(thread.get_absolute_url())))
    answer.refresh_from_db()
    assert answer.helpful_count == 1


def test_anonymous_reader_sees_byline_disclaimer_and_structured_data(
    page: Any, live_server: Any, thread: Question
) -> None:
    page.goto(f"/questions/{thread.pk}/an-old-slug/")
    expect(page).to_have_url(re.compile(re.escape(thread.get_absolute_url()) + "$"))

    byline = page.locator("article.answer", has_text="This is synkinesis and it is treatable").locator(".byline")
    expect(byline).to_contain_text("Dr. Morgan Vale, MD, FACS")
    expect(byline).to_contain_text("Portland, OR")
    expect(byline).to_contain_text("4.1 out of 5 stars")
    expect(byline).to_contain_text("9 reviews")
    expect(byline.get_by_role("link", name=re.compile("Morgan Vale"))).to_have_attribute(
        "href", re.compile(r"/doctors/morgan-vale/")
    )
    expect(page.get_by_role("heading", name="Medical disclaimer")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in to vote").first).to_be_visible()

    data = json.loads(page.locator('script[type="application/ld+json"]').first.text_content())
    assert data["@type"] == "QAPage"
    assert data["mainEntity"]["name"] == thread.title
    assert data["mainEntity"]["answerCount"] == 2
    assert len(data["mainEntity"]["suggestedAnswer"]) == 2


def test_thread_page_has_no_serious_accessibility_violations(
    browser: Any, live_server: Any, thread: Question
) -> None:
    for viewport in ({"width": 1280, "height": 900}, {"width": 390, "height": 844}):
        violations = run_axe(browser, live_server, thread.get_absolute_url(), viewport=viewport)
        assert violations == [], describe_violations(violations)


def test_thread_screenshots_desktop_and_phone(new_page: Any, live_server: Any, thread: Question) -> None:
    """Takes the README screenshots, and checks the phone layout never scrolls sideways."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    desktop = new_page(viewport={"width": 1280, "height": 900})
    desktop.goto(thread.get_absolute_url())
    desktop.screenshot(path=str(SCREENSHOTS / "thread-desktop.png"), full_page=True)

    phone = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2)
    phone.goto(thread.get_absolute_url())
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page is {overflow}px wider than the phone screen"
    phone.screenshot(path=str(SCREENSHOTS / "thread-phone.png"), full_page=True)
