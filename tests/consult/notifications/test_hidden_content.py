"""Content moderators hide leaves every inbox but its author's at once: the rows, the unread badge (exact,
set in the moderator's transaction, no worker needed), opening or marking it, the API's inbox, and the
e-mails not yet sent (right away or in the digest). Restored, it all comes back as it was."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

from consult.moderation import services as moderation_services
from consult.notifications import emails, services, work
from consult.notifications.models import EmailState, Kind, Notification
from consult.questions import services as question_services
from tests.consult.notifications.conftest import WORKER, answer, run_worker
from tests.consult.reviews.conftest import make_treatment, write_review
from tests.factories import DoctorProfileFactory, ModeratorFactory, UserFactory

pytestmark = WORKER


def exact(*users) -> None:
    """Each member's badge is the number of unread rows their inbox shows (read through the selector)."""
    from consult.notifications.selectors import inbox_page

    for user in users:
        user.refresh_from_db()
        shown = [n for n in inbox_page(user=user, page="1").rows if n.is_unread]
        assert user.unread_notifications == len(shown), (user, user.unread_notifications, shown)


def _hide(capture, **target):
    with capture(execute=True):
        moderation_services.content_hide(moderator=ModeratorFactory(), note="Promotes a clinic", **target)


def _unhide(capture, **target):
    with capture(execute=True):
        moderation_services.content_unhide(moderator=ModeratorFactory(), note="Edited", **target)


def test_a_hidden_answer_leaves_the_followers_inboxes_and_badges_at_once_and_comes_back_restored(
    client, asked, asker, doctor, django_capture_on_commit_callbacks
):
    follower = UserFactory()
    question_services.follow_set(user=follower, question=asked, follow=True)
    made = answer(doctor, asked, django_capture_on_commit_callbacks)
    other = answer(DoctorProfileFactory(full_name="Omar Second"), asked, django_capture_on_commit_callbacks,
                   headline="See a facial nerve specialist")
    run_worker()
    with django_capture_on_commit_callbacks(execute=True):
        question_services.vote_toggle(user=follower, answer=made)
    run_worker()
    exact(asker, follower, doctor.user)
    assert asker.unread_notifications == 2 and follower.unread_notifications == 2
    note = Notification.objects.get(user=follower, answer=made)

    _hide(django_capture_on_commit_callbacks, answer=made)
    # no worker run yet: the badge and the inbox already agree
    exact(asker, follower)
    assert asker.unread_notifications == 1 and follower.unread_notifications == 1
    client.force_login(follower)
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert "Vera Answer" not in inbox and "Omar Second" in inbox
    assert client.post(reverse("notifications:open", kwargs={"pk": note.pk})).status_code == 404
    assert client.post(reverse("notifications:read", kwargs={"pk": note.pk})).status_code == 404
    api = client.get("/api/v1/me/inbox").json()
    assert [item["text"] for item in api["items"]] == [Notification.objects.get(user=follower, answer=other).text]
    # "mark all read" reads what the member sees, not what is hidden from them
    client.post(reverse("notifications:read_all"))
    note.refresh_from_db()
    assert note.read_at is None
    exact(follower)
    assert follower.unread_notifications == 0
    # the answer's doctor still sees their own: the votes on it, and the moderator's decision (worker)
    run_worker()
    exact(doctor.user)
    client.force_login(doctor.user)
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert "found your answer \u201cGive it three more months\u201d helpful" in inbox
    assert "A moderator hid your answer" in inbox

    _unhide(django_capture_on_commit_callbacks, answer=made)
    exact(asker, follower, doctor.user)
    assert follower.unread_notifications == 1, "restored, it comes back unread"
    client.force_login(follower)
    assert "Vera Answer" in client.get(reverse("notifications:inbox")).content.decode()
    assert client.post(reverse("notifications:open", kwargs={"pk": note.pk})).status_code == 302
    exact(follower)
    assert follower.unread_notifications == 0


def test_a_hidden_question_and_a_hidden_answer_under_it_each_count_once(
    asked, asker, doctor, django_capture_on_commit_callbacks
):
    follower = UserFactory()
    question_services.follow_set(user=follower, question=asked, follow=True)
    made = answer(doctor, asked, django_capture_on_commit_callbacks)
    run_worker()
    _hide(django_capture_on_commit_callbacks, question=asked)
    exact(asker, follower)
    assert follower.unread_notifications == 0 and asker.unread_notifications == 1  # the asker sees their own
    _hide(django_capture_on_commit_callbacks, answer=made)
    exact(asker, follower)
    assert asker.unread_notifications == 0, "the asker does not see someone else's hidden answer"
    _unhide(django_capture_on_commit_callbacks, question=asked)
    exact(asker, follower)
    assert follower.unread_notifications == 0, "the answer is still hidden"
    _unhide(django_capture_on_commit_callbacks, answer=made)
    run_worker()
    exact(asker, follower)
    assert follower.unread_notifications == 1


def test_a_hidden_review_leaves_the_doctors_inbox(client, django_capture_on_commit_callbacks):
    doctor = DoctorProfileFactory()
    with django_capture_on_commit_callbacks(execute=True):
        review = write_review(doctor=doctor, treatment=make_treatment(), rating=1, title="Rude and rushed")
    run_worker()
    exact(doctor.user)
    assert doctor.user.unread_notifications == 1
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.content_hide(moderator=ModeratorFactory(), review=review, note="Names a nurse")
    exact(doctor.user)
    assert doctor.user.unread_notifications == 0
    client.force_login(doctor.user)
    assert "Rude and rushed" not in client.get(reverse("notifications:inbox")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.content_unhide(moderator=ModeratorFactory(), review=review, note="Name removed")
    exact(doctor.user)
    assert doctor.user.unread_notifications == 1
    assert "Rude and rushed" in client.get(reverse("notifications:inbox")).content.decode()


def test_an_email_waiting_to_be_sent_is_withheld_when_its_answer_is_hidden(
    asked, asker, doctor, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    made = answer(doctor, asked, django_capture_on_commit_callbacks)
    work.run("answer_created", made.pk)  # the fan-out job's body: it queues the e-mail job, not yet run
    note = Notification.objects.get(user=asker, kind=Kind.ANSWER)
    assert note.email_state == EmailState.PENDING
    _hide(django_capture_on_commit_callbacks, answer=made)
    run_worker()  # the e-mail job (and the moderator's notice to the doctor, whose own e-mail is queued)
    run_worker()
    assert [m.to for m in mail.outbox] == [[doctor.user.email]], "only the doctor's notice of the moderation"
    assert mail.outbox[0].subject.startswith("A moderator hid your answer")
    note.refresh_from_db()
    assert note.email_state == EmailState.WITHHELD
    assert emails.send_now(notification_id=note.pk) is False


def test_the_digest_leaves_out_hidden_content_and_carries_it_once_restored(
    asked, asker, doctor, django_capture_on_commit_callbacks
):
    services.preferences_save(user=asker, emails={Kind.ANSWER: "daily"})
    made = answer(doctor, asked, django_capture_on_commit_callbacks)
    second = answer(DoctorProfileFactory(full_name="Omar Second"), asked, django_capture_on_commit_callbacks)
    run_worker()
    _hide(django_capture_on_commit_callbacks, answer=made)
    mail.outbox.clear()
    assert emails.digest_send() == 1
    body = mail.outbox[0].body
    assert "Omar Second" in body and "Vera Answer" not in body
    assert mail.outbox[0].subject == "Your Consult digest: 1 new notification"
    assert Notification.objects.get(user=asker, answer=second).email_state == EmailState.SENT
    assert Notification.objects.get(user=asker, answer=made).email_state == EmailState.DIGEST
    _unhide(django_capture_on_commit_callbacks, answer=made)
    mail.outbox.clear()
    assert emails.digest_send() == 1
    assert "Vera Answer" in mail.outbox[0].body and "Omar Second" not in mail.outbox[0].body
