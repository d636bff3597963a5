"""Search in a real Chromium: from the header of any page, and similar questions while typing a title."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from consult.questions import services as question_services
from tests.browser.conftest import SCREENSHOTS, describe_violations, login, run_axe
from tests.factories import DoctorProfileFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _ask(title: str, body: str = "Since my palsy last year.") -> Any:
    return question_services.question_create(author=UserFactory(), title=title, body=body, tags=[], display_name="Sam")


@pytest.mark.parametrize("width", [390, 1280])
def test_search_from_the_header_shows_highlighted_results(new_page: Any, live_server: Any, browser: Any, width: int) -> None:
    question = _ask("Crooked smile after Botox: how long will it last?", body="My left lip does not lift.")
    question_services.answer_create(
        doctor=DoctorProfileFactory(), question=question, headline="It usually wears off", body="In about three months."
    )
    _ask("Dry eye at night after Bell's palsy")
    page = new_page(viewport={"width": width, "height": 900})
    page.goto("/doctors/")
    box = page.get_by_role("searchbox", name="Search questions, answers, doctors and treatments")
    box.fill("crooked botox")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=crooked\+botox"))
    results = page.locator(".search-results")
    expect(results.get_by_role("link", name=re.compile("Crooked smile after Botox"))).to_be_visible()
    expect(results.locator("mark").first).to_have_text(re.compile("crooked|botox", re.I))
    expect(results).not_to_contain_text("Dry eye")
    # Filters narrow without a new query; the page never scrolls sideways.
    page.get_by_text("Filters").click()
    page.get_by_label("Questions", exact=True).select_option(label="Unanswered")
    page.locator("main").get_by_role("button", name="Search", exact=True).click()
    expect(page.locator(".empty")).to_contain_text("Nothing matched with these filters")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.goto("/search/?q=crooked+botox")
    suffix = "phone" if width == 390 else "desktop"
    page.screenshot(path=str(SCREENSHOTS / f"search-{suffix}.png"))
    violations = run_axe(browser, live_server, "/search/?q=crooked+botox", viewport={"width": width, "height": 900})
    assert not violations, describe_violations(violations)


def test_similar_questions_appear_while_a_title_is_typed(new_page: Any, live_server: Any) -> None:
    existing = _ask("Can Botox fix a crooked smile after Bell's palsy?")
    _ask("Which sunscreen after laser resurfacing?")
    page = new_page()
    login(page, live_server, UserFactory())
    page.goto("/questions/ask/")
    title = page.get_by_label("Title")
    title.press_sequentially("crooked smile after bells", delay=30)
    similar = page.locator("#similar-questions")
    expect(similar.get_by_role("heading", name=re.compile("Similar questions"))).to_be_visible()
    link = similar.get_by_role("link", name="Can Botox fix a crooked smile after Bell's palsy?")
    expect(link).to_have_attribute("href", existing.get_absolute_url())
    expect(similar).not_to_contain_text("sunscreen")
    page.screenshot(path=str(SCREENSHOTS / "ask-similar-desktop.png"))
    # Clearing the title clears the suggestions.
    title.fill("")
    title.press("Backspace")
    expect(similar.get_by_role("heading")).to_have_count(0)
