import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from consult.questions import permissions, selectors, services
from consult.questions.models import Question
from tests.factories import AnswerFactory, ModeratorFactory, QuestionFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


def _make_questions(n, *, same_instant=0):
    """n questions with distinct times, plus ``same_instant`` sharing one timestamp (tie on created_at)."""
    made = QuestionFactory.create_batch(n + same_instant)
    base = timezone.now() - dt.timedelta(days=30)
    for i, q in enumerate(made):
        q.created_at = base if i >= n else base + dt.timedelta(minutes=i)
    Question.objects.bulk_update(made, ["created_at"])
    return made


def _walk(kind="newest", tag=None, page_size=7):
    seen, cursor, pages = [], None, 0
    while True:
        page = selectors.question_page(kind=kind, tag=tag, cursor=cursor, page_size=page_size)
        seen.extend(q.pk for q in page.questions)
        pages += 1
        if not page.next_cursor:
            return seen, pages
        cursor = page.next_cursor


def test_keyset_pages_cover_every_question_once_in_order_even_with_equal_timestamps():
    made = _make_questions(20, same_instant=6)
    seen, pages = _walk(page_size=7)
    assert len(seen) == len(set(seen)) == 26
    assert pages == 4
    expected = list(Question.objects.order_by("-created_at", "-id").values_list("pk", flat=True))
    assert seen == expected
    assert set(seen) == {q.pk for q in made}


def test_hidden_questions_leave_the_lists():
    visible, hidden = QuestionFactory(), QuestionFactory(is_hidden=True)
    seen, _ = _walk()
    assert visible.pk in seen and hidden.pk not in seen


def test_unanswered_list_holds_only_questions_without_answers():
    answered = QuestionFactory(answer_count=1)
    waiting = QuestionFactory()
    seen, _ = _walk(kind="unanswered")
    assert seen == [waiting.pk]
    assert answered.pk not in seen


def test_tag_list_holds_only_that_tag():
    tag = TagFactory()
    tagged = QuestionFactory()
    tagged.tags.add(tag)
    QuestionFactory()
    seen, _ = _walk(tag=tag)
    assert seen == [tagged.pk]


@pytest.mark.parametrize("cursor", ["garbage", "!!!", "bm9waXBl", "MjAyNi0wMS0wMXwx"])
def test_malformed_cursor_means_first_page(cursor):
    QuestionFactory.create_batch(3)
    page = selectors.question_page(cursor=cursor)
    assert page.is_first and len(page.questions) == 3


def test_thread_hides_hidden_answers_from_everyone_but_moderators_and_their_doctor(client):
    question = QuestionFactory()
    shown = AnswerFactory(question=question, headline="Shown to everyone")
    hidden = AnswerFactory(question=question, is_hidden=True, headline="Hidden by a moderator")
    url = question.get_absolute_url()

    def visible(viewer):
        rows = selectors.thread_rows(pk=question.pk)
        rule = {a.pk for a in rows.answers if permissions.can_see_answer(viewer, a)}
        if viewer.is_authenticated:
            client.force_login(viewer)
        else:
            client.logout()
        page = client.get(url).content.decode()
        assert ("Hidden by a moderator" in page) == (hidden.pk in rule)  # the page follows the rule
        return rule

    assert visible(AnonymousUser()) == {shown.pk}
    assert visible(UserFactory()) == {shown.pk}
    assert visible(question.author) == {shown.pk}
    assert visible(hidden.doctor.user) == {shown.pk, hidden.pk}
    assert visible(ModeratorFactory()) == {shown.pk, hidden.pk}


def test_hidden_question_is_seen_only_by_moderators_and_its_asker(client):
    question = QuestionFactory(is_hidden=True)
    url = question.get_absolute_url()
    assert client.get(url).status_code == 404
    for viewer, status in ((UserFactory(), 404), (question.author, 200), (ModeratorFactory(), 200)):
        assert permissions.can_see_question(viewer, question) == (status == 200)
        client.force_login(viewer)
        assert client.get(url).status_code == status


def test_related_questions_share_tags_and_exclude_hidden_and_self():
    a, b = TagFactory(), TagFactory()
    both = QuestionFactory()
    both.tags.set([a, b])
    one = QuestionFactory()
    one.tags.set([b])
    hidden = QuestionFactory(is_hidden=True)
    hidden.tags.set([a])
    QuestionFactory()  # shares nothing
    question = services.question_create(
        author=UserFactory(), title="A question sharing two tags", body="x" * 40, tags=[a, b], display_name="Sam"
    )
    related = selectors.thread_rows(pk=question.pk).related
    assert [q.pk for q in related] == [both.pk, one.pk]


def test_most_helpful_answer_comes_first():
    question = QuestionFactory()
    popular = AnswerFactory(question=question, helpful_count=9)
    chosen = AnswerFactory(question=question, helpful_count=1)
    question.most_helpful_answer = chosen
    question.save()
    answers = selectors.thread_rows(pk=question.pk).answers
    assert [a.pk for a in answers] == [chosen.pk, popular.pk]
