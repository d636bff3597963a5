"""Personal API tokens: made and revoked by their owner on the settings page, checked by the API.

A token reads ``cst_<prefix>_<secret>``: the prefix (public, unique) finds the row, and the SHA-256 digest of
the whole token is compared in constant time. Only the digest is stored, so a database leak gives no working
token, and nobody (staff included) can read a token back: it is shown once, when it is made.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from consult.accounts.errors import TokenLimit
from consult.accounts.models import ApiToken, User

__all__ = [
    "ACTIVE_LIMIT",
    "IssuedToken",
    "token_authenticate",
    "token_create",
    "token_revoke",
    "tokens_delete_all",
    "tokens_of",
]

ACTIVE_LIMIT = 10
# last_used_at is written at most this often per token: a script polling every second costs no write each time.
LAST_USED_GRANULARITY = timedelta(minutes=5)
_PREFIX = "cst_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    """A new token: ``secret`` is the only copy of the token text anywhere."""

    token: ApiToken
    secret: str


@transaction.atomic
def token_create(*, user: User, name: str) -> IssuedToken:
    """Make a token for ``user``; raises TokenLimit when they already hold ``ACTIVE_LIMIT`` active ones."""
    # Lock the user's row so two requests at once cannot both pass the limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= ACTIVE_LIMIT:
        raise TokenLimit()
    prefix = secrets.token_hex(4)
    secret = f"{_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(user=user, name=" ".join(name.split())[:60] or "API token", prefix=prefix,
                                    digest=_digest(secret))
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def token_revoke(*, user: User, pk: int) -> ApiToken | None:
    """Revoke one of ``user``'s tokens (from then on it authenticates nothing). None if it is not theirs."""
    token = ApiToken.objects.select_for_update().filter(pk=pk, user=user).first()
    if token is None:
        return None
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def tokens_delete_all(*, user: User) -> int:
    """Every token of ``user``, active or revoked, deleted with its name and dates (deleting the account):
    nothing of them is kept. Returns how many."""
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    return deleted


def tokens_of(*, user: User) -> list[ApiToken]:
    """The member's tokens for the settings page, newest first (active and revoked)."""
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-id"))


def token_authenticate(secret: str) -> User | None:
    """The active member a token belongs to (loaded with their doctor profile), or None for anything else:
    malformed, unknown, revoked, or the member is inactive (deleted accounts are). One query, plus an UPDATE
    of ``last_used_at`` at most every ``LAST_USED_GRANULARITY``."""
    if not secret.startswith(_PREFIX) or len(secret) > 128:
        return None
    prefix = secret[len(_PREFIX):].split("_", 1)[0]
    token = (
        ApiToken.objects.select_related("user", "user__doctor_profile")
        .filter(prefix=prefix, revoked_at__isnull=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.digest, _digest(secret)) or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
