"""A doctor in Germany signs up, staff verify the national registration, a patient finds her by country and region
and reads her byline (issue 13 review), in a real Chromium with the page's script."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from consult.accounts.models import Role
from consult.doctors.models import DoctorProfile
from consult.questions import services as question_services
from tests.browser.conftest import describe_violations, login, run_axe
from tests.factories import StaffFactory, TagFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_german_doctor_signs_up_is_verified_and_patients_find_her_by_country_and_region(
    new_page: Any, live_server: Any, browser: Any
) -> None:
    doctor_user = UserFactory(role=Role.DOCTOR, email="lena@example.com")
    page = new_page()
    login(page, live_server, doctor_user)
    page.goto("/doctors/me/")
    page.get_by_label("Full name").fill("Lena Hartwig")
    page.get_by_label("Credentials").fill("MD")
    page.get_by_label("Specialty").select_option("neurology")
    # The US fields show while the country is the US (the default), the others once she picks Germany.
    expect(page.get_by_label("State (US practices)")).to_be_visible()
    expect(page.get_by_label("Region, province or state (outside the US)")).to_be_hidden()
    page.get_by_label("Practice country").select_option("DE")
    expect(page.get_by_label("State (US practices)")).to_be_hidden()
    expect(page.get_by_label("Licence state (US licences)")).to_be_hidden()
    expect(page.get_by_label("State medical licence number (US licences)")).to_be_hidden()
    expect(page.get_by_label("Issuing region (licences outside the US)")).to_be_visible()
    page.get_by_label("Practice city").fill("Munich")
    page.get_by_label("Region, province or state (outside the US)").fill("Bavaria")
    page.get_by_label("NPI or national registration number").fill("DE-EFN 2761 4400")
    page.get_by_label("Issuing region (licences outside the US)").fill("Bavaria")
    page.get_by_role("button", name="Submit for verification").click()
    expect(page.get_by_role("heading", name="Waiting for verification")).to_be_visible()
    profile = DoctorProfile.objects.get(user=doctor_user)
    assert (profile.country, profile.state, profile.registration_country) == ("DE", "Bavaria", "DE")
    # Editing again shows what she entered in the fields she used, still the non-US ones.
    page.goto("/doctors/me/")
    expect(page.get_by_label("Region, province or state (outside the US)")).to_have_value("Bavaria")
    expect(page.get_by_label("State (US practices)")).to_be_hidden()
    violations = run_axe(browser, live_server, "/doctors/me/", cookies=page.context.cookies())
    assert not violations, describe_violations(violations)

    staff_page = new_page()
    login(staff_page, live_server, StaffFactory())
    staff_page.goto("/doctors/verification/")
    item = staff_page.locator(f"#profile-{profile.pk}")
    expect(item).to_contain_text("DE-EFN 2761 4400 (Bavaria, Germany)")
    expect(item).to_contain_text("Munich, Bavaria, Germany")
    expect(item).to_contain_text("no register link on file for Germany")
    expect(item).not_to_contain_text("Licence state")
    staff_page.get_by_role("button", name="Approve Dr. Lena Hartwig, MD").click()
    expect(staff_page.locator(f"#profile-{profile.pk}")).to_have_count(0)

    tag = TagFactory(slug="synkinesis", name="Synkinesis")
    question = question_services.question_create(
        author=UserFactory(), title="Is synkinesis treatable five years on?", body="Five years after Bell's palsy.",
        tags=[tag], display_name="Sam",
    )
    profile.refresh_from_db()
    question_services.answer_create(doctor=profile, question=question, headline="Yes: retraining first", body="Text")

    patient = new_page()
    patient.goto("/doctors/")
    expect(patient.get_by_label("Region (outside the US)")).to_be_hidden()  # no country chosen yet
    patient.get_by_label("Country").select_option("DE")
    expect(patient.get_by_label("State (US)")).to_be_hidden()
    patient.get_by_label("Region (outside the US)").fill("bavaria")
    patient.get_by_role("button", name="Show doctors").click()
    card = patient.locator(".doctor-card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Munich, Germany")
    card.get_by_role("link", name=re.compile("Lena Hartwig")).click()
    expect(patient.locator(".doctor-profile__meta")).to_contain_text("Munich, Bavaria, Germany")
    patient.goto(question.get_absolute_url())
    expect(patient.locator(".byline__detail").first).to_contain_text("Neurology · Munich, Germany")
