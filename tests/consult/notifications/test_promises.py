"""Every sentence the site says about notifying or e-mailing someone, checked against what happens.

- the ask page's success message: "Doctors whose field covers its concerns are notified, and each new
  answer reaches your inbox."
- the thread's update form: "the doctors who answered are notified" (test_kinds.py, test_email.py)
- the follow button: "New answers and updates reach your inbox" (test_follow_and_inbox.py, test_email.py)
- the invite page: "They are notified in their inbox (and by e-mail if they chose it)" (test_invite.py, here)
- "My questions": "You follow each question you ask from the start" (here)
- every e-mail: "one-click unsubscribe link" (test_email.py)
"""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

from consult.notifications.models import Kind, Notification
from consult.questions.models import Question
from tests.consult.notifications.conftest import WORKER, answer, run_worker
from tests.factories import DoctorProfileFactory, TagFactory, UserFactory

pytestmark = WORKER

ASKED = "Your question is live. Doctors whose field covers its concerns are notified, and each new answer reaches your inbox."


def test_the_ask_page_promise_holds(client, django_capture_on_commit_callbacks):
    palsy = TagFactory(slug="bells-palsy", name="Bell's palsy")
    nerve = DoctorProfileFactory(specialty="ent-facial-nerve")
    rehab = DoctorProfileFactory(specialty="physiatry")
    patient = UserFactory()
    client.force_login(patient)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("questions:ask"), {
            "title": "Is it normal that my eye waters when I eat?",
            "body": "Since my Bell's palsy last year my left eye waters at every meal.",
            "tags": [palsy.pk], "display_name": "Sam",
        }, follow=True)
    assert ASKED in response.content.decode()
    run_worker()
    question = Question.objects.get()
    told = set(Notification.objects.filter(kind=Kind.NEW_QUESTION, key=f"question:{question.pk}")
               .values_list("user_id", flat=True))
    assert told == {nerve.user_id, rehab.user_id}  # both specialties cover Bell's palsy
    # ... and each new answer reaches the asker's inbox (and, by default, their e-mail)
    mail.outbox.clear()
    answer(nerve, question, django_capture_on_commit_callbacks)
    run_worker()
    run_worker()
    assert Notification.objects.filter(user=patient, kind=Kind.ANSWER).count() == 1
    assert [m.to for m in mail.outbox] == [[patient.email]]


def test_my_questions_promise_the_asker_follows_from_the_start(client, asked, asker):
    client.force_login(asker)
    page = client.get(reverse("questions:mine")).content.decode()
    assert "You follow each question you ask from the start" in page
    assert asked.title.replace("'", "&#x27;") in page


def test_the_invited_doctor_gets_the_email_they_chose(asked, asker, django_capture_on_commit_callbacks):
    from consult.notifications import services

    doctor = DoctorProfileFactory()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_create(inviter=asker, question=asked, doctor=doctor)
    run_worker()
    run_worker()
    assert [m.to for m in mail.outbox] == [[doctor.user.email]]
    assert "invited you to answer" in mail.outbox[0].subject
