"""Flagging (any member) and the moderation queue (moderators and staff). Thin views over services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from consult.accounts.decorators import permission_required, private_page
from consult.accounts.permissions import can_moderate
from consult.core.ratelimit import ratelimit
from consult.moderation import selectors, services
from consult.moderation.errors import ModerationError
from consult.moderation.forms import FlagForm, ModerationActionForm
from consult.questions.models import Answer, Question
from consult.reviews.models import Review

KINDS = ("question", "answer", "review")
TABS = ("flags", "hidden", "log")


Target = Question | Answer | Review


def _target(kind: str, pk: int) -> Target:
    if kind == "question":
        return get_object_or_404(Question, pk=pk)
    if kind == "answer":
        return get_object_or_404(Answer.objects.select_related("question"), pk=pk)
    if kind == "review":
        return get_object_or_404(Review.objects.select_related("doctor"), pk=pk)
    raise Http404("Unknown kind of content.")


def _split(target: Target) -> dict[str, Any]:
    """The service keyword naming the target: question=..., answer=... or review=..."""
    if isinstance(target, Question):
        return {"question": target}
    return {"answer": target} if isinstance(target, Answer) else {"review": target}


def _safe_next(request: HttpRequest, fallback: str) -> str:
    candidate = request.POST.get("next", "")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


@require_POST
@ratelimit("flag")
def flag(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Report a question, answer or review, then go back to where it is shown with a message."""
    target = _target(kind, pk)
    back = _safe_next(request, target.get_absolute_url())
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    form = FlagForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "Choose a reason for your report (and keep any details under 500 characters)."
        )
        return redirect(back)
    try:
        services.flag_create(
            reporter=request.user,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            **_split(target),
        )
    except ModerationError as exc:
        messages.info(request, exc.message)
    else:
        messages.success(request, f"Thank you. A moderator will review this {kind}.")
    return redirect(back)


@private_page
@permission_required(can_moderate)
def queue(request: HttpRequest) -> HttpResponse:
    """Open flags grouped by item; hidden content; the action log."""
    tab = request.GET.get("tab", "flags")
    if tab not in TABS:
        tab = "flags"
    context: dict[str, object] = {"tab": tab}
    if tab == "flags":
        context["items"] = selectors.flag_queue()
    elif tab == "hidden":
        context["items"] = selectors.hidden_content()
    else:
        context["actions"] = selectors.recent_actions()
    return render(request, "moderation/queue.html", context)


_ACTIONS = {
    "hide": (services.content_hide, "Hidden. It no longer appears in lists or search."),
    "unhide": (services.content_unhide, "Restored. It is visible again."),
    "dismiss": (services.flags_dismiss, "Reports dismissed; the content stays up."),
}


@require_POST
@permission_required(can_moderate)
def act(request: HttpRequest, kind: str, pk: int, action: str) -> HttpResponse:
    if action not in _ACTIONS:
        raise Http404("Unknown moderation action.")
    moderator = request.user
    assert moderator.is_authenticated
    target = _target(kind, pk)
    fallback = reverse("moderation:queue") + ("?tab=hidden" if action == "unhide" else "")
    back = _safe_next(request, fallback)
    form = ModerationActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Keep the note under 500 characters.")
        return redirect(back)
    service, done = _ACTIONS[action]
    try:
        service(moderator=moderator, note=form.cleaned_data["note"], **_split(target))
    except ModerationError as exc:
        messages.info(request, exc.message)
    else:
        messages.success(request, f"{kind.capitalize()} #{pk}: {done}")
    return redirect(back)
