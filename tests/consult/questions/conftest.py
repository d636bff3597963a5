from __future__ import annotations

import pytest

from tests.factories import AnswerFactory, DoctorProfileFactory, QuestionFactory, TagFactory, UserFactory


@pytest.fixture
def patient():
    return UserFactory()


@pytest.fixture
def doctor():
    return DoctorProfileFactory()


@pytest.fixture
def question(patient):
    return QuestionFactory(author=patient)


@pytest.fixture
def answer(question, doctor):
    return AnswerFactory(question=question, doctor=doctor)


def make_thread(*, answers: int, votes_per_answer: int = 0, tags: int = 2):
    """A question with ``answers`` doctor answers, each with ``votes_per_answer`` helpful votes,
    sharing tags with a few other questions (so 'related questions' has rows)."""
    from consult.questions.models import HelpfulVote

    tag_objs = [TagFactory() for _ in range(tags)]
    question = QuestionFactory()
    question.tags.set(tag_objs)
    for _ in range(3):
        QuestionFactory().tags.set(tag_objs[:1])
    voters = UserFactory.create_batch(votes_per_answer) if votes_per_answer else []
    made = []
    for _ in range(answers):
        answer = AnswerFactory(question=question, helpful_count=len(voters))
        HelpfulVote.objects.bulk_create([HelpfulVote(answer=answer, user=v) for v in voters])
        made.append(answer)
    question.answer_count = answers
    question.save(update_fields=["answer_count"])
    return question, made, voters
