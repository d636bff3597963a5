"""Every hot page's SQL query count, pinned (Zulip style): an N+1 fails here the day it appears.

The thread page budget is <= 7 queries whatever the number of answers and votes, when nothing is
cached. With cached_db sessions a signed-in request costs one query (the user row) on top of the
page's own. When the thread's shared entry is cached (consult/questions/page.py), a signed-in reader
costs three: the user, their votes and whether they follow the thread (issue 14's follow button).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.consult.questions.conftest import make_thread
from tests.consult.scale import forget_cached_pages
from tests.factories import DoctorProfileFactory, ModeratorFactory, QuestionFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

# question, tags, answers (+ doctor byline), related questions
THREAD_ANONYMOUS = 4
THREAD_SIGNED_IN = 7  # + the user row + the reader's votes on these answers + whether they follow the thread
THREAD_DOCTOR = 7  # the doctor profile comes with the user row (consult.accounts.backends)
THREAD_SIGNED_IN_CACHED = 3  # the user row, the reader's votes, their follow; the rest is the shared cached entry
# The asker, verified doctors and moderators also see the private photos section (consult.photos):
# one more query, the thread's photos joined to their visits (pinned in tests/consult/photos).
THREAD_PHOTOS = 1


def count_queries(client, url):
    forget_cached_pages()  # the budget of a render: no page-cache hit, no cached related questions
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


@pytest.mark.parametrize("answers,votes", [(1, 0), (1, 5), (6, 0), (6, 12)])
def test_thread_anonymous(client, answers, votes):
    question, _, _ = make_thread(answers=answers, votes_per_answer=votes)
    assert count_queries(client, question.get_absolute_url()) == THREAD_ANONYMOUS


@pytest.mark.parametrize("answers,votes", [(1, 0), (6, 12)])
def test_thread_signed_in_voter(client, answers, votes):
    question, _, voters = make_thread(answers=answers, votes_per_answer=votes)
    client.force_login(voters[0] if voters else UserFactory())
    assert count_queries(client, question.get_absolute_url()) == THREAD_SIGNED_IN


@pytest.mark.parametrize("answers,votes", [(1, 0), (6, 12)])
def test_thread_signed_in_with_the_shared_entry_cached(client, answers, votes):
    question, _, voters = make_thread(answers=answers, votes_per_answer=votes)
    url = question.get_absolute_url()
    client.get(url)  # an anonymous reader caches the shared entry
    client.force_login(voters[0] if voters else UserFactory())
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    assert len(ctx.captured_queries) == THREAD_SIGNED_IN_CACHED


@pytest.mark.parametrize("answers", [1, 6])
def test_thread_signed_in_asker_and_moderator(client, answers):
    question, _, _ = make_thread(answers=answers, votes_per_answer=4)
    for user in (question.author, ModeratorFactory()):
        client.force_login(user)
        assert count_queries(client, question.get_absolute_url()) == THREAD_SIGNED_IN + THREAD_PHOTOS


@pytest.mark.parametrize("answers", [1, 6])
def test_thread_doctor(client, answers):
    question, made, _ = make_thread(answers=answers, votes_per_answer=4)
    client.force_login(DoctorProfileFactory().user)  # sees the answer form
    assert count_queries(client, question.get_absolute_url()) == THREAD_DOCTOR + THREAD_PHOTOS
    client.force_login(made[0].doctor.user)  # sees an edit link to their own answer
    assert count_queries(client, question.get_absolute_url()) <= THREAD_DOCTOR + THREAD_PHOTOS


def _fill_list(n):
    tags = TagFactory.create_batch(4)
    for i, question in enumerate(QuestionFactory.create_batch(n)):
        question.tags.set(tags[: 1 + i % 4])
        tag = tags[0]
    tag.question_count = n
    tag.save()
    return tags[0]


@pytest.mark.parametrize("n", [3, 30])
def test_list_pages(client, n):
    tag = _fill_list(n)
    # page rows, their tags, the popular-tags sidebar
    assert count_queries(client, "/") == 3
    assert count_queries(client, "/unanswered/") == 3
    # + the tag itself
    assert count_queries(client, tag.get_absolute_url()) == 4
    client.force_login(UserFactory())
    assert count_queries(client, "/") == 4


def test_second_list_page_costs_the_same(client):
    _fill_list(45)
    html = client.get("/").content.decode()
    cursor = html.split("?after=")[1].split('"')[0]
    assert count_queries(client, f"/?after={cursor}") == 3


def test_anonymous_thread_view_writes_nothing(client):
    from django.contrib.sessions.models import Session

    question, _, _ = make_thread(answers=3, votes_per_answer=2)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(question.get_absolute_url())
    assert response.status_code == 200
    writes = [q["sql"] for q in ctx.captured_queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []
    assert not Session.objects.exists()
    assert "sessionid" not in response.cookies


def test_every_thread_view_fits_the_query_budget():
    """Seven for every reader of a thread nobody has read in the last minute (six before issue 14 added
    the reader's follow button); one more for the few who may see the asker's photos (asker, doctors,
    moderators); three or four once the shared entry is cached."""
    assert max(THREAD_ANONYMOUS, THREAD_SIGNED_IN, THREAD_DOCTOR) <= 7
    assert max(THREAD_SIGNED_IN + THREAD_PHOTOS, THREAD_DOCTOR + THREAD_PHOTOS) <= 8
    assert THREAD_SIGNED_IN_CACHED + THREAD_PHOTOS <= 4


def test_a_thread_with_updates_reads_them_in_one_more_query(client):
    """The asker's follow-up updates: one query when the shared entry is built, whatever their number, and
    none for a thread without updates (``Question.update_count``)."""
    from consult.questions import services

    question, _, _ = make_thread(answers=2, votes_per_answer=1)
    for i in range(3):
        services.update_create(author=question.author, question=question, body=f"Week {i + 2}: a little better.")
    assert count_queries(client, question.get_absolute_url()) == THREAD_ANONYMOUS + 1
