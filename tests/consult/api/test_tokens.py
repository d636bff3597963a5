"""Personal API tokens: made and revoked on the settings page, stored as a digest only, shown once."""

from __future__ import annotations

import re

import pytest

from consult.accounts import services as account_services
from consult.accounts.models import ApiToken
from consult.accounts.tokens import ACTIVE_LIMIT, token_create
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _make_on_settings_page(client, name="export script") -> str:
    response = client.post("/accounts/settings/tokens/", {"name": name})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    match = re.search(r'id="new-token">(cst_[A-Za-z0-9_-]+)<', response.content.decode())
    assert match, "the new token is shown on the page"
    return match.group(1)


def test_a_token_made_on_the_settings_page_works_once_shown_and_is_stored_as_a_digest_only(client):
    user = UserFactory(display_name="Robin")
    client.force_login(user)
    secret = _make_on_settings_page(client)
    row = ApiToken.objects.get(user=user)
    assert secret not in (row.digest, row.prefix) and secret.startswith(f"cst_{row.prefix}_")
    page = client.get("/accounts/settings/").content.decode()
    assert "export script" in page and secret not in page  # listed, never shown again
    client.logout()
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200 and me.json()["display_name"] == "Robin"
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_a_revoked_token_is_refused_and_only_its_owner_can_revoke_it(client):
    owner, other = UserFactory(), UserFactory()
    issued = token_create(user=owner, name="t")
    client.force_login(other)
    assert client.post(f"/accounts/settings/tokens/{issued.token.pk}/revoke/").status_code == 404
    headers = {"Authorization": f"Bearer {issued.secret}"}
    assert client.get("/api/v1/me", headers=headers).json()["id"] == owner.pk  # the token wins over the session
    client.force_login(owner)
    response = client.post(f"/accounts/settings/tokens/{issued.token.pk}/revoke/")
    assert response.status_code == 302
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert "revoked" in client.get("/accounts/settings/").content.decode()


def test_a_token_stops_working_when_the_account_is_deleted(client):
    user = UserFactory()
    issued = token_create(user=user, name="t")
    account_services.account_delete(user=user, password=PASSWORD)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {issued.secret}"}).status_code == 401
    assert not ApiToken.objects.exists(), "deleted with the account, not only revoked"


def test_a_member_holds_at_most_ten_active_tokens(client):
    user = UserFactory()
    for n in range(ACTIVE_LIMIT):
        token_create(user=user, name=f"t{n}")
    client.force_login(user)
    response = client.post("/accounts/settings/tokens/", {"name": "one more"})
    assert response.status_code == 400 and "10 active API tokens" in response.content.decode()
    assert ApiToken.objects.filter(user=user).count() == ACTIVE_LIMIT


def test_a_token_that_differs_in_its_secret_part_is_refused(client):
    issued = token_create(user=UserFactory(), name="t")
    forged = issued.secret[:-4] + ("AAAA" if not issued.secret.endswith("AAAA") else "BBBB")
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {forged}"}).status_code == 401


def test_what_a_member_reads_is_never_kept_by_a_shared_cache(client):
    secret = token_create(user=UserFactory(), name="t").secret
    response = client.get("/api/v1/me/measurements", headers={"Authorization": f"Bearer {secret}"})
    assert response["Cache-Control"] == "private, no-store"
    assert "Authorization" in response["Vary"] and "Cookie" in response["Vary"]
    public = client.get("/api/v1/tags")
    assert "Authorization" in public["Vary"]  # a cache keeps anonymous reads apart from a member's
