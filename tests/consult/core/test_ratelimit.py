import pytest
from django.test import RequestFactory

from consult.core.ratelimit import is_limited


@pytest.fixture
def limits(settings):
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMITS = {**settings.RATELIMITS, "vote": (3, 60)}
    return settings


def _request(ip="10.0.0.1"):
    request = RequestFactory().post("/x", REMOTE_ADDR=ip)
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    return request


def test_allows_up_to_the_limit_then_blocks(limits):
    results = [is_limited(_request(), "vote") for _ in range(5)]
    assert results == [False, False, False, True, True]


def test_counts_each_client_separately(limits):
    for _ in range(3):
        is_limited(_request("10.0.0.1"), "vote")
    assert is_limited(_request("10.0.0.1"), "vote")
    assert not is_limited(_request("10.0.0.2"), "vote")


def test_switched_off_by_setting(settings):
    settings.RATELIMIT_ENABLED = False
    settings.RATELIMITS = {**settings.RATELIMITS, "vote": (1, 60)}
    assert not any(is_limited(_request(), "vote") for _ in range(5))


@pytest.mark.django_db
def test_view_answers_429_with_a_friendly_page(limits, client):
    from tests.factories import UserFactory

    limits.RATELIMITS = {**limits.RATELIMITS, "markdown_preview": (2, 60)}
    client.force_login(UserFactory())
    codes = [client.post("/markdown/preview/", {"text": "hi"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    response = client.post("/markdown/preview/", {"text": "hi"})
    assert "wait a minute" in response.content.decode()
