import pytest

from tests.factories import AnswerFactory


@pytest.mark.django_db
def test_factories_build_a_verified_answer():
    answer = AnswerFactory()
    assert answer.doctor.is_verified
    assert answer.question.answer_count == 0
