"""Inviting a doctor to answer (Apache Answer's "invite someone to answer"): the asker only, verified
doctors only, once per doctor, rate-limited; the doctor is told in the worker."""

from __future__ import annotations

import pytest
from django.urls import reverse

from consult.notifications import services
from consult.notifications.errors import InviteRefused
from consult.notifications.models import Invite, Kind, Notification
from tests.consult.notifications.conftest import WORKER, answer, run_worker
from tests.factories import DoctorProfileFactory, UnverifiedDoctorProfileFactory, UserFactory

pytestmark = WORKER


def test_the_asker_invites_a_verified_doctor_who_is_told_in_the_worker(client, asked, asker,
                                                                      django_capture_on_commit_callbacks):
    invited = DoctorProfileFactory(full_name="Ines Invited")
    client.force_login(asker)
    page = client.get(reverse("notifications:invite", kwargs={"pk": asked.pk}))
    assert "Dr. Ines Invited, MD, FACS" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:invite", kwargs={"pk": asked.pk}), {"doctor": invited.pk})
    assert response.status_code == 302
    assert Invite.objects.filter(question=asked, doctor=invited).count() == 1
    assert not Notification.objects.filter(user=invited.user).exists(), "told by the worker"
    run_worker()
    note = Notification.objects.get(user=invited.user, kind=Kind.INVITE)
    assert note.text == "Robin invited you to answer \u201cWill my smile come back after Bell's palsy?\u201d"
    assert note.url == asked.get_absolute_url()
    page = client.get(reverse("notifications:invite", kwargs={"pk": asked.pk})).content.decode()
    assert "Invited</span>" in page


def test_no_duplicate_invites(asked, asker):
    doctor = DoctorProfileFactory()
    services.invite_create(inviter=asker, question=asked, doctor=doctor)
    with pytest.raises(InviteRefused, match="already been invited"):
        services.invite_create(inviter=asker, question=asked, doctor=doctor)
    assert Invite.objects.count() == 1


def test_only_verified_doctors_can_be_invited(asked, asker):
    with pytest.raises(InviteRefused, match="Only verified doctors"):
        services.invite_create(inviter=asker, question=asked, doctor=UnverifiedDoctorProfileFactory())
    assert not Invite.objects.exists()


def test_a_doctor_who_answered_is_not_invited(asked, asker, doctor, django_capture_on_commit_callbacks):
    answer(doctor, asked, django_capture_on_commit_callbacks)
    with pytest.raises(InviteRefused, match="already answered"):
        services.invite_create(inviter=asker, question=asked, doctor=doctor)


def test_only_the_asker_invites(client, asked):
    doctor = DoctorProfileFactory()
    with pytest.raises(InviteRefused, match="Only the person who asked"):
        services.invite_create(inviter=UserFactory(), question=asked, doctor=doctor)
    client.force_login(UserFactory())
    assert client.get(reverse("notifications:invite", kwargs={"pk": asked.pk})).status_code == 403
    assert client.post(reverse("notifications:invite", kwargs={"pk": asked.pk}), {"doctor": doctor.pk}).status_code == 403
    assert not Invite.objects.exists()


def test_a_bad_doctor_id_is_a_message_not_a_500(client, asked, asker):
    client.force_login(asker)
    for value in ["", "abc", "0", "999999", "-1"]:
        response = client.post(reverse("notifications:invite", kwargs={"pk": asked.pk}), {"doctor": value}, follow=True)
        assert response.status_code == 200
        assert "Choose a doctor from the list." in response.content.decode()
    assert not Invite.objects.exists()


def test_inviting_is_rate_limited(client, settings, asked, asker):
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMITS = {**settings.RATELIMITS, "invite": (2, 3600)}
    client.force_login(asker)
    url = reverse("notifications:invite", kwargs={"pk": asked.pk})
    codes = [client.post(url, {"doctor": DoctorProfileFactory().pk}).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert Invite.objects.count() == 2


def test_the_thread_offers_inviting_to_the_asker_only(client, asked, asker):
    client.force_login(asker)
    assert "Invite a doctor to answer" in client.get(asked.get_absolute_url()).content.decode()
    client.force_login(UserFactory())
    assert "Invite a doctor to answer" not in client.get(asked.get_absolute_url()).content.decode()
