"""manage.py search_rebuild: refill the search index from the database (visible content only)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from consult.search.services import search_index_rebuild


class Command(BaseCommand):
    help = "Empty the search index and fill it again from the visible questions, answers, doctors and treatments."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--chunk", type=int, default=0, help="questions per transaction (0: all in one; use 50000 for big databases)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        counts = search_index_rebuild(question_chunk=max(0, options["chunk"]))
        summary = ", ".join(f"{n} {kind}s" for kind, n in counts.items())
        self.stdout.write(f"Search index rebuilt in {time.monotonic() - started:.1f} s: {summary}.")
