"""The search page and the similar-question fragment: results, filters, bad input, query counts, cache."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consult.questions import services as question_services
from tests.consult.scale import forget_cached_pages
from tests.consult.search.conftest import ask
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/search/"
# The search that finds something: one statement on SQLite; on PostgreSQL the candidates from the index (one
# statement when its newest window holds them all, as here) and then their ranking with the page's snippets.
FOUND = 2 if connection.vendor == "postgresql" else 1
# filter choices (concerns, treatments) + the search itself
SEARCH_ANONYMOUS = 2 + FOUND
SEARCH_SIGNED_IN = SEARCH_ANONYMOUS + 1  # + the user row
# PostgreSQL: questions whose titles hold the two rarest words, then (fewer than 300 here) any of the four
# rarest, then the titles' similarity among them; one statement on SQLite
SIMILAR = 3 if connection.vendor == "postgresql" else 1
# nothing found (one statement) + looking for corrections of the words found nowhere, + the corrected search
NOTHING_FOUND = 2 + 1 + 1
CORRECTED = NOTHING_FOUND + FOUND


def count(client, url: str) -> tuple[int, str]:
    forget_cached_pages()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_the_page_is_where_the_header_form_sends_and_shows_highlighted_results(client) -> None:
    question = ask("Brow ptosis after forehead injections", body="My left brow sits lower since the injections.")
    assert reverse("search:page") == URL
    home = client.get("/").content.decode()
    assert f'action="{URL}"' in home and 'name="q"' in home and 'role="search"' in home
    page = client.get(URL, {"q": "brow injections"}).content.decode()
    assert question.get_absolute_url() in page
    assert "<mark>Brow</mark>" in page and "<mark>injections</mark>" in page
    assert "1 result" in page


@pytest.mark.parametrize(
    "query",
    [
        "",
        "x" * 10_000,
        "!!!???...",
        "'; DROP TABLE questions_question; --",
        "1 OR 1=1",
        '"unbalanced quote',
        'a "b',
        "botox\x00filler",
        "-botox",
        "NEAR(botox smile) AND ^title:*",
        "%_\\",
        "\u202e\u0000\ud7ff",
    ],
)
def test_bad_queries_give_a_normal_page(client, query) -> None:
    ask("Botox filler question")
    response = client.get(URL, {"q": query, "page": "abc", "kind": "nonsense", "tag": "<script>"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>" not in body.split("</header>", 1)[1]


def test_long_and_empty_queries_say_what_happened(client) -> None:
    assert "first 200 characters" in client.get(URL, {"q": "botox " * 2000}).content.decode()
    assert "punctuation and symbols alone" in client.get(URL, {"q": "?!*"}).content.decode()
    assert "excluded words only" in client.get(URL, {"q": "-botox"}).content.decode()
    assert "that value is not one we know" in client.get(URL, {"q": "x", "specialty": "astrology"}).content.decode()


def test_query_counts(client) -> None:
    for n in range(30):
        ask(f"Parotid question {n}")
    n, page = count(client, f"{URL}?q=parotid")
    assert n == SEARCH_ANONYMOUS and "More results" in page
    n, _ = count(client, f"{URL}?q=parotid&page=2&kind=question&answered=no")
    assert n == SEARCH_ANONYMOUS
    user = UserFactory()
    client.force_login(user)
    n, _ = count(client, f"{URL}?q=parotid")
    assert n == SEARCH_SIGNED_IN
    n, _ = count(client, reverse("search:similar") + "?title=parotid+question+seven")
    assert n == SIMILAR  # the fragment never reads the user
    client.logout()
    n, page = count(client, f"{URL}?q=partoid")
    assert (
        n == CORRECTED and "Showing results for “<strong>parotid</strong>”" in page and "More results" in page
    )
    n, page = count(client, f"{URL}?q=zzqqxx")
    assert n == NOTHING_FOUND and "Nothing matched" in page and "Showing results" not in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the newest-first windows are PostgreSQL's")
@pytest.mark.parametrize("first_id", [8180, 100_000])
def test_query_count_does_not_depend_on_where_the_ids_start(client, first_id: int) -> None:
    """A small index whose ids start high (rows deleted, or other tests' rows before a full run) is read in one
    window: no second statement looks for older documents when there are none."""
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER SEQUENCE search_searchdocument_id_seq RESTART WITH {first_id}")
    for n in range(30):
        ask(f"Parotid question {n}")
    n, page = count(client, f"{URL}?q=parotid")
    assert n == SEARCH_ANONYMOUS and "More results" in page


def test_later_pages_of_a_corrected_search_are_corrected_too(client) -> None:
    for n in range(25):
        ask(f"Parotid question {n}")
    page = client.get(URL, {"q": "parotd"}).content.decode()
    assert "No results for “parotd”" in page and 'href="/search/?q=parotd&amp;page=2"' in page
    second = client.get(URL, {"q": "parotd", "page": 2}).content.decode()
    assert "<mark>Parotid</mark> question" in second and "page 2" in second


def test_anonymous_page_cache_never_shows_a_hidden_question(client) -> None:
    question = ask("Trigeminal neuralgia and facial pain")
    assert question.get_absolute_url() in client.get(URL, {"q": "trigeminal"}).content.decode()
    assert client.get(URL, {"q": "trigeminal"})["X-Page-Cache"].startswith("hit")
    question_services.question_set_hidden(question=question, is_hidden=True)
    response = client.get(URL, {"q": "trigeminal"})
    assert question.get_absolute_url() not in response.content.decode()
    assert response["X-Page-Cache"] == "miss"


def test_similar_fragment(client) -> None:
    question = ask("Can Botox fix a crooked smile after Bell's palsy?")
    ask("Which sunscreen is best after laser resurfacing?")
    response = client.get(reverse("search:similar"), {"title": "crooked smile after bells palsy botox"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert question.get_absolute_url() in body and "sunscreen" not in body
    assert client.get(reverse("search:similar"), {"title": "ab"}).content.decode().strip() == ""
    assert client.get(reverse("search:similar"), {"title": "\x00" * 5000}).status_code == 200


def test_the_ask_page_asks_for_suggestions_as_the_title_is_typed(client) -> None:
    client.force_login(UserFactory())
    page = client.get(reverse("questions:ask")).content.decode()
    assert f'hx-get="{reverse("search:similar")}"' in page and 'from:#id_title' in page
