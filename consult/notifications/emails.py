"""E-mail: one message per notification for kinds a member wants "right away", one daily digest for the
kinds they want daily. Sent by the worker only (tasks.py), never in a request.

Each message carries a one-click unsubscribe link for its kind (a signed token, ``services.unsubscribe_token``;
it works without signing in) in its text and in the ``List-Unsubscribe`` header with
``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058), so a mail client's own button works too.

A message is claimed before it is sent (a conditional UPDATE from ``pending`` to ``sent``), so two workers
or a retried job never send it twice; a worker killed between the claim and the send loses that one e-mail
(the notification stays in the inbox).
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from consult.accounts.models import User

from . import services
from .models import DigestRun, EmailState, Kind, Notification, Preferences

__all__ = ["absolute", "digest_send", "digest_send_due", "message_for", "send_now"]

log = logging.getLogger(__name__)


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _unsubscribe_url(user_id: int, kind: str) -> str:
    token = services.unsubscribe_token(user_id=user_id, kind=kind)
    return absolute(reverse("notifications:unsubscribe", kwargs={"token": token}))


def message_for(*, user: User, subject: str, template: str, context: dict[str, object], kind: str) -> EmailMessage:
    unsubscribe = _unsubscribe_url(user.pk, kind)
    body = render_to_string(
        template,
        {
            **context,
            "user": user,
            "unsubscribe_url": unsubscribe,
            "unsubscribe_all_url": _unsubscribe_url(user.pk, services.UNSUBSCRIBE_ALL),
            "settings_url": absolute(reverse("notifications:settings")),
            "inbox_url": absolute(reverse("notifications:inbox")),
        },
    )
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


def send_now(*, notification_id: int) -> bool:
    """Send one notification's e-mail if it is still waiting to be sent; returns whether it was sent. One about
    content moderators hid since is not sent (``withheld``): the e-mail would carry what they took down."""
    waiting = Notification.objects.filter(pk=notification_id, email_state=EmailState.PENDING, read_at__isnull=True)
    claimed = waiting.filter(services.visible_to(F("user_id"))).update(email_state=EmailState.SENT)
    if not claimed:
        waiting.update(email_state=EmailState.WITHHELD)
        return False
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    user = notification.user
    if not user.email or not user.is_active:
        return False
    message = message_for(
        user=user,
        subject=notification.text if len(notification.text) <= 120 else notification.text[:117] + "...",
        template="notifications/email/one.txt",
        context={"notification": notification, "url": absolute(notification.url), "kind_label": Kind(notification.kind).label},
        kind=notification.kind,
    )
    message.send()
    return True


def digest_send(*, now: datetime.datetime | None = None) -> int:
    """Send each member their digest of everything waiting for it (read items are skipped); returns how
    many e-mails went out. Items are claimed per member before sending, so a second run sends nothing.

    Items about content moderators hid are left out and keep waiting: restored, they go in a later digest."""
    now = now or timezone.now()
    shown = services.visible_to(F("user_id"))
    waiting = (
        Notification.objects.filter(shown, email_state=EmailState.DIGEST, read_at__isnull=True, updated_at__lte=now)
        .values_list("user_id", flat=True)
        .distinct()
    )
    sent = 0
    for user_id in list(waiting):
        with transaction.atomic():
            rows = list(
                Notification.objects.select_for_update(of=("self",))
                .filter(shown, user_id=user_id, email_state=EmailState.DIGEST, read_at__isnull=True, updated_at__lte=now)
                .order_by("kind", "-updated_at")
            )
            if not rows:
                continue
            Notification.objects.filter(pk__in=[n.pk for n in rows]).update(email_state=EmailState.SENT)
            Preferences.objects.filter(user_id=user_id).update(last_digest_at=now)
        user = User.objects.filter(pk=user_id, is_active=True).first()
        if user is None or not user.email:
            continue
        groups: dict[str, list[Notification]] = defaultdict(list)
        for row in rows:
            groups[Kind(row.kind).label].append(row)
        message = message_for(
            user=user,
            subject=f"Your Consult digest: {len(rows)} new notification{'s' if len(rows) != 1 else ''}",
            template="notifications/email/digest.txt",
            context={"groups": [(label, [(n, absolute(n.url)) for n in items]) for label, items in groups.items()]},
            kind=services.UNSUBSCRIBE_ALL,
        )
        message.send()
        sent += 1
    log.info("notifications: daily digest sent to %s members", sent)
    return sent


def digest_send_due(*, now: datetime.datetime | None = None) -> int:
    """The worker's daily digest: once per day (UTC), from ``NOTIFICATIONS_DIGEST_HOUR``, by whichever
    worker inserts that day's ``DigestRun`` row first; -1 when it is not due or another worker has it."""
    now = now or timezone.now()
    if now.hour < settings.NOTIFICATIONS_DIGEST_HOUR:
        return -1
    try:
        with transaction.atomic():
            run = DigestRun.objects.create(day=now.date())
    except IntegrityError:
        return -1
    sent = digest_send(now=now)
    DigestRun.objects.filter(pk=run.pk).update(sent=sent)
    return sent
