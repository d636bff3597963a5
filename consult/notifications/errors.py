"""Domain errors of the notifications app; ``str(error)`` is a sentence for the person refused."""

from __future__ import annotations

from consult.core.errors import DomainError

__all__ = ["BadUnsubscribeLink", "InviteRefused", "NotificationsError"]


class NotificationsError(DomainError):
    """Base class."""


class InviteRefused(NotificationsError):
    default_message = "This doctor cannot be invited to answer this question."


class BadUnsubscribeLink(NotificationsError):
    default_message = "This unsubscribe link is not valid. Open your notification settings to change what we e-mail you."
