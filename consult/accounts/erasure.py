"""What deleting an account erases, app by app.

Accounts sit below the apps that hold a member's data (photos, progress, doctors), so they cannot call those
apps' services directly. Each such app registers its own eraser here from its ``AppConfig.ready()``: a
function taking the member that deletes (through that app's services) what it keeps about them.
``consult.accounts.services.account_delete`` runs every eraser in one transaction, then empties the account
row itself. An app with personal data and no eraser would keep it: ``tests/consult/accounts/test_delete.py``
lists the erasers it expects.
"""

from __future__ import annotations

from collections.abc import Callable

from consult.accounts.models import User

__all__ = ["Eraser", "erase", "register", "registered"]

Eraser = Callable[[User], object]

_ERASERS: dict[str, Eraser] = {}


def register(name: str, eraser: Eraser) -> None:
    """Register (or replace) the eraser called ``name``; idempotent, so a second ``ready()`` is harmless."""
    _ERASERS[name] = eraser


def registered() -> list[str]:
    return sorted(_ERASERS)


def erase(user: User) -> None:
    """Run every eraser for ``user`` (in name order, inside the caller's transaction)."""
    for name in sorted(_ERASERS):
        _ERASERS[name](user)
