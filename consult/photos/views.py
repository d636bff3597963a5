"""Thin views: photo sets, the report (with its live status fragment), permission-checked files, the guide.

Anyone who may not see a patient's photos gets a 404 for every URL here, so not even the existence of a
photo or a report leaks.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from consult.accounts.models import Role, User
from consult.accounts.permissions import is_verified_doctor
from consult.accounts.types import AuthenticatedRequest
from consult.core.ratelimit import ratelimit

from . import selectors, services
from .errors import PhotosError
from .forms import PhotoSetForm, PhotoUploadForm, QuotableForm
from .models import AccessKind, Expression, Photo, Visit
from .permissions import can_manage_photos, can_share, can_view_visit
from .report import build_report, state_counts
from .storage import photo_storage

FILE_KINDS = ("image", "thumbnail", "overlay")
ID = re.compile(r"[0-9]{1,18}")
# Photo files are never stored by the browser (nor any cache): after signing out on a shared computer, or
# after the patient deletes a photo or stops sharing it, no copy is left to show. Thumbnails are re-fetched
# on each page; that costs a few kB each and is the price of the guarantee.
FILE_CACHE = "private, no-store"


def _visit_or_404(request: HttpRequest, pk: int) -> Visit:
    visit = selectors.visit_for_viewer(pk=pk)
    if visit is None or not can_view_visit(request.user, visit):
        raise Http404("No such photo set.")
    return visit


def _own_visit_or_404(request: HttpRequest, pk: int) -> Visit:
    """A photo set its owner is changing (adding, replacing, sharing, quoting); anyone else gets the same 404."""
    visit = _visit_or_404(request, pk)
    if not can_manage_photos(request.user, visit.patient_id):
        raise Http404("No such photo set.")
    return visit


def _seen(request: HttpRequest, visit: Visit, kind: str = AccessKind.REPORT, photo: Photo | None = None) -> None:
    """Record a look by someone other than the patient (the patient reads the log at /photos/access/)."""
    if isinstance(request.user, User) and request.user.pk != visit.patient_id:
        services.access_record(viewer=request.user, visits=[visit], kind=kind, photo=photo)


def _report_context(request: HttpRequest, visit: Visit) -> dict[str, object]:
    report = build_report(visit)
    can_manage = can_manage_photos(request.user, visit.patient_id)
    context: dict[str, object] = {"report": report, "visit": visit, "can_manage": can_manage}
    if can_manage:
        context["quotable_form"] = QuotableForm(initial={"quotable": visit.quotable}, auto_id="quotable-%s")
    return context


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def guide(request: HttpRequest) -> HttpResponse:
    return render(request, "photos/guide.html", {"nav": "photos"})


@login_required
@require_GET
def my_photos(request: AuthenticatedRequest) -> HttpResponse:
    visits = selectors.visits_for_patient(patient=request.user)
    for visit in visits:  # each photo's state counted, from the prefetched photos (no query)
        visit.state_counts = state_counts(list(visit.photos.all()))  # type: ignore[attr-defined]
    return _private(render(request, "photos/my_photos.html", {"visits": visits, "nav": "photos"}))


def _add_photos(request: HttpRequest, visit: Visit, photos: dict[str, object]) -> int:
    added = 0
    for expression, processed in photos.items():
        try:
            services.photo_add(visit=visit, expression=expression, upload=processed)  # type: ignore[arg-type]
        except PhotosError as error:
            messages.error(request, f"{Expression(expression).label}: {error}")
        else:
            added += 1
    return added


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit("photo_upload")
def visit_new(request: AuthenticatedRequest) -> HttpResponse:
    """Start a photo set, optionally attached to one of the patient's own questions (``?question=<pk>``)."""
    user = request.user
    if user.role == Role.DOCTOR:
        return render(request, "403.html", {"reason": "Photo sets are for patients."}, status=403)
    question = None
    question_id = request.GET.get("question") or request.POST.get("question")
    if question_id:
        # ASCII digits only: "²".isdigit() is true and int("²") raises (a 500 before).
        pk = int(question_id) if ID.fullmatch(question_id) else None
        question = selectors.own_question(user=user, pk=pk) if pk is not None else None
        if question is None:
            raise Http404("No such question.")
    form = PhotoSetForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        photos = form.photos()
        if not photos:
            form.add_error(None, "Choose at least one photo.")
        else:
            try:
                visit = services.visit_create(
                    patient=user, question=question, taken_on=form.cleaned_data.get("taken_on") or timezone.localdate(),
                    quotable=form.allows_quoting,
                )
            except PhotosError as error:
                form.add_error(None, str(error))
            else:
                added = _add_photos(request, visit, photos)  # type: ignore[arg-type]
                messages.success(request, f"{added} photo{'s' if added != 1 else ''} uploaded. Measuring takes a few seconds.")
                return redirect(question.get_absolute_url() + "#photos" if question else visit.get_absolute_url())
    return render(request, "photos/visit_new.html", {"form": form, "question": question, "nav": "photos"})


@require_GET
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit_or_404(request, pk)
    _seen(request, visit)
    context = _report_context(request, visit)
    if context["can_manage"]:
        context["add_form"] = PhotoSetForm(existing={p.expression for p in visit.photos.all()}, with_date=False)
    _sharing_context(request, visit, context)
    return _private(render(request, "photos/visit.html", context))


def _sharing_context(request: HttpRequest, visit: Visit, context: dict[str, object]) -> None:
    """For the owner of a set attached to no question: who it is shared with and whom it could be."""
    context["can_share"] = can_share(request.user, visit)
    if context["can_share"]:
        shares = selectors.shares_for_visit(visit=visit)
        context["shares"] = shares
        context["shareable_doctors"] = selectors.shareable_doctors(exclude={share.doctor_id for share in shares})


@require_GET
def visit_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The report fragment the page polls (htmx) while photos are being measured."""
    visit = _visit_or_404(request, pk)
    _seen(request, visit)
    context = _report_context(request, visit)
    context["quote"] = bool(request.GET.get("quote")) and is_verified_doctor(request.user)
    return _private(render(request, "photos/_report.html", context))


@login_required
@require_POST
@ratelimit("photo_upload")
def visit_add(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _own_visit_or_404(request, pk)
    form = PhotoSetForm(request.POST, request.FILES, existing={p.expression for p in visit.photos.all()},
                        with_date=False)
    if form.is_valid() and form.photos():
        added = _add_photos(request, visit, form.photos())  # type: ignore[arg-type]
        if added:
            messages.success(request, f"{added} photo{'s' if added != 1 else ''} added. Measuring takes a few seconds.")
        return redirect(visit.get_absolute_url())
    if form.is_valid():
        form.add_error(None, "Choose at least one photo.")
    context = _report_context(request, visit)
    context["add_form"] = form
    return _private(render(request, "photos/visit.html", context, status=400))


@login_required
@require_POST
@ratelimit("photo_upload")
def photo_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Add one labelled photo to a visit, or retake (replace) the photo with that expression."""
    visit = _own_visit_or_404(request, pk)
    form = PhotoUploadForm(request.POST, request.FILES)
    if form.is_valid():
        expression = form.cleaned_data["expression"]
        existing = next((p for p in visit.photos.all() if p.expression == expression), None)
        try:
            if existing is not None and request.POST.get("replace"):
                services.photo_replace(photo=existing, by=request.user, upload=form.cleaned_data["image"])  # type: ignore[arg-type]
            else:
                services.photo_add(visit=visit, expression=expression, upload=form.cleaned_data["image"])
        except PhotosError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Photo uploaded. Measuring takes a few seconds.")
            return redirect(visit.get_absolute_url())
    context = _report_context(request, visit)
    context["upload_form"] = form
    context["add_form"] = PhotoSetForm(existing={p.expression for p in visit.photos.all()}, with_date=False)
    return _private(render(request, "photos/visit.html", context, status=400))


@require_GET
def photo_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Stream a photo, its thumbnail or its overlay to someone allowed to see it; 404 for anyone else."""
    if kind not in FILE_KINDS:
        raise Http404("No such file.")
    photo = Photo.objects.select_related("visit").filter(pk=pk).first()
    if photo is None or not can_view_visit(request.user, photo.visit):
        raise Http404("No such file.")
    name = getattr(photo, kind).name
    if not name:
        raise Http404("No such file.")
    # Read whole and closed here (a re-encoded photo is at most a few MB): a streamed file stays open when
    # the browser drops the request half-way (a page left while its thumbnails load) until the collector
    # finds it.
    try:
        with photo_storage().open(name, "rb") as handle:
            data = handle.read()
    except FileNotFoundError as exc:
        raise Http404("No such file.") from exc
    _seen(request, photo.visit, kind=kind, photo=photo)
    response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = FILE_CACHE
    response["Content-Disposition"] = "inline"
    response["Vary"] = "Cookie"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@login_required
@require_POST
def visit_quoting(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The owner allows, or stops allowing, doctors to quote the set's measurements in public answers."""
    visit = _own_visit_or_404(request, pk)
    # A ticked checkbox sends "on"; unticked sends nothing. Anything else is read as "no" (never an error).
    quotable = request.POST.get("quotable", "").strip().lower() in ("on", "true", "1")
    try:
        services.visit_set_quotable(visit=visit, by=request.user, quotable=quotable)
    except PhotosError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Doctors may now quote these measurements (numbers only) in their public answers."
                         if quotable else "Doctors can no longer quote these measurements in their answers.")
    return redirect(visit.get_absolute_url() + "#quoting")


@login_required
@require_POST
@ratelimit("doctor_share")
def visit_share(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The owner shares a photo set attached to no question with one verified doctor they pick."""
    visit = _own_visit_or_404(request, pk)
    raw = request.POST.get("doctor", "")
    doctor = selectors.doctor_by_id(pk=int(raw)) if ID.fullmatch(raw) else None
    if doctor is None:
        messages.error(request, "Choose a doctor from the list.")
        return redirect(visit.get_absolute_url() + "#sharing")
    try:
        services.visit_share(visit=visit, by=request.user, doctor=doctor)
    except PhotosError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{doctor.doctor_profile} can now see this photo set. You can stop sharing at any time.")
    return redirect(visit.get_absolute_url() + "#sharing")


@login_required
@require_POST
def visit_unshare(request: AuthenticatedRequest, pk: int, doctor_id: int) -> HttpResponse:
    visit = _own_visit_or_404(request, pk)
    if services.visit_unshare(visit=visit, by=request.user, doctor_id=doctor_id):
        messages.success(request, "Sharing stopped. That doctor can no longer see this photo set.")
    return redirect(visit.get_absolute_url() + "#sharing")


@login_required
@require_GET
def access_log(request: AuthenticatedRequest) -> HttpResponse:
    """Who looked at my photos and reports: every look by someone else, newest first."""
    entries = selectors.access_log(patient=request.user)
    return _private(render(request, "photos/access_log.html", {
        "entries": entries, "limit": selectors.ACCESS_LOG_LIMIT, "nav": "photos",
    }))
