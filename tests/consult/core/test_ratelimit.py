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
    html = response.content.decode()
    # what was limited and for how long, not a generic "wait a minute"
    assert "You have reached the limit of 2 previews per 60 seconds" in html
    assert "You can try again in" in html
    assert 1 <= int(response["Retry-After"]) <= 60


def _forwarded(remote, forwarded):
    request = RequestFactory().post("/x", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    return request


def test_x_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(limits):
    from consult.core.ratelimit import client_ip

    limits.RATELIMIT_TRUSTED_PROXIES = []
    assert client_ip(_forwarded("203.0.113.9", "198.51.100.1")) == "203.0.113.9"
    limits.RATELIMIT_TRUSTED_PROXIES = ["10.0.0.0/8"]
    # A client talking to us directly cannot pick its own key.
    assert client_ip(_forwarded("203.0.113.9", "198.51.100.1")) == "203.0.113.9"
    # Behind the load balancer: the right-most hop the proxies did not add themselves.
    assert client_ip(_forwarded("10.0.0.5", "198.51.100.1, 203.0.113.7")) == "203.0.113.7"
    assert client_ip(_forwarded("10.0.0.5", "1.2.3.4, 203.0.113.7, 10.0.0.6")) == "203.0.113.7"
    assert client_ip(_forwarded("10.0.0.5", "not-an-ip")) == "10.0.0.5"


def test_visitors_behind_a_trusted_load_balancer_do_not_share_one_limit(limits):
    limits.RATELIMIT_TRUSTED_PROXIES = ["10.0.0.5"]
    for _ in range(3):
        is_limited(_forwarded("10.0.0.5", "203.0.113.1"), "vote")
    assert is_limited(_forwarded("10.0.0.5", "203.0.113.1"), "vote")
    assert not is_limited(_forwarded("10.0.0.5", "203.0.113.2"), "vote")
    # Spoofing an extra hop to the left changes nothing: the proxy appended the real address.
    assert is_limited(_forwarded("10.0.0.5", "198.51.100.99, 203.0.113.1"), "vote")


@pytest.mark.django_db
def test_page_cache_churn_cannot_evict_a_login_lock(limits, client):
    """The issue's attack: 400 anonymous pages filled the shared 300-entry cache and evicted the lock."""
    from django.core.cache import cache
    from django.urls import reverse

    from tests.factories import UserFactory

    UserFactory(email="victim@example.com")
    limits.RATELIMITS = {**limits.RATELIMITS, "login_account": (3, 900)}
    url = reverse("accounts:login")
    for _ in range(3):
        assert client.post(url, {"username": "victim@example.com", "password": "guess"}).status_code == 200
    assert client.post(url, {"username": "victim@example.com", "password": "guess"}).status_code == 429
    cache.set("sentinel", 1)
    for i in range(400):
        client.get(f"/?after=churn{i}")
    assert cache.get("sentinel") is None, "the churn did not fill the page cache; the test proves nothing"
    response = client.post(url, {"username": "victim@example.com", "password": "guess"})
    assert response.status_code == 429

