"""Flag and moderation views: permissions, friendly errors, redirects, and hidden content leaving the site."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from consult.moderation.models import Flag, FlagReason, FlagStatus, ModerationAction
from consult.moderation.services import content_hide, flag_create
from consult.questions.models import Answer, Question
from tests.factories import (
    AnswerFactory,
    DoctorProfileFactory,
    ModeratorFactory,
    QuestionFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _flag_url(kind, pk):
    return reverse("moderation:flag", kwargs={"kind": kind, "pk": pk})


def _act_url(kind, pk, action):
    return reverse("moderation:act", kwargs={"kind": kind, "pk": pk, "action": action})


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _counted_answer(**kwargs):
    answer = AnswerFactory(**kwargs)
    Question.objects.filter(pk=answer.question_id).update(answer_count=1)
    answer.doctor.answer_count = 1
    answer.doctor.save()
    return answer


# --- flagging --------------------------------------------------------------------------------------


def test_member_flags_a_question_and_returns_to_the_thread(client):
    question = QuestionFactory()
    reporter = UserFactory()
    client.force_login(reporter)
    response = client.post(_flag_url("question", question.pk), {"reason": "spam", "note": "link farm"})
    assert response.status_code == 302
    assert response["Location"] == question.get_absolute_url()
    assert "A moderator will review this question" in _messages(response)[0]
    flag = Flag.objects.get()
    assert (flag.reporter, flag.question, flag.reason, flag.note) == (reporter, question, "spam", "link farm")


def test_flagging_an_answer_goes_back_to_the_answer_anchor_via_next(client):
    answer = AnswerFactory()
    client.force_login(UserFactory())
    url = answer.question.get_absolute_url()
    response = client.post(
        _flag_url("answer", answer.pk), {"reason": "unsafe", "next": f"{url}#answer-{answer.pk}"}
    )
    assert response["Location"] == f"{url}#answer-{answer.pk}"
    assert Flag.objects.get().answer == answer


def test_flag_ignores_an_offsite_next(client):
    question = QuestionFactory()
    client.force_login(UserFactory())
    response = client.post(
        _flag_url("question", question.pk), {"reason": "spam", "next": "https://evil.example/"}
    )
    assert response["Location"] == question.get_absolute_url()


def test_second_flag_by_the_same_member_is_a_friendly_message(client):
    question = QuestionFactory()
    client.force_login(UserFactory())
    client.post(_flag_url("question", question.pk), {"reason": "spam"})
    response = client.post(_flag_url("question", question.pk), {"reason": "offensive"})
    assert response.status_code == 302
    assert "already reported" in _messages(response)[-1]
    assert Flag.objects.count() == 1


@pytest.mark.parametrize("data", [{}, {"reason": "boring"}, {"reason": "spam", "note": "x" * 501}])
def test_bad_flag_input_is_a_message_not_a_500(client, data):
    question = QuestionFactory()
    client.force_login(UserFactory())
    response = client.post(_flag_url("question", question.pk), data)
    assert response.status_code == 302
    assert "Choose a reason" in _messages(response)[0]
    assert not Flag.objects.exists()


def test_flag_unknown_kind_or_item_is_404(client):
    client.force_login(UserFactory())
    assert client.post(_flag_url("doctor", 1), {"reason": "spam"}).status_code == 404
    assert client.post(_flag_url("question", 999999), {"reason": "spam"}).status_code == 404


def test_anonymous_flag_goes_to_sign_in_and_creates_nothing(client):
    question = QuestionFactory()
    response = client.post(_flag_url("question", question.pk), {"reason": "spam"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not Flag.objects.exists()


def test_flag_is_post_only(client):
    question = QuestionFactory()
    client.force_login(UserFactory())
    assert client.get(_flag_url("question", question.pk)).status_code == 405


def test_flagging_is_rate_limited(client, settings):
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMITS = {**settings.RATELIMITS, "flag": (2, 3600)}
    client.force_login(UserFactory())
    codes = [
        client.post(_flag_url("question", QuestionFactory().pk), {"reason": "spam"}).status_code
        for _ in range(3)
    ]
    assert codes == [302, 302, 429]
    assert Flag.objects.count() == 2


# --- the report control ------------------------------------------------------------------------------


def test_report_control_renders_for_members_only(client):
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    question = QuestionFactory()
    assert "flag-control" not in client.get(question.get_absolute_url()).content.decode()  # anonymous
    client.force_login(UserFactory())
    assert "flag-control" in client.get(question.get_absolute_url()).content.decode()

    request = RequestFactory().get(question.get_absolute_url())
    request.user = UserFactory()
    html = render_to_string(
        "moderation/_flag_button.html", {"kind": "question", "target": question, "allowed": True}, request=request
    )
    assert "<details" in html
    assert f'action="{_flag_url("question", question.pk)}"' in html
    assert f'<label class="field__label" for="flag-question-{question.pk}-reason">' in html
    for value in FlagReason.values:
        assert f'value="{value}"' in html
    assert "csrfmiddlewaretoken" in html

    question.is_hidden = True
    html = render_to_string(
        "moderation/_flag_button.html", {"kind": "question", "target": question}, request=request
    )
    assert html.strip() == ""


# --- queue permissions and actions -------------------------------------------------------------------


@pytest.mark.parametrize("who", ["patient", "verified_doctor"])
def test_queue_and_actions_are_for_moderators_only(client, who):
    client.force_login(UserFactory() if who == "patient" else DoctorProfileFactory().user)
    assert client.get(reverse("moderation:queue")).status_code == 403
    answer = _counted_answer()
    assert client.post(_act_url("answer", answer.pk, "hide")).status_code == 403
    assert not Answer.objects.get(pk=answer.pk).is_hidden


def test_queue_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("moderation:queue"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_queue_groups_open_flags_by_item_with_counts_and_reasons(client):
    answer = AnswerFactory(headline="Buy my miracle cream")
    question = QuestionFactory(title="Perfectly fine question")
    for reason in ("spam", "spam", "self-promotion"):
        flag_create(
            reporter=UserFactory(), answer=answer, reason=reason, note="advert" if reason == "spam" else ""
        )
    flag_create(reporter=UserFactory(), question=question, reason="offensive")
    client.force_login(ModeratorFactory())
    response = client.get(reverse("moderation:queue"))
    assert response.status_code == 200
    items = response.context["items"]
    assert [(i.kind, i.target.pk, i.open_flags) for i in items] == [
        ("answer", answer.pk, 3),
        ("question", question.pk, 1),
    ]
    assert items[0].reasons == [("Spam", 2), ("Self-promotion", 1)]
    html = response.content.decode()
    assert "Buy my miracle cream" in html
    assert "Perfectly fine question" in html
    assert answer.get_absolute_url() in html
    assert "3 open reports" in html
    assert _act_url("answer", answer.pk, "hide") in html
    assert _act_url("answer", answer.pk, "dismiss") in html


def test_moderator_hides_from_the_queue_and_it_moves_to_the_hidden_tab(client):
    answer = _counted_answer(headline="Dangerous dosing advice")
    flag_create(reporter=UserFactory(), answer=answer, reason="unsafe")
    moderator = ModeratorFactory(display_name="Mo")
    client.force_login(moderator)
    response = client.post(_act_url("answer", answer.pk, "hide"), {"note": "Unsafe dose"}, follow=True)
    assert response.status_code == 200
    assert "Hidden" in response.content.decode()
    assert Answer.objects.get(pk=answer.pk).is_hidden
    assert response.context["items"] == []
    action = ModerationAction.objects.get()
    assert (action.kind, action.moderator, action.answer_id, action.note) == (
        "hide",
        moderator,
        answer.pk,
        "Unsafe dose",
    )

    hidden = client.get(reverse("moderation:queue"), {"tab": "hidden"})
    html = hidden.content.decode()
    assert "Dangerous dosing advice" in html
    assert "Unsafe dose" in html
    assert _act_url("answer", answer.pk, "unhide") in html

    response = client.post(
        _act_url("answer", answer.pk, "unhide"), {"next": reverse("moderation:queue") + "?tab=hidden"}
    )
    assert response["Location"] == reverse("moderation:queue") + "?tab=hidden"
    assert not Answer.objects.get(pk=answer.pk).is_hidden

    log = client.get(reverse("moderation:queue"), {"tab": "log"})
    assert [(a.kind, a.moderator) for a in log.context["actions"]] == [
        ("unhide", moderator),
        ("hide", moderator),
    ]
    assert '<td data-label="Action">Unhide</td>' in log.content.decode()


def test_dismiss_and_repeat_actions_give_messages_not_errors(client):
    question = QuestionFactory()
    flag_create(reporter=UserFactory(), question=question, reason="spam")
    client.force_login(StaffFactory())
    response = client.post(_act_url("question", question.pk, "dismiss"))
    assert response.status_code == 302
    assert Flag.objects.get().status == FlagStatus.DISMISSED
    response = client.post(_act_url("question", question.pk, "dismiss"))
    assert "no open reports" in _messages(response)[-1]
    assert client.post(_act_url("question", question.pk, "delete")).status_code == 404
    assert client.post(_act_url("question", 999999, "hide")).status_code == 404
    assert client.get(_act_url("question", question.pk, "hide")).status_code == 405


# --- end to end: flag -> hide -> gone from the public site ---------------------------------------------


def test_flag_then_hide_removes_the_answer_from_the_public_thread(client):
    question = QuestionFactory()
    answer = _counted_answer(question=question, headline="Visit my clinic for 50% off")
    thread_url = question.get_absolute_url()
    assert "Visit my clinic for 50% off" in client.get(thread_url).content.decode()

    client.force_login(UserFactory())
    client.post(_flag_url("answer", answer.pk), {"reason": "self-promotion"})
    client.force_login(ModeratorFactory())
    client.post(_act_url("answer", answer.pk, "hide"))

    client.logout()
    response = client.get(thread_url)
    assert response.status_code == 200
    assert "Visit my clinic for 50% off" not in response.content.decode()
    assert Answer.objects.filter(pk=answer.pk, is_hidden=True).exists()  # still in the DB for audit


def test_flag_then_hide_removes_the_question_from_lists_and_its_page(client):
    question = QuestionFactory(title="Cheap pills here")
    assert "Cheap pills here" in client.get(reverse("questions:list")).content.decode()
    client.force_login(UserFactory())
    client.post(_flag_url("question", question.pk), {"reason": "spam"})
    client.force_login(ModeratorFactory())
    client.post(_act_url("question", question.pk, "hide"))
    client.logout()
    assert "Cheap pills here" not in client.get(reverse("questions:list")).content.decode()
    assert client.get(question.get_absolute_url()).status_code == 404
    assert Question.objects.filter(pk=question.pk, is_hidden=True).exists()


def test_hidden_content_cannot_be_flagged_through_the_view(client):
    answer = _counted_answer()
    content_hide(moderator=ModeratorFactory(), answer=answer)
    client.force_login(UserFactory())
    response = client.post(_flag_url("answer", answer.pk), {"reason": "spam"})
    assert "already been removed" in _messages(response)[0]
    assert not Flag.objects.exists()


def test_moderation_queue_is_never_cached(client):
    client.force_login(ModeratorFactory())
    response = client.get(reverse("moderation:queue"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_the_report_form_has_no_default_reason_and_an_unchosen_reason_files_nothing(client):
    question = QuestionFactory()
    client.force_login(UserFactory())
    html = client.get(question.get_absolute_url()).content.decode()
    form = html[html.index('<details class="flag-control">'):]
    form = form[: form.index("</select>")]
    assert '<option value="" selected>Choose a reason</option>' in form
    assert form.count("selected") == 1  # no reason is preselected
    response = client.post(_flag_url("question", question.pk), {"reason": "", "note": ""}, follow=True)
    assert "Choose a reason for your report" in response.content.decode()
    assert not Flag.objects.exists()
