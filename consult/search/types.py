"""What the search service takes and returns (typed, for the pages and the JSON API)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.safestring import SafeString

from .query import ParsedQuery

__all__ = ["Hit", "SearchFilters", "SearchResults", "Suggestion"]

_KIND_LABELS = {"question": "Question", "answer": "Answer", "doctor": "Doctor", "treatment": "Treatment"}


@dataclass(frozen=True)
class SearchFilters:
    """Narrowing a search. Each filter applies to the kinds it makes sense for, and the other kinds drop
    out while it is set: ``tag``, ``treatment`` (its concern tag) and ``answered`` to questions and
    answers; ``specialty`` to doctors and to answers (by a doctor of that specialty)."""

    kind: str = ""  # "" (everything), or one of models.Kind
    tag: str = ""  # a concern tag's slug
    treatment: str = ""  # a treatment's slug
    answered: bool | None = None  # questions with (True) or without (False) a visible doctor answer
    specialty: str = ""  # doctors.models.Specialty value

    @property
    def is_set(self) -> bool:
        return bool(self.tag or self.treatment or self.answered is not None or self.specialty)


@dataclass(frozen=True)
class Hit:
    """One result. ``title_html`` and ``snippet_html`` are escaped text with the matched words in
    ``<mark>``: safe to render as they are."""

    kind: str
    url: str
    title_html: SafeString
    snippet_html: SafeString
    context: str  # an answer's question, a doctor's specialty and city, a treatment's summary
    answered: bool
    created_at: datetime | None

    @property
    def kind_label(self) -> str:
        return _KIND_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class SearchResults:
    query: ParsedQuery
    filters: SearchFilters
    hits: list[Hit] = field(default_factory=list)
    page: int = 1
    per_page: int = 20
    total: int = 0  # matches counted, at most ``total_cap``
    total_cap: int = 1000
    has_next: bool = False
    # Set when nothing matched what was typed and these results are for a corrected query ("did you
    # mean"): what was typed; ``query`` is then the corrected query.
    corrected_from: str = ""

    @property
    def total_is_capped(self) -> bool:
        return self.total >= self.total_cap

    @property
    def searched(self) -> bool:
        return not self.query.is_empty


@dataclass(frozen=True)
class Suggestion:
    """A similar existing question, for the ask page."""

    url: str
    title: str
    answered: bool
    score: float  # backend-specific: higher is more similar
