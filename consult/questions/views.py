"""Thin views: parse input, call a selector or a service, render. Domain errors become messages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.text import Truncator
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from consult.core.markdown import render as render_markdown
from consult.core.pagecache import anonymous_page_cache
from consult.core.ratelimit import ratelimit
from consult.photos.forms import PhotoSetForm
from consult.photos.views import attach_photos

from . import fragments, selectors, services
from .errors import QuestionsError
from .forms import AnswerForm, AskForm, PreviewForm
from .jsonld import plain_text, thread_script
from .models import Answer


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


# -- lists --------------------------------------------------------------------------------------


def _render_list(
    request: HttpRequest, *, kind: str, tab: str, title: str, tag: Any = None, **extra: Any
) -> HttpResponse:
    page = selectors.question_page(kind=kind, tag=tag, cursor=request.GET.get("after"))
    context = {
        "page": page,
        "tab": tab,
        "page_title": title,
        "tag": tag,
        "popular_tags": selectors.popular_tags(),
        "nav": tab if tab in ("newest", "unanswered") else "",
        **extra,
    }
    return render(request, "questions/list.html", context)


def _lists_version(request: HttpRequest, **kwargs: Any) -> list[str]:
    return [services.LISTS_VERSION]


def _thread_version(request: HttpRequest, *, pk: int, **kwargs: Any) -> list[str]:
    return [services.thread_version(pk)]


@require_GET
@anonymous_page_cache(_lists_version)
def question_list(request: HttpRequest) -> HttpResponse:
    return _render_list(request, kind="newest", tab="newest", title="Questions doctors have answered")


@require_GET
@anonymous_page_cache(_lists_version)
def unanswered_list(request: HttpRequest) -> HttpResponse:
    return _render_list(request, kind="unanswered", tab="unanswered", title="Questions waiting for a doctor")


@require_GET
@anonymous_page_cache(_lists_version)
def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tag = selectors.tag_get(slug=slug)
    if tag is None:
        raise Http404("No such concern.")
    return _render_list(request, kind="newest", tab="tag", title=f"Questions about {tag.name}", tag=tag)


# -- asking -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit("question_create")
def ask(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not services.can_ask(user):  # type: ignore[arg-type]
        return render(request, "questions/ask_not_allowed.html", status=403)
    form = AskForm(request.POST or None, initial={"display_name": user.display_name})  # type: ignore[union-attr]
    photo_form = PhotoSetForm(request.POST or None, request.FILES or None, with_date=False)
    if request.method == "POST" and form.is_valid() and photo_form.is_valid():
        data = form.cleaned_data
        try:
            question = services.question_create(
                author=user,  # type: ignore[arg-type]
                title=data["title"],
                body=data["body"],
                tags=data["tags"],
                display_name=data["display_name"],
                age=data["age"],
                sex=data["sex"],
            )
        except QuestionsError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Your question is live. Doctors are notified of new questions in their field.")
            if photo_form.photos():
                attach_photos(request, question=question, photos=photo_form.photos())
                return redirect(f"{question.get_absolute_url()}#photos")
            return redirect(question)
    return render(request, "questions/ask.html", {"form": form, "photo_form": photo_form})


# -- the thread ---------------------------------------------------------------------------------


def _render_thread(
    request: HttpRequest, thread: selectors.Thread, *, answer_form: AnswerForm | None = None, status: int = 200
) -> HttpResponse:
    question = thread.question
    absolute = request.build_absolute_uri
    show_answer_form = (
        thread.viewer_doctor is not None
        and thread.viewer_doctor.is_verified
        and thread.viewer_answer is None
        and not question.is_hidden
        and question.author_id != request.user.pk
    )
    context = {
        "thread": thread,
        "question": question,
        "canonical_url": absolute(question.get_absolute_url()),
        "description": Truncator(plain_text(question.body_html)).chars(155),
        "jsonld": thread_script(thread, absolute, absolute("/")),
        "answer_form": answer_form or (AnswerForm() if show_answer_form else None),
        "show_answer_form": show_answer_form,
        "visible_answer_count": sum(1 for a in thread.answers if not a.is_hidden),
    }
    fragments.collect(request)
    response = render(request, "questions/thread.html", context, status=status)
    fragments.store_collected(request)  # the cards and fragments rendered afresh, in one round trip
    return response


@require_GET
@anonymous_page_cache(_thread_version)
def detail(request: HttpRequest, pk: int, slug: str | None = None) -> HttpResponse:
    thread = selectors.thread_get(pk=pk, viewer=request.user)
    if thread is None:
        raise Http404("No such question.")
    if slug != thread.question.slug:
        return HttpResponsePermanentRedirect(thread.question.get_absolute_url())
    return _render_thread(request, thread)


@login_required
@require_POST
@ratelimit("answer_create")
def answer_create(request: HttpRequest, pk: int) -> HttpResponse:
    thread = selectors.thread_get(pk=pk, viewer=request.user)
    if thread is None:
        raise Http404("No such question.")
    question = thread.question
    doctor = thread.viewer_doctor
    if doctor is None:
        messages.error(request, "Only doctors can answer questions.")
        return redirect(question)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _render_thread(request, thread, answer_form=form)
    try:
        answer = services.answer_create(
            doctor=doctor, question=question, headline=form.cleaned_data["headline"], body=form.cleaned_data["body"]
        )
    except QuestionsError as error:
        messages.error(request, str(error))
        return redirect(question)
    messages.success(request, "Thank you, your answer is published.")
    return redirect(f"{question.get_absolute_url()}#answer-{answer.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def answer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    answer = selectors.answer_for_edit(pk=pk)
    if answer is None:
        raise Http404("No such answer.")
    if answer.doctor.user_id != request.user.pk:
        return render(request, "403.html", {"reason": "Only the doctor who wrote an answer can edit it."}, status=403)
    form = AnswerForm(request.POST or None, initial={"headline": answer.headline, "body": answer.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_update(
                answer=answer,
                editor=request.user,
                headline=form.cleaned_data["headline"],
                body=form.cleaned_data["body"],
            )
        except QuestionsError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Your answer is updated. The earlier version is kept in its history.")
            return redirect(answer.get_absolute_url())
    context = {"answer": answer, "form": form, "revisions": selectors.answer_revisions(answer=answer)}
    return render(request, "questions/answer_edit.html", context)


# -- votes and most helpful ---------------------------------------------------------------------


def _vote_widget(request: HttpRequest, answer: Answer, *, voted: bool, error: str = "") -> HttpResponse:
    answer.viewer_voted = voted  # type: ignore[attr-defined]  # as the thread selector annotates it
    html = render_to_string("questions/_vote.html", {"answer": answer, "vote_error": error}, request=request)
    return HttpResponse(html)


@require_POST
@ratelimit("vote")
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    answer = selectors.answer_for_action(pk=pk)
    if answer is None or not selectors.can_see_question(request.user, answer.question):
        raise Http404("No such answer.")
    if not request.user.is_authenticated:
        if _is_htmx(request):
            html = render_to_string("questions/_vote_signin.html", {"answer": answer}, request=request)
            return HttpResponse(html)
        return redirect_to_login(answer.get_absolute_url())
    try:
        voted, _count = services.vote_toggle(user=request.user, answer=answer)
    except QuestionsError as error:
        if _is_htmx(request):
            voted_before = selectors.has_voted(user=request.user, answer=answer)
            return _vote_widget(request, answer, voted=voted_before, error=str(error))
        messages.error(request, str(error))
        return redirect(answer.get_absolute_url())
    if _is_htmx(request):
        return _vote_widget(request, answer, voted=voted)
    if voted:
        messages.success(request, "Thanks, your helpful vote is counted.")
    else:
        messages.info(request, "Your helpful vote is removed.")
    return redirect(answer.get_absolute_url())


@login_required
@require_POST
def most_helpful(request: HttpRequest, pk: int) -> HttpResponse:
    answer = selectors.answer_for_action(pk=pk)
    if answer is None or not selectors.can_see_question(request.user, answer.question):
        raise Http404("No such answer.")
    try:
        marked = services.mark_most_helpful(user=request.user, answer=answer)  # type: ignore[arg-type]
    except QuestionsError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, "Marked as the most helpful answer." if marked else "No longer marked as most helpful."
        )
    return redirect(answer.get_absolute_url())


# -- markdown preview ---------------------------------------------------------------------------


@login_required
@require_POST
@ratelimit("markdown_preview")
def markdown_preview(request: HttpRequest) -> HttpResponse:
    """Sanitised HTML for the editor's live preview; the same renderer the services use."""
    form = PreviewForm(request.POST)
    if not form.is_valid():
        return HttpResponse("<p>The text is too long to preview.</p>", status=400)
    text = form.cleaned_data["text"]
    html = render_markdown(text) if text.strip() else '<p class="muted">Nothing to preview yet.</p>'
    return HttpResponse(html, content_type="text/html; charset=utf-8")

