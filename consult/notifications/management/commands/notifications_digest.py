"""``manage.py notifications_digest``: send the daily digest now (the worker sends it once a day by itself)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from consult.notifications import emails


class Command(BaseCommand):
    help = "Send every member the digest of notifications waiting for it (those who chose a daily digest)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = emails.digest_send()
        self.stdout.write(f"digest sent to {sent} member{'s' if sent != 1 else ''}")
