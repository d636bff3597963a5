"""/api/docs: Swagger UI renders the API's operations from this site alone (no CDN, no other origin), under the
site's strict Content-Security-Policy with no violation (the ``page`` fixture fails on any console error), and
"Try it out" with a personal token reaches the API."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest

from consult.accounts.tokens import token_create
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_renders_every_operation_from_local_assets_under_the_csp(page: Any, live_server: Any) -> None:
    origins: set[str] = set()
    page.on("request", lambda request: origins.add(urlparse(request.url).netloc))
    response = page.goto("/api/docs", wait_until="load")
    assert response is not None and response.status == 200
    policy = response.headers["content-security-policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/questions" in paths and "/api/v1/me/measurements" in paths
    assert origins == {urlparse(live_server.url).netloc}, origins


def test_try_it_out_with_a_token(page: Any) -> None:
    user = UserFactory(display_name="Swagger Reader")
    secret = token_create(user=user, name="browser").secret
    page.goto("/api/docs", wait_until="load")
    page.locator("button.authorize").click()
    page.locator("input[type=text]").first.fill(secret)
    page.locator(".auth-btn-wrapper button.authorize").first.click()
    page.locator("button.btn-done").first.click()
    operation = page.locator("#operations-me-me")
    operation.locator(".opblock-summary").click()
    operation.locator("button.try-out__btn").click()
    operation.locator("button.execute").click()
    status = operation.locator(".live-responses-table tbody td.response-col_status").first
    status.wait_for()
    assert status.inner_text().strip().startswith("200")
    assert "Swagger Reader" in operation.locator(".live-responses-table .microlight").first.inner_text()
