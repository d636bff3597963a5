import pytest

from consult.doctors.models import DoctorProfile
from consult.questions import services
from consult.questions.errors import AlreadyAnswered, ContentHidden, NotVerifiedDoctor
from consult.questions.models import Answer, Question
from tests.factories import DoctorProfileFactory, QuestionFactory, UnverifiedDoctorProfileFactory

pytestmark = pytest.mark.django_db


def test_verified_doctor_answers_and_counters_move(question, doctor):
    answer = services.answer_create(
        doctor=doctor, question=question, headline="Start with eye protection", body="Use *ointment* at night."
    )
    assert answer.body_html == "<p>Use <em>ointment</em> at night.</p>"
    assert Question.objects.get(pk=question.pk).answer_count == 1
    assert DoctorProfile.objects.get(pk=doctor.pk).answer_count == 1


def test_unverified_doctor_cannot_answer(question):
    pending = UnverifiedDoctorProfileFactory()
    with pytest.raises(NotVerifiedDoctor):
        services.answer_create(doctor=pending, question=question, headline="Hello there", body="Body text")
    assert not Answer.objects.exists()
    assert Question.objects.get(pk=question.pk).answer_count == 0


def test_one_answer_per_doctor_per_question(question, doctor):
    services.answer_create(doctor=doctor, question=question, headline="First answer", body="Body")
    with pytest.raises(AlreadyAnswered):
        services.answer_create(doctor=doctor, question=question, headline="Second answer", body="Body")
    assert Answer.objects.filter(question=question).count() == 1
    assert Question.objects.get(pk=question.pk).answer_count == 1


def test_other_doctors_can_still_answer(question, doctor):
    services.answer_create(doctor=doctor, question=question, headline="First answer", body="Body")
    services.answer_create(doctor=DoctorProfileFactory(), question=question, headline="Second view", body="Body")
    assert Question.objects.get(pk=question.pk).answer_count == 2


def test_hidden_question_cannot_be_answered(doctor):
    question = QuestionFactory(is_hidden=True)
    with pytest.raises(ContentHidden):
        services.answer_create(doctor=doctor, question=question, headline="Headline", body="Body")
