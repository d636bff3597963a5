"""Search through the API: the site's one search service, hidden content never found."""

from __future__ import annotations

import pytest

from consult.questions import services
from tests.factories import TagFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_search_finds_visible_questions_and_pages_with_a_cursor(client):
    tag = TagFactory()
    author = UserFactory()
    made = [
        services.question_create(author=author, title=f"Synkinesis around the eye, case {n}",
                                 body="My eye closes a little whenever I smile since the palsy.", tags=[tag],
                                 display_name="Sam")
        for n in range(23)
    ]
    services.question_set_hidden(question=made[0], is_hidden=True)
    first = client.get("/api/v1/search", {"q": "synkinesis", "kind": "question"})
    assert first.status_code == 200, first.content
    body = first.json()
    assert len(body["items"]) == 20 and body["total"] == 22
    assert "<mark>" in body["items"][0]["title_html"] and "<mark>" not in body["items"][0]["title"]
    second = client.get("/api/v1/search", {"q": "synkinesis", "kind": "question", "cursor": body["next_cursor"]}).json()
    urls = {hit["url"] for hit in body["items"] + second["items"]}
    assert len(urls) == 22 and not any(f"/questions/{made[0].pk}/" in url for url in urls)
    # a cursor belongs to its query
    assert client.get("/api/v1/search", {"q": "eye", "cursor": body["next_cursor"]}).status_code == 400


def test_a_query_of_symbols_only_says_why_nothing_was_searched(client):
    body = client.get("/api/v1/search", {"q": "!!!"}).json()
    assert body["items"] == [] and body["notes"]
    assert client.get("/api/v1/search").status_code == 422  # q is required


def test_similar_questions(client):
    services.question_create(author=UserFactory(), title="Can Botox help synkinesis after Bell's palsy?",
                             body="My eye closes when I smile, a year after the palsy.", tags=[TagFactory()],
                             display_name="Sam")
    body = client.get("/api/v1/questions/similar", {"title": "botox synkinesis"}).json()
    assert [s["title"] for s in body["items"]] == ["Can Botox help synkinesis after Bell's palsy?"]
