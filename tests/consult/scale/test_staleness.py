"""Every write shows on every page that shows it: at once when it goes through the services (versions),
and never later than the one bound, ANON_PAGE_CACHE_SECONDS, for what no version covers.

Each page is first read (and so cached) by an anonymous reader and by a signed-in one, then the
write, then both read again.
"""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from consult.doctors.services import doctor_profile_update
from consult.questions import services
from tests.factories import DoctorProfileFactory, StaffFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


def _ask(tag, title, **kwargs):
    return services.question_create(
        author=UserFactory(), title=title, body="Some details about the question, long enough.", tags=[tag],
        display_name="Sam", **kwargs,
    )


@pytest.fixture
def world():
    tag = TagFactory(slug="synkinesis", name="Synkinesis")
    older = _ask(tag, "An older question about synkinesis")
    question = _ask(tag, "A newer question about synkinesis")  # lists `older` as related
    doctor = DoctorProfileFactory()
    answer = services.answer_create(doctor=doctor, question=question, headline="Start with physiotherapy", body="Text")
    return tag, older, question, answer


@pytest.fixture
def readers(client):
    member = Client()
    member.force_login(UserFactory())
    return [client, member]


def _pages(question, answer, tag):
    return [question.get_absolute_url(), "/", tag.get_absolute_url(), f"/doctors/{answer.doctor.slug}/"]


def _read(readers, urls):
    for reader in readers:
        for url in urls:
            assert reader.get(url).status_code == 200


def _shown(readers, url, text):
    return [text in reader.get(url).content.decode() for reader in readers]


def test_an_answer_edit_on_the_site_shows_at_once(readers, world):
    tag, _, question, answer = world
    _read(readers, _pages(question, answer, tag))
    services.answer_update(answer=answer, editor=answer.doctor.user, headline="Revised headline", body="New text")
    assert _shown(readers, question.get_absolute_url(), "Revised headline") == [True, True]
    assert _shown(readers, f"/doctors/{answer.doctor.slug}/", "Revised headline") == [True, True]


def test_an_admin_edit_re_renders_the_html_and_shows_everywhere_at_once(readers, world):
    tag, older, question, answer = world
    _read(readers, [*_pages(question, answer, tag), older.get_absolute_url()])
    staff = Client()
    staff.force_login(StaffFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:questions_question_change", args=[question.pk])
    response = staff.post(url, {"title": "A retitled question", "body": "An **admin** edit", "display_name": "Sam",
                                "answers-TOTAL_FORMS": "1", "answers-INITIAL_FORMS": "1",
                                "answers-MIN_NUM_FORMS": "0", "answers-MAX_NUM_FORMS": "1000",
                                "answers-0-id": str(answer.pk), "answers-0-question": str(question.pk)})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _shown(readers, question.get_absolute_url(), "An <strong>admin</strong> edit") == [True, True]
    assert _shown(readers, "/", "A retitled question") == [True, True]
    assert _shown(readers, tag.get_absolute_url(), "A retitled question") == [True, True]

    url = reverse("admin:questions_answer_change", args=[answer.pk])
    assert staff.post(url, {"headline": "Staff corrected", "body": "Corrected *text*",
                            "revisions-TOTAL_FORMS": "0", "revisions-INITIAL_FORMS": "0",
                            "revisions-MIN_NUM_FORMS": "0", "revisions-MAX_NUM_FORMS": "1000"}).status_code == 302
    assert _shown(readers, question.get_absolute_url(), "Corrected <em>text</em>") == [True, True]
    assert answer.revisions.count() == 1  # the doctor's text is kept


def test_a_retitled_question_shows_in_the_related_lists_of_other_threads_at_once(readers, world):
    _, older, question, _ = world
    assert _shown(readers, question.get_absolute_url(), escape(older.title)) == [True, True]
    services.question_update(question=older, title="An older question, retitled", body=older.body, display_name="Sam")
    assert _shown(readers, question.get_absolute_url(), "An older question, retitled") == [True, True]


def test_a_hidden_question_vanishes_from_every_related_list_at_once(readers, world):
    _, older, question, _ = world
    assert _shown(readers, question.get_absolute_url(), escape(older.title)) == [True, True]
    services.question_set_hidden(question=older, is_hidden=True)
    assert _shown(readers, question.get_absolute_url(), escape(older.title)) == [False, False]
    services.question_set_hidden(question=older, is_hidden=False)
    assert _shown(readers, question.get_absolute_url(), escape(older.title)) == [True, True]


def test_a_vote_and_the_most_helpful_mark_show_at_once(readers, world):
    tag, _, question, answer = world
    _read(readers, _pages(question, answer, tag))
    services.vote_toggle(user=UserFactory(), answer=answer)
    assert _shown(readers, question.get_absolute_url(), "<strong data-vote-count>1</strong>") == [True, True]
    services.mark_most_helpful(user=question.author, answer=answer)
    assert _shown(readers, question.get_absolute_url(), "Most helpful, chosen by the asker") == [True, True]


def test_a_new_answer_shows_on_the_thread_lists_tag_page_and_profile_at_once(readers, world):
    tag, _, question, answer = world
    other = DoctorProfileFactory()
    _read(readers, [*_pages(question, answer, tag), f"/doctors/{other.slug}/"])
    services.answer_create(doctor=other, question=question, headline="Consider a nerve transfer", body="Text")
    assert _shown(readers, question.get_absolute_url(), "Consider a nerve transfer") == [True, True]
    assert _shown(readers, "/", "2 doctor answers") == [True, True]
    assert _shown(readers, tag.get_absolute_url(), "2 doctor answers") == [True, True]
    assert _shown(readers, f"/doctors/{other.slug}/", "Consider a nerve transfer") == [True, True]


def test_a_doctor_profile_edit_shows_in_their_bylines_at_once(readers, world):
    tag, _, question, answer = world
    _read(readers, _pages(question, answer, tag))
    doctor = answer.doctor
    doctor_profile_update(
        profile=doctor, full_name="Renamed Testdoctor", credentials=doctor.credentials, specialty=doctor.specialty,
        city="Shelbyville", state=doctor.state, bio=doctor.bio, license_number=doctor.license_number,
        license_state=doctor.license_state,
    )
    assert _shown(readers, question.get_absolute_url(), "Renamed Testdoctor") == [True, True]
    assert _shown(readers, question.get_absolute_url(), "Shelbyville") == [True, True]


def test_what_no_version_covers_is_never_older_than_the_one_bound(readers, world, settings):
    """The answer count of *another* question in "Related questions" is not versioned: it may lag,
    but by no more than ANON_PAGE_CACHE_SECONDS, counted from the database read — also when the
    anonymous page is built later from the thread's cached entry (the ages do not add up)."""
    settings.ANON_PAGE_CACHE_SECONDS = 2
    _, older, question, _ = world
    url = question.get_absolute_url()
    anonymous, member = readers
    started = time.time()
    assert "0 answers" in member.get(url).content.decode()  # builds the thread's shared entry at `started`
    services.answer_create(doctor=DoctorProfileFactory(), question=older, headline="An answer", body="Text")
    time.sleep(1.0)
    assert "0 answers" in anonymous.get(url).content.decode()  # the page, built from the 1 s old entry: may lag
    while time.time() - started < settings.ANON_PAGE_CACHE_SECONDS + 0.05:
        time.sleep(0.05)
    assert _shown(readers, url, "1 answer<") == [True, True]  # 2 s after the read, not 3 s
