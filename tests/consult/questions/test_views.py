import pytest
from django.urls import reverse

from consult.questions.models import Answer, AnswerRevision, HelpfulVote, Question
from tests.factories import (
    AnswerFactory,
    DoctorProfileFactory,
    QuestionFactory,
    TagFactory,
    UnverifiedDoctorProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def vote_url(answer):
    return reverse("questions:vote", kwargs={"pk": answer.pk})


# -- lists ------------------------------------------------------------------------------------


def test_list_shows_newest_questions_and_tabs(client):
    QuestionFactory(title="Will my smile come back after Bell's palsy?")
    html = client.get("/").content.decode()
    assert "Will my smile come back after Bell&#x27;s palsy?" in html
    assert 'aria-current="page">Newest' in html


def test_unanswered_and_tag_pages(client):
    tag = TagFactory(name="Synkinesis", slug="synkinesis")
    waiting = QuestionFactory(title="Eye closes when I smile, what now?")
    waiting.tags.add(tag)
    QuestionFactory(title="Already answered one", answer_count=2)
    unanswered = client.get("/unanswered/").content.decode()
    assert "Eye closes when I smile" in unanswered and "Already answered one" not in unanswered
    tagged = client.get("/tags/synkinesis/")
    assert tagged.status_code == 200 and "Questions about Synkinesis" in tagged.content.decode()
    assert client.get("/tags/nope/").status_code == 404


def test_list_links_to_the_next_page(client):
    QuestionFactory.create_batch(21)
    html = client.get("/").content.decode()
    assert "?after=" in html and "Older questions" in html


# -- thread -----------------------------------------------------------------------------------


def test_thread_shows_question_answers_byline_and_disclaimer(client, answer, question):
    doctor = answer.doctor
    doctor.rating_avg, doctor.review_count, doctor.city, doctor.state = "4.1", 9, "Madison", "WI"
    doctor.save()
    html = client.get(question.get_absolute_url()).content.decode()
    assert question.title in html.replace("&#x27;", "'")
    assert "Doctor Answers" in html
    assert answer.headline in html
    assert "Dr. Alex Testdoctor" in html and "MD, FACS" in html
    assert "4.1 out of 5 stars" in html and "9 reviews" in html
    assert "Madison, WI" in html and "Facial plastic surgery" in html
    assert "Verified doctor" in html
    assert "Medical disclaimer" in html
    assert f'<link rel="canonical" href="http://testserver{question.get_absolute_url()}">' in html
    assert reverse("doctors:profile", kwargs={"slug": doctor.slug}) in html


def test_no_reviews_yet_when_the_doctor_has_none(client, answer, question):
    assert "No reviews yet" in client.get(question.get_absolute_url()).content.decode()


def test_wrong_or_missing_slug_redirects_permanently_to_the_canonical_url(client, question):
    for path in (f"/questions/{question.pk}/old-title/", f"/questions/{question.pk}/"):
        response = client.get(path)
        assert response.status_code == 301
        assert response["Location"] == question.get_absolute_url()


def test_unknown_or_hidden_question_is_404(client):
    assert client.get("/questions/999999/x/").status_code == 404
    hidden = QuestionFactory(is_hidden=True)
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_asker_sees_own_hidden_question_with_a_notice(client):
    hidden = QuestionFactory(is_hidden=True)
    client.force_login(hidden.author)
    response = client.get(hidden.get_absolute_url())
    assert response.status_code == 200
    assert "A moderator has hidden this question" in response.content.decode()


# -- asking -----------------------------------------------------------------------------------


def test_ask_requires_sign_in(client):
    response = client.get("/questions/ask/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_ask_form_defaults_display_name_and_creates_question(client, patient):
    tag = TagFactory(name="Bell's palsy", slug="bells-palsy")
    client.force_login(patient)
    assert f'value="{patient.display_name}"' in client.get("/questions/ask/").content.decode()
    response = client.post(
        "/questions/ask/",
        {
            "title": "Is it normal that my eye waters when I eat?",
            "body": "Since my Bell's palsy last year my left eye waters at every meal.",
            "tags": [tag.pk],
            "display_name": "Sam",
            "age": "52",
            "sex": "male",
        },
    )
    question = Question.objects.get()
    assert response.status_code == 302 and response["Location"] == question.get_absolute_url()
    assert (question.author, question.age, question.sex, question.display_name) == (patient, 52, "male", "Sam")


@pytest.mark.parametrize(
    "bad",
    [
        {"title": ""},
        {"title": "short"},
        {"title": "!!!!!!!!!!!!!!!!!!!!!!!!"},
        {"body": "too short"},
        {"tags": []},
        {"tags": ["999999"]},
        {"tags": ["not-a-number"]},
        {"age": "7"},
        {"age": "121"},
        {"age": "forty"},
        {"sex": "robot"},
        {"display_name": "x" * 61},
    ],
)
def test_bad_input_gets_form_errors_not_a_500(client, patient, bad):
    tag = TagFactory()
    data = {
        "title": "How long do eyelid weights last?",
        "body": "I had a gold weight placed two years ago and it feels heavier now.",
        "tags": [tag.pk],
        "display_name": "Sam",
        "age": "",
        "sex": "",
        **bad,
    }
    client.force_login(patient)
    response = client.post("/questions/ask/", data)
    assert response.status_code == 200
    assert "Please correct the fields marked below." in response.content.decode()
    assert not Question.objects.exists()


def test_doctor_is_told_that_doctors_answer(client, doctor):
    client.force_login(doctor.user)
    response = client.get("/questions/ask/")
    assert response.status_code == 403
    assert "Doctors answer questions here" in response.content.decode()


# -- answering --------------------------------------------------------------------------------


def test_verified_doctor_sees_the_form_and_answers(client, question, doctor):
    client.force_login(doctor.user)
    assert "Publish answer" in client.get(question.get_absolute_url()).content.decode()
    response = client.post(
        reverse("questions:answer_create", kwargs={"pk": question.pk}),
        {"headline": "Protect the eye, then retrain", "body": "Use lubricating drops during the day and ointment at night."},
    )
    answer = Answer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{question.get_absolute_url()}#answer-{answer.pk}"
    assert Question.objects.get(pk=question.pk).answer_count == 1


def test_answer_form_errors_rerender_the_thread(client, question, doctor):
    client.force_login(doctor.user)
    response = client.post(reverse("questions:answer_create", kwargs={"pk": question.pk}), {"headline": "", "body": ""})
    assert response.status_code == 200
    assert "Please correct the fields marked below." in response.content.decode()
    assert not Answer.objects.exists()


def test_unverified_doctor_sees_a_notice_and_cannot_post(client, question):
    pending = UnverifiedDoctorProfileFactory()
    client.force_login(pending.user)
    html = client.get(question.get_absolute_url()).content.decode()
    assert "Publish answer" not in html and "once our staff have verified" in html
    client.post(
        reverse("questions:answer_create", kwargs={"pk": question.pk}),
        {"headline": "Trying anyway here", "body": "This should not be published at all, ever."},
    )
    assert not Answer.objects.exists()


def test_doctor_who_answered_gets_an_edit_link_not_a_second_form(client, answer, question, doctor):
    client.force_login(doctor.user)
    html = client.get(question.get_absolute_url()).content.decode()
    assert "Publish answer" not in html
    assert reverse("questions:answer_edit", kwargs={"pk": answer.pk}) in html


def test_patient_cannot_post_an_answer(client, question, patient):
    client.force_login(patient)
    client.post(
        reverse("questions:answer_create", kwargs={"pk": question.pk}),
        {"headline": "I am not a doctor", "body": "But here is my advice anyway, for what it is worth."},
    )
    assert not Answer.objects.exists()


def test_answer_edit_keeps_history_and_only_own_doctor(client, answer, doctor):
    url = reverse("questions:answer_edit", kwargs={"pk": answer.pk})
    client.force_login(DoctorProfileFactory().user)
    assert client.get(url).status_code == 403
    client.force_login(doctor.user)
    response = client.post(url, {"headline": "A better headline here", "body": "Clearer advice, written again with care."})
    assert response.status_code == 302
    assert AnswerRevision.objects.filter(answer=answer).count() == 1
    assert "Edit history" in client.get(url).content.decode()


# -- votes ------------------------------------------------------------------------------------


def test_vote_without_javascript_redirects_to_the_answer(client, answer, patient):
    client.force_login(patient)
    response = client.post(vote_url(answer))
    assert response.status_code == 302
    assert response["Location"] == f"{answer.question.get_absolute_url()}#answer-{answer.pk}"
    assert Answer.objects.get(pk=answer.pk).helpful_count == 1


def test_htmx_vote_returns_the_updated_widget(client, answer, patient):
    client.force_login(patient)
    response = client.post(vote_url(answer), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith(f'<div class="vote" id="vote-{answer.pk}">')
    assert 'aria-pressed="true"' in html and "<strong data-vote-count>1</strong>" in html
    html = client.post(vote_url(answer), headers={"HX-Request": "true"}).content.decode()
    assert 'aria-pressed="false"' in html and "<strong data-vote-count>0</strong>" in html


def test_thread_shows_the_viewers_vote_as_pressed(client, answer, patient):
    HelpfulVote.objects.create(answer=answer, user=patient)
    client.force_login(patient)
    assert 'aria-pressed="true"' in client.get(answer.question.get_absolute_url()).content.decode()


def test_anonymous_vote_prompts_sign_in(client, answer):
    response = client.post(vote_url(answer))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    html = client.post(vote_url(answer), headers={"HX-Request": "true"}).content.decode()
    assert "Sign in</a> to vote" in html
    assert not HelpfulVote.objects.exists()
    assert "Sign in to vote" in client.get(answer.question.get_absolute_url()).content.decode()


def test_doctor_own_answer_has_no_vote_button_and_vote_is_refused(client, answer, doctor):
    client.force_login(doctor.user)
    assert f'id="vote-button-{answer.pk}"' not in client.get(answer.question.get_absolute_url()).content.decode()
    html = client.post(vote_url(answer), headers={"HX-Request": "true"}).content.decode()
    assert "cannot vote on your own answer" in html
    assert Answer.objects.get(pk=answer.pk).helpful_count == 0


def test_vote_is_post_only(client, answer, patient):
    client.force_login(patient)
    assert client.get(vote_url(answer)).status_code == 405


# -- most helpful -----------------------------------------------------------------------------


def test_asker_marks_most_helpful_and_the_badge_shows(client, answer, patient):
    client.force_login(patient)
    client.post(reverse("questions:most_helpful", kwargs={"pk": answer.pk}))
    html = client.get(answer.question.get_absolute_url()).content.decode()
    assert "Most helpful, chosen by the asker" in html


def test_stranger_cannot_mark_most_helpful(client, answer):
    client.force_login(UserFactory())
    client.post(reverse("questions:most_helpful", kwargs={"pk": answer.pk}))
    assert Question.objects.get(pk=answer.question_id).most_helpful_answer is None


# -- markdown preview -------------------------------------------------------------------------


def test_preview_renders_sanitised_html_for_signed_in_users(client, patient):
    assert client.post("/markdown/preview/", {"text": "**hi**"}).status_code == 302
    client.force_login(patient)
    response = client.post("/markdown/preview/", {"text": "**hi** <script>x</script>"})
    assert response.status_code == 200
    assert "<strong>hi</strong>" in response.content.decode() and "<script" not in response.content.decode()


def test_csp_header_forbids_inline_script(client, question):
    policy = client.get(question.get_absolute_url())["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_answer_by_unrelated_answers_are_not_affected(client):
    a1 = AnswerFactory()
    a2 = AnswerFactory()
    client.force_login(UserFactory())
    client.post(vote_url(a1))
    assert Answer.objects.get(pk=a2.pk).helpful_count == 0


def test_visitors_are_told_about_measured_photos_on_the_home_page_and_threads(client):
    from tests.factories import QuestionFactory as _Question

    question = _Question()
    for url in ("/", question.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "Get your face measured" in html and 'href="/photos/guide/"' in html
    assert client.get("/photos/guide/").status_code == 200  # the guide is public


def test_questions_path_redirects_to_the_list_and_the_home_heading_is_honest(client):
    response = client.get("/questions/")
    assert response.status_code == 301 and response["Location"] == "/"
    assert "Questions doctors have answered" not in client.get("/").content.decode()


def test_lists_badge_threads_with_measured_photos(client):
    from consult.core import pagecache
    from consult.photos.models import Status, Visit
    from tests.factories import QuestionFactory as _Question
    from tests.factories import TagFactory as _Tag

    tag = _Tag()
    with_photos, without = _Question(title="Measured smile question here"), _Question(title="No photos question here")
    for q in (with_photos, without):
        q.tags.set([tag])
    tag.question_count = 2
    tag.save()
    visit = Visit.objects.create(
        patient=with_photos.author, question=with_photos, status=Status.DONE, taken_on=with_photos.created_at.date()
    )
    pagecache.bump(pagecache.LISTS)
    for url in ("/", tag.get_absolute_url()):
        html = client.get(url).content.decode()
        item = html[html.index("Measured smile question here") - 600 : html.index("Measured smile question here") + 900]
        assert "Measured photos" in item, url
        other = html[html.index("No photos question here") : html.index("No photos question here") + 900]
        assert "Measured photos" not in other.split("</li>")[0], url
    Visit.objects.filter(pk=visit.pk).update(status=Status.FAILED)
    pagecache.bump(pagecache.LISTS)
    assert "Measured photos" not in client.get("/").content.decode()
