"""``manage.py recount``: recompute the denormalised counters (consult.questions.recount) and say what was wrong."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from consult.questions.recount import recount_all


class Command(BaseCommand):
    help = (
        "Recount answer, helpful-vote, doctor answer and tag counters from the rows they count "
        "(visible content only, as the site counts). Writes only the rows that were wrong."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        fixed = recount_all()
        for name, rows in fixed.items():
            self.stdout.write(f"{name}: {rows} row{'s' if rows != 1 else ''} corrected")
        total = sum(fixed.values())
        self.stdout.write(self.style.SUCCESS("All counters were right." if not total else f"Corrected {total} rows."))
