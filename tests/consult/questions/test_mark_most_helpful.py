import pytest

from consult.questions import services
from consult.questions.errors import ContentHidden, NotAllowed
from consult.questions.models import Question
from tests.factories import AnswerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_asker_marks_and_unmarks(answer, patient, question):
    assert services.mark_most_helpful(user=patient, answer=answer) is True
    assert Question.objects.get(pk=question.pk).most_helpful_answer == answer
    assert services.mark_most_helpful(user=patient, answer=answer) is False
    assert Question.objects.get(pk=question.pk).most_helpful_answer is None


def test_marking_another_answer_moves_the_badge(answer, patient, question):
    other = AnswerFactory(question=question)
    services.mark_most_helpful(user=patient, answer=answer)
    services.mark_most_helpful(user=patient, answer=other)
    assert Question.objects.get(pk=question.pk).most_helpful_answer == other


@pytest.mark.parametrize("who", ["stranger", "doctor"])
def test_only_the_asker_may_mark(answer, doctor, question, who):
    user = UserFactory() if who == "stranger" else doctor.user
    with pytest.raises(NotAllowed):
        services.mark_most_helpful(user=user, answer=answer)
    assert Question.objects.get(pk=question.pk).most_helpful_answer is None


def test_hidden_answer_cannot_be_marked(patient, question):
    hidden = AnswerFactory(question=question, is_hidden=True)
    with pytest.raises(ContentHidden):
        services.mark_most_helpful(user=patient, answer=hidden)


def test_hiding_the_most_helpful_answer_unmarks_it_and_fixes_counts(answer, patient, question, doctor):
    Question.objects.filter(pk=question.pk).update(answer_count=1)  # as answer_create would have left them
    type(doctor).objects.filter(pk=doctor.pk).update(answer_count=1)
    services.mark_most_helpful(user=patient, answer=answer)
    services.answer_set_hidden(answer=answer, is_hidden=True)
    question.refresh_from_db()
    assert question.most_helpful_answer is None
    assert question.answer_count == 0
    services.answer_set_hidden(answer=answer, is_hidden=False)
    assert Question.objects.get(pk=question.pk).answer_count == 1
