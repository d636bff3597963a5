"""A doctor whose verification staff revoke can no longer edit their published answers (issue 11),
through the page or the service; the answer stays as it was."""

import pytest
from django.urls import reverse

from consult.doctors.services import doctor_reject
from consult.questions import services
from consult.questions.errors import NotAllowed
from consult.questions.models import Answer, AnswerRevision
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def revoked(answer, doctor):
    doctor_reject(profile=doctor, decided_by=StaffFactory(), note="Licence lapsed")
    doctor.user.refresh_from_db()
    return answer, doctor


def test_the_edit_page_refuses_with_a_reason(client, revoked):
    answer, doctor = revoked
    client.force_login(doctor.user)
    url = reverse("questions:answer_edit", kwargs={"pk": answer.pk})
    page = client.get(url)
    assert page.status_code == 403
    assert "no longer verified" in page.content.decode()
    posted = client.post(url, {"headline": "Changed after revocation", "body": "new text"})
    assert posted.status_code == 403
    assert Answer.objects.get(pk=answer.pk).headline == answer.headline
    assert not AnswerRevision.objects.exists()


def test_the_service_refuses(revoked):
    answer, doctor = revoked
    with pytest.raises(NotAllowed, match="no longer verified"):
        services.answer_update(answer=answer, editor=doctor.user, headline="Changed", body="x")
    assert Answer.objects.get(pk=answer.pk).headline == answer.headline


def test_the_thread_offers_no_edit_link_once_revoked(client, answer, doctor):
    client.force_login(doctor.user)
    edit = reverse("questions:answer_edit", kwargs={"pk": answer.pk})
    assert edit in client.get(answer.question.get_absolute_url()).content.decode()  # while verified
    doctor_reject(profile=doctor, decided_by=StaffFactory(), note="Licence lapsed")
    client.force_login(doctor.user)
    assert edit not in client.get(answer.question.get_absolute_url()).content.decode()
