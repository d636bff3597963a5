"""`manage.py recount` (consult.questions.recount) agrees with the live services' counters."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F

from consult.doctors.models import DoctorProfile
from consult.questions import services
from consult.questions.models import Answer, Question, Tag
from consult.questions.recount import recount_all
from tests.factories import DoctorProfileFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


def _counters():
    return {
        "questions": dict(Question.objects.values_list("title", "answer_count")),
        "answers": dict(Answer.objects.values_list("headline", "helpful_count")),
        "doctors": dict(DoctorProfile.objects.values_list("full_name", "answer_count")),
        "doctor_helpful": dict(DoctorProfile.objects.values_list("full_name", "helpful_count")),
        "tags": dict(Tag.objects.values_list("slug", "question_count")),
    }


def _site_after_a_day_of_writes():
    """Questions, answers and votes made through the services, with moderators hiding and restoring."""
    palsy, botox = TagFactory(slug="palsy"), TagFactory(slug="botox")
    ann, ben, cat = UserFactory(), UserFactory(), UserFactory()
    d1, d2, d3 = (DoctorProfileFactory(full_name=name) for name in ("Dr One", "Dr Two", "Dr Three"))

    def ask(author, title, tags):
        return services.question_create(author=author, title=title, body="Body.", tags=tags, display_name="")

    def answer(doctor, question, headline):
        return services.answer_create(doctor=doctor, question=question, headline=headline, body="Advice.")

    q1, q2, q3 = ask(ann, "q1", [palsy, botox]), ask(ben, "q2", [palsy]), ask(cat, "q3", [botox])
    a11, a12 = answer(d1, q1, "a11"), answer(d2, q1, "a12")
    a21, a22 = answer(d1, q2, "a21"), answer(d3, q2, "a22")
    a31 = answer(d2, q3, "a31")
    for voter, voted_on in [(ben, a11), (cat, a11), (d3.user, a11), (ann, a21), (cat, a12), (ann, a31)]:
        services.vote_toggle(user=voter, answer=voted_on)
    services.vote_toggle(user=cat, answer=a12)  # taken back
    services.answer_set_hidden(answer=a12, is_hidden=True)
    services.answer_set_hidden(answer=a22, is_hidden=True)
    services.question_set_hidden(question=q2, is_hidden=True)
    services.question_set_hidden(question=q3, is_hidden=True)
    services.question_set_hidden(question=q3, is_hidden=False)
    services.answer_set_hidden(answer=a31, is_hidden=True)
    services.answer_set_hidden(answer=a31, is_hidden=False)


def test_recount_repairs_drifted_counters_to_what_the_live_services_counted():
    _site_after_a_day_of_writes()
    live = _counters()
    # What a reader sees: hidden answers and questions do not count, votes stay on a hidden answer.
    assert live == {
        "questions": {"q1": 1, "q2": 1, "q3": 1},
        "answers": {"a11": 3, "a12": 0, "a21": 1, "a22": 0, "a31": 1},
        "doctors": {"Dr One": 1, "Dr Two": 1, "Dr Three": 0},
        # Votes on visible answers on visible questions (a21's vote is on hidden q2).
        "doctor_helpful": {"Dr One": 3, "Dr Two": 1, "Dr Three": 0},
        "tags": {"palsy": 1, "botox": 2},
    }

    # Drift: a bad hand edit, a restored backup...
    Question.objects.update(answer_count=7)
    Answer.objects.update(helpful_count=F("helpful_count") + 2)
    DoctorProfile.objects.update(answer_count=0)
    Tag.objects.filter(slug="palsy").update(question_count=40)
    out = StringIO()
    call_command("recount", stdout=out)

    assert _counters() == live
    assert "answer counts: 3 rows corrected" in out.getvalue()
    assert "tag counts: 1 row corrected" in out.getvalue()
    assert "Corrected 11 rows." in out.getvalue()


def test_recount_of_a_correct_database_writes_nothing():
    _site_after_a_day_of_writes()
    assert recount_all() == {"helpful counts": 0, "answer counts": 0, "doctor answer counts": 0,
                             "doctor helpful counts": 0, "tag counts": 0,
                             "doctor review figures": 0, "treatment review figures": 0}
    out = StringIO()
    call_command("recount", stdout=out)
    assert "All counters were right." in out.getvalue()
