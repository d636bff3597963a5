"""The anonymous page cache (consult/core/pagecache.py): served without SQL, never to signed-in readers,
invalidated on write. Anonymous page views write nothing to the database and set no cookie, cached or not.
What each write refreshes, and the one staleness bound, are in test_staleness.py."""

from __future__ import annotations

import re
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from consult.core import pagecache
from consult.doctors.services import doctor_reject
from consult.questions import services
from consult.questions.models import Answer
from tests.factories import (
    AnswerFactory,
    DoctorProfileFactory,
    QuestionFactory,
    StaffFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.I)


def _get(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response, [q["sql"] for q in ctx.captured_queries]


@pytest.fixture
def thread():
    tag = TagFactory(slug="synkinesis", name="Synkinesis", question_count=1)
    question = QuestionFactory()
    question.tags.set([tag])
    answer = AnswerFactory(question=question, headline="Start with physiotherapy")
    question.answer_count = 1
    question.save(update_fields=["answer_count"])
    answer.doctor.answer_count = 1
    answer.doctor.save(update_fields=["answer_count"])
    return question, answer, tag


def _public_urls(question, answer, tag):
    return [
        question.get_absolute_url(),
        "/",
        "/unanswered/",
        tag.get_absolute_url(),
        f"/doctors/{answer.doctor.slug}/",
    ]


def test_anonymous_pages_write_nothing_and_set_no_cookie_then_come_from_the_cache(client, thread):
    for url in _public_urls(*thread):
        first, sql = _get(client, url)
        assert first.status_code == 200, url
        assert first["X-Page-Cache"] == "miss"
        assert not [q for q in sql if WRITES.match(q)], url
        assert not first.cookies, f"{url} set {list(first.cookies)}"
        assert "Cookie" in first["Vary"]
        again, sql = _get(client, url)
        assert again["X-Page-Cache"] == "hit" and sql == [], url
        assert again.content == first.content
        assert not again.cookies and "Cookie" in again["Vary"]


def test_signed_in_readers_never_get_the_cached_page(client, thread):
    question, answer, _ = thread
    url = question.get_absolute_url()
    client.get(url)  # cached for anonymous readers
    voter = UserFactory()
    client.force_login(voter)
    services.vote_toggle(user=voter, answer=answer)
    response = client.get(url)
    assert "X-Page-Cache" not in response
    assert 'aria-pressed="true"' in response.content.decode()  # their own vote state


def test_a_reader_with_a_pending_message_is_not_served_from_the_cache(client, thread):
    url = thread[0].get_absolute_url()
    client.get(url)
    client.cookies["messages"] = "something"
    assert "X-Page-Cache" not in client.get(url)


def test_a_new_answer_shows_to_anonymous_readers_at_once(client, thread):
    question, _, tag = thread
    url = question.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    client.get("/")
    client.get(tag.get_absolute_url())
    doctor = DoctorProfileFactory()
    services.answer_create(doctor=doctor, question=question, headline="Consider a nerve transfer", body="Text")
    fresh = client.get(url)
    assert fresh["X-Page-Cache"] == "miss"
    assert "Consider a nerve transfer" in fresh.content.decode()
    # the lists show the new answer count, and the doctor's profile lists the answer
    assert "2 doctor answers" in client.get("/").content.decode()
    assert "Consider a nerve transfer" in client.get(f"/doctors/{doctor.slug}/").content.decode()


def test_an_edited_answer_shows_its_new_text_at_once(client, thread):
    question, answer, _ = thread
    url = question.get_absolute_url()
    client.get(url)
    client.get(f"/doctors/{answer.doctor.slug}/")
    services.answer_update(answer=answer, editor=answer.doctor.user, headline="Revised headline", body="New")
    assert "Revised headline" in client.get(url).content.decode()
    assert "Revised headline" in client.get(f"/doctors/{answer.doctor.slug}/").content.decode()


def test_a_hidden_answer_disappears_and_a_hidden_question_is_gone_at_once(client, thread):
    question, answer, tag = thread
    url = question.get_absolute_url()
    assert "Start with physiotherapy" in client.get(url).content.decode()
    assert escape(question.title) in client.get(tag.get_absolute_url()).content.decode()
    services.answer_set_hidden(answer=answer, is_hidden=True)
    assert "Start with physiotherapy" not in client.get(url).content.decode()
    services.question_set_hidden(question=question, is_hidden=True)
    assert client.get(url).status_code == 404
    assert escape(question.title) not in client.get(tag.get_absolute_url()).content.decode()
    assert escape(question.title) not in client.get("/").content.decode()


def test_a_rejected_doctor_profile_says_so_at_once(client, thread):
    """Their answers stay up, so the profile stays public (bylines link to it) and says at once that the doctor
    is no longer verified (issue 13: profiles are never deleted)."""
    _, answer, _ = thread
    url = f"/doctors/{answer.doctor.slug}/"
    assert "no longer verified" not in client.get(url).content.decode()
    doctor_reject(profile=answer.doctor, decided_by=StaffFactory(), note="Licence lapsed")
    assert "is no longer verified on Consult" in client.get(url).content.decode()


def test_a_vote_shows_to_anonymous_readers_at_once(client, thread):
    question, answer, _ = thread
    url = question.get_absolute_url()
    client.get(url)
    services.vote_toggle(user=UserFactory(), answer=answer)
    fresh = client.get(url)
    assert fresh["X-Page-Cache"] == "miss"
    assert Answer.objects.get(pk=answer.pk).helpful_count == 1
    assert '<strong data-vote-count>1</strong>' in fresh.content.decode()


def test_a_lost_version_never_serves_an_older_page(client, thread):
    url = thread[0].get_absolute_url()
    client.get(url)
    cache.delete("ver:" + pagecache.thread(thread[0].pk))  # evicted
    assert client.get(url)["X-Page-Cache"] == "miss"


def test_the_page_key_holds_scheme_and_host(client, thread, settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    url = thread[0].get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    other = client.get(url, HTTP_HOST="other.example")
    assert other["X-Page-Cache"] == "miss"
    assert "http://other.example/" in other.content.decode()  # canonical link and JSON-LD for that host
    assert client.get(url, secure=True)["X-Page-Cache"] == "miss"


def test_an_unreachable_cache_still_renders(client, thread, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "get_many", broken)
    response = client.get(thread[0].get_absolute_url())
    assert response.status_code == 200 and "X-Page-Cache" not in response


def test_hot_pages_come_from_process_memory_for_at_most_the_local_lifetime(client, thread, settings, monkeypatch):
    settings.ANON_PAGE_LOCAL_SECONDS = 1.0
    question, _answer, _ = thread
    url = question.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as ctx:
        hot = client.get(url)
    assert hot["X-Page-Cache"] == "hit-local" and ctx.captured_queries == []
    assert not hot.cookies and "Cookie" in hot["Vary"]

    # A version bumped by another process (not through this one's services) is not seen for up to 1 s...
    cache.set("ver:" + pagecache.thread(question.pk), "bumped-elsewhere", timeout=None)
    assert client.get(url)["X-Page-Cache"] == "hit-local"
    # ...and is once the local copy expires.
    now = time.monotonic()
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: now + 1.01)
    assert client.get(url)["X-Page-Cache"] == "miss"


def test_a_write_in_this_process_clears_its_hot_pages_at_once(client, thread, settings):
    settings.ANON_PAGE_LOCAL_SECONDS = 1.0
    question, answer, _ = thread
    url = question.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit-local"
    services.answer_update(answer=answer, editor=answer.doctor.user, headline="An edited headline", body="Edited")
    fresh = client.get(url)
    assert fresh["X-Page-Cache"] == "miss" and "An edited headline" in fresh.content.decode()


def test_hot_pages_are_bounded(client, settings):
    settings.ANON_PAGE_LOCAL_SECONDS = 30.0
    urls = [f"/?after=x{n}" for n in range(pagecache.LOCAL_PAGES + 20)]
    for url in urls:
        assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(urls[-1])["X-Page-Cache"] == "hit-local"
    assert client.get(urls[0])["X-Page-Cache"] == "hit"  # pushed out of process memory, still in the cache
    settings.ANON_PAGE_LOCAL_SECONDS = 0
    pagecache.clear_local()
    client.get(urls[1])
    assert client.get(urls[1])["X-Page-Cache"] == "hit"  # off


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_readers_in_the_same_state_share_the_answers_section_each_with_their_own_token(thread):
    from django.test import Client

    question, answer, _ = thread
    url = question.get_absolute_url()
    alice, bob = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    alice.force_login(UserFactory())
    bob.force_login(UserFactory())
    first = alice.get(url)
    assert "questions/_answers.html" in [t.name for t in first.templates]
    second = bob.get(url)
    assert "questions/_answers.html" not in [t.name for t in second.templates]  # the same state: shared
    token_a, token_b = TOKEN.findall(first.content.decode())[0], TOKEN.findall(second.content.decode())[0]
    assert token_a != token_b and "csrf-token-of-the-reader" not in second.content.decode()
    # each reader's own token works for them: Bob votes with the form from the shared rendering
    vote = bob.post(f"/answers/{answer.pk}/helpful/", {"csrfmiddlewaretoken": token_b})
    assert vote.status_code == 302 and Answer.objects.get(pk=answer.pk).helpful_count == 1
    bob_page, alice_page = bob.get(url).content.decode(), alice.get(url).content.decode()
    assert 'aria-pressed="true"' in bob_page and 'aria-pressed="true"' not in alice_page
    assert "<strong data-vote-count>1</strong>" in alice_page
