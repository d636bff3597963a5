"""The search box's language, parsed once and rendered for each backend.

What a reader may type: words (all must match, stemmed: "droop" finds "drooping"), "quoted phrases",
and a minus before a word or phrase to exclude it (``botox -filler``, ``-"dry eye"``). Everything else
is ignored, never an error: punctuation, SQL, unbalanced quotes, control characters and NUL bytes. A
query longer than ``MAX_QUERY_CHARS`` is cut (the page says so); at most ``MAX_TERMS`` terms count.

The parser never builds SQL. Each backend gets a string in its own query language made only of
quoted words (letters and digits), so nothing the reader types is read as an operator:
:meth:`ParsedQuery.websearch` for PostgreSQL's ``websearch_to_tsquery`` and :meth:`ParsedQuery.fts5`
for SQLite's FTS5 ``MATCH``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = [
    "MAX_QUERY_CHARS",
    "MAX_TERMS",
    "ParsedQuery",
    "Term",
    "edit_distance",
    "parse",
    "title_words",
    "trigram_similarity",
]

MAX_QUERY_CHARS = 200
MAX_TERMS = 10

# Letters and digits of any script; underscores and punctuation separate words.
_WORD = re.compile(r"[^\W_]+")
# A chunk: an optional minus, then a quoted phrase (the closing quote may be missing) or a bare token.
_CHUNK = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

# Words too common to narrow a search (PostgreSQL's "english" configuration drops them as well; FTS5
# has no stop words, so the parser drops them for both backends alike).
STOPWORDS = frozenset(
    ["a", "about", "after", "again", "all", "am", "an", "and", "any", "are", "as", "at", "be", "been", "before", "being", "but", "by", "can", "could", "did", "do", "does", "doing", "for", "from", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just", "me", "my", "no", "nor", "not", "of", "on", "once", "only", "or", "other", "our", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your"]
)


@dataclass(frozen=True)
class Term:
    """One word or phrase: all its words, in order; ``negated`` when it must not occur."""

    words: tuple[str, ...]
    negated: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # what was searched for, cleaned and cut: shown back in the search box
    terms: tuple[Term, ...] = ()
    notes: tuple[str, ...] = field(default=())  # what the reader should know (cut, ignored terms)

    @property
    def positive(self) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if not term.negated)

    @property
    def is_empty(self) -> bool:
        """Nothing to look for (an empty box, only punctuation, or only excluded words)."""
        return not self.positive

    @property
    def problem(self) -> str | None:
        """Why nothing can be searched, for the page; None when there is something to search for."""
        if not self.text.strip():
            return None  # an empty box is not a mistake: the page just shows the form
        if not self.terms:
            return "Type a word to search for: punctuation and symbols alone match nothing."
        if self.is_empty:
            return "Add a word to look for: a search cannot be made of excluded words only."
        return None

    def websearch(self) -> str:
        """For ``websearch_to_tsquery``: every term quoted (so "or" is a word, not an operator)."""
        return " ".join(("-" if t.negated else "") + '"' + " ".join(t.words) + '"' for t in self.terms)

    def text_with(self, replacements: dict[str, str]) -> str:
        """The query in the search box's language with some words replaced ("did you mean"): parses back
        to the same terms with those words changed."""
        parts = []
        for term in self.terms:
            words = " ".join(replacements.get(word, word) for word in term.words)
            parts.append(("-" if term.negated else "") + (f'"{words}"' if term.is_phrase else words))
        return " ".join(parts)

    def correctable_words(self) -> list[str]:
        """The words a typo correction may replace: those of the wanted terms, letters only, 3+ long."""
        words = (word for term in self.positive for word in term.words)
        return list(dict.fromkeys(w for w in words if len(w) >= 3 and w.isalpha()))

    def fts5(self) -> str:
        """For FTS5 ``MATCH``: the positive terms ANDed, then each excluded term with NOT."""
        if self.is_empty:
            raise ValueError("nothing to search for")
        expression = "(" + " ".join(_fts5_string(t.words) for t in self.positive) + ")"
        for term in self.terms:
            if term.negated:
                expression += " NOT " + _fts5_string(term.words)
        return expression


def _fts5_string(words: tuple[str, ...]) -> str:
    # Words are letters and digits only (``_WORD``), so a double quote can never occur inside.
    return '"' + " ".join(words) + '"'


def _clean(raw: str) -> str:
    return _CONTROL.sub(" ", raw)


def parse(raw: str) -> ParsedQuery:
    """Parse what the reader typed. Never raises, whatever ``raw`` holds."""
    notes: list[str] = []
    text = _clean(raw or "")
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        notes.append(f"Only the first {MAX_QUERY_CHARS} characters of your search were used.")
    terms: list[Term] = []
    for match in _CHUNK.finditer(text):
        phrase_minus, phrase, bare_minus, bare = match.groups()
        if phrase is not None:
            words = tuple(w.lower() for w in _WORD.findall(phrase))
            if words:
                terms.append(Term(words, negated=bool(phrase_minus)))
        else:
            negated = bool(bare_minus)
            terms.extend(Term((w.lower(),), negated=negated) for w in _WORD.findall(bare or ""))
    terms = _dedupe(terms)
    meaningful = [t for t in terms if t.negated or t.is_phrase or t.words[0] not in STOPWORDS]
    if any(not t.negated for t in meaningful):
        terms = meaningful  # "what is botox" searches for botox; "the who" still searches for something
    if len(terms) > MAX_TERMS:
        terms = terms[:MAX_TERMS]
        notes.append(f"Only the first {MAX_TERMS} words or phrases were used.")
    return ParsedQuery(text=text.strip(), terms=tuple(terms), notes=tuple(notes))


def _dedupe(terms: list[Term]) -> list[Term]:
    seen: set[Term] = set()
    kept = []
    for term in terms:
        if term not in seen:
            seen.add(term)
            kept.append(term)
    return kept


def title_words(title: str, *, limit: int = 12) -> list[str]:
    """The significant words of a question title being typed (similar-question suggestions)."""
    words = [w.lower() for w in _WORD.findall(_clean(title)[:MAX_QUERY_CHARS])]
    kept = [w for w in words if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]
    unique = list(dict.fromkeys(kept))
    return unique[:limit]


def _trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def trigram_similarity(a: str, b: str) -> float:
    """pg_trgm's ``similarity()`` for single words (shared trigrams of the padded words over all of
    them), so both backends choose corrections alike."""
    left, right = _trigrams(a.lower()), _trigrams(b.lower())
    union = left | right
    return len(left & right) / len(union) if union else 0.0


def edit_distance(a: str, b: str) -> int:
    """Letters to insert, delete, replace or swap (two neighbours) to turn ``a`` into ``b`` (the optimal
    string alignment distance): "botx" is one from "botox" and one from "both"."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]
