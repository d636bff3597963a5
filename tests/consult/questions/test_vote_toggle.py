import pytest

from consult.questions import services
from consult.questions.errors import ContentHidden, NotAllowed
from consult.questions.models import Answer, HelpfulVote
from tests.factories import AnswerFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_vote_then_unvote(answer, patient):
    assert services.vote_toggle(user=patient, answer=answer) == (True, 1)
    assert HelpfulVote.objects.filter(answer=answer, user=patient).exists()
    assert services.vote_toggle(user=patient, answer=answer) == (False, 0)
    assert not HelpfulVote.objects.exists()
    assert Answer.objects.get(pk=answer.pk).helpful_count == 0


def test_votes_from_different_people_add_up(answer):
    for user in UserFactory.create_batch(3):
        services.vote_toggle(user=user, answer=answer)
    assert Answer.objects.get(pk=answer.pk).helpful_count == 3


def test_doctor_cannot_vote_on_own_answer(answer, doctor):
    with pytest.raises(NotAllowed):
        services.vote_toggle(user=doctor.user, answer=answer)
    assert Answer.objects.get(pk=answer.pk).helpful_count == 0


def test_another_doctor_may_vote(answer):
    from tests.factories import DoctorProfileFactory

    assert services.vote_toggle(user=DoctorProfileFactory().user, answer=answer) == (True, 1)


def test_hidden_answer_cannot_be_voted(patient):
    answer = AnswerFactory(is_hidden=True)
    with pytest.raises(ContentHidden):
        services.vote_toggle(user=patient, answer=answer)


def test_answer_on_hidden_question_cannot_be_voted(patient):
    answer = AnswerFactory(question=QuestionFactory(is_hidden=True))
    with pytest.raises(ContentHidden):
        services.vote_toggle(user=patient, answer=answer)


def test_counter_follows_rows_even_if_a_stale_object_is_passed(answer, patient):
    stale = Answer.objects.get(pk=answer.pk)
    services.vote_toggle(user=UserFactory(), answer=answer)
    voted, count = services.vote_toggle(user=patient, answer=stale)
    assert (voted, count) == (True, 2)
