"""Thin views: the inbox, marking read, notification settings, unsubscribing, inviting a doctor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from consult.accounts.decorators import private_page
from consult.accounts.types import AuthenticatedRequest
from consult.core.ratelimit import ratelimit
from consult.doctors.models import DoctorProfile, VerificationStatus
from consult.questions import permissions as question_permissions
from consult.questions.models import Question

from . import selectors, services
from .alerts import tags_for
from .errors import NotificationsError
from .forms import DOCTOR_KINDS, PATIENT_KINDS, InviteForm, PreferencesForm
from .models import Kind


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
@require_GET
@private_page
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    page = selectors.inbox_page(user=request.user, page=request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page, "nav": "inbox"})


@login_required
@require_POST
def open_notification(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Open an unread notification: a POST (the inbox's button, with its CSRF token) that marks it read and
    goes on to what it is about (only the member's own and still visible; else 404). A GET changes nothing
    (405): link scanners and prefetchers must not read anyone's inbox for them. Read rows link straight to
    their page."""
    notification = services.mark_read(user=request.user, notification_id=pk)
    if notification is None:
        raise Http404("No such notification.")
    target = notification.url
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None) or not target.startswith("/"):
        target = "/"
    return redirect(target)


@login_required
@require_POST
def mark_read(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    notification = services.mark_read(user=request.user, notification_id=pk)
    if notification is None:
        raise Http404("No such notification.")
    if _is_htmx(request):
        request.user.refresh_from_db(fields=["unread_notifications"])
        html = render_to_string("notifications/_item.html", {"n": notification, "oob_badge": True}, request=request)
        return HttpResponse(html)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request: AuthenticatedRequest) -> HttpResponse:
    count = services.mark_all_read(user=request.user)
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} read." if count else "Nothing was unread.")
    return redirect("notifications:inbox")


@login_required
@require_http_methods(["GET", "POST"])
@private_page
def preferences(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    doctor = getattr(user, "doctor_profile", None) if user.is_doctor else None
    prefs = selectors.preferences(user=user)
    kinds = tuple(str(k) for k in (DOCTOR_KINDS if doctor is not None else PATIENT_KINDS))
    initial: dict[str, object] = {f"email_{k}": prefs.frequency(k) for k in kinds}
    if doctor is not None:
        initial["question_alerts"] = prefs.question_alerts
        initial["alert_tags"] = list(prefs.alert_tags.all()) if prefs.pk else []
    form = PreferencesForm(request.POST if request.method == "POST" else None, kinds=kinds, doctor=doctor is not None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.preferences_save(
            user=user,
            emails=form.emails(),
            question_alerts=form.cleaned_data.get("question_alerts"),
            alert_tags=list(form.cleaned_data["alert_tags"]) if doctor is not None else None,
        )
        messages.success(request, "Your notification settings are saved.")
        return redirect("notifications:settings")
    context = {
        "form": form,
        "doctor": doctor,
        "specialty_tags": selectors.tag_names(slugs=tags_for(doctor.specialty)) if doctor is not None else [],
        "kinds": [(k, Kind(k).label) for k in kinds],
    }
    return render(request, "notifications/settings.html", context, status=400 if form.errors else 200)


@private_page
@csrf_exempt  # RFC 8058 one-click: the mail client POSTs without our cookie; the signed token is the proof
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows one button (link scanners must not unsubscribe anyone); POST unsubscribes, no sign-in."""
    try:
        if request.method == "POST":
            _user, kind = services.unsubscribe(token=token)
            done = True
        else:
            _user, kind = services.unsubscribe_read(token=token)
            done = False
    except NotificationsError as error:
        return render(request, "notifications/unsubscribe.html", {"error": str(error)}, status=400)
    label = "every e-mail from Consult" if kind == services.UNSUBSCRIBE_ALL else f"e-mails about {Kind(kind).label.lower()}"
    return render(request, "notifications/unsubscribe.html", {"done": done, "label": label})


# -- inviting a doctor to answer ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit("invite", methods=("POST",))
def invite(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    question = Question.objects.filter(pk=pk).first()
    if question is None or not question_permissions.can_see_question(request.user, question):
        raise Http404("No such question.")
    refusal = question_permissions.update_refusal(request.user, question)
    if refusal is not None:
        return render(
            request, "403.html", {"reason": "Only the person who asked can invite doctors to answer."}, status=403
        )
    if request.method == "POST":
        form = InviteForm(request.POST)
        doctor = (
            DoctorProfile.objects.filter(pk=form.cleaned_data["doctor"]).first() if form.is_valid() else None
        )
        if doctor is None:
            messages.error(request, "Choose a doctor from the list.")
        else:
            try:
                services.invite_create(inviter=request.user, question=question, doctor=doctor)
            except NotificationsError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, f"{doctor.display_name} is invited. They are notified and can answer here.")
        return redirect("notifications:invite", pk=question.pk)
    name = request.GET.get("name", "")[:60]
    context = {
        "question": question,
        "name": name,
        "candidates": selectors.invite_candidates(question=question, name=name),
        "verified": VerificationStatus.VERIFIED,
    }
    return render(request, "notifications/invite.html", context)
