import pytest

from consult.accounts.models import Role
from consult.questions import services
from consult.questions.errors import NotAllowed
from consult.questions.models import Tag
from tests.factories import TagFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_patient_asks_with_tags_and_sanitised_body(patient):
    botox, synk = TagFactory(name="Botox"), TagFactory(name="Synkinesis")
    question = services.question_create(
        author=patient,
        title="Does Botox help synkinesis around the eye?",
        body="My eye **closes** when I smile. <script>x()</script>",
        tags=[botox, synk],
        display_name="  Sam  ",
        age=41,
        sex="female",
    )
    assert question.slug == "does-botox-help-synkinesis-around-the-eye"
    assert "<strong>closes</strong>" in question.body_html
    assert "<script" not in question.body_html
    assert question.display_name == "Sam"
    assert set(question.tags.all()) == {botox, synk}
    assert Tag.objects.get(pk=botox.pk).question_count == 1


def test_blank_display_name_falls_back_to_the_account_name(patient):
    question = services.question_create(
        author=patient, title="Eyelid weight or not?", body="Details here.", tags=[], display_name=" "
    )
    assert question.display_name == patient.display_name


def test_doctors_answer_rather_than_ask():
    doctor_user = UserFactory(role=Role.DOCTOR)
    with pytest.raises(NotAllowed):
        services.question_create(
            author=doctor_user, title="A doctor asking", body="Body text", tags=[], display_name="Dr"
        )


def test_slug_never_collides_with_the_answers_endpoint(patient):
    question = services.question_create(
        author=patient, title="Answers???????????", body="Body text", tags=[], display_name="x"
    )
    assert question.slug != "answers"
