"""Deleting an account, end to end through the real views and the worker: the member's inbox, follows,
preferences, invitations and API tokens go, and nobody else's inbox, API inbox, e-mail or digest keeps
their name (neither their display name nor the pseudonym they asked under) — also for a job that was still
queued when they deleted."""

from __future__ import annotations

from django.core import mail
from django.test import Client
from django.urls import reverse

from consult.accounts.models import ApiToken
from consult.notifications import emails, services
from consult.notifications.models import Invite, Kind, Notification, Preferences
from consult.questions.models import Follow, Question
from tests.consult.notifications.conftest import WORKER, run_worker
from tests.consult.reviews.conftest import make_treatment
from tests.factories import PASSWORD, DoctorProfileFactory, QuestionFactory, TagFactory, UserFactory

pytestmark = WORKER

NAME, PSEUDONYM = "Robin Leaving", "Rob P."


def _names_absent(text: str) -> None:
    assert NAME not in text and PSEUDONYM not in text and "leaving@example.com" not in text, text


def test_deleting_an_account_erases_its_inbox_and_its_name_from_everyone_elses(django_capture_on_commit_callbacks):
    tag = TagFactory(slug="bells-palsy", name="Bell's palsy")
    treatment = make_treatment()
    answering = DoctorProfileFactory(full_name="Vera Answer", specialty="ent-facial-nerve")
    invited = DoctorProfileFactory(full_name="Omar Invited", specialty="dermatology")
    services.preferences_save(user=answering.user, emails={Kind.REVIEW: "daily", Kind.UPDATE: "daily"})
    patient = UserFactory(email="leaving@example.com", display_name=NAME)
    someone_elses = QuestionFactory()
    me, doctor, other_doctor = Client(), Client(), Client()
    me.force_login(patient)
    doctor.force_login(answering.user)
    other_doctor.force_login(invited.user)

    def post(client, url, data=None, expect=302):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data or {})
        assert response.status_code == expect, (url, response.status_code)
        return response

    # The member asks under a pseudonym, follows another thread, and sets their e-mail choices.
    post(me, reverse("questions:ask"), {"title": "Will my smile come back after Bell's palsy?",
                                        "body": "It has been six weeks since it started.", "tags": [tag.pk],
                                        "display_name": PSEUDONYM})
    question = Question.objects.get(author=patient)
    post(me, reverse("questions:follow", kwargs={"pk": someone_elses.pk}), {"follow": "1"})
    post(me, reverse("notifications:settings"), {"email_answer": "immediately", "email_update": "never",
                                                 "email_consultation": "immediately", "email_account": "daily"})
    post(me, reverse("accounts:token_create"), {"name": "export script"}, expect=200)
    run_worker()
    # A doctor answers; the member hears of it. The member posts an update, invites a second doctor, and
    # reviews the first: each doctor is told, by name.
    post(doctor, reverse("questions:answer_create", kwargs={"pk": question.pk}),
         {"headline": "Give it three more months", "body": "Most people recover within months."})
    run_worker()
    post(me, reverse("questions:update_create", kwargs={"pk": question.pk}), {"body": "Week ten: slowly better."})
    post(me, reverse("notifications:invite", kwargs={"pk": question.pk}), {"doctor": invited.pk})
    post(me, reverse("reviews:write", kwargs={"slug": answering.slug}), {
        "treatment": treatment.pk, "rating": 5, "worth_it": "worth-it", "title": "Careful and kind",
        "body": "She explained every step and the result looks natural.",
    })
    run_worker()
    run_worker()
    assert Notification.objects.filter(user=patient, kind=Kind.ANSWER).exists()
    assert Follow.objects.filter(user=patient).count() == 2
    assert ApiToken.objects.filter(user=patient).exists() and Preferences.objects.filter(user=patient).exists()
    inbox = doctor.get(reverse("notifications:inbox")).content.decode()
    assert f"{PSEUDONYM} posted an update" in inbox and f"{NAME} reviewed you" in inbox
    assert f"{PSEUDONYM} invited you to answer" in other_doctor.get(reverse("notifications:inbox")).content.decode()

    # One more update, still in the queue when the member deletes their account.
    post(me, reverse("questions:update_create", kwargs={"pk": question.pk}), {"body": "Week eleven: better."})
    mail.outbox.clear()
    page = me.get(reverse("accounts:delete")).content.decode()
    assert ("your inbox, the questions you follow, your notification settings and your API tokens are deleted, and\n"
            "      other members' notifications that named you say &ldquo;deleted user&rdquo;") in page
    post(me, reverse("accounts:delete"), {"password": PASSWORD})
    run_worker()
    run_worker()

    patient.refresh_from_db()
    assert list(Notification.objects.filter(user=patient).values_list("kind", "text")) == []
    assert patient.deleted_at is not None and patient.unread_notifications == 0
    assert not Notification.objects.filter(user=patient).exists()
    assert not Follow.objects.filter(user=patient).exists()
    assert not ApiToken.objects.filter(user=patient).exists(), "tokens go, not only revoked"
    assert not Preferences.objects.filter(user=patient).exists()
    assert not Invite.objects.filter(invited_by=patient).exists()
    # Nobody else's inbox names them: the pages, the API, the rows themselves, e-mail and the digest.
    for client in (doctor, other_doctor):
        _names_absent(client.get(reverse("notifications:inbox")).content.decode())
        _names_absent(client.get("/api/v1/me/inbox").content.decode())
    for text in Notification.objects.values_list("text", flat=True):
        _names_absent(text)
    assert "deleted user posted an update" in doctor.get(reverse("notifications:inbox")).content.decode()
    assert "deleted user reviewed you" in doctor.get(reverse("notifications:inbox")).content.decode()
    assert emails.digest_send() >= 1
    assert mail.outbox, "the doctor's digest went out"
    for message in mail.outbox:
        _names_absent(message.subject + message.body)
        assert message.to != ["leaving@example.com"]
    # ... and each badge still counts exactly what each inbox shows
    for user in (answering.user, invited.user):
        user.refresh_from_db()
        assert user.unread_notifications == Notification.objects.filter(user=user, read_at__isnull=True).count()
