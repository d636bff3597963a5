"""The thread page: one cached entry that every reader shares, plus each reader's own state.

**Shared** (:func:`shared_thread`): the thread's rows (question, tags, every answer with its doctor's
byline, related questions) and the parts of the page that look the same to everyone — the question, the
side column, the JSON-LD, the meta description — in one cache entry under the thread's version
(``consult.core.pagecache``: a write through the services shows at once; nothing is older than its
``MAX_AGE``). The key holds the scheme and host, because the JSON-LD carries absolute URLs.

**Per reader** (:func:`render_thread`): which answers they may see, their helpful votes (one query
when signed in), the controls the rules in ``permissions`` allow them (vote, most helpful, edit,
report, answer form), the private photo panel, their CSRF token and messages. The answers section
(``_answers.html``: every answer with its byline and the reader's controls, one render) depends on the
shared rows and the reader's :class:`AnswerView` flags alone, so it is cached under those flags and the
shared entry's moment: the many readers in the same state (signed in, no votes here) share one
rendering; the reader's CSRF token is put in on the way out. Anonymous readers' whole pages are cached
by ``pagecache.anonymous_page_cache`` around the view.

To show something new on the thread: if it is the same for every reader and outside the answers, put it
in ``_shared_question.html`` or ``_shared_side.html`` (it is cached with the rows, nothing else to do);
anything in an answer goes in ``_answers.html``, and if it depends on the reader, as a field of
:class:`AnswerView` (the section's cache key holds every field); anything else per reader goes in
``questions/thread.html``, computed in :func:`render_thread`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from consult.accounts.permissions import AnyUser, can_flag, can_moderate
from consult.core import pagecache

from . import permissions, selectors
from .forms import AnswerForm, UpdateForm
from .jsonld import qapage, qapage_script_content
from .models import Answer

__all__ = ["AnswerView", "SharedThread", "render_thread", "shared_thread"]


@dataclass
class SharedThread:
    rows: selectors.ThreadRows
    question_html: str
    side_html: str
    jsonld: str
    description: str
    url: str  # the thread's path
    profile_urls: dict[int, str]  # the path of each answering doctor's profile, by doctor id
    read_at: float = 0.0  # when its rows were read (set by shared_thread)


@dataclass
class AnswerView:
    """One answer as this reader sees it. ``answer`` comes from the shared entry; every other field is the
    reader's state, and all of them key the cached answers section."""

    answer: Answer = field(compare=False)
    profile_url: str = field(compare=False)  # the doctor's profile (shared: SharedThread.profile_urls)
    answer_id: int
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
    context = {"question": question, "tags": rows.tags, "related": rows.related, "updates": rows.updates}
    # Each URL reversed once: the JSON-LD, the answers section and the page's links share them.
    url = question.get_absolute_url()
    profile_urls = {a.doctor_id: reverse("doctors:profile", kwargs={"slug": a.doctor.slug}) for a in rows.answers}
    data = qapage(rows, request.build_absolute_uri, path=url, profile_paths=profile_urls)
    return SharedThread(
        rows=rows,
        question_html=render_to_string("questions/_shared_question.html", context),
        side_html=render_to_string("questions/_shared_side.html", context),
        jsonld=qapage_script_content(data),
        description=Truncator(data["mainEntity"]["text"]).chars(155),  # the question's text (jsonld.plain_text)
        url=url,
        profile_urls=profile_urls,
    )


def shared_thread(request: HttpRequest, pk: int) -> SharedThread | None:
    """The shared entry of thread ``pk`` (None: no such question), from the cache while it holds."""
    key = f"thread:{pk}:{request.scheme}://{request.get_host()}"
    shared, read_at = pagecache.get_or_build([pagecache.thread(pk)], key, lambda: _build(request, pk))
    pagecache.read_at(request, read_at)
    if shared is not None:
        shared.read_at = read_at
    return shared


def _answer_views(viewer: AnyUser, shared: SharedThread) -> list[AnswerView]:
    question = shared.rows.question
    shown = [a for a in shared.rows.answers if permissions.can_see_answer(viewer, a)]
    voted = selectors.viewer_votes(viewer=viewer, answer_ids=[a.pk for a in shown if not a.is_hidden])
    flag = can_flag(viewer)
    views = []
    for answer in shown:
        views.append(
            AnswerView(
                answer=answer,
                profile_url=shared.profile_urls[answer.doctor_id],
                answer_id=answer.pk,
                is_best=answer.pk == question.most_helpful_answer_id,
                voted=answer.pk in voted,
                can_vote=permissions.can_vote(viewer, answer, question),
                can_mark=permissions.can_mark_most_helpful(viewer, answer, question),
                can_edit=permissions.can_edit_answer(viewer, answer),
                can_flag=flag and not answer.is_hidden,
            )
        )
    return views


_CSRF_PLACEHOLDER = "csrf-token-of-the-reader"  # never a real token: those are 64 characters of [a-zA-Z0-9]


def _reader_state(view: AnswerView) -> tuple[Any, ...]:
    """Every field of the view except the shared answer (compare=False)."""
    return tuple(getattr(view, f.name) for f in fields(view) if f.compare)


def _answers_html(
    request: HttpRequest, shared: SharedThread, views: list[AnswerView], *, can_moderate: bool
) -> SafeString:
    """``_answers.html`` for these views, from the cache when a reader in the same state had it rendered
    for the same shared entry; the reader's CSRF token replaces the placeholder on the way out."""
    signed_in = request.user.is_authenticated
    context = {
        "answers": views,
        "can_moderate": can_moderate,
        "signed_in": signed_in,
        # "Sign in to vote" under each answer, for readers who are not: the sign-in link back to the answer,
        # reversed once for the section (the answer's id follows it)
        "sign_in_to_vote": ""
        if signed_in
        else f"{reverse('accounts:login')}?next={quote(shared.url)}%23answer-",
        "path": request.path,
        "csrf_token": _CSRF_PLACEHOLDER,
    }
    html: str
    if not signed_in:
        # An anonymous reader's whole page is cached (pagecache.anonymous_page_cache) with this section in
        # it, for as long as a cached section would hold: caching the section too would only cost round trips.
        html = render_to_string("questions/_answers.html", context)
    else:
        state = repr(
            (shared.read_at, [_reader_state(v) for v in views], {k: v for k, v in context.items() if k != "answers"})
        )
        digest = hashlib.md5(state.encode(), usedforsecurity=False).hexdigest()
        html, _ = pagecache.get_or_build(
            [pagecache.thread(shared.rows.question.pk)],
            f"thread:{shared.rows.question.pk}:answers:{digest}",
            lambda: render_to_string("questions/_answers.html", context),
        )
    if _CSRF_PLACEHOLDER in html:
        html = html.replace(_CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(html)  # noqa: S308  # our template rendered it from sanitised parts


def render_thread(
    request: HttpRequest,
    shared: SharedThread,
    *,
    answer_form: AnswerForm | None = None,
    update_form: UpdateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    viewer = request.user
    rows = shared.rows
    question = rows.question
    doctor = permissions.doctor_of(viewer)
    moderator = can_moderate(viewer)
    own = next((a for a in rows.answers if doctor is not None and a.doctor_id == doctor.pk), None)
    show_answer_form = permissions.can_answer(viewer, question, already_answered=own is not None)
    context: dict[str, Any] = {
        "question": question,
        "tags": rows.tags,
        "question_html": mark_safe(shared.question_html),  # noqa: S308
        "side_html": mark_safe(shared.side_html),  # noqa: S308
        "jsonld": mark_safe(shared.jsonld),  # noqa: S308  # escaped for a data block by qapage_script_content
        "description": shared.description,
        "canonical_url": request.build_absolute_uri(shared.url),
        "answers_html": _answers_html(request, shared, _answer_views(viewer, shared), can_moderate=moderator),
        "visible_answer_count": sum(1 for a in rows.answers if not a.is_hidden),
        "can_moderate": moderator,
        "can_flag_question": can_flag(viewer) and not question.is_hidden,
        "viewer_doctor": doctor,
        "viewer_answer": own,
        "show_answer_form": show_answer_form,
        "answer_form": answer_form or (AnswerForm() if show_answer_form else None),
        "can_see_photos": permissions.can_see_photos(viewer, question),
        # the reader's own state, never in the shared entry: following (one query when signed in), and the
        # asker's tools (follow-up update, inviting a doctor)
        "following": selectors.viewer_follows(viewer=viewer, question_id=question.pk),
        "can_update": permissions.update_refusal(viewer, question) is None,
        "update_form": update_form or (UpdateForm() if permissions.update_refusal(viewer, question) is None else None),
    }
    return render(request, "questions/thread.html", context, status=status)
