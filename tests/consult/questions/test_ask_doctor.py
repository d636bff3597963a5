"""'Ask Dr. X' on a doctor's profile (issue 13: "ask this doctor" invites them to a new question): the question is
public like any other, and the doctor gets an invitation to answer it (the same Invite the asker could make on the
invite page, so its notice reaches their inbox)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from consult.notifications.models import Invite
from consult.questions.models import Question
from tests.factories import DoctorProfileFactory, TagFactory, UnverifiedDoctorProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def _post(client, doctor_slug, tag):
    return client.post(
        reverse("questions:ask"),
        {
            "title": "Can synkinesis be eased five years after Bell's palsy?",
            "body": "My smile pulls my eye shut since a palsy five years ago. What can be done now?",
            "tags": [tag.pk], "display_name": "Sam", "doctor": doctor_slug,
        },
    )


def test_asking_from_a_profile_invites_that_doctor(client, django_capture_on_commit_callbacks):
    doctor, patient, tag = DoctorProfileFactory(full_name="Ada Munich"), UserFactory(), TagFactory()
    profile = client.get(reverse("doctors:profile", kwargs={"slug": doctor.slug})).content.decode()
    ask_url = f"{reverse('questions:ask')}?doctor={doctor.slug}"
    assert f'href="{ask_url}"' in profile and "is invited to answer it" in profile
    client.force_login(patient)
    page = client.get(ask_url).content.decode()
    assert "Dr. Ada Munich, MD, FACS" in page and "invited to answer it" in page
    assert f'name="doctor" value="{doctor.slug}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, doctor.slug, tag)
    question = Question.objects.get()
    assert response.status_code == 302
    invite = Invite.objects.get()
    assert (invite.question, invite.doctor, invite.invited_by) == (question, doctor, patient)
    followed = client.get(response["Location"])
    assert "is invited to answer it" in " ".join(str(m) for m in followed.context["messages"])


@pytest.mark.parametrize("slug", ["", "nobody-here", "<script>"])
def test_without_a_verified_doctor_the_question_is_asked_as_usual(client, slug):
    client.force_login(UserFactory())
    page = client.get(reverse("questions:ask"), {"doctor": slug}).content.decode()
    assert "in mind" not in page
    _post(client, slug, TagFactory())
    assert Question.objects.count() == 1 and not Invite.objects.exists()


def test_a_doctor_not_verified_is_not_invited(client):
    pending = UnverifiedDoctorProfileFactory()
    client.force_login(UserFactory())
    assert "in mind" not in client.get(reverse("questions:ask"), {"doctor": pending.slug}).content.decode()
    _post(client, pending.slug, TagFactory())
    assert Question.objects.count() == 1 and not Invite.objects.exists()
