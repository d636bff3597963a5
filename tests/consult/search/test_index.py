"""The index follows the services in the same transaction: new, edited, hidden, restored, answered."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from consult.doctors import services as doctor_services
from consult.doctors.models import VerificationStatus
from consult.moderation import services as moderation_services
from consult.questions import services as question_services
from consult.search import selectors
from consult.search.models import SearchDocument
from consult.search.services import search_index_rebuild
from consult.search.types import SearchFilters
from tests.consult.search.conftest import ask
from tests.factories import (
    AnswerFactory,
    DoctorProfileFactory,
    ModeratorFactory,
    QuestionFactory,
    StaffFactory,
    TagFactory,
    UnverifiedDoctorProfileFactory,
)

pytestmark = pytest.mark.django_db


def urls(query: str, **filters: object) -> list[str]:
    return [hit.url for hit in selectors.search(query, filters=SearchFilters(**filters)).hits]  # type: ignore[arg-type]


def test_a_new_question_is_found_at_once_and_ranked_by_title_first() -> None:
    in_body = ask("Tingling in my cheek", body="It began after my lagophthalmos surgery.")
    in_title = ask("Lagophthalmos after a brow lift", body="My eye will not shut at night.")
    assert urls("lagophthalmos") == [in_title.get_absolute_url(), in_body.get_absolute_url()]


def test_stemming_phrases_and_exclusion() -> None:
    drooping = ask("My eyelid is drooping after injections")
    smile = ask("Crooked smile after Bell's palsy")
    reversed_words = ask("Smile crooked since the palsy")
    assert urls("droop") == [drooping.get_absolute_url()]
    assert urls('"crooked smile"') == [smile.get_absolute_url()]
    assert set(urls("crooked smile")) == {smile.get_absolute_url(), reversed_words.get_absolute_url()}
    assert urls("crooked -bell") == [reversed_words.get_absolute_url()]


def test_hiding_a_question_removes_it_and_its_answers_at_once_and_restoring_brings_them_back() -> None:
    question = ask("Hemifacial spasm and blepharospasm together?")
    answer = question_services.answer_create(
        doctor=DoctorProfileFactory(), question=question, headline="Blepharospasm is treatable", body="Botulinum toxin."
    )
    assert set(urls("blepharospasm")) == {question.get_absolute_url(), answer.get_absolute_url()}
    moderator = ModeratorFactory()
    moderation_services.content_hide(moderator=moderator, question=question, note="Spam")
    assert urls("blepharospasm") == []
    moderation_services.content_unhide(moderator=moderator, question=question)
    assert set(urls("blepharospasm")) == {question.get_absolute_url(), answer.get_absolute_url()}


def test_a_hidden_answer_is_gone_and_the_question_is_unanswered_again() -> None:
    question = ask("Synkinesis exercises")
    answer = question_services.answer_create(
        doctor=DoctorProfileFactory(), question=question, headline="Mirror biofeedback", body="Neuromuscular retraining."
    )
    assert urls("synkinesis", answered=True) == [question.get_absolute_url()]
    question_services.answer_set_hidden(answer=answer, is_hidden=True)
    assert urls("neuromuscular") == []
    assert urls("synkinesis", answered=False) == [question.get_absolute_url()]


def test_an_edited_question_is_found_by_its_new_words_only() -> None:
    question = ask("Old wording about ptosis")
    question_services.question_update(question=question, title="New wording about entropion", body="Body.", display_name="")
    assert urls("ptosis") == []
    assert urls("entropion") == [question.get_absolute_url()]


def test_a_write_that_rolls_back_leaves_the_index_unchanged() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        ask("Rolled back question about chalazion")
        raise RuntimeError
    assert urls("chalazion") == []
    assert not SearchDocument.objects.filter(title__icontains="chalazion").exists()


def test_only_verified_doctors_are_found_and_they_leave_when_rejected() -> None:
    verified = DoctorProfileFactory(full_name="Quillon Ashgrove")
    UnverifiedDoctorProfileFactory(full_name="Quillon Pending")
    search_index_rebuild()
    assert urls("quillon") == [f"/doctors/{verified.slug}/"]
    doctor_services.doctor_reject(profile=verified, decided_by=StaffFactory(), note="Licence lapsed.")
    assert urls("quillon") == []
    doctor_services.doctor_verify(profile=verified, decided_by=StaffFactory())
    assert urls("quillon") == [f"/doctors/{verified.slug}/"]
    assert verified.status == VerificationStatus.VERIFIED


def test_rebuild_indexes_visible_content_only_with_the_services_urls() -> None:
    tag = TagFactory(name="Ectropion", slug="ectropion")
    visible = QuestionFactory(title="Ectropion repair recovery")
    visible.tags.set([tag])
    hidden = QuestionFactory(title="Ectropion hidden spam", is_hidden=True)
    answer = AnswerFactory(question=visible, headline="Ectropion heals in weeks")
    AnswerFactory(question=hidden, headline="Ectropion answer on a hidden question")
    AnswerFactory(question=visible, headline="Ectropion hidden answer", is_hidden=True)
    counts = search_index_rebuild(question_chunk=1)
    assert counts["question"] >= 1
    assert set(urls("ectropion")) == {visible.get_absolute_url(), answer.get_absolute_url()}
    doc = SearchDocument.objects.get(key=f"question:{visible.pk}")
    assert doc.tags == "Ectropion"
    assert urls("ectropion", tag="ectropion", kind="question") == [visible.get_absolute_url()]


def test_tag_treatment_and_specialty_filters() -> None:
    from consult.reviews.models import Treatment

    botox = TagFactory(name="Botox", slug="botox")
    fillers = TagFactory(name="Fillers", slug="fillers")
    Treatment.objects.create(slug="botox-treatment", name="Botox injections", summary="Toxin.", description="Toxin.", tag=botox)
    with_botox = ask("Asymmetry question one", tags=[botox])
    with_fillers = ask("Asymmetry question two", tags=[fillers])
    neuro = DoctorProfileFactory(specialty="neurology")
    derm = DoctorProfileFactory(specialty="dermatology")
    by_neuro = question_services.answer_create(doctor=neuro, question=with_fillers, headline="Asymmetry is common", body="x")
    question_services.answer_create(doctor=derm, question=with_fillers, headline="Asymmetry can improve", body="y")
    search_index_rebuild()
    assert urls("asymmetry", tag="botox") == [with_botox.get_absolute_url()]
    assert urls("asymmetry", treatment="botox-treatment") == [with_botox.get_absolute_url()]
    assert urls("asymmetry", specialty="neurology") == [by_neuro.get_absolute_url()]
    assert urls("asymmetry", tag="no-such-tag") == []
    assert urls("asymmetry", kind="doctor", tag="botox") == []  # a question filter leaves doctors out


def test_treatments_are_found() -> None:
    from consult.reviews.models import Treatment

    treatment = Treatment.objects.create(
        slug="thread-lift", name="Thread lift", summary="Dissolving sutures lift the cheek.", description="Longer text."
    )
    search_index_rebuild()
    assert urls("sutures", kind="treatment") == [treatment.get_absolute_url()]


def test_a_treatment_written_through_the_services_is_found_by_its_new_words_at_once() -> None:
    from consult.reviews import services as review_services

    treatment = review_services.treatment_create(
        slug="biofeedback", name="Biofeedback", summary="Mirror exercises retrain the smile.", description="Longer."
    )
    assert urls("retrain", kind="treatment") == [treatment.get_absolute_url()]
    review_services.treatment_update(
        treatment=treatment, name="Biofeedback", summary="Electromyography guides each session.", description="Longer."
    )
    assert urls("electromyography", kind="treatment") == [treatment.get_absolute_url()]
    assert urls("retrain", kind="treatment") == []


def test_highlights_are_escaped_then_marked() -> None:
    ask("<script>alert(1)</script> rhinoplasty & <b>bold</b>", body="Body with <img src=x onerror=alert(1)> rhinoplasty.")
    hit = selectors.search("rhinoplasty").hits[0]
    assert "<script>" not in hit.title_html and "<b>" not in hit.title_html and "<img" not in hit.snippet_html
    assert "<mark>rhinoplasty</mark>" in hit.title_html.lower()
    assert "&lt;script&gt;" in hit.title_html


def test_backend_matches_the_database() -> None:
    from consult.search import backends

    expected = {"postgresql": backends.PostgresBackend, "sqlite": backends.SqliteBackend}[connection.vendor]
    assert isinstance(backends.for_connection(), expected)


def test_pagination_and_capped_count() -> None:
    for n in range(25):
        ask(f"Meralgia question number {n}")
    first = selectors.search("meralgia", per_page=10)
    second = selectors.search("meralgia", per_page=10, page=3)
    assert first.total == 25 and first.has_next and len(first.hits) == 10
    assert len(second.hits) == 5 and not second.has_next
    assert not {h.url for h in first.hits} & {h.url for h in second.hits}
