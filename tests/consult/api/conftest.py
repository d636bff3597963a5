from __future__ import annotations

import pytest
from django.test import Client

from consult.accounts.tokens import token_create


def bearer(user) -> dict[str, str]:
    """Headers for a request with a fresh personal token of ``user``."""
    return {"Authorization": f"Bearer {token_create(user=user, name='test').secret}"}


@pytest.fixture
def api_client() -> Client:
    return Client()
