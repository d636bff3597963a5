"""Questions, answers, helpful votes and concerns (tags)."""

from __future__ import annotations

from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Router, Status
from ninja.params.functions import Query

from consult.accounts.permissions import AnyUser
from consult.questions import permissions, selectors, services
from consult.questions.forms import AnswerForm, AskForm
from consult.questions.jsonld import plain_text
from consult.questions.models import Answer

from .. import cursors, limits
from ..auth import MEMBER, member, viewer
from ..errors import FormInvalid, Refused
from ..params import CURSOR, SLUG_OR_EMPTY
from ..schemas import AnswerIn, AnswerOut, AskIn, Problem, QuestionOut, QuestionPage, TagListOut, VoteOut
from . import shapes

router = Router(tags=["questions"])

READ_ERRORS = {400: Problem, 401: Problem, 404: Problem, 422: Problem, 429: Problem}
WRITE_ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem, 429: Problem}


@router.get("/tags", response={200: TagListOut, 429: Problem}, summary="Every concern (tag)")
def tag_list(request: HttpRequest) -> dict[str, object]:
    return {"items": [shapes.tag(t) for t in selectors.tags_all()]}


@router.get("/questions", response={200: QuestionPage, **READ_ERRORS}, summary="Visible questions, newest first")
def question_list(
    request: HttpRequest,
    kind: Literal["newest", "unanswered"] = "newest",
    tag: str | None = Query(None, max_length=50, pattern=SLUG_OR_EMPTY, description="Only this concern (tag slug)."),
    cursor: str | None = CURSOR,
) -> dict[str, object]:
    """The same lists as the site's home, "waiting for a doctor" and concern pages (hidden questions never)."""
    tag_row = None
    if tag:
        tag_row = selectors.tag_get(slug=tag)
        if tag_row is None:
            raise Http404("No such concern.")
    list_name = f"questions:{kind}:{tag or ''}"
    page = selectors.question_page(kind=kind, tag=tag_row, cursor=cursors.unsign(list_name, cursor))
    next_cursor = cursors.sign(list_name, page.next_cursor) if page.next_cursor else None
    return {
        "items": [shapes.question_summary(request, q) for q in page.questions],
        "next_cursor": next_cursor,
        "next": cursors.next_url(request, next_cursor),
    }


def _question_out(request: HttpRequest, who: AnyUser, pk: int) -> dict[str, object]:
    rows = selectors.thread_rows(pk=pk)
    if rows is None or not permissions.can_see_question(who, rows.question):
        raise Http404("No such question.")
    question = rows.question
    answers = [a for a in rows.answers if permissions.can_see_answer(who, a)]
    votes = selectors.viewer_votes(viewer=who, answer_ids=[a.pk for a in answers])
    return {
        **shapes.question_summary(request, question, rows.tags),
        "body_html": question.body_html,
        "body_text": plain_text(question.body_html),
        "age": question.age,
        "sex": question.sex,
        "is_hidden": question.is_hidden,
        "answers": [
            shapes.answer(request, a, most_helpful_id=question.most_helpful_answer_id, voted=a.pk in votes)
            for a in answers
        ],
    }


@router.get("/questions/{int:question_id}", response={200: QuestionOut, **READ_ERRORS},
            summary="A question with the answers the caller may see")
def question_detail(request: HttpRequest, question_id: int) -> dict[str, object]:
    """Hidden questions and answers are 404 / left out, except for moderators and their authors."""
    return _question_out(request, viewer(request), question_id)


@router.post("/questions", response={201: QuestionOut, **WRITE_ERRORS}, auth=MEMBER, summary="Ask a question")
def question_create(request: HttpRequest, payload: AskIn) -> Status[dict[str, object]]:
    """Patients ask (doctors answer instead: 403). The site's ask form checks the text; its limit applies
    (``question_create``). Photos are attached on the site, not through the API."""
    user = member(request)
    if not services.can_ask(user):
        raise Refused("Doctors answer questions rather than ask them. Use a patient account to ask.")
    limits.check(request, "question_create")
    tags = selectors.tags_by_slugs(slugs=payload.tags)
    unknown = [slug for slug in payload.tags if slug not in tags]
    if unknown:
        raise FormInvalid({"tags": [f"Unknown concern: {', '.join(unknown)}. GET /api/v1/tags lists them."]})
    form = AskForm({**payload.model_dump(), "age": payload.age if payload.age is not None else "",
                    "tags": [tags[slug].pk for slug in payload.tags]})
    if not form.is_valid():
        raise FormInvalid(form.errors.get_json_data())
    data = form.cleaned_data
    question = services.question_create(
        author=user, title=data["title"], body=data["body"], tags=data["tags"],
        display_name=data["display_name"], age=data["age"], sex=data["sex"],
    )
    return Status(201, _question_out(request, user, question.pk))


@router.post("/questions/{int:question_id}/answers", response={201: AnswerOut, **WRITE_ERRORS}, auth=MEMBER,
             summary="Answer a question (verified doctors)")
def answer_create(request: HttpRequest, question_id: int, payload: AnswerIn) -> Status[dict[str, object]]:
    """One answer per doctor per question; only doctors whose credentials staff verified (403 otherwise)."""
    user = member(request)
    rows = selectors.thread_rows(pk=question_id)
    if rows is None or not permissions.can_see_question(user, rows.question):
        raise Http404("No such question.")
    doctor = permissions.doctor_of(user)
    if doctor is None:
        raise Refused("Only doctors can answer questions.")
    limits.check(request, "answer_create")
    form = AnswerForm(payload.model_dump())
    if not form.is_valid():
        raise FormInvalid(form.errors.get_json_data())
    answer = services.answer_create(
        doctor=doctor, question=rows.question, headline=form.cleaned_data["headline"], body=form.cleaned_data["body"]
    )
    answer.doctor = doctor
    return Status(201, shapes.answer(request, answer, most_helpful_id=rows.question.most_helpful_answer_id, voted=False))


def _answer_or_404(who: AnyUser, answer_id: int) -> Answer:
    answer = selectors.answer_get(pk=answer_id)
    if answer is None or not permissions.can_see_question(who, answer.question) or not permissions.can_see_answer(who, answer):
        raise Http404("No such answer.")
    return answer


@router.post("/answers/{int:answer_id}/vote", response={200: VoteOut, **WRITE_ERRORS}, auth=MEMBER,
             summary="Toggle the caller's helpful vote on an answer")
def vote(request: HttpRequest, answer_id: int) -> dict[str, object]:
    """Like the site's Helpful button: the first call votes, the next takes the vote back."""
    user = member(request)
    answer = _answer_or_404(user, answer_id)
    limits.check(request, "vote")
    voted, count = services.vote_toggle(user=user, answer=answer)
    return {"voted": voted, "helpful_count": count}
