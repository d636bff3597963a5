"""Filters as index words, the newest-first windows (PostgreSQL) and the vocabulary kept for corrections."""

from __future__ import annotations

import random

import pytest
from django.db import connection

from consult.questions import services as question_services
from consult.search import backends, index, selectors
from consult.search.models import SearchDocument, SearchWord
from consult.search.query import edit_distance, parse
from consult.search.services import search_index_rebuild
from consult.search.types import SearchFilters
from tests.consult.search.conftest import ask
from tests.factories import DoctorProfileFactory, TagFactory

pytestmark = pytest.mark.django_db


def urls(query: str, **filters: object) -> list[str]:
    return [hit.url for hit in selectors.search(query, filters=SearchFilters(**filters)).hits]  # type: ignore[arg-type]


def move(url: str, new_id: int) -> None:
    """Give a document another id (another id bucket), as if it had been indexed earlier or later."""
    SearchDocument.objects.filter(url=url).update(id=new_id)


def test_the_services_and_a_rebuild_write_the_same_facets() -> None:
    moebius, ptosis = TagFactory(name="Moebius", slug="moebius"), TagFactory(name="Ptosis", slug="ptosis")
    question = ask("Facets question about synkinesis", tags=[ptosis, moebius])
    doctor = DoctorProfileFactory(specialty="neurology")
    answer = question_services.answer_create(
        doctor=doctor, question=question, headline="Synkinesis", body="x"
    )
    index.refresh_doctor(doctor.pk)  # a factory's profile, not verified through the service
    written = dict(SearchDocument.objects.values_list("key", "facets"))
    tags = f"tag:{min(moebius.pk, ptosis.pk)} tag:{max(moebius.pk, ptosis.pk)}"
    assert written[f"question:{question.pk}"] == f"kind:question answered:yes {tags}"
    assert written[f"answer:{answer.pk}"] == f"kind:answer answered:yes specialty:neurology {tags}"
    assert written[f"doctor:{doctor.pk}"] == "kind:doctor answered:no specialty:neurology"
    search_index_rebuild()
    assert dict(SearchDocument.objects.values_list("key", "facets")) == written


def test_filters_apply_to_answers_through_their_question_without_a_rebuild() -> None:
    moebius = TagFactory(name="Moebius", slug="moebius")
    tagged = ask("Lagophthalmos with Moebius", tags=[moebius])
    untagged = ask("Lagophthalmos after surgery")
    doctor = DoctorProfileFactory(specialty="oculoplastic")
    on_tagged = question_services.answer_create(
        doctor=doctor, question=tagged, headline="Lagophthalmos care", body="x"
    )
    question_services.answer_create(
        doctor=doctor, question=untagged, headline="Lagophthalmos drops", body="y"
    )
    assert set(urls("lagophthalmos", tag="moebius")) == {
        tagged.get_absolute_url(),
        on_tagged.get_absolute_url(),
    }
    assert urls("lagophthalmos", tag="moebius", answered=False) == []
    assert urls("lagophthalmos", answered=False) == []  # both are answered now
    assert len(urls("lagophthalmos", specialty="oculoplastic")) == 2
    assert urls("lagophthalmos", specialty="oculoplastic", kind="doctor") == []
    assert urls("lagophthalmos", specialty="no such thing!") == []


def test_matches_are_found_in_every_window_and_the_newest_are_ranked(monkeypatch) -> None:
    """Documents spread over id buckets far apart (the first window, the middle, the oldest): all found;
    on PostgreSQL, with room for two candidates, the two newest are the ones ranked."""
    old = ask("Parotid old", body="parotid")
    middle = ask("Parotid middle", body="parotid")
    new = ask("Parotid new", body="parotid")
    newest_other = ask("Something else entirely")
    move(old.get_absolute_url(), 7)
    move(middle.get_absolute_url(), 3_000_000)
    move(new.get_absolute_url(), 40_000_000)
    move(newest_other.get_absolute_url(), 40_004_000)
    everything = {old.get_absolute_url(), middle.get_absolute_url(), new.get_absolute_url()}
    assert set(urls("parotid")) == everything
    assert selectors.search("parotid").total == 3
    if connection.vendor != "postgresql":
        return  # FTS5 ranks every match by bm25
    monkeypatch.setattr(backends, "CANDIDATES", 2)
    assert set(urls("parotid")) == {middle.get_absolute_url(), new.get_absolute_url()}
    assert set(urls("parotid -middle")) == {new.get_absolute_url(), old.get_absolute_url()}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="search_window() is PostgreSQL's")
def test_the_windows_split_the_ids_newest_first_into_growing_disjoint_parts() -> None:
    """Every id up to the newest is in exactly one of search_window(top, 0..7), newer ids in earlier windows,
    window 0 holding 4 097-8 192 ids (all of them when there are fewer) and each next about four times more."""
    rng = random.Random(5)

    def lexemes(doc_id: int) -> list[str]:  # the generated column's bucket lexemes (migration 0003)
        return [f"~{chr(97 + level)}{doc_id >> (12 + 2 * level)}" for level in range(7)]

    with connection.cursor() as cursor:
        for top in [1, 4095, 8191, 8192, 70_000, 1_234_567, 40_000_000, 2**35]:
            ids = sorted({top, 0, top // 2, *(rng.randrange(top + 1) for _ in range(150))}, reverse=True)
            windows = []
            for doc_id in ids:
                cursor.execute(
                    "SELECT array_agg(k) FROM generate_series(0, 7) k"
                    " WHERE array_to_tsvector(%s::text[]) @@ search_window(%s, k)",
                    [lexemes(doc_id), top],
                )
                found = cursor.fetchone()[0] or []
                assert len(found) == 1, (top, doc_id, found)
                windows.append(found[0])
            assert windows == sorted(windows), top  # newest first
            first_window_start = max(0, ((top >> 12) - 1) << 12)
            assert all((w == 0) == (doc_id >= first_window_start) for doc_id, w in zip(ids, windows, strict=True))


def test_a_range_of_buckets_is_the_fewest_bucket_words_covering_exactly_its_ids() -> None:
    """backends.bucket_query(low, high): ids in buckets low..high-1 (4 096 ids each) match, no other does,
    with at most three words per level below the top and side (checked on PostgreSQL's own tsquery matching there)."""
    rng = random.Random(11)

    def lexemes(doc_id: int) -> set[str]:  # the generated column's bucket lexemes (migration 0003)
        return {f"~{chr(97 + level)}{doc_id >> (12 + 2 * level)}" for level in range(7)}

    for low, high in [(0, 1), (5, 6), (3, 17), (0, 4096), (1, 70_000), (4095, 4097), (12_345, 987_654)]:
        words = {w.strip("'") for w in backends.bucket_query(low, high).split(" | ")}
        assert len(words) <= 2 * 3 * 6 + (high - low) // 4**6 + 1  # ~g (16M ids) is the top level
        edges = [low * 4096, high * 4096 - 1, low * 4096 - 1, high * 4096]
        for doc_id in [*edges, *(rng.randrange(max(0, low - 3) * 4096, (high + 3) * 4096) for _ in range(200))]:
            if doc_id < 0:
                continue
            inside = low * 4096 <= doc_id < high * 4096
            assert len(words & lexemes(doc_id)) == int(inside), (low, high, doc_id)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT array_to_tsvector(%s::text[]) @@ %s::tsquery, array_to_tsvector(%s::text[]) @@ %s::tsquery",
                    [sorted(lexemes(edges[0])), backends.bucket_query(low, high),
                     sorted(lexemes(edges[3])), backends.bucket_query(low, high)],
                )
                assert cursor.fetchone() == (True, False)


def test_the_vocabulary_keeps_the_words_of_titles_and_tags() -> None:
    ask(
        "Blepharospasm after Botox injections",
        tags=[TagFactory(name="Hemifacial spasm", slug="hemifacial-spasm")],
    )
    words = set(SearchWord.objects.values_list("word", flat=True))
    assert {"blepharospasm", "botox", "injections", "hemifacial", "spasm", "after"} <= words
    counts = search_index_rebuild()
    assert counts["question"] >= 1
    rebuilt = dict(SearchWord.objects.values_list("word", "documents"))
    assert rebuilt["blepharospasm"] == 1 and "my" not in rebuilt


def test_a_typo_is_corrected_when_nothing_matches_and_the_results_say_so() -> None:
    question = ask("Blepharospasm after Botox injections")
    results = selectors.search("blepharospsm botx")
    assert [hit.url for hit in results.hits] == [question.get_absolute_url()]
    assert results.corrected_from == "blepharospsm botx" and results.query.text == "blepharospasm botox"
    assert not selectors.search("blepharospasm").corrected_from  # found as typed: no correction
    assert selectors.search("zzqqxx").corrected_from == ""  # nothing close: nothing


def test_only_words_the_vocabulary_lacks_are_corrected() -> None:
    ask("Botox question about injections", body="My meralgia is worse.")
    backend = backends.for_connection()
    assert backend.corrections(["injections", "botx", "zzqqxx"]) == {"botx": "botox"}


def test_a_typo_becomes_the_common_word_one_letter_away_not_the_most_similar_rare_one() -> None:
    """"botx" shares more trigrams with "both" (0.43) than with "botox" (0.375); both are one letter away, and
    botox is the word of many titles: the reader meant botox (the demo data used to say "both")."""
    botox = [ask(f"Botox question number {n}") for n in range(3)]
    ask("Both sides droop")
    search_index_rebuild()  # counts the vocabulary's documents (the services add new words with a count of 1)
    assert backends.for_connection().corrections(["botx"]) == {"botx": "botox"}
    results = selectors.search("botx")
    assert results.query.text == "botox" and {h.url for h in results.hits} == {q.get_absolute_url() for q in botox}
    assert backends.for_connection().corrections(["bothh"]) == {"bothh": "both"}  # one letter from both only


def test_edit_distance() -> None:
    assert [edit_distance("botx", w) for w in ["botx", "botox", "both", "bxto", "obtx", ""]] == [0, 1, 1, 2, 1, 4]
    assert edit_distance("blepharospsm", "blepharospasm") == 1 and edit_distance("eyeild", "eyelid") == 1


def test_a_correction_never_leads_to_hidden_content() -> None:
    from consult.moderation import services as moderation_services
    from tests.factories import ModeratorFactory

    spam = ask("Cheapest xanthelasma pills online")
    assert selectors.search("xanthelasm").corrected_from == "xanthelasm"
    moderation_services.content_hide(moderator=ModeratorFactory(), question=spam, note="Spam")
    results = selectors.search("xanthelasm")  # the word stays in the vocabulary, but finds nothing visible
    assert results.hits == [] and results.corrected_from == "" and results.query.text == "xanthelasm"


def test_corrected_words_keep_phrases_and_exclusions() -> None:
    parsed = parse('botx -"dry eye" "uneven smle"')
    assert parsed.correctable_words() == ["botx", "uneven", "smle"]
    text = parsed.text_with({"botx": "botox", "smle": "smile"})
    assert text == 'botox -"dry eye" "uneven smile"'
    assert [t.words for t in parse(text).terms] == [("botox",), ("dry", "eye"), ("uneven", "smile")]
