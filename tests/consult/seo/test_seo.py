"""What search engines and feed readers get: robots.txt, a paginated sitemap index of public content only, RSS/Atom
feeds per concern, Open Graph tags, noindex on thin or hidden threads."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from consult.questions import services
from tests.factories import DoctorProfileFactory, QuestionFactory, TagFactory

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_private_areas(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    for private in ("/me/", "/photos/", "/moderation/", "/accounts/", "/admin/"):
        assert f"Disallow: {private}" in text


def test_the_sitemap_lists_public_content_only(client):
    tag = TagFactory(question_count=1)
    public = QuestionFactory()
    public.tags.set([tag])
    hidden = QuestionFactory(is_hidden=True)
    doctor = DoctorProfileFactory()
    pending = DoctorProfileFactory(status="pending")
    index = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314  # our own server's XML
    sections = [loc.text or "" for loc in index.findall("s:sitemap/s:loc", NS)]
    assert any("sitemap-questions.xml" in url for url in sections)
    urls: list[str] = []
    for section in sections:
        path = re.sub(r"^http://testserver", "", section)
        body = client.get(path)
        assert body.status_code == 200, path
        urls += [loc.text or "" for loc in ET.fromstring(body.content).findall("s:url/s:loc", NS)]  # noqa: S314
    assert f"http://testserver{public.get_absolute_url()}" in urls
    assert f"http://testserver{hidden.get_absolute_url()}" not in urls
    assert f"http://testserver{tag.get_absolute_url()}" in urls
    assert f"http://testserver/doctors/{doctor.slug}/" in urls
    assert f"http://testserver/doctors/{pending.slug}/" not in urls


def test_feeds_list_new_visible_questions_per_concern(client):
    tag, other = TagFactory(), TagFactory()
    mine = QuestionFactory(title="A question in this concern")
    mine.tags.set([tag])
    elsewhere = QuestionFactory(title="A question elsewhere")
    elsewhere.tags.set([other])
    QuestionFactory(title="A hidden question", is_hidden=True).tags.set([tag])
    rss = client.get(f"/tags/{tag.slug}/feed/")
    assert rss.status_code == 200 and "rss" in rss["Content-Type"]
    body = rss.content.decode()
    assert "A question in this concern" in body
    assert "A question elsewhere" not in body and "A hidden question" not in body
    assert client.get("/tags/no-such-concern/feed/").status_code == 404
    atom = client.get("/feed/atom/")
    assert "atom" in atom["Content-Type"] and "A question elsewhere" in atom.content.decode()
    assert f'href="/tags/{tag.slug}/feed/"' in client.get(tag.get_absolute_url()).content.decode()


def test_threads_carry_open_graph_and_noindex_until_a_doctor_answers(client):
    question = QuestionFactory(title="Can synkinesis improve after two years?")
    html = client.get(question.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="Can synkinesis improve after two years?">' in html
    assert f'<meta property="og:url" content="http://testserver{question.get_absolute_url()}">' in html
    assert '<meta name="robots" content="noindex">' in html  # unanswered: thin
    services.answer_create(doctor=DoctorProfileFactory(), question=question, headline="Yes, often", body="Text")
    assert 'content="noindex"' not in client.get(question.get_absolute_url()).content.decode()


@pytest.mark.parametrize("n", [3, 30])
def test_feed_and_sitemap_query_counts_do_not_grow_with_the_content(client, n):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tag = TagFactory(question_count=n)
    for question in QuestionFactory.create_batch(n):
        question.tags.set([tag])
    cache.clear()
    for url, budget in ((f"/tags/{tag.slug}/feed/", 2), ("/feed/", 1), ("/sitemap-questions.xml", 2)):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        assert len(ctx.captured_queries) == budget, (url, [q["sql"] for q in ctx.captured_queries])
