"""Thin views: parse input, call a selector or a service, render. Domain errors become messages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from consult.accounts.decorators import private_page
from consult.accounts.types import AuthenticatedRequest
from consult.core import pagecache
from consult.core.errors import DomainError
from consult.core.markdown import render as render_markdown
from consult.core.pagecache import anonymous_page_cache
from consult.core.ratelimit import ratelimit
from consult.doctors import selectors as doctor_selectors
from consult.photos import services as photo_services
from consult.photos.forms import PhotoSetForm

from . import permissions, selectors, services
from .errors import QuestionsError
from .forms import AnswerForm, AskForm, PreviewForm, UpdateForm
from .models import Answer
from .page import render_thread, shared_thread


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
    return [pagecache.LISTS]


def _thread_version(request: HttpRequest, *, pk: int, **kwargs: Any) -> list[str]:
    return [pagecache.thread(pk)]


@require_GET
@anonymous_page_cache(_lists_version)
def question_list(request: HttpRequest) -> HttpResponse:
    return _render_list(request, kind="newest", tab="newest", title="Newest questions")


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
def ask(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not services.can_ask(user):
        return render(request, "questions/ask_not_allowed.html", status=403)
    form = AskForm(
        request.POST or None, initial={"display_name": user.display_name, "doctor": request.GET.get("doctor", "")}
    )
    photo_form = PhotoSetForm(request.POST or None, request.FILES or None, with_date=False)
    # "Ask Dr. X" (from their profile): a verified doctor to invite once the question is up; anything else is ignored.
    slug = (request.POST.get("doctor") if request.method == "POST" else request.GET.get("doctor")) or ""
    invited = doctor_selectors.verified_doctor(slug=slug) if slug else None
    if request.method == "POST" and form.is_valid() and photo_form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():  # the question and its photos together, or neither
                question = services.question_create(
                    author=user,
                    title=data["title"],
                    body=data["body"],
                    tags=data["tags"],
                    display_name=data["display_name"],
                    age=data["age"],
                    sex=data["sex"],
                    invite_doctor=invited,
                )
                if photo_form.photos():
                    photo_services.attach_photos(
                        patient=user, question=question, photos=photo_form.photos(), quotable=photo_form.allows_quoting
                    )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            # Both halves are kept true by consult.notifications (tests/consult/notifications/test_promises.py).
            messages.success(
                request,
                "Your question is live. Doctors whose field covers its concerns are notified (unless they turned these "
                "alerts off), and each new answer reaches your inbox."
                + (f" {invited.display_name} is invited to answer it." if invited is not None else ""),
            )
            return redirect(f"{question.get_absolute_url()}#photos" if photo_form.photos() else question)
    return render(request, "questions/ask.html", {"form": form, "photo_form": photo_form, "invited": invited})


# -- the thread (consult/questions/page.py) -----------------------------------------------------


@require_GET
@anonymous_page_cache(_thread_version)
def detail(request: HttpRequest, pk: int, slug: str | None = None) -> HttpResponse:
    shared = shared_thread(request, pk)
    if shared is None or not permissions.can_see_question(request.user, shared.rows.question):
        raise Http404("No such question.")
    if slug != shared.rows.question.slug:
        return HttpResponsePermanentRedirect(shared.rows.question.get_absolute_url())
    return render_thread(request, shared)


@login_required
@require_POST
@ratelimit("answer_create")
def answer_create(request: HttpRequest, pk: int) -> HttpResponse:
    shared = shared_thread(request, pk)
    if shared is None or not permissions.can_see_question(request.user, shared.rows.question):
        raise Http404("No such question.")
    question = shared.rows.question
    doctor = permissions.doctor_of(request.user)
    if doctor is None:
        messages.error(request, "Only doctors can answer questions.")
        return redirect(question)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return render_thread(request, shared, answer_form=form)
    try:
        answer = services.answer_create(
            doctor=doctor, question=question, headline=form.cleaned_data["headline"], body=form.cleaned_data["body"]
        )
    except QuestionsError as error:
        messages.error(request, str(error))
        return redirect(question)
    messages.success(request, "Thank you, your answer is published.")
    return redirect(f"{question.get_absolute_url()}#answer-{answer.pk}")


def _answer_or_404(request: HttpRequest, pk: int) -> Answer:
    answer = selectors.answer_get(pk=pk)
    if answer is None or not permissions.can_see_question(request.user, answer.question):
        raise Http404("No such answer.")
    return answer


@login_required
@require_http_methods(["GET", "POST"])
def answer_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    answer = _answer_or_404(request, pk)
    refusal = permissions.edit_refusal(request.user, answer)
    if refusal is not None:
        return render(request, "403.html", {"reason": refusal}, status=403)
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
    context = {
        "answer": answer,
        "voted": voted,
        "can_vote": permissions.can_vote(request.user, answer, answer.question),
        "signed_in": request.user.is_authenticated,
        "vote_error": error,
    }
    return HttpResponse(render_to_string("questions/_vote.html", context, request=request))


@require_POST
@ratelimit("vote")
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    answer = _answer_or_404(request, pk)
    if not request.user.is_authenticated:
        if _is_htmx(request):
            html = render_to_string("questions/_vote_signin.html", {"answer": answer}, request=request)
            return HttpResponse(html)
        return redirect_to_login(answer.get_absolute_url())
    try:
        voted, _count = services.vote_toggle(user=request.user, answer=answer)
    except QuestionsError as error:
        if _is_htmx(request):
            voted_before = answer.pk in selectors.viewer_votes(viewer=request.user, answer_ids=[answer.pk])
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
def most_helpful(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    answer = _answer_or_404(request, pk)
    try:
        marked = services.mark_most_helpful(user=request.user, answer=answer)
    except QuestionsError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, "Marked as the most helpful answer." if marked else "No longer marked as most helpful."
        )
    return redirect(answer.get_absolute_url())


# -- following and the asker's follow-up updates --------------------------------------------------


def _question_or_404(request: HttpRequest, pk: int) -> Any:
    question = selectors.question_get(pk=pk)
    if question is None or not permissions.can_see_question(request.user, question):
        raise Http404("No such question.")
    return question


@login_required
@require_POST
@ratelimit("follow")
def follow(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Follow (``follow=1``) or stop following (``follow=0``) a thread; the button is swapped by htmx."""
    question = _question_or_404(request, pk)
    wanted = request.POST.get("follow", "1") != "0"
    try:
        following = services.follow_set(user=request.user, question=question, follow=wanted)
    except QuestionsError as error:
        messages.error(request, str(error))
        return redirect(question)
    if _is_htmx(request):
        html = render_to_string(
            "questions/_follow.html", {"question": question, "following": following}, request=request
        )
        return HttpResponse(html)
    if following:
        messages.success(request, "You follow this question: new answers and updates reach your inbox.")
    else:
        messages.info(request, "You no longer follow this question.")
    return redirect(question)


@login_required
@require_POST
@ratelimit("question_update")
def update_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The asker posts a follow-up update under their question."""
    shared = shared_thread(request, pk)
    if shared is None or not permissions.can_see_question(request.user, shared.rows.question):
        raise Http404("No such question.")
    question = shared.rows.question
    refusal = permissions.update_refusal(request.user, question)
    if refusal is not None:
        messages.error(request, refusal)
        return redirect(question)
    form = UpdateForm(request.POST)
    if not form.is_valid():
        return render_thread(request, shared, update_form=form, status=400)
    try:
        update = services.update_create(author=request.user, question=question, body=form.cleaned_data["body"])
    except QuestionsError as error:
        messages.error(request, str(error))
        return redirect(question)
    messages.success(request, "Your update is posted. The doctors who answered are notified.")
    return redirect(f"{question.get_absolute_url()}#update-{update.pk}")


# -- "My questions" and "My answers" ------------------------------------------------------------


@login_required
@require_GET
@private_page
def my_questions(request: AuthenticatedRequest) -> HttpResponse:
    page = selectors.my_questions(user=request.user, page=request.GET.get("page"))
    return render(request, "questions/my_questions.html", {"page": page, "nav": "mine"})


@login_required
@require_GET
@private_page
def my_answers(request: AuthenticatedRequest) -> HttpResponse:
    doctor = permissions.doctor_of(request.user)
    if doctor is None:
        return render(request, "403.html", {"reason": "Only doctors have answers to list."}, status=403)
    page = selectors.my_answers(doctor_id=doctor.pk, page=request.GET.get("page"))
    return render(request, "questions/my_answers.html", {"page": page, "doctor": doctor})


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

