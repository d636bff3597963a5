import pytest

from consult.questions import services
from consult.questions.errors import NotAllowed
from consult.questions.models import Answer, AnswerRevision
from tests.factories import DoctorProfileFactory

pytestmark = pytest.mark.django_db


def test_own_doctor_edits_and_the_old_text_is_kept(answer, doctor):
    old_headline, old_body = answer.headline, answer.body
    services.answer_update(answer=answer, editor=doctor.user, headline="Updated advice", body="New **text**")
    answer.refresh_from_db()
    assert answer.headline == "Updated advice"
    assert answer.body_html == "<p>New <strong>text</strong></p>"
    revision = AnswerRevision.objects.get(answer=answer)
    assert (revision.headline, revision.body, revision.edited_by) == (old_headline, old_body, doctor.user)


def test_each_edit_adds_a_revision(answer, doctor):
    original = answer.headline
    services.answer_update(answer=answer, editor=doctor.user, headline="Second version", body="two")
    services.answer_update(answer=answer, editor=doctor.user, headline="Third version", body="three")
    history = AnswerRevision.objects.filter(answer=answer).order_by("-created_at", "-id")
    assert [r.headline for r in history] == ["Second version", original]


def test_saving_unchanged_text_adds_no_revision(answer, doctor):
    services.answer_update(answer=answer, editor=doctor.user, headline=answer.headline, body=answer.body)
    assert not AnswerRevision.objects.exists()


def test_another_doctor_cannot_edit(answer):
    other = DoctorProfileFactory()
    with pytest.raises(NotAllowed):
        services.answer_update(answer=answer, editor=other.user, headline="Hijacked", body="x")
    assert Answer.objects.get(pk=answer.pk).headline != "Hijacked"
    assert not AnswerRevision.objects.exists()


def test_the_asker_cannot_edit_an_answer(answer, patient):
    with pytest.raises(NotAllowed):
        services.answer_update(answer=answer, editor=patient, headline="Mine now", body="x")
