"""Request and response shapes. The OpenAPI 3.1 document is generated from these (and the endpoints' signatures).

Request limits are read from the site's forms and services (``AskForm``, ``AnswerForm``, the review service's
bounds), not restated, so the schema says what the site enforces; the forms and services still run after the
schema (they hold the rules that a type cannot: a title with letters, at most five concerns, no future date).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django import forms
from ninja import Field, Schema

from consult.questions.forms import MAX_TAGS, AnswerForm, AskForm
from consult.questions.models import Sex
from consult.reviews import services as review_rules
from consult.reviews.models import WorthIt

from .params import NO_NUL

#: Every text input: no NUL character (PostgreSQL cannot store one; the site's forms refuse it too).
Text = Annotated[str, Field(pattern=NO_NUL)]


def _char(form: type[forms.Form], name: str) -> forms.CharField:
    field = form.base_fields[name]
    assert isinstance(field, forms.CharField)
    return field


def _min(form: type[forms.Form], name: str) -> int:
    return _char(form, name).min_length or 0


def _max(form: type[forms.Form], name: str) -> int | None:
    return _char(form, name).max_length


# -- problems ------------------------------------------------------------------------------------------


class Problem(Schema):
    """RFC 9457 problem details (``application/problem+json``)."""

    type: str = Field(description="A URI for the kind of problem; about:blank when the status says it all.")
    title: str
    status: int
    detail: str | None = None
    instance: str | None = Field(None, description="The request path.")
    errors: list[dict[str, Any]] | None = Field(None, description="Validation errors (422): where and what.")


# -- shared --------------------------------------------------------------------------------------------


class TagOut(Schema):
    slug: str
    name: str


class DoctorRef(Schema):
    slug: str
    name: str = Field(description="Byline name with credentials, e.g. 'Dr. Jane Roe, MD'.")
    specialty: str
    country: str = Field(description="The practice's country: ISO 3166-1 alpha-2 code, e.g. 'US', 'DE'.")
    city: str
    state: str = Field(
        description="In the US the two-letter state code; elsewhere the region or province as the doctor wrote it "
        "(may be empty)."
    )
    place: str = Field(description="As the byline shows it: 'Austin, TX' in the US, 'Munich, Germany' elsewhere.")
    rating: float | None = Field(None, description="Average stars (1-5) of visible reviews; null without reviews.")
    review_count: int
    url: str


# -- questions -----------------------------------------------------------------------------------------


class QuestionSummary(Schema):
    id: int
    title: str
    url: str
    display_name: str = Field(description="The name the asker chose to show (may be a pseudonym).")
    created_at: dt.datetime
    answer_count: int = Field(description="Visible doctor answers.")
    tags: list[TagOut]
    has_measured_photos: bool = Field(description="The asker attached photos that were measured (private).")


class QuestionPage(Schema):
    items: list[QuestionSummary]
    next_cursor: str | None = Field(description="Opaque; pass as ?cursor= for the next page. null on the last page.")
    next: str | None = Field(description="The next page's whole URL, or null.")


class AnswerOut(Schema):
    id: int
    headline: str
    body_html: str = Field(description="The sanitised HTML the site shows.")
    body_text: str = Field(description="The same as plain text.")
    helpful_count: int
    is_most_helpful: bool
    is_hidden: bool = Field(description="Only moderators and the answer's doctor see hidden answers.")
    created_at: dt.datetime
    updated_at: dt.datetime
    url: str
    doctor: DoctorRef
    voted: bool = Field(description="The caller marked this answer helpful (false when anonymous).")


class QuestionOut(QuestionSummary):
    body_html: str = Field(description="The sanitised HTML the site shows.")
    body_text: str = Field(description="The same as plain text.")
    age: int | None
    sex: str
    is_hidden: bool = Field(description="Only moderators and the asker see a hidden question.")
    answers: list[AnswerOut]


class AskIn(Schema):
    title: str = Field(min_length=_min(AskForm, "title"), max_length=_max(AskForm, "title"), pattern=NO_NUL,
                       description="One sentence that says what you want to know.")
    body: str = Field(min_length=_min(AskForm, "body"), max_length=_max(AskForm, "body"), pattern=NO_NUL,
                      description="Details, in Markdown.")
    tags: list[Text] = Field(min_length=1, max_length=MAX_TAGS, description="Concern slugs (GET /api/v1/tags).")
    display_name: str = Field(min_length=1, max_length=60, pattern=NO_NUL, description="Shown with the question; a pseudonym is fine.")
    age: int | None = Field(None, ge=13, le=120)
    sex: Literal["female", "male", "other", ""] = ""


assert set(Sex.values) | {""} == {"female", "male", "other", ""}  # AskIn.sex lists the model's choices


class AnswerIn(Schema):
    headline: str = Field(min_length=_min(AnswerForm, "headline"), max_length=_max(AnswerForm, "headline"), pattern=NO_NUL)
    body: str = Field(min_length=_min(AnswerForm, "body"), max_length=_max(AnswerForm, "body"), pattern=NO_NUL,
                      description="Markdown.")


class VoteOut(Schema):
    voted: bool = Field(description="Whether the caller's helpful vote stands now (the call toggles it).")
    helpful_count: int


class TagListOut(Schema):
    items: list[TagOut]


# -- doctors, reviews, treatments ----------------------------------------------------------------------


class DoctorOut(DoctorRef):
    credentials: str
    bio: str
    board_certification: str
    languages: list[str]
    practice_name: str
    practice_address: str
    practice_phone: str
    practice_website: str
    answer_count: int
    verified: bool
    verified_at: dt.datetime | None


class DoctorPage(Schema):
    items: list[DoctorOut]
    next_cursor: str | None
    next: str | None


class TreatmentRef(Schema):
    slug: str
    name: str


class ReviewOut(Schema):
    id: int
    doctor: str = Field(description="The reviewed doctor's slug.")
    treatment: TreatmentRef
    rating: int = Field(ge=1, le=5)
    title: str
    body: str
    worth_it: str
    cost: int | None
    treated_on: dt.date | None
    author: str = Field(description="The reviewer's display name.")
    verified_patient: bool
    reply: str
    created_at: dt.datetime
    edited_at: dt.datetime | None


class ReviewPage(Schema):
    items: list[ReviewOut]
    next_cursor: str | None
    next: str | None


class ReviewIn(Schema):
    treatment: str = Field(max_length=80, pattern=NO_NUL, description="Treatment slug (GET /api/v1/treatments).")
    rating: int = Field(ge=1, le=5)
    title: str = Field(min_length=review_rules.TITLE_MIN, max_length=review_rules.TITLE_MAX, pattern=NO_NUL)
    body: str = Field(min_length=review_rules.BODY_MIN, max_length=review_rules.BODY_MAX, pattern=NO_NUL)
    worth_it: Literal["worth-it", "not-sure", "not-worth-it"]
    cost: int | None = Field(None, ge=0, le=review_rules.COST_MAX, description="Approximate total, US dollars.")
    treated_on: dt.date | None = None


assert set(WorthIt.values) == {"worth-it", "not-sure", "not-worth-it"}  # ReviewIn.worth_it lists the choices


class TreatmentOut(Schema):
    slug: str
    name: str
    summary: str
    description: str
    tag: str | None = Field(description="The concern (tag) slug its questions carry.")
    review_count: int
    worth_it_percent: int | None
    cost_avg: int | None
    cost_min: int | None
    cost_max: int | None
    url: str


class TreatmentListOut(Schema):
    items: list[TreatmentOut]


# -- the caller's own data -----------------------------------------------------------------------------


class MeOut(Schema):
    id: int
    display_name: str
    role: str
    doctor: str | None = Field(description="The caller's doctor profile slug, if they are a doctor.")


class PhotoOut(Schema):
    id: int
    expression: str
    status: str
    error: str
    measurement: dict[str, Any] | None = Field(description="The engine's measures (mm) for this photo.")


class VisitOut(Schema):
    id: int
    taken_on: dt.date
    question: int | None = Field(description="The question the set is attached to, if any.")
    status: str
    report: dict[str, Any] | None
    photos: list[PhotoOut]


class MeasurementsOut(Schema):
    items: list[VisitOut]


class ExportOut(Schema):
    """The same document as /me/progress/export.json on the site."""

    exported_at: str
    visits: list[dict[str, Any]]
    questionnaires: list[dict[str, Any]]
    treatments: list[dict[str, Any]]


# -- search --------------------------------------------------------------------------------------------


class SearchHit(Schema):
    kind: str = Field(description="question, answer, doctor or treatment.")
    url: str
    title: str
    title_html: str = Field(description="Escaped title with the matched words in <mark>.")
    snippet_html: str = Field(description="Escaped excerpt with the matched words in <mark>.")
    context: str = Field(description="An answer's question, a doctor's specialty and city, a treatment's summary.")
    answered: bool
    created_at: dt.datetime | None


class SearchPage(Schema):
    items: list[SearchHit]
    total: int = Field(description="Matches counted, at most 1000.")
    total_is_capped: bool
    notes: list[str] = Field(description="What the query parser changed or ignored, and why nothing was searched.")
    next_cursor: str | None
    next: str | None


class SimilarQuestion(Schema):
    url: str
    title: str
    answered: bool


class SimilarOut(Schema):
    items: list[SimilarQuestion]


# -- follow and inbox ----------------------------------------------------------------------------------


class FollowOut(Schema):
    following: bool


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    url: str
    question: int | None
    count: int = Field(description="Votes gathered in one notification; 1 otherwise.")
    created_at: dt.datetime
    updated_at: dt.datetime
    read: bool


class InboxPage(Schema):
    items: list[NotificationOut]
    next_cursor: str | None
    next: str | None


class ReadAllOut(Schema):
    marked: int = Field(description="How many were unread.")
