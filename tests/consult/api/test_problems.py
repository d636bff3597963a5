"""Every error under /api/ is an RFC 9457 problem (application/problem+json): type, title, status, detail,
instance; never an HTML page, never a traceback."""

from __future__ import annotations

import logging

import pytest
from django.test import Client

from tests.factories import QuestionFactory, UserFactory

from .conftest import bearer

pytestmark = pytest.mark.django_db


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["title"] and body["type"]
    assert body["instance"] == response.wsgi_request.path
    return body


def test_unknown_path_is_a_404_problem(client):
    body = _problem(client.get("/api/v1/no-such-thing"), 404)
    assert body["type"] == "about:blank" and body["title"] == "Not Found"
    _problem(client.get("/api/v1/questions/999999"), 404)


def test_wrong_method_is_a_405_problem_with_allow(client):
    response = client.delete("/api/v1/questions")
    _problem(response, 405)
    assert "GET" in response["Allow"] and "POST" in response["Allow"]
    _problem(client.post("/api/v1/openapi.json"), 405)


def test_missing_or_bad_credentials_are_a_401_problem(client):
    body = _problem(client.get("/api/v1/me"), 401)
    assert "token" in body["detail"]
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer cst_nothing_here"})
    _problem(response, 401)
    assert 'error="invalid_token"' in response["WWW-Authenticate"]
    # A bad token on a public read is refused too, never silently anonymous.
    _problem(client.get("/api/v1/questions", headers={"Authorization": "Basic dXNlcjpwYXNz"}), 401)


def test_a_session_write_without_the_csrf_token_is_a_403_problem():
    user = UserFactory()
    answer_question = QuestionFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get("/api/v1/me").status_code == 200  # reads need no token
    body = _problem(client.post(f"/api/v1/questions/{answer_question.pk}/answers", {"headline": "x"},
                                content_type="application/json"), 403)
    assert "CSRF" in body["detail"]
    _problem(client.put(f"/api/v1/questions/{answer_question.pk}/follow"), 403)  # PUT and DELETE too
    client.get("/api/docs")  # sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    response = client.post("/api/v1/answers/1/vote", headers={"X-CSRFToken": token})
    _problem(response, 404)  # past the CSRF check: no such answer


def test_validation_errors_are_a_422_problem_listing_each_field(client):
    user = UserFactory()
    body = _problem(client.post("/api/v1/questions", {"title": "short"}, content_type="application/json",
                                headers=bearer(user)), 422)
    assert body["type"] == "tag:consult,2026:problem/validation-error"
    fields = {tuple(e["loc"])[-1] for e in body["errors"]}
    assert {"title", "body", "tags", "display_name"} <= fields
    _problem(client.get("/api/v1/questions", {"kind": "oldest"}), 422)


def test_a_body_that_is_not_json_is_a_400_problem(client):
    _problem(client.post("/api/v1/questions", "{not json", content_type="application/json",
                         headers=bearer(UserFactory())), 400)


def test_over_the_rate_limit_is_a_429_problem_with_retry_after(client, settings):
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMITS = {**settings.RATELIMITS, "api": (3, 60)}
    for _ in range(3):
        assert client.get("/api/v1/tags").status_code == 200
    response = client.get("/api/v1/tags")
    body = _problem(response, 429)
    assert int(response["Retry-After"]) >= 1 and "API requests" in body["detail"]
    # Another caller (a member, by token) has its own count.
    assert client.get("/api/v1/tags", headers=bearer(UserFactory())).status_code == 200


def test_a_write_counts_against_the_sites_own_limit(client, settings):
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMITS = {**settings.RATELIMITS, "vote": (1, 60)}
    from tests.factories import AnswerFactory

    answer = AnswerFactory()
    headers = bearer(UserFactory())
    assert client.post(f"/api/v1/answers/{answer.pk}/vote", headers=headers).status_code == 200
    body = _problem(client.post(f"/api/v1/answers/{answer.pk}/vote", headers=headers), 429)
    assert "helpful votes" in body["detail"]


def test_a_crash_is_a_generic_500_problem_without_a_traceback(monkeypatch, caplog):
    """The database failing mid-request (as tests/consult/security/test_db_faults.py simulates it)."""
    from django.db import OperationalError

    from consult.questions import selectors

    def lost(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(selectors, "tags_all", lost)
    with caplog.at_level(logging.ERROR, logger="consult.api"):
        response = Client(raise_request_exception=False).get("/api/v1/tags")
    body = _problem(response, 500)
    text = response.content.decode()
    assert "server closed" not in text and "Traceback" not in text and "OperationalError" not in text
    assert body["detail"] == "Something went wrong on our side. Please try again later."
    assert "server closed the connection" in caplog.text  # logged for us, not shown to the client


def test_the_openapi_document_is_3_1_with_each_status_once_and_errors_as_problems(client):
    import json

    def no_duplicates(pairs):
        keys = [key for key, _ in pairs]
        assert len(keys) == len(set(keys)), f"duplicate keys: {keys}"
        return dict(pairs)

    document = json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=no_duplicates)
    assert document["openapi"].startswith("3.1")
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    assert list(response["content"]) == ["application/problem+json"], (path, method, status)
