"""The query parser: any string parses, and what it hands each backend is valid there (property tests)."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consult.search import selectors
from consult.search.query import MAX_QUERY_CHARS, MAX_TERMS, parse, title_words

# Text biased towards what breaks query languages: quotes, minus, operators, brackets, NUL, long runs.
pieces = st.one_of(
    st.sampled_from([*list('"\'-*^:()[]{}+~!|&;%_\\/ \t\n\x00'), " AND ", " OR ", " NOT ", "NEAR(", "--", "/*"]),
    st.text(max_size=12),
)
nasty = st.lists(pieces, max_size=60).map("".join)


def fts5() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(title, tags, body, tokenize='porter unicode61 remove_diacritics 2')")
    conn.execute("INSERT INTO t VALUES ('botox smile', 'palsy', 'a body')")
    return conn


CONN = fts5()


@given(nasty)
@settings(max_examples=400, deadline=None)
def test_any_text_parses_and_is_valid_fts5(raw: str) -> None:
    parsed = parse(raw)
    assert len(parsed.text) <= MAX_QUERY_CHARS
    assert len(parsed.terms) <= MAX_TERMS
    assert "\x00" not in parsed.websearch()
    for term in parsed.terms:
        assert term.words and all(w.isalnum() for w in term.words)
    if parsed.is_empty:
        assert parsed.problem is not None or not raw.strip() or not parsed.text
    else:
        CONN.execute("SELECT count(*) FROM t WHERE t MATCH ?", (parsed.fts5(),)).fetchone()  # never a syntax error


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_title_words_are_plain_words(title: str) -> None:
    words = title_words(title)
    assert all(w.isalnum() for w in words) and len(words) <= 12


def test_examples() -> None:
    parsed = parse('botox -filler "dry  eye')
    assert [(t.words, t.negated) for t in parsed.terms] == [(("botox",), False), (("filler",), True), (("dry", "eye"), False)]
    assert parsed.websearch() == '"botox" -"filler" "dry eye"'
    assert parsed.fts5() == '("botox" "dry eye") NOT "filler"'
    assert [t.words for t in parse("what is botox").terms] == [("botox",)]
    assert parse("!!!").problem and parse("-a -b").problem and parse("").problem is None


@pytest.mark.django_db
@given(nasty)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_search_service_never_raises_on_this_database(raw: str) -> None:
    results = selectors.search(raw)
    assert results.total >= 0
    selectors.similar_questions(raw)


@given(nasty, st.dictionaries(st.sampled_from(["botox", "smile", "a", "eye"]), st.sampled_from(["botx", "smle", "eyes"])))
@settings(max_examples=300, deadline=None)
def test_a_corrected_query_parses_back_to_the_same_terms_with_the_words_replaced(raw: str, replacements) -> None:
    parsed = parse(raw)
    text = parsed.text_with(replacements)
    if len(text) > MAX_QUERY_CHARS:
        return  # cut again: what the reader sees says so
    expected = [(tuple(replacements.get(w, w) for w in t.words), t.negated) for t in parsed.terms]
    again = parse(text)
    assert [(t.words, t.negated) for t in again.terms] == list(dict.fromkeys(expected))[: len(again.terms)]
    assert all(w.isalpha() and len(w) >= 3 for w in parsed.correctable_words())
