"""Every sentence the site says about notifying or e-mailing someone, checked against what happens.

- the ask page's success message: "Doctors whose field covers its concerns are notified (unless they turned these alerts off), and each new
  answer reaches your inbox."
- the thread's update form: "the doctors who answered are notified" (test_kinds.py, test_email.py)
- the follow button: "New answers and updates reach your inbox" (test_follow_and_inbox.py, test_email.py)
- the invite page: "They are notified in their inbox (and by e-mail if they chose it)" (test_invite.py, here)
- "My questions": "You follow each question you ask from the start" (here)
- every e-mail: "one-click unsubscribe link" (test_email.py); its footer: "your notification settings send these
  right away" also when the member never opened the settings (here)
- the follow button: "New answers and updates reach your inbox", for any follower, not only doctors (here)
- the inbox's lead: what reaches it, for a patient and a doctor (here, and each kind in test_kinds.py)
- the issue: "moderation actions are told to the person concerned", from the queue and from a doctor's profile
  (here)
- the consultation form: "the doctor is told in their inbox; you are told in yours when they reply" (here)
- the ask page: "those whose field covers your concerns are told about your question (unless they turned these
  alerts off)" (here)
"""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

from consult.notifications.models import Kind, Notification
from consult.questions.models import Question
from tests.consult.notifications.conftest import WORKER, answer, run_worker
from tests.factories import DoctorProfileFactory, TagFactory, UserFactory

pytestmark = WORKER

ASKED = (
    "Your question is live. Doctors whose field covers its concerns are notified (unless they turned these alerts "
    "off), and each new answer reaches your inbox."
)


def test_the_ask_page_promise_holds(client, django_capture_on_commit_callbacks):
    palsy = TagFactory(slug="bells-palsy", name="Bell's palsy")
    nerve = DoctorProfileFactory(specialty="ent-facial-nerve")
    rehab = DoctorProfileFactory(specialty="physiatry")
    quiet = DoctorProfileFactory(specialty="ent-facial-nerve")
    from consult.notifications import services as notification_services

    notification_services.preferences_save(user=quiet.user, emails={}, question_alerts="none")
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
    assert told == {nerve.user_id, rehab.user_id}  # both specialties cover Bell's palsy; not who turned it off
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


def test_a_follower_hears_of_the_askers_update(client, asked, asker, django_capture_on_commit_callbacks):
    follower = UserFactory()
    client.force_login(follower)
    response = client.post(reverse("questions:follow", kwargs={"pk": asked.pk}), {"follow": "1"}, follow=True)
    assert "new answers and updates reach your inbox" in response.content.decode()
    client.force_login(asker)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("questions:update_create", kwargs={"pk": asked.pk}), {"body": "Week ten: better."})
    run_worker()
    assert Notification.objects.filter(user=follower, kind=Kind.UPDATE).count() == 1


def test_the_inbox_lead_says_what_reaches_it(client, asked, asker):
    client.force_login(asker)
    lead = client.get(reverse("notifications:inbox")).content.decode()
    assert ("New answers and the asker's updates on questions you follow, replies to your private consultation "
            "requests, and moderators") in lead
    client.force_login(DoctorProfileFactory().user)
    lead = client.get(reverse("notifications:inbox")).content.decode()
    assert ("updates on questions you answered, helpful votes, reviews, invitations, new questions in your "
            "field and private consultation requests, and moderators") in lead


def test_the_email_footer_is_true_for_a_member_who_never_opened_the_settings(
    asked, asker, django_capture_on_commit_callbacks
):
    from consult.notifications.models import Preferences

    assert not Preferences.objects.filter(user=asker).exists()
    mail.outbox.clear()
    answer(DoctorProfileFactory(), asked, django_capture_on_commit_callbacks)
    run_worker()
    run_worker()
    (message,) = mail.outbox
    assert ("your notification settings send these right away: new answers on questions you follow"
            in message.body)


def test_moderation_is_told_to_the_author_from_the_queue_and_from_the_profile(
    client, asked, asker, django_capture_on_commit_callbacks
):
    from consult.moderation.models import ModerationAction
    from tests.consult.reviews.conftest import make_treatment, write_review
    from tests.factories import ModeratorFactory

    doctor = DoctorProfileFactory()
    made = answer(doctor, asked, django_capture_on_commit_callbacks)
    reviewer = UserFactory(role="patient")
    with django_capture_on_commit_callbacks(execute=True):
        review = write_review(author=reviewer, doctor=doctor, treatment=make_treatment(), title="Rushed")
    run_worker()
    client.force_login(ModeratorFactory())
    with django_capture_on_commit_callbacks(execute=True):
        for kind, pk in (("question", asked.pk), ("answer", made.pk)):
            client.post(reverse("moderation:act", kwargs={"kind": kind, "pk": pk, "action": "hide"}),
                        {"note": "Off topic"})
        # a review, hidden from the doctor's profile page (its own form)
        profile = reverse("doctors:profile", kwargs={"slug": doctor.slug})
        page = client.get(profile).content.decode()
        hide = reverse("moderation:act", kwargs={"kind": "review", "pk": review.pk, "action": "hide"})
        assert f'action="{hide}"' in page
        client.post(hide, {"note": "Names a nurse", "next": profile})
    run_worker()
    assert ModerationAction.objects.filter(kind=ModerationAction.Kind.HIDE).count() == 3
    told = {
        (n.user_id, n.text)
        for n in Notification.objects.filter(kind=Kind.ACCOUNT)
    }
    assert (asker.pk, f"A moderator hid your question \u201c{asked.title}\u201d. Reason: Off topic") in told
    assert (doctor.user_id, "A moderator hid your answer \u201cGive it three more months\u201d. Reason: Off topic") in told
    assert (reviewer.pk, "A moderator hid your review \u201cRushed\u201d. Reason: Names a nurse") in told


def test_a_patients_settings_name_the_updates_they_get_as_a_follower(client):
    client.force_login(UserFactory())
    page = client.get(reverse("notifications:settings")).content.decode()
    assert "Updates from askers on questions you follow or answered" in page


def test_the_consultation_form_promise_holds(client, django_capture_on_commit_callbacks):
    doctor, patient = DoctorProfileFactory(full_name="Vera Answer"), UserFactory()
    client.force_login(patient)
    url = reverse("practice:consultation_new", kwargs={"slug": doctor.slug})
    form = client.get(url).content.decode()
    assert (f"{doctor.display_name} is told in their Consult inbox (and by e-mail if they chose it); you are told in "
            "yours when they reply.") in form
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"subject": "Tearing after Bell's palsy", "contact_by": "site",
                          "message": "My left eye still waters at every meal; could we talk about options?"})
    run_worker()
    assert Notification.objects.filter(user=doctor.user, kind=Kind.CONSULTATION).count() == 1
    assert [m.to for m in mail.outbox] == [[doctor.user.email]]  # right away, by default
    consultation_url = Notification.objects.get(user=doctor.user).url
    client.force_login(doctor.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(consultation_url, {"reply": "Please call the office to book a visit."})
    run_worker()
    assert Notification.objects.filter(user=patient, kind=Kind.CONSULTATION).count() == 1
    assert [m.to for m in mail.outbox][-1] == [patient.email]
