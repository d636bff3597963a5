"""Account control in the browser (issue 12): a patient deletes their account from settings."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from consult.accounts.models import User
from consult.photos.models import Visit
from consult.progress.models import Treatment
from tests.browser.conftest import describe_violations, login, run_axe
from tests.factories import PASSWORD, QuestionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1280])
def test_a_patient_deletes_their_account_from_settings(new_page: Any, live_server: Any, browser: Any, width: int) -> None:
    patient = UserFactory(email="leaving@example.com", display_name="Robin Leaving")
    question = QuestionFactory(author=patient, display_name="Robin Leaving", title="Will my smile come back?")
    Visit.objects.create(patient=patient, taken_on=datetime.date(2026, 1, 2))
    Treatment.objects.create(patient=patient, kind="botox", date=datetime.date(2026, 3, 2))

    page = new_page(viewport={"width": width, "height": 900})
    login(page, live_server, patient)
    page.goto("/accounts/settings/")
    page.get_by_role("link", name=re.compile("Delete my account")).click()
    expect(page.get_by_role("heading", name="Delete your account")).to_be_visible()
    violations = run_axe(browser, live_server, "/accounts/delete/", viewport={"width": width, "height": 900},
                         cookies=page.context.cookies(), impacts=None)
    assert not violations, describe_violations(violations)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.get_by_label("Your password").fill("not-my-password")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("That is not your current password.")).to_be_visible()
    assert Visit.objects.filter(patient=patient).exists()

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text(re.compile("Your account is deleted"))).to_be_visible()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    assert not Visit.objects.filter(patient=patient).exists() and not Treatment.objects.exists()
    assert User.objects.get(pk=patient.pk).deleted_at is not None

    page.goto(question.get_absolute_url())
    expect(page.get_by_role("heading", name="Will my smile come back?")).to_be_visible()
    expect(page.get_by_text("deleted user").first).to_be_visible()
    expect(page.get_by_text("Robin Leaving")).to_have_count(0)
