"""Every kind of notification: who is told, what it says, and what nobody is told."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from consult.doctors import services as doctor_services
from consult.moderation import services as moderation_services
from consult.notifications import services
from consult.notifications.models import Kind, Notification
from consult.questions import services as question_services
from tests.consult.notifications.conftest import WORKER, answer, run_worker
from tests.consult.reviews.conftest import make_treatment, write_review
from tests.factories import (
    DoctorProfileFactory,
    ModeratorFactory,
    StaffFactory,
    TagFactory,
    UnverifiedDoctorProfileFactory,
    UserFactory,
)

pytestmark = WORKER


def texts(user, kind):
    return list(Notification.objects.filter(user=user, kind=kind).values_list("text", flat=True))


# -- helpful votes, batched ----------------------------------------------------------------------


def _vote(user, made, capture):
    with capture(execute=True):
        question_services.vote_toggle(user=user, answer=made)


def test_five_votes_make_one_notification_not_five(asked, doctor, django_capture_on_commit_callbacks):
    made = answer(doctor, asked, django_capture_on_commit_callbacks)
    for voter in UserFactory.create_batch(5):
        _vote(voter, made, django_capture_on_commit_callbacks)
    run_worker()
    assert texts(doctor.user, Kind.VOTES) == [
        "5 people found your answer \u201cGive it three more months\u201d helpful"
    ]
    doctor.user.refresh_from_db()
    assert doctor.user.unread_notifications == 1


def test_one_vote_says_one_person(asked, doctor, django_capture_on_commit_callbacks):
    made = answer(doctor, asked, django_capture_on_commit_callbacks)
    _vote(UserFactory(), made, django_capture_on_commit_callbacks)
    run_worker()
    run_worker()
    assert texts(doctor.user, Kind.VOTES) == ["1 person found your answer \u201cGive it three more months\u201d helpful"]


def test_votes_after_reading_reopen_the_batch_counting_afresh(asked, doctor, django_capture_on_commit_callbacks):
    made = answer(doctor, asked, django_capture_on_commit_callbacks)
    for voter in UserFactory.create_batch(3):
        _vote(voter, made, django_capture_on_commit_callbacks)
    run_worker()
    services.mark_all_read(user=doctor.user)
    for voter in UserFactory.create_batch(2):
        _vote(voter, made, django_capture_on_commit_callbacks)
    run_worker()
    note = Notification.objects.get(user=doctor.user, kind=Kind.VOTES)
    assert note.read_at is None and note.count == 2
    assert note.text.startswith("2 people found your answer")


def test_a_vote_taken_back_before_it_was_read_is_not_counted(asked, doctor, django_capture_on_commit_callbacks):
    made = answer(doctor, asked, django_capture_on_commit_callbacks)
    voter = UserFactory()
    _vote(voter, made, django_capture_on_commit_callbacks)
    _vote(voter, made, django_capture_on_commit_callbacks)  # taken back
    run_worker()
    assert texts(doctor.user, Kind.VOTES) == []
    doctor.user.refresh_from_db()
    assert doctor.user.unread_notifications == 0


# -- reviews, verification, moderation -----------------------------------------------------------


def test_a_new_review_is_told_to_the_doctor_its_edit_is_not(doctor, django_capture_on_commit_callbacks):
    author = UserFactory(display_name="Sam")
    with django_capture_on_commit_callbacks(execute=True):
        review = write_review(author=author, doctor=doctor, treatment=make_treatment(), rating=5, title="Natural result")
    run_worker()
    assert texts(doctor.user, Kind.REVIEW) == ["Sam reviewed you: 5 out of 5 stars, \u201cNatural result\u201d"]
    from consult.reviews.services import review_update

    with django_capture_on_commit_callbacks(execute=True):
        review_update(review=review, editor=author, rating=4, title="Natural result, slow recovery",
                      body=review.body, worth_it=review.worth_it)
    run_worker()
    assert Notification.objects.filter(user=doctor.user, kind=Kind.REVIEW).count() == 1


def test_verification_outcomes_are_told_to_the_doctor_with_the_reason(client, django_capture_on_commit_callbacks):
    staff = StaffFactory()
    accepted, refused = UnverifiedDoctorProfileFactory(), UnverifiedDoctorProfileFactory()
    with django_capture_on_commit_callbacks(execute=True):
        doctor_services.doctor_verify(profile=accepted, decided_by=staff)
        doctor_services.doctor_reject(profile=refused, decided_by=staff, note="The licence number is not on the state register.")
    run_worker()
    assert texts(accepted.user, Kind.ACCOUNT) == ["Your doctor profile is verified: you can answer questions now."]
    assert texts(refused.user, Kind.ACCOUNT) == [
        "Your doctor profile was not verified. Reason: The licence number is not on the state register."
    ]
    # the links are the site's own URLs (reverse()), and each opens for the doctor told
    accepted_note = Notification.objects.get(user=accepted.user, kind=Kind.ACCOUNT)
    refused_note = Notification.objects.get(user=refused.user, kind=Kind.ACCOUNT)
    accepted.refresh_from_db()
    assert accepted_note.url == reverse("doctors:profile", kwargs={"slug": accepted.slug})
    assert refused_note.url == reverse("doctors:profile_edit")
    client.force_login(accepted.user)
    assert client.get(accepted_note.url).status_code == 200
    client.force_login(refused.user)
    page = client.get(refused_note.url)
    assert page.status_code == 200


def test_verification_links_follow_the_url_configuration(settings, django_capture_on_commit_callbacks):
    """No hard-coded path: mounted elsewhere, the notification links where the page is."""
    from django.urls import clear_url_caches

    settings.ROOT_URLCONF = "tests.consult.notifications.moved_urls"
    clear_url_caches()
    try:
        profile = UnverifiedDoctorProfileFactory()
        with django_capture_on_commit_callbacks(execute=True):
            doctor_services.doctor_reject(profile=profile, decided_by=StaffFactory(), note="No licence.")
        run_worker()
        assert Notification.objects.get(user=profile.user, kind=Kind.ACCOUNT).url == "/physicians/me/"
    finally:
        clear_url_caches()


def test_moderation_tells_the_author_with_the_note_and_nobody_else(asked, asker, doctor,
                                                                     django_capture_on_commit_callbacks):
    made = answer(doctor, asked, django_capture_on_commit_callbacks)
    run_worker()
    moderator = ModeratorFactory()
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.content_hide(moderator=moderator, answer=made, note="Promotes a clinic")
    run_worker()
    assert texts(doctor.user, Kind.ACCOUNT) == [
        "A moderator hid your answer \u201cGive it three more months\u201d. Reason: Promotes a clinic"
    ]
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.content_unhide(moderator=moderator, answer=made)
    run_worker()
    assert "A moderator restored your answer \u201cGive it three more months\u201d." in texts(doctor.user, Kind.ACCOUNT)
    assert texts(asker, Kind.ACCOUNT) == [] and texts(moderator, Kind.ACCOUNT) == []


# -- new questions for doctors, by their preference ----------------------------------------------


def _ask(asker, tags, capture, title="Will my smile come back after Bell's palsy?"):
    with capture(execute=True):
        question = question_services.question_create(author=asker, title=title, body="Six weeks now.", tags=tags,
                                                      display_name="Robin")
    run_worker()
    return question


def test_new_questions_reach_doctors_by_specialty_and_by_picked_concerns(asker, django_capture_on_commit_callbacks):
    palsy = TagFactory(slug="bells-palsy", name="Bell's palsy")
    scars = TagFactory(slug="scars", name="Scars")
    nerve = DoctorProfileFactory(specialty="ent-facial-nerve")  # default: my specialty's concerns
    skin = DoctorProfileFactory(specialty="dermatology")  # Bell's palsy is not a dermatology concern
    picker = DoctorProfileFactory(specialty="dermatology")
    services.preferences_save(user=picker.user, emails={}, question_alerts="tags", alert_tags=[palsy])
    silent = DoctorProfileFactory(specialty="ent-facial-nerve")
    services.preferences_save(user=silent.user, emails={}, question_alerts="none")
    pending = UnverifiedDoctorProfileFactory(specialty="ent-facial-nerve")
    question = _ask(asker, [palsy], django_capture_on_commit_callbacks)
    told = set(Notification.objects.filter(kind=Kind.NEW_QUESTION).values_list("user_id", flat=True))
    assert told == {nerve.user_id, picker.user_id}
    assert skin.user_id not in told and silent.user_id not in told and pending.user_id not in told
    assert texts(nerve.user, Kind.NEW_QUESTION) == [
        f"New question about Bell's palsy: \u201c{question.title}\u201d"
    ]
    _ask(asker, [scars], django_capture_on_commit_callbacks, title="Can a scar on my cheek be revised?")
    assert Notification.objects.filter(user=skin.user, kind=Kind.NEW_QUESTION).count() == 1


# -- the asker's follow-up update -----------------------------------------------------------------


def test_an_update_is_shown_dated_under_the_question_and_tells_the_doctors_who_answered(
    client, asked, asker, doctor, django_capture_on_commit_callbacks
):
    other = DoctorProfileFactory()
    answer(doctor, asked, django_capture_on_commit_callbacks)
    answer(other, asked, django_capture_on_commit_callbacks, headline="Eye care first")
    bystander = DoctorProfileFactory()
    run_worker()
    url = asked.get_absolute_url()
    assert "Update from Robin" not in client.get(url).content.decode()  # cached before the update
    client.force_login(asker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/questions/{asked.pk}/updates/", {"body": "Week ten: my smile is coming back."})
    assert response.status_code == 302
    assert Notification.objects.filter(kind=Kind.UPDATE).count() == 0, "told by the worker, not the request"
    run_worker()
    told = set(Notification.objects.filter(kind=Kind.UPDATE).values_list("user_id", flat=True))
    assert told == {doctor.user_id, other.user_id}
    assert bystander.user_id not in told and asker.pk not in told
    client.logout()
    html = client.get(url).content.decode()  # the thread's cache was bumped
    assert "Update from Robin" in html and "Week ten: my smile is coming back." in html
    assert timezone.now().strftime("%B") in html


def test_only_the_asker_posts_an_update_and_an_empty_one_is_a_form_error(client, asked, asker):
    client.force_login(UserFactory())
    response = client.post(f"/questions/{asked.pk}/updates/", {"body": "Not my question"})
    assert response.status_code == 302 and not asked.updates.exists()
    client.force_login(asker)
    response = client.post(f"/questions/{asked.pk}/updates/", {"body": "   "})
    assert response.status_code == 400
    assert "Write what has changed before posting an update." in response.content.decode()
    assert not asked.updates.exists()


def test_the_update_form_is_the_askers_alone(client, asked, asker):
    client.force_login(asker)
    assert "Post an update to your question" in client.get(asked.get_absolute_url()).content.decode()
    client.force_login(UserFactory())
    assert "Post an update to your question" not in client.get(asked.get_absolute_url()).content.decode()


# -- private consultation requests -----------------------------------------------------------------


def test_a_consultation_request_and_its_reply_are_told_once_each_without_the_message(
    client, doctor, django_capture_on_commit_callbacks
):
    from consult.notifications.work import run
    from consult.practice import services as practice_services

    patient = UserFactory(display_name="Sam")
    message = "My left eye still waters at every meal; could we talk about options at your practice?"
    with django_capture_on_commit_callbacks(execute=True):
        consultation = practice_services.consultation_request_send(
            doctor=doctor, sender=patient, subject="Tearing after Bell's palsy", message=message)
    run_worker()
    assert texts(doctor.user, Kind.CONSULTATION) == [
        "Sam sent you a private consultation request: \u201cTearing after Bell's palsy\u201d"]
    assert run("consultation_requested", consultation.pk) == 0  # a retried job adds nothing
    notice = Notification.objects.get(user=doctor.user, kind=Kind.CONSULTATION)
    assert notice.url == consultation.get_absolute_url() and message not in notice.text
    doctor.user.refresh_from_db()
    assert doctor.user.unread_notifications == 1
    assert texts(patient, Kind.CONSULTATION) == []  # the sender is not told of their own request

    with django_capture_on_commit_callbacks(execute=True):
        practice_services.consultation_reply(consultation=consultation, replied_by=doctor.user,
                                             reply="Please call the office to book a visit.")
    run_worker()
    assert texts(patient, Kind.CONSULTATION) == [
        f"{doctor.display_name} replied to your consultation request \u201cTearing after Bell's palsy\u201d"]
    client.force_login(patient)
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert "replied to your consultation request" in inbox and "Please call the office" not in inbox


def test_a_deleted_senders_request_leaves_the_doctors_inbox_and_badge(doctor, django_capture_on_commit_callbacks):
    from consult.accounts.services import account_delete
    from consult.practice import services as practice_services
    from tests.factories import PASSWORD

    patient = UserFactory(display_name="Sam")
    with django_capture_on_commit_callbacks(execute=True):
        practice_services.consultation_request_send(
            doctor=doctor, sender=patient, subject="Tearing after Bell's palsy",
            message="My left eye still waters at every meal; could we talk about options?")
    run_worker()
    doctor.user.refresh_from_db()
    assert doctor.user.unread_notifications == 1
    account_delete(user=patient, password=PASSWORD)
    doctor.user.refresh_from_db()
    assert texts(doctor.user, Kind.CONSULTATION) == [] and doctor.user.unread_notifications == 0
