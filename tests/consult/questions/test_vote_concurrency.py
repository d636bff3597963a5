"""Parallel helpful votes on one answer keep helpful_count equal to the number of vote rows.

Runs on PostgreSQL only: SQLite serialises writers with a database lock, so it cannot show the
race this guards against.
"""

import threading

import pytest
from django.db import connection, connections

from consult.questions import services
from consult.questions.models import Answer, HelpfulVote
from tests.factories import AnswerFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locking"),
]

THREADS = 12
ROUNDS = 5


def _hammer(user_ids, answer_id, barrier, errors):
    try:
        from consult.accounts.models import User

        users = list(User.objects.filter(pk__in=user_ids))
        barrier.wait()
        for _ in range(ROUNDS):
            for user in users:
                answer = Answer.objects.select_related("question", "doctor").get(pk=answer_id)
                services.vote_toggle(user=user, answer=answer)
    except Exception as exc:  # surfaced in the main thread
        errors.append(exc)
    finally:
        connections.close_all()  # each thread opened its own connection


def test_parallel_toggles_keep_the_count_exact():
    answer = AnswerFactory()
    users = UserFactory.create_batch(THREADS)
    # Every thread toggles every user: the same (answer, user) pair races from many threads at
    # once, as well as different users racing on the counter.
    ids = [u.pk for u in users]
    barrier = threading.Barrier(THREADS)
    errors: list[Exception] = []
    threads = [
        threading.Thread(target=_hammer, args=(ids[i:] + ids[:i], answer.pk, barrier, errors))
        for i in range(THREADS)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    answer.refresh_from_db()
    rows = HelpfulVote.objects.filter(answer=answer).count()
    assert answer.helpful_count == rows
    assert rows <= THREADS


def test_parallel_first_votes_by_different_users_all_count():
    answer = AnswerFactory()
    users = UserFactory.create_batch(THREADS)
    barrier = threading.Barrier(THREADS)
    errors: list[Exception] = []

    def vote_once(user_id):
        try:
            from consult.accounts.models import User

            user = User.objects.get(pk=user_id)
            target = Answer.objects.select_related("question", "doctor").get(pk=answer.pk)
            barrier.wait()
            services.vote_toggle(user=user, answer=target)
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=vote_once, args=(u.pk,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    answer.refresh_from_db()
    assert answer.helpful_count == THREADS == HelpfulVote.objects.filter(answer=answer).count()


FIFTY = 50


def _at_once(count, work):
    """Run work(i) in ``count`` threads released together; return the exceptions they raised."""
    barrier = threading.Barrier(count)
    errors: list[Exception] = []

    def run(i):
        try:
            barrier.wait()
            work(i)
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return errors


def test_fifty_identical_votes_at_once_make_one_vote():
    """The same member's vote sent 50 times at once (a double-click storm): one row, a count of 1."""
    answer = AnswerFactory()
    voter = UserFactory()

    def vote(_i):
        from consult.accounts.models import User

        target = Answer.objects.select_related("question", "doctor").get(pk=answer.pk)
        services.vote_toggle(user=User.objects.get(pk=voter.pk), answer=target)

    errors = _at_once(FIFTY, vote)
    answer.refresh_from_db()
    rows = HelpfulVote.objects.filter(answer=answer).count()
    # Each call toggles: the outcome is whatever the last committed toggle left, but never a duplicate
    # row, never a count that disagrees with the rows, never an error.
    assert not errors, errors
    assert rows in (0, 1)
    assert answer.helpful_count == rows


def test_fifty_members_voting_at_once_are_all_counted():
    answer = AnswerFactory()
    voters = [u.pk for u in UserFactory.create_batch(FIFTY)]

    def vote(i):
        from consult.accounts.models import User

        target = Answer.objects.select_related("question", "doctor").get(pk=answer.pk)
        services.vote_toggle(user=User.objects.get(pk=voters[i]), answer=target)

    assert not _at_once(FIFTY, vote)
    answer.refresh_from_db()
    assert answer.helpful_count == HelpfulVote.objects.filter(answer=answer).count() == FIFTY
