"""The inbox in the browser (issue 14): a doctor answers, the worker tells the asker, the header shows the
unread badge, the asker reads the inbox and the badge goes away; following a thread with the htmx button."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from consult.questions import services as question_services
from tests.browser.conftest import SCREENSHOTS, describe_violations, login, run_axe
from tests.factories import DoctorProfileFactory, TagFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def run_worker() -> None:
    call_command("photos_worker", "--once", "--no-warm-up")


@pytest.mark.parametrize("width", [390, 1280])
def test_the_asker_reads_the_inbox_and_the_badge_goes_away(new_page: Any, live_server: Any, browser: Any,
                                                          width: int) -> None:
    asker = UserFactory(display_name="Robin")
    question = question_services.question_create(
        author=asker, title="Will my smile come back after Bell's palsy?", body="It has been six weeks.",
        tags=[TagFactory(slug="bells-palsy", name="Bell's palsy")], display_name="Robin",
    )
    for name in ("Vera Answer", "Omar Second"):
        question_services.answer_create(doctor=DoctorProfileFactory(full_name=name), question=question,
                                        headline=f"Advice from {name}", body="Most people recover within months.")
    run_worker()  # the fan-out (the answers were committed: the jobs are queued)

    page = new_page(viewport={"width": width, "height": 900})
    login(page, live_server, asker)
    page.goto("/")
    inbox_link = page.get_by_role("link", name="Inbox (2 unread)")
    expect(inbox_link).to_be_visible()
    expect(page.locator("#unread-badge .unread-badge__count")).to_have_text("2")
    inbox_link.click()
    expect(page.get_by_role("heading", name="Inbox")).to_be_visible()
    items = page.get_by_role("list", name="Notifications").get_by_role("listitem")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("answered \u201cWill my smile come back after Bell's palsy?\u201d")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    violations = run_axe(browser, live_server, "/notifications/", viewport={"width": width, "height": 900},
                         cookies=page.context.cookies(), impacts=None)
    assert not violations, describe_violations(violations)
    if width == 1280:
        page.screenshot(path=str(SCREENSHOTS / "inbox-desktop.png"))
    else:
        page.screenshot(path=str(SCREENSHOTS / "inbox-phone.png"))

    # one read with htmx: the row and the badge change in place
    items.first.get_by_role("button", name=re.compile("Mark read")).click()
    expect(page.locator("#unread-badge .unread-badge__count")).to_have_text("1")
    expect(page.get_by_role("link", name="Inbox (1 unread)")).to_be_visible()
    expect(page.locator(".inbox-item--unread")).to_have_count(1)
    # the other by following its link: marked read on the way to the answer
    page.locator(".inbox-item--unread .inbox-item__link").click()
    expect(page.get_by_role("heading", name="Will my smile come back after Bell's palsy?")).to_be_visible()
    expect(page.locator("#unread-badge")).to_be_empty()
    expect(page.get_by_role("link", name=re.compile(r"^Inbox$"))).to_be_visible()
    assert not page.errors, page.errors


def test_follow_and_unfollow_a_thread_without_a_reload(new_page: Any, live_server: Any) -> None:
    question = question_services.question_create(
        author=UserFactory(), title="Can a scar on my cheek be revised?", body="It is two years old.",
        tags=[TagFactory(slug="scars", name="Scars")], display_name="Sam",
    )
    reader = UserFactory()
    page = new_page()
    login(page, live_server, reader)
    page.goto(question.get_absolute_url())
    follow = page.get_by_role("button", name="Follow")
    expect(follow).to_have_attribute("aria-pressed", "false")
    follow.click()
    expect(page.get_by_role("button", name="Following")).to_have_attribute("aria-pressed", "true")
    page.reload()
    expect(page.get_by_role("button", name="Following")).to_be_visible()
    page.get_by_role("button", name="Following").click()
    expect(page.get_by_role("button", name="Follow", exact=True)).to_have_attribute("aria-pressed", "false")
    assert not page.errors, page.errors


def test_the_inbox_works_without_javascript_and_hidden_content_leaves_it(new_page: Any, live_server: Any) -> None:
    """With JavaScript off: opening an unread notification is a form button (POST) that goes to the answer and
    clears the badge; a plain link never marks anything read. Then a moderator hides the other answer: its
    notification and its count leave the inbox on the next page load, with no worker run."""
    from consult.moderation import services as moderation_services
    from tests.factories import ModeratorFactory

    asker = UserFactory(display_name="Robin")
    question = question_services.question_create(
        author=asker, title="Can my eyelid close fully again?", body="It has been two months.",
        tags=[TagFactory(slug="bells-palsy", name="Bell's palsy")], display_name="Robin",
    )
    answers = [
        question_services.answer_create(doctor=DoctorProfileFactory(full_name=name), question=question,
                                        headline=f"Advice from {name}", body="Tape the eye at night for now.")
        for name in ("Vera Answer", "Omar Second")
    ]
    run_worker()
    page = new_page(java_script_enabled=False)
    login(page, live_server, asker)
    page.goto("/notifications/")
    expect(page.get_by_role("link", name="Inbox (2 unread)")).to_be_visible()
    vera = page.get_by_role("button", name=re.compile("^Dr. Vera Answer, MD, FACS answered"))
    expect(vera).to_be_visible()
    vera.click()  # a POST without htmx: marked read, then the answer
    expect(page.get_by_role("heading", name="Can my eyelid close fully again?")).to_be_visible()
    assert page.url.endswith(answers[0].get_absolute_url()), page.url
    expect(page.get_by_role("link", name="Inbox (1 unread)")).to_be_visible()
    page.goto("/notifications/")
    expect(page.get_by_role("link", name=re.compile("Vera Answer, MD, FACS answered"))).to_be_visible()

    moderation_services.content_hide(moderator=ModeratorFactory(), answer=answers[1], note="Advertising")
    page.goto("/notifications/")
    expect(page.get_by_text("Omar Second")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile(r"^Inbox$"))).to_be_visible()
    assert not page.errors, page.errors
