"""Doctor sign-up and verification, and reporting + hiding content, in a real Chromium."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect

from consult.doctors.models import DoctorProfile, VerificationDecision
from consult.moderation.models import Flag
from consult.questions.models import Question
from tests.browser.conftest import login
from tests.factories import AnswerFactory, ModeratorFactory, QuestionFactory, StaffFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_doctor_signs_up_is_verified_by_staff_then_can_answer(new_page: Any, live_server: Any) -> None:
    question = QuestionFactory(title="Can a brow lift fix a droopy brow after facial palsy?")

    doctor_page = new_page()
    doctor_page.goto("/accounts/signup/")
    doctor_page.get_by_label("E-mail address").fill("new.doctor@example.com")
    doctor_page.get_by_role("button", name=re.compile("send me the link", re.I)).click()
    expect(doctor_page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    link = re.search(r"https?://\S+/accounts/signup/finish/\S+/", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    doctor_page.goto(link.group(0))
    doctor_page.get_by_label("Display name").fill("Dr. Quinn")
    doctor_page.get_by_label("Password", exact=True).fill("a-long-unusual-passphrase-7")
    doctor_page.get_by_label("Password again").fill("a-long-unusual-passphrase-7")
    doctor_page.get_by_label("A doctor").check()
    doctor_page.get_by_label(re.compile("^I agree that Consult stores")).check()
    doctor_page.get_by_role("button", name=re.compile("create|sign up|join", re.I)).click()

    # Doctors land on their profile form.
    doctor_page.get_by_label("Full name").fill("Jordan Quinn")
    doctor_page.get_by_label("Credentials").fill("MD, FACS")
    doctor_page.get_by_label("Specialty").select_option("facial-plastic")
    doctor_page.get_by_label("Practice city").fill("Denver")
    doctor_page.get_by_label("State (US practices)").select_option("CO")
    doctor_page.get_by_label("Medical licence number").fill("CO-123456")
    doctor_page.get_by_label("Licence state").select_option("CO")
    doctor_page.get_by_role("button", name=re.compile("save|submit", re.I)).click()
    profile = DoctorProfile.objects.get(user__email="new.doctor@example.com")
    assert profile.status == "pending"

    # Unverified: the thread says so instead of offering the answer form.
    doctor_page.goto(question.get_absolute_url())
    expect(doctor_page.locator("#answer-form")).to_contain_text(re.compile("verified", re.I))
    expect(doctor_page.get_by_role("button", name="Publish answer")).to_have_count(0)

    staff = StaffFactory()
    staff_page = new_page()
    login(staff_page, live_server, staff)
    staff_page.goto("/doctors/verification/")
    expect(staff_page.get_by_text("CO-123456")).to_be_visible()
    staff_page.get_by_role("button", name="Approve Dr. Jordan Quinn, MD, FACS").click()
    expect(staff_page.get_by_text("CO-123456")).to_have_count(0, timeout=5000)
    decision = VerificationDecision.objects.get(profile=profile)
    assert decision.decided_by == staff and decision.decision == "verified"

    doctor_page.goto(question.get_absolute_url())
    expect(doctor_page.get_by_role("button", name="Publish answer")).to_be_visible()
    doctor_page.goto(f"/doctors/{profile.slug}/")
    expect(doctor_page.get_by_role("heading", level=1)).to_contain_text("Jordan Quinn")


def test_reader_reports_an_answer_and_moderator_hides_it(new_page: Any, live_server: Any) -> None:
    answer = AnswerFactory(headline="Buy my miracle cream at my clinic today")
    # Counters as answer_create would have left them (factories write rows directly).
    Question.objects.filter(pk=answer.question_id).update(answer_count=1)
    DoctorProfile.objects.filter(pk=answer.doctor_id).update(answer_count=1)
    thread_url = answer.question.get_absolute_url()

    reader = new_page()
    login(reader, live_server, UserFactory())
    reader.goto(thread_url)
    article = reader.locator(f"#answer-{answer.pk}")
    article.locator("summary", has_text="Report").click()
    article.get_by_label("Why are you reporting this answer?").select_option("self-promotion")
    article.get_by_role("button", name="Send report").click()
    expect(reader.get_by_text(re.compile("thank", re.I)).first).to_be_visible()
    assert Flag.objects.filter(answer=answer, status="open").count() == 1

    moderator = new_page()
    login(moderator, live_server, ModeratorFactory())
    moderator.goto("/moderation/")
    expect(moderator.get_by_role("link", name="Buy my miracle cream at my clinic today")).to_be_visible()
    moderator.get_by_role("button", name="Hide this answer").click()
    expect(moderator.get_by_role("link", name="Buy my miracle cream at my clinic today")).to_have_count(0)

    anonymous = new_page()
    anonymous.goto(thread_url)
    expect(anonymous.get_by_role("heading", level=1)).to_be_visible()
    expect(anonymous.get_by_text("Buy my miracle cream at my clinic today")).to_have_count(0)
    assert Flag.objects.get(answer=answer).status == "actioned"


def test_the_moderation_log_fits_a_phone_and_names_moderators_by_their_public_name(
    new_page: Any, live_server: Any
) -> None:
    from consult.moderation.models import ModerationAction

    moderator_user = ModeratorFactory(display_name="Mod Rowan")
    answer = AnswerFactory(headline="A long headline " * 6)
    ModerationAction.objects.create(
        moderator=moderator_user, kind="hide", answer=answer, note="Self-promotion: " + "a clinic link " * 10
    )
    page = new_page(viewport={"width": 390, "height": 844})
    login(page, live_server, moderator_user)
    page.goto("/moderation/?tab=log")
    log = page.locator("#log-heading").locator("xpath=..")
    expect(log).to_contain_text("Mod Rowan")
    assert moderator_user.email not in log.inner_text()
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at 390px"
