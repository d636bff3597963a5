"""Consultation requests (issue 13): a member writes privately to a verified doctor's practice from the profile
(rate-limited); only the sender, the doctor and staff see it; the doctor sees it in the dashboard and replies once.
And the dashboard itself: questions in the doctor's specialty they have not answered, helpful votes, new reviews."""

from __future__ import annotations

import pytest
from django.urls import reverse

from consult.core import events
from consult.practice import services
from consult.practice.errors import ConsultationNotAllowed, InvalidConsultation
from consult.practice.models import ConsultationRequest
from consult.questions import services as question_services
from tests.consult.doctors.test_query_counts import _queries
from tests.consult.reviews.conftest import make_treatment, write_review
from tests.consult.test_events import caught
from tests.factories import (
    AnswerFactory,
    DoctorProfileFactory,
    ModeratorFactory,
    QuestionFactory,
    StaffFactory,
    TagFactory,
    UnverifiedDoctorProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _question(tags, **fields):
    question = QuestionFactory(**fields)
    question.tags.set(tags)
    return question

MESSAGE = "I had Bell palsy two years ago and would like to discuss options for my smile."


def _send(doctor, sender, **overrides):
    values = {"subject": "Smile after Bell's palsy", "message": MESSAGE}
    values.update(overrides)
    return services.consultation_request_send(doctor=doctor, sender=sender, **values)


def test_a_patient_sends_a_request_from_the_profile_and_the_doctor_sees_it_in_the_dashboard(client):
    doctor, patient = DoctorProfileFactory(), UserFactory()
    client.force_login(patient)
    profile = client.get(reverse("doctors:profile", kwargs={"slug": doctor.slug})).content.decode()
    new_url = reverse("practice:consultation_new", kwargs={"slug": doctor.slug})
    assert new_url in profile
    with caught(events.consultation_requested) as sent_events:
        response = client.post(new_url, {"subject": "Smile after Bell's palsy", "message": MESSAGE, "contact_by": "site"})
    consultation = ConsultationRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == consultation.get_absolute_url()
    assert [event["consultation"] for event in sent_events] == [consultation]
    assert consultation.sender == patient and consultation.doctor == doctor and consultation.read_at is None
    assert "Smile after Bell" in client.get(reverse("practice:consultation_list")).content.decode()

    client.force_login(doctor.user)
    dashboard = client.get(reverse("dashboard:home")).content.decode()
    assert "Smile after Bell" in dashboard and "1 new" in dashboard
    detail = client.get(consultation.get_absolute_url())
    assert MESSAGE in detail.content.decode()
    consultation.refresh_from_db()
    assert consultation.read_at is not None  # opened by the doctor
    with caught(events.consultation_replied) as replied:
        client.post(consultation.get_absolute_url(), {"reply": "Please call the office to book a visit."})
    consultation.refresh_from_db()
    assert consultation.reply and [event["consultation"] for event in replied] == [consultation]
    with pytest.raises(InvalidConsultation, match="already replied"):
        services.consultation_reply(consultation=consultation, replied_by=doctor.user, reply="Again")
    client.force_login(patient)
    assert "Please call the office" in client.get(consultation.get_absolute_url()).content.decode()


def test_only_the_two_parties_and_staff_see_a_request(client):
    doctor, patient = DoctorProfileFactory(), UserFactory()
    consultation = _send(doctor, patient, contact_by="phone", contact_detail="+1 503 555 0100")
    url = consultation.get_absolute_url()
    for outsider in (UserFactory(), DoctorProfileFactory().user, ModeratorFactory()):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, {"reply": "x"}).status_code == 404
    client.logout()
    assert "/accounts/login/" in client.get(url)["Location"]
    for insider in (patient, doctor.user, StaffFactory()):
        client.force_login(insider)
        response = client.get(url)
        assert response.status_code == 200 and MESSAGE in response.content.decode()
        assert response["Cache-Control"] == "private, no-store"
    # only the doctor replies: the sender and staff cannot
    for not_doctor in (patient, StaffFactory()):
        client.force_login(not_doctor)
        assert client.post(url, {"reply": "Pretending to be the practice"}).status_code == 403
    consultation.refresh_from_db()
    assert consultation.reply == ""
    # the phone number is shown to the doctor only (and the sender wrote it)
    client.force_login(doctor.user)
    assert "+1 503 555 0100" in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"subject": "a"}, "subject", "short subject"),
        ({"message": "too short"}, "message", "a little more"),
        ({"message": "x" * 3001}, "message", "3000"),
        ({"contact_by": "phone", "contact_detail": "call me"}, "contact_detail", "phone number"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(overrides, field, message):
    with pytest.raises(InvalidConsultation, match=message) as caught_error:
        _send(DoctorProfileFactory(), UserFactory(), **overrides)
    assert caught_error.value.field == field
    assert not ConsultationRequest.objects.exists()


def test_nobody_writes_to_an_unverified_doctor_or_to_themselves(client):
    doctor, unverified = DoctorProfileFactory(), UnverifiedDoctorProfileFactory()
    with pytest.raises(ConsultationNotAllowed, match="own practice"):
        _send(doctor, doctor.user)
    with pytest.raises(ConsultationNotAllowed, match="not taking requests"):
        _send(unverified, UserFactory())
    client.force_login(UserFactory())
    assert client.get(reverse("practice:consultation_new", kwargs={"slug": unverified.slug})).status_code == 404
    client.force_login(doctor.user)
    assert client.get(reverse("practice:consultation_new", kwargs={"slug": doctor.slug})).status_code == 403


def test_sending_is_rate_limited(client, settings):
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMITS = {**settings.RATELIMITS, "consultation_request": (2, 3600)}
    doctor = DoctorProfileFactory()
    client.force_login(UserFactory())
    url = reverse("practice:consultation_new", kwargs={"slug": doctor.slug})
    data = {"subject": "Smile after Bell's palsy", "message": MESSAGE, "contact_by": "site"}
    assert [client.post(url, data).status_code for _ in range(3)] == [302, 302, 429]
    assert ConsultationRequest.objects.count() == 2


def test_requests_are_deleted_with_either_account():
    from consult.accounts.services import account_delete
    from tests.factories import PASSWORD

    doctor, patient, other = DoctorProfileFactory(), UserFactory(), UserFactory()
    _send(doctor, patient)
    kept = _send(doctor, other)
    account_delete(user=patient, password=PASSWORD)
    assert list(ConsultationRequest.objects.all()) == [kept]
    account_delete(user=doctor.user, password=PASSWORD)
    assert not ConsultationRequest.objects.exists()


# --- the dashboard --------------------------------------------------------------------------------------------


def test_the_dashboard_lists_unanswered_questions_in_the_specialty_votes_and_new_reviews(client):
    doctor = DoctorProfileFactory(specialty="physiatry")
    therapy, facelift = TagFactory(slug="physical-therapy"), TagFactory(slug="facelift")
    open_question = _question([therapy], title="Which exercises help synkinesis?")
    answered = _question([therapy], title="Mirror exercises every day?")
    _question([facelift], title="Deep plane or SMAS facelift?")
    hidden = _question([therapy], title="Hidden therapy question", is_hidden=True)
    answer = AnswerFactory(doctor=doctor, question=answered, headline="Gentle, slow and in front of a mirror")
    from consult.questions.recount import recount_all

    recount_all()
    question_services.vote_toggle(user=UserFactory(), answer=answer)
    write_review(doctor=doctor, treatment=make_treatment(), title="Patient and thorough")
    client.force_login(doctor.user)
    page = client.get(reverse("dashboard:home")).content.decode()
    assert open_question.title in page
    assert answered.title in page  # among the helpful answers...
    assert page.count(answered.title) == 1  # ...but not among the questions to answer
    assert "Deep plane or SMAS" not in page and hidden.title not in page
    assert "Patient and thorough" in page and "no reply yet" in page
    assert "<strong>1</strong> helpful vote on your answers" in page


def test_the_dashboard_is_for_doctors_only(client):
    assert "/accounts/login/" in client.get(reverse("dashboard:home"))["Location"]
    for user in (UserFactory(), ModeratorFactory(), StaffFactory()):
        client.force_login(user)
        assert client.get(reverse("dashboard:home")).status_code == 403
    client.force_login(UnverifiedDoctorProfileFactory().user)
    assert client.get(reverse("dashboard:home")).status_code == 200


def test_dashboard_and_consultation_pages_run_a_fixed_number_of_queries(client):
    doctor = DoctorProfileFactory(specialty="physiatry")
    tag = TagFactory(slug="physical-therapy")
    treatment = make_treatment()

    def grow(n):
        for _ in range(n):
            patient = UserFactory()
            _send(doctor, patient)
            question = _question([tag])
            AnswerFactory(doctor=doctor, question=question, helpful_count=2)
            _question([tag])
            write_review(doctor=doctor, treatment=treatment)

    client.force_login(doctor.user)
    grow(1)
    dashboard = reverse("dashboard:home")
    few = _queries(client, dashboard)
    grow(12)
    many = _queries(client, dashboard)
    # user with profile, requests, reviews, recent votes, top answers, questions to answer
    assert few == many == 6
    consultation = ConsultationRequest.objects.first()
    client.get(consultation.get_absolute_url())  # the first look marks it read (one UPDATE)
    assert _queries(client, consultation.get_absolute_url()) == 2  # user with profile, the request
    client.force_login(consultation.sender)
    assert _queries(client, reverse("practice:consultation_list")) == 2


def test_a_doctors_reply_to_a_review_is_announced_once_per_change():
    from consult.reviews.services import review_reply

    doctor = DoctorProfileFactory()
    review = write_review(doctor=doctor, treatment=make_treatment())
    with caught(events.review_replied) as replied:
        review_reply(review=review, doctor_user=doctor.user, body="Thank you for the kind words.")
        review_reply(review=review, doctor_user=doctor.user, body="Thank you for the kind words.")  # unchanged
        review_reply(review=review, doctor_user=doctor.user, body="Thank you, and see you in March.")
        review_reply(review=review, doctor_user=doctor.user, body="")  # withdrawn: nothing to announce
    assert [(event["review"].pk, event["created"]) for event in replied] == [(review.pk, True), (review.pk, False)]
