"""Caching that signed-in readers go through: answer cards (consult/questions/fragments.py) and the thread's
question row, tags and related questions (selectors._thread_rows). Neither may ever show a signed-in reader
something stale or somebody else's state."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from consult.doctors.models import DoctorProfile
from consult.questions import fragments, services
from tests.factories import (
    AnswerFactory,
    DoctorProfileFactory,
    ModeratorFactory,
    QuestionFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


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
    return question, answer


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response, response.content.decode()


def _card_rendered(response) -> bool:
    return "questions/_answer.html" in [t.name for t in response.templates]


def test_cards_are_reused_and_each_reader_sees_their_own_vote_and_the_fresh_count(client, thread):
    question, answer = thread
    url = question.get_absolute_url()
    alice, bob = UserFactory(), UserFactory()
    other = Client()
    client.force_login(alice)
    other.force_login(bob)
    first, _ = _page(client, url)
    assert _card_rendered(first)
    again, html = _page(client, url)
    assert not _card_rendered(again)  # served from the card cache
    assert 'aria-pressed="false"' in html

    services.vote_toggle(user=alice, answer=answer)
    _, html = _page(client, url)
    assert 'aria-pressed="true"' in html and "<strong data-vote-count>1</strong>" in html
    _, html = _page(other, url)
    assert 'aria-pressed="false"' in html and "<strong data-vote-count>1</strong>" in html  # fresh count, own state
    services.vote_toggle(user=bob, answer=answer)
    _, html = _page(client, url)
    assert 'aria-pressed="true"' in html and "<strong data-vote-count>2</strong>" in html


def test_a_cached_card_carries_the_readers_own_csrf_token_that_works(thread):
    question, answer = thread
    url = question.get_absolute_url()
    warm = Client()
    warm.force_login(UserFactory())
    _page(warm, url)  # the card is cached by another reader
    reader = Client(enforce_csrf_checks=True)
    reader.force_login(UserFactory())
    response, html = _page(reader, url)
    assert not _card_rendered(response)
    assert fragments.csrf_placeholder() not in html
    tokens = TOKEN.findall(html)
    assert len(tokens) >= 3  # vote, report the answer, report the question (+ sign out)
    vote = reader.post(f"/answers/{answer.pk}/helpful/", {"csrfmiddlewaretoken": tokens[0]})
    assert vote.status_code == 302
    answer.refresh_from_db()
    assert answer.helpful_count == 1


def test_edits_and_byline_changes_show_to_signed_in_readers_at_once(client, thread):
    question, answer = thread
    url = question.get_absolute_url()
    client.force_login(UserFactory())
    _page(client, url)
    services.answer_update(answer=answer, editor=answer.doctor.user, headline="Revised headline", body="New text")
    _, html = _page(client, url)
    assert "Revised headline" in html and "Start with physiotherapy" not in html
    DoctorProfile.objects.filter(pk=answer.doctor_id).update(rating_avg=Decimal("4.2"), review_count=9)
    _, html = _page(client, url)
    assert "4.2 out of 5" in html


def test_viewer_specific_controls_are_never_shared(client, thread):
    question, answer = thread
    url = question.get_absolute_url()
    client.force_login(answer.doctor.user)  # the answering doctor: Edit, no vote button
    _, html = _page(client, url)
    assert f'href="/answers/{answer.pk}/edit/"' in html
    reader = Client()
    reader.force_login(UserFactory())
    _, html = _page(reader, url)
    assert f'href="/answers/{answer.pk}/edit/"' not in html and 'id="vote-button-' in html
    asker = Client()
    asker.force_login(question.author)
    _, html = _page(asker, url)
    assert "Most helpful</button>" in html
    _, html = _page(reader, url)
    assert "Most helpful</button>" not in html


def test_thread_rows_come_from_the_cache_and_follow_every_write(client, thread):
    question, answer = thread
    url = question.get_absolute_url()
    client.force_login(UserFactory())
    _page(client, url)
    with CaptureQueriesContext(connection) as ctx:
        _page(client, url)
    tables = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "questions_question_tags" not in tables and len(ctx.captured_queries) <= 2  # user, answers

    services.answer_create(doctor=DoctorProfileFactory(), question=question, headline="A second view", body="x")
    _, html = _page(client, url)
    assert "A second view" in html and "2 doctor answers" in html
    services.mark_most_helpful(user=question.author, answer=answer)
    _, html = _page(client, url)
    assert "Most helpful, chosen by the asker" in html
    services.question_set_hidden(question=question, is_hidden=True)
    assert client.get(url).status_code == 404
    moderator = Client()
    moderator.force_login(ModeratorFactory())
    _, html = _page(moderator, url)
    assert "A moderator has hidden this question" in html


def _fragment_rendered(response) -> bool:
    """True when the thread's question fragment was rendered (not served from the cache)."""
    return "moderation/_flag_button.html" in [t.name for t in response.templates]


def test_question_and_side_fragments_are_cached_per_viewer_kind_and_follow_every_write(client, thread):
    question, _answer = thread
    url = question.get_absolute_url()
    client.force_login(UserFactory())
    first, _ = _page(client, url)
    assert _fragment_rendered(first)
    other = Client(enforce_csrf_checks=True)
    other.force_login(UserFactory())
    again, html = _page(other, url)
    assert not _fragment_rendered(again)  # another signed-in reader gets the cached question
    assert fragments.csrf_placeholder() not in html
    # the cached question's Report form carries this reader's own, working token
    form = html.split('action="/moderation/flag/question/')[1]
    token = TOKEN.search(form).group(1)
    flagged = other.post(f"/moderation/flag/question/{question.pk}/", {"csrfmiddlewaretoken": token, "reason": "spam"})
    assert flagged.status_code == 302

    anonymous = Client()
    _response, html = _page(anonymous, url)
    assert "Why are you reporting this question?" not in html  # not the signed-in fragment
    assert 'href="/accounts/login/' in html or "Sign in" in html

    # a new answer changes the count in the cached question at once
    services.answer_create(doctor=DoctorProfileFactory(), question=question, headline="Second", body="x")
    _, html = _page(client, url)
    assert "2 doctor answers" in html
    # a moderator sees the hidden notice in their own variant; readers get a 404
    services.question_set_hidden(question=question, is_hidden=True)
    moderator = Client()
    moderator.force_login(ModeratorFactory())
    _, html = _page(moderator, url)
    assert "you see it because you moderate" in html
    assert client.get(url).status_code == 404


def test_without_a_cache_version_fragments_render_every_time(client, thread, monkeypatch):
    question, _ = thread
    from consult.core import pagecache

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(pagecache, "fetch_versioned", down)
    client.force_login(UserFactory())
    for _ in range(2):
        response, html = _page(client, question.get_absolute_url())
        assert _fragment_rendered(response) and question.title in html
