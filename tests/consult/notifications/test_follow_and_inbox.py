"""Following a thread, the fan-out of new answers to followers (in the worker, idempotent), the inbox and
its unread badge."""

from __future__ import annotations

import pytest
from django.urls import reverse

from consult.notifications import work
from consult.notifications.models import Kind, Notification
from consult.questions import services as question_services
from consult.questions.errors import ContentHidden
from consult.questions.models import Follow
from tests.consult.notifications.conftest import WORKER, answer, queued, run_worker
from tests.factories import DoctorProfileFactory, ModeratorFactory, UserFactory

pytestmark = WORKER


def test_the_asker_follows_their_question(asked, asker):
    assert Follow.objects.filter(user=asker, question=asked).exists()


def test_follow_and_unfollow_are_idempotent(asked):
    reader = UserFactory()
    assert question_services.follow_set(user=reader, question=asked, follow=True) is True
    assert question_services.follow_set(user=reader, question=asked, follow=True) is True
    assert Follow.objects.filter(user=reader, question=asked).count() == 1
    assert question_services.follow_set(user=reader, question=asked, follow=False) is False
    assert question_services.follow_set(user=reader, question=asked, follow=False) is False
    assert not Follow.objects.filter(user=reader, question=asked).exists()


def test_a_hidden_question_cannot_be_followed(asked):
    question_services.question_set_hidden(question=asked, is_hidden=True)
    with pytest.raises(ContentHidden):
        question_services.follow_set(user=UserFactory(), question=asked, follow=True)


def test_a_new_answer_reaches_each_follower_once_in_the_worker_not_in_the_request(
    client, asked, asker, doctor, django_capture_on_commit_callbacks
):
    follower = UserFactory()
    question_services.follow_set(user=follower, question=asked, follow=True)
    client.force_login(doctor.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("questions:answer_create", kwargs={"pk": asked.pk}),
                               {"headline": "Give it three more months", "body": "Most people recover within months."})
    assert response.status_code == 302
    assert Notification.objects.count() == 0, "nothing is written in the request"
    assert queued("fan_out") == 1
    run_worker()
    rows = Notification.objects.filter(kind=Kind.ANSWER)
    assert sorted(rows.values_list("user_id", flat=True)) == sorted([asker.pk, follower.pk])
    assert not rows.filter(user=doctor.user).exists(), "the answering doctor is not told of their own answer"
    note = rows.get(user=asker)
    assert note.text == "Dr. Vera Answer, MD, FACS answered \u201cWill my smile come back after Bell's palsy?\u201d"
    asker.refresh_from_db()
    assert asker.unread_notifications == 1


def test_a_retried_job_makes_exactly_one_notification_per_follower(
    asked, asker, doctor, django_capture_on_commit_callbacks
):
    followers = UserFactory.create_batch(3)
    for user in followers:
        question_services.follow_set(user=user, question=asked, follow=True)
    made = answer(doctor, asked, django_capture_on_commit_callbacks)
    run_worker()
    # the same job again, as a retry after a crash would run it, and once more through the task itself
    assert work.run("answer_created", made.pk) == 0
    from consult.notifications.tasks import fan_out

    fan_out.call("answer_created", made.pk)
    for user in [asker, *followers]:
        assert Notification.objects.filter(user=user, key=f"answer:{made.pk}").count() == 1
        user.refresh_from_db()
        assert user.unread_notifications == 1


def test_an_answer_hidden_before_its_job_ran_tells_nobody(asked, doctor, django_capture_on_commit_callbacks):
    made = answer(doctor, asked, django_capture_on_commit_callbacks)
    question_services.answer_set_hidden(answer=made, is_hidden=True)
    run_worker()
    assert not Notification.objects.filter(kind=Kind.ANSWER).exists()


def test_unfollowed_members_are_not_told(asked, asker, doctor, django_capture_on_commit_callbacks):
    question_services.follow_set(user=asker, question=asked, follow=False)
    answer(doctor, asked, django_capture_on_commit_callbacks)
    run_worker()
    assert not Notification.objects.filter(user=asker).exists()


# -- the inbox -----------------------------------------------------------------------------------


def _answered(asked, doctor, capture):
    made = answer(doctor, asked, capture)
    run_worker()
    return made


def test_inbox_lists_notifications_and_the_header_shows_the_unread_badge(client, asked, asker, doctor,
                                                                         django_capture_on_commit_callbacks):
    _answered(asked, doctor, django_capture_on_commit_callbacks)
    client.force_login(asker)
    html = client.get("/").content.decode()
    assert 'id="unread-badge"><span class="visually-hidden"> (1 unread)</span><span class="unread-badge__count" aria-hidden="true">1</span>' in html
    page = client.get(reverse("notifications:inbox"))
    assert page.status_code == 200 and page["Cache-Control"] == "private, no-store"
    body = page.content.decode()
    assert "answered \u201cWill my smile come back" in body and "Mark all read" in body


def test_mark_read_and_mark_all_read(client, asked, asker, doctor, django_capture_on_commit_callbacks):
    _answered(asked, doctor, django_capture_on_commit_callbacks)
    second = DoctorProfileFactory()
    _answered(asked, second, django_capture_on_commit_callbacks)
    client.force_login(asker)
    first, _other = Notification.objects.filter(user=asker).order_by("pk")
    response = client.post(reverse("notifications:read", kwargs={"pk": first.pk}), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="unread-badge" hx-swap-oob="true"><span class="visually-hidden"> (1 unread)</span>' in response.content.decode()
    asker.refresh_from_db()
    assert asker.unread_notifications == 1
    client.post(reverse("notifications:read_all"))
    asker.refresh_from_db()
    assert asker.unread_notifications == 0
    assert not Notification.objects.filter(user=asker, read_at__isnull=True).exists()
    html = client.get("/").content.decode()
    assert 'id="unread-badge"></span>' in html, "no badge once everything is read"


def test_opening_a_notification_marks_it_read_and_goes_to_the_thread(client, asked, asker, doctor,
                                                                      django_capture_on_commit_callbacks):
    made = _answered(asked, doctor, django_capture_on_commit_callbacks)
    client.force_login(asker)
    note = Notification.objects.get(user=asker)
    response = client.post(reverse("notifications:open", kwargs={"pk": note.pk}))
    assert response.status_code == 302 and response["Location"] == made.get_absolute_url()
    note.refresh_from_db()
    assert note.read_at is not None
    asker.refresh_from_db()
    assert asker.unread_notifications == 0


def test_a_get_never_marks_a_notification_read(client, asked, asker, doctor, django_capture_on_commit_callbacks):
    """Opening is a POST with its CSRF token: a GET (a link scanner, a prefetch, a crafted <img>) changes
    nothing. The inbox opens an unread row through a form, and a read row is a plain link to its page."""
    made = _answered(asked, doctor, django_capture_on_commit_callbacks)
    client.force_login(asker)
    note = Notification.objects.get(user=asker)
    url = reverse("notifications:open", kwargs={"pk": note.pk})
    assert client.get(url).status_code == 405
    assert client.head(url).status_code == 405
    note.refresh_from_db()
    asker.refresh_from_db()
    assert note.read_at is None and asker.unread_notifications == 1
    html = client.get(reverse("notifications:inbox")).content.decode()
    assert f'<form method="post" action="{url}" class="inline-form">' in html
    assert f'href="{url}"' not in html
    # ... the POST needs the CSRF token like every other form
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(asker)
    assert strict.post(url).status_code == 403
    note.refresh_from_db()
    assert note.read_at is None
    # once read, the row is a plain link straight to the answer
    client.post(url)
    html = client.get(reverse("notifications:inbox")).content.decode()
    assert f'<a class="inbox-item__link" href="{made.get_absolute_url()}">' in html
    assert url not in html


def test_nobody_reads_or_marks_another_members_notifications(client, asked, asker, doctor,
                                                              django_capture_on_commit_callbacks):
    _answered(asked, doctor, django_capture_on_commit_callbacks)
    note = Notification.objects.get(user=asker)
    client.force_login(UserFactory())
    assert client.post(reverse("notifications:open", kwargs={"pk": note.pk})).status_code == 404
    assert client.post(reverse("notifications:read", kwargs={"pk": note.pk})).status_code == 404
    client.post(reverse("notifications:read_all"))
    note.refresh_from_db()
    assert note.read_at is None
    assert "answered \u201c" not in client.get(reverse("notifications:inbox")).content.decode()


def test_news_about_a_hidden_thread_leaves_followers_inboxes_but_not_the_askers(
    client, asked, asker, doctor, django_capture_on_commit_callbacks
):
    follower = UserFactory()
    question_services.follow_set(user=follower, question=asked, follow=True)
    _answered(asked, doctor, django_capture_on_commit_callbacks)
    moderator = ModeratorFactory()
    from consult.moderation import services as moderation_services

    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.content_hide(moderator=moderator, question=asked, note="Advertising")
    run_worker()
    follower.refresh_from_db()
    asker.refresh_from_db()
    assert follower.unread_notifications == 0
    client.force_login(follower)
    assert "answered \u201c" not in client.get(reverse("notifications:inbox")).content.decode()
    assert asker.unread_notifications == 2  # the answer, and the moderator's decision with its reason
    client.force_login(asker)
    body = client.get(reverse("notifications:inbox")).content.decode()
    assert "A moderator hid your question" in body and "Reason: Advertising" in body


def test_the_follow_button_is_the_readers_own_state(client, asked, asker):
    """The thread's shared cached entry holds no per-reader state: a follower and a non-follower reading
    the same cached thread each see their own button."""
    url = asked.get_absolute_url()
    client.get(url)  # anonymous: caches the shared entry
    client.force_login(asker)
    assert 'aria-pressed="true">Following</button>' in client.get(url).content.decode()
    client.force_login(UserFactory())
    html = client.get(url).content.decode()
    assert 'aria-pressed="false">Follow</button>' in html and "Following</button>" not in html
    client.logout()
    assert "Sign in to follow" in client.get(url).content.decode()


def test_follow_button_works_with_htmx_and_without(client, asked):
    reader = UserFactory()
    client.force_login(reader)
    url = reverse("questions:follow", kwargs={"pk": asked.pk})
    response = client.post(url, {"follow": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Following</button>" in response.content.decode()
    assert Follow.objects.filter(user=reader, question=asked).exists()
    response = client.post(url, {"follow": "0"})
    assert response.status_code == 302
    assert not Follow.objects.filter(user=reader, question=asked).exists()
