"""The thread page: one cached entry that every reader shares, plus each reader's own state.

**Shared** (:func:`shared_thread`): the thread's rows (question, tags, every answer with its doctor,
related questions) and the parts of the page that look the same to everyone — the question, each
answer's headline and body-with-byline, the side column, the JSON-LD, the meta description — in one
cache entry under the thread's version (``consult.core.pagecache``: a write through the services
shows at once; nothing is older than its ``MAX_AGE``). The key holds the scheme and host, because the
JSON-LD carries absolute URLs.

**Per reader** (:func:`render_thread`): which answers they may see, their helpful votes (one query
when signed in), the controls the rules in ``permissions`` allow them (vote, most helpful, edit,
report, answer form), the private photo panel, their CSRF token and messages. None of it is cached;
anonymous readers' whole pages are, by ``pagecache.anonymous_page_cache`` around the view.

To show something new on the thread: if it is the same for every reader, put it in one of the
``_shared_*`` templates (it is cached with the rows, nothing else to do); if it depends on the reader,
put it in ``questions/thread.html`` and compute it in :func:`render_thread`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from consult.accounts.permissions import AnyUser, can_flag, can_moderate
from consult.core import pagecache

from . import permissions, selectors
from .forms import AnswerForm
from .jsonld import plain_text, qapage, qapage_script_content
from .models import Answer

__all__ = ["AnswerView", "SharedThread", "render_thread", "shared_thread"]


@dataclass
class SharedThread:
    rows: selectors.ThreadRows
    question_html: str
    side_html: str
    jsonld: str
    description: str
    cards: Mapping[int, tuple[str, str]]  # answer pk -> (headline part, body-and-byline part)


@dataclass
class AnswerView:
    """One answer as this reader sees it."""

    answer: Answer
    head: SafeString
    body: SafeString
    is_best: bool
    voted: bool
    can_vote: bool
    can_mark: bool
    can_edit: bool
    can_flag: bool


def _build(request: HttpRequest, pk: int) -> SharedThread | None:
    rows = selectors.thread_rows(pk=pk)
    if rows is None:
        return None
    question = rows.question
    context = {"question": question, "tags": rows.tags, "related": rows.related}
    cards = {
        a.pk: (
            render_to_string("questions/_shared_answer_head.html", {"answer": a, "question": question}),
            render_to_string("questions/_shared_answer_body.html", {"answer": a}),
        )
        for a in rows.answers
    }
    return SharedThread(
        rows=rows,
        question_html=render_to_string("questions/_shared_question.html", context),
        side_html=render_to_string("questions/_shared_side.html", context),
        jsonld=qapage_script_content(qapage(rows, request.build_absolute_uri)),
        description=Truncator(plain_text(question.body_html)).chars(155),
        cards=cards,
    )


def shared_thread(request: HttpRequest, pk: int) -> SharedThread | None:
    """The shared entry of thread ``pk`` (None: no such question), from the cache while it holds."""
    key = f"thread:{pk}:{request.scheme}://{request.get_host()}"
    shared, read_at = pagecache.get_or_build([pagecache.thread(pk)], key, lambda: _build(request, pk))
    pagecache.read_at(request, read_at)
    return shared


def _answer_views(viewer: AnyUser, shared: SharedThread) -> list[AnswerView]:
    question = shared.rows.question
    shown = [a for a in shared.rows.answers if permissions.can_see_answer(viewer, a)]
    voted = selectors.viewer_votes(viewer=viewer, answer_ids=[a.pk for a in shown if not a.is_hidden])
    flag = can_flag(viewer)
    views = []
    for answer in shown:
        head, body = shared.cards[answer.pk]
        views.append(
            AnswerView(
                answer=answer,
                head=mark_safe(head),  # noqa: S308  # our templates rendered it (user content sanitised there)
                body=mark_safe(body),  # noqa: S308
                is_best=answer.pk == question.most_helpful_answer_id,
                voted=answer.pk in voted,
                can_vote=permissions.can_vote(viewer, answer, question),
                can_mark=permissions.can_mark_most_helpful(viewer, answer, question),
                can_edit=permissions.can_edit_answer(viewer, answer),
                can_flag=flag and not answer.is_hidden,
            )
        )
    return views


def render_thread(
    request: HttpRequest, shared: SharedThread, *, answer_form: AnswerForm | None = None, status: int = 200
) -> HttpResponse:
    viewer = request.user
    rows = shared.rows
    question = rows.question
    doctor = permissions.doctor_of(viewer)
    own = next((a for a in rows.answers if doctor is not None and a.doctor_id == doctor.pk), None)
    show_answer_form = permissions.can_answer(viewer, question, already_answered=own is not None)
    context: dict[str, Any] = {
        "question": question,
        "tags": rows.tags,
        "question_html": mark_safe(shared.question_html),  # noqa: S308
        "side_html": mark_safe(shared.side_html),  # noqa: S308
        "jsonld": mark_safe(shared.jsonld),  # noqa: S308  # escaped for a data block by qapage_script_content
        "description": shared.description,
        "canonical_url": request.build_absolute_uri(question.get_absolute_url()),
        "answers": _answer_views(viewer, shared),
        "visible_answer_count": sum(1 for a in rows.answers if not a.is_hidden),
        "can_moderate": can_moderate(viewer),
        "can_flag_question": can_flag(viewer) and not question.is_hidden,
        "viewer_doctor": doctor,
        "viewer_answer": own,
        "show_answer_form": show_answer_form,
        "answer_form": answer_form or (AnswerForm() if show_answer_form else None),
        "can_see_photos": permissions.can_see_photos(viewer, question),
    }
    return render(request, "questions/thread.html", context, status=status)
