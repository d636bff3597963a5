import pytest
from django.db.models import F

from consult.doctors.models import DoctorProfile
from consult.questions import services
from consult.questions.models import Question, Tag
from tests.factories import AnswerFactory, DoctorProfileFactory, QuestionFactory, TagFactory

pytestmark = pytest.mark.django_db


def _answer(question, doctor, **kwargs):
    answer = AnswerFactory(question=question, doctor=doctor, **kwargs)
    # Counters as answer_create leaves them (factories write rows directly).
    Question.objects.filter(pk=question.pk).update(answer_count=F("answer_count") + 1)
    DoctorProfile.objects.filter(pk=doctor.pk).update(answer_count=F("answer_count") + 1)
    return answer


def test_hiding_a_question_takes_its_answers_off_the_doctors_counts_and_restoring_brings_them_back():
    tag = TagFactory(question_count=1)
    question = QuestionFactory()
    question.tags.add(tag)
    first, second = DoctorProfileFactory(), DoctorProfileFactory()
    _answer(question, first)
    _answer(question, second)
    _answer(QuestionFactory(), first)  # an answer elsewhere keeps counting

    services.question_set_hidden(question=question, is_hidden=True)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.answer_count, second.answer_count) == (1, 0)
    assert Tag.objects.get(pk=tag.pk).question_count == 0

    services.question_set_hidden(question=question, is_hidden=False)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.answer_count, second.answer_count) == (2, 1)
    assert Tag.objects.get(pk=tag.pk).question_count == 1


def test_an_answer_hidden_on_its_own_is_not_subtracted_twice():
    question = QuestionFactory()
    doctor = DoctorProfileFactory()
    answer = _answer(question, doctor)
    services.answer_set_hidden(answer=answer, is_hidden=True)
    services.question_set_hidden(question=question, is_hidden=True)
    doctor.refresh_from_db()
    assert doctor.answer_count == 0
    services.question_set_hidden(question=question, is_hidden=False)
    doctor.refresh_from_db()
    assert doctor.answer_count == 0


def test_hiding_an_answer_on_a_hidden_question_keeps_the_doctor_count_exact():
    from consult.questions.recount import recount_all

    question = QuestionFactory()
    doctor = DoctorProfileFactory()
    answer = services.answer_create(doctor=doctor, question=question, headline="Headline", body="Body")
    services.question_set_hidden(question=question, is_hidden=True)
    services.answer_set_hidden(answer=answer, is_hidden=True)  # was a second decrement (and a 500 at 0)
    assert DoctorProfile.objects.get(pk=doctor.pk).answer_count == 0
    services.question_set_hidden(question=question, is_hidden=False)
    services.answer_set_hidden(answer=answer, is_hidden=False)
    assert DoctorProfile.objects.get(pk=doctor.pk).answer_count == 1
    assert sum(recount_all().values()) == 0  # the live counters equal the recount
