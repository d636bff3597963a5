"""E-mail: right away, daily digest or never, per kind; one-click unsubscribe links (signed, no sign-in,
List-Unsubscribe headers); sent by the worker only, once."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from consult.core import periodic
from consult.notifications import emails, services
from consult.notifications.models import DigestRun, EmailState, Kind, Notification, Preferences
from consult.questions import services as question_services
from tests.consult.notifications.conftest import WORKER, answer, run_worker
from tests.factories import DoctorProfileFactory, UserFactory

pytestmark = WORKER


def _answered(asked, doctor, capture, **kwargs):
    made = answer(doctor, asked, capture, **kwargs)
    run_worker()
    return made


def test_a_new_answer_is_emailed_right_away_by_default_in_the_worker(asked, asker, doctor,
                                                                      django_capture_on_commit_callbacks):
    mail.outbox.clear()
    made = answer(doctor, asked, django_capture_on_commit_callbacks)
    assert mail.outbox == [], "no e-mail in the request"
    run_worker()  # the fan-out job, which queues the e-mail job
    run_worker()  # the e-mail job
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [asker.email]
    assert message.subject == "Dr. Vera Answer, MD, FACS answered \u201cWill my smile come back after Bell's palsy?\u201d"
    assert "http://testserver" not in message.body and made.get_absolute_url() in message.body
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert re.fullmatch(r"<http://127\.0\.0\.1:8000/notifications/unsubscribe/[^/]+/>", unsubscribe)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe[1:-1] in message.body
    # the job again (a retry): nothing is sent twice
    note = Notification.objects.get(user=asker)
    assert emails.send_now(notification_id=note.pk) is False
    assert len(mail.outbox) == 1


def test_never_means_inbox_only(asked, asker, doctor, django_capture_on_commit_callbacks):
    services.preferences_save(user=asker, emails={Kind.ANSWER: "never"})
    mail.outbox.clear()
    _answered(asked, doctor, django_capture_on_commit_callbacks)
    run_worker()
    assert mail.outbox == []
    assert Notification.objects.get(user=asker).email_state == EmailState.NONE


def test_daily_digest_collects_a_day_in_one_email_and_skips_what_was_read(asked, asker,
                                                                            django_capture_on_commit_callbacks):
    services.preferences_save(user=asker, emails={Kind.ANSWER: "daily"})
    mail.outbox.clear()
    doctors = DoctorProfileFactory.create_batch(3)
    for i, doctor in enumerate(doctors):
        _answered(asked, doctor, django_capture_on_commit_callbacks, headline=f"Answer {i}")
    run_worker()
    assert mail.outbox == [], "digest items wait for the digest"
    read = Notification.objects.filter(user=asker).order_by("pk").first()
    services.mark_read(user=asker, notification_id=read.pk)
    assert emails.digest_send() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Your Consult digest: 2 new notifications"
    assert doctors[1].display_name in message.body and doctors[2].display_name in message.body
    assert doctors[0].display_name not in message.body, "read on the site: not repeated"
    assert "List-Unsubscribe" in message.extra_headers
    assert emails.digest_send() == 0, "a second run sends nothing"


def test_the_worker_sends_the_digest_once_a_day_from_the_configured_hour(settings, asked, asker, doctor,
                                                                         django_capture_on_commit_callbacks):
    settings.NOTIFICATIONS_DIGEST_HOUR = 7
    services.preferences_save(user=asker, emails={Kind.ANSWER: "daily"})
    _answered(asked, doctor, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    day = timezone.now().replace(hour=6, minute=0) + datetime.timedelta(days=1)
    assert emails.digest_send_due(now=day) == -1, "before the hour"
    assert emails.digest_send_due(now=day.replace(hour=7)) == 1
    assert emails.digest_send_due(now=day.replace(hour=9)) == -1, "once a day, whichever worker is first"
    assert DigestRun.objects.get(day=day.date()).sent == 1
    assert len(mail.outbox) == 1
    assert "notifications_digest" in periodic.registered(), "the worker runs it (core/periodic.py)"


def test_unsubscribe_link_works_without_signing_in_get_asks_post_unsubscribes(client, asked, asker):
    token = services.unsubscribe_token(user_id=asker.pk, kind=Kind.ANSWER)
    url = reverse("notifications:unsubscribe", kwargs={"token": token})
    page = client.get(url)
    assert page.status_code == 200 and "Stop e-mails about new answers on questions you follow?" in page.content.decode()
    assert Preferences.objects.filter(user=asker).count() == 0, "a GET (a link scanner) changes nothing"
    done = client.post(url)  # a mail client's one-click POST: no cookie, no CSRF token
    assert done.status_code == 200 and "we will no longer send" in done.content.decode()
    prefs = Preferences.objects.get(user=asker)
    assert prefs.email_answer == "never" and prefs.email_review == "immediately"
    assert asker.email not in done.content.decode()


def test_unsubscribe_from_everything_also_stops_what_is_waiting(client, asked, asker, doctor,
                                                                django_capture_on_commit_callbacks):
    services.preferences_save(user=asker, emails={Kind.ANSWER: "daily"})
    _answered(asked, doctor, django_capture_on_commit_callbacks)
    token = services.unsubscribe_token(user_id=asker.pk, kind=services.UNSUBSCRIBE_ALL)
    client.post(reverse("notifications:unsubscribe", kwargs={"token": token}))
    prefs = Preferences.objects.get(user=asker)
    assert {prefs.frequency(k) for k in services.EMAIL_KINDS} == {"never"}
    mail.outbox.clear()
    assert emails.digest_send() == 0 and mail.outbox == []


@pytest.mark.parametrize("token", ["nonsense", "eyJ1IjoxLCJrIjoiYW5zd2VyIn0:1abc:forged", ""])
def test_a_forged_or_broken_unsubscribe_link_is_a_clear_400(client, token):
    UserFactory()
    if not token:
        return  # the URL needs a token; an empty one does not resolve
    response = client.post(reverse("notifications:unsubscribe", kwargs={"token": token}))
    assert response.status_code == 400
    assert "This unsubscribe link is not valid." in response.content.decode()
    assert not Preferences.objects.exists()


def test_a_token_cannot_be_moved_to_another_kind_or_member(asker):
    other = UserFactory()
    token = services.unsubscribe_token(user_id=asker.pk, kind=Kind.VOTES)
    tampered = token.replace(str(asker.pk), str(other.pk), 1)
    with pytest.raises(Exception, match="not valid"):
        services.unsubscribe(token=tampered + "x")
    user, kind = services.unsubscribe(token=token)
    assert user == asker and kind == Kind.VOTES


def test_settings_page_saves_per_kind_choices_and_doctor_alerts(client):
    doctor = DoctorProfileFactory(specialty="ent-facial-nerve")
    from tests.factories import TagFactory

    palsy = TagFactory(slug="bells-palsy", name="Bell's palsy")
    scars = TagFactory(slug="scars", name="Scars")
    client.force_login(doctor.user)
    page = client.get(reverse("notifications:settings")).content.decode()
    assert "Your specialty, ENT / facial nerve, covers these concerns: Bell&#x27;s palsy." in page
    data = {f"email_{k}": "daily" for k in services.EMAIL_KINDS}
    data.update({"email_answer": "never", "question_alerts": "tags", "alert_tags": [scars.pk]})
    assert client.post(reverse("notifications:settings"), data).status_code == 302
    prefs = Preferences.objects.get(user=doctor.user)
    assert prefs.email_answer == "never" and prefs.email_votes == "daily" and prefs.question_alerts == "tags"
    assert list(prefs.alert_tags.all()) == [scars]
    assert palsy not in prefs.alert_tags.all()
    bad = client.post(reverse("notifications:settings"), {**data, "email_votes": "hourly"})
    assert bad.status_code == 400
    assert Preferences.objects.get(user=doctor.user).email_votes == "daily"


def test_a_patient_sees_only_the_kinds_they_can_receive(client):
    client.force_login(UserFactory())
    page = client.get(reverse("notifications:settings")).content.decode()
    assert "New answers on questions you follow" in page
    assert "New reviews of you" not in page and "New questions in your field" not in page


def test_the_follow_up_update_reaches_followers_by_email_too(asked, asker, django_capture_on_commit_callbacks):
    follower = UserFactory()
    question_services.follow_set(user=follower, question=asked, follow=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        question_services.update_create(author=asker, question=asked, body="Week ten: better.")
    run_worker()
    run_worker()
    assert [m.to for m in mail.outbox] == [[follower.email]]
