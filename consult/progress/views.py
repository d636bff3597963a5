"""The patient's progress dashboard, questionnaires, treatment log, exports and photo deletion."""

from __future__ import annotations

import csv
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from consult.accounts.decorators import private_page
from consult.accounts.models import User
from consult.photos import services as photo_services
from consult.photos.errors import PhotosError
from consult.photos.models import Photo, Visit

from . import instruments, selectors, services
from .errors import ProgressError
from .forms import OutcomeForm, TreatmentForm
from .models import OutcomeResponse, Treatment


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _pick(visits: list[Visit], key: str, default: int) -> Visit | None:
    """The visit the query string names, else the first (default=0) or latest (default=-1)."""
    for visit in visits:
        if str(visit.pk) == key:
            return visit
    return visits[default] if visits else None


def _render_dashboard(request: HttpRequest, treatment_form: TreatmentForm, *, status: int = 200) -> HttpResponse:
    board = selectors.dashboard(patient=_user(request))
    before = _pick(board.visits, request.GET.get("before", ""), 0)
    after = _pick(board.visits, request.GET.get("after", ""), -1)
    return render(request, "progress/dashboard.html", {
        "board": board,
        "before": before,
        "after": after,
        "compare_rows": selectors.compare_rows(before, after),
        "treatment_form": treatment_form,
        "instruments": list(instruments.INSTRUMENTS.values()),
        "nav": "progress",
    }, status=status)


@private_page
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return _render_dashboard(request, TreatmentForm())


@private_page
@login_required
@require_POST
def treatment_add(request: HttpRequest) -> HttpResponse:
    form = TreatmentForm(request.POST)
    if form.is_valid():
        try:
            services.treatment_log(patient=_user(request), **form.cleaned_data)
        except ProgressError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Treatment logged. It shows as a dashed line on your charts.")
            return redirect("progress:dashboard")
    return _render_dashboard(request, form, status=400)


@private_page
@login_required
@require_POST
def treatment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    treatment = get_object_or_404(Treatment, pk=pk, patient=_user(request))
    services.treatment_delete(treatment=treatment, by=_user(request))
    messages.info(request, "Treatment removed.")
    return redirect("progress:dashboard")


@private_page
@login_required
@require_http_methods(["GET", "POST"])
def outcome_new(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        instrument = instruments.get(slug)
    except instruments.InstrumentError:
        raise Http404("No such questionnaire.") from None
    for_visit = None
    visit_id = request.GET.get("visit", "")
    # ASCII digits only: "²".isdigit() is true and int("²") raises (a 500 before). Anything else: no preselection.
    if request.method == "GET" and re.fullmatch(r"[0-9]{1,18}", visit_id):
        for_visit = Visit.objects.filter(pk=int(visit_id), patient=_user(request)).first()
    form = OutcomeForm(request.POST or None, instrument=instrument, patient=_user(request), for_visit=for_visit)
    if request.method == "POST" and form.is_valid():
        answers = {key: form.cleaned_data[key] for key in instrument.keys}
        try:
            response = services.outcome_submit(
                patient=_user(request), instrument=instrument.slug, answers=answers,
                completed_on=form.cleaned_data["completed_on"], visit=form.cleaned_data["visit"],
            )
        except ProgressError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"{instrument.short_name} saved: score {response.scores['total']} / 100.")
            return redirect("progress:dashboard")
    status = 400 if form.errors else 200
    return render(request, "progress/outcome_form.html", {"form": form, "instrument": instrument, "nav": "progress"},
                  status=status)


@private_page
@login_required
@require_POST
def outcome_remove(request: HttpRequest, pk: int) -> HttpResponse:
    response = get_object_or_404(OutcomeResponse, pk=pk, patient=_user(request))
    services.outcome_delete(response=response, by=_user(request))
    messages.info(request, "Questionnaire removed.")
    return redirect("progress:dashboard")


@private_page
@login_required
def export_csv(request: HttpRequest) -> HttpResponse:
    rows = selectors.export_rows(patient=_user(request))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="consult-my-measurements.csv"'
    writer = csv.DictWriter(response, fieldnames=selectors.EXPORT_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows({key: csv_cell(value) for key, value in row.items()} for row in rows)
    return response


FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """Text a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe
    (OWASP's CSV-injection advice); numbers stay numbers, so a negative measure is still -1.5."""
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        return "'" + value
    return value


@private_page
@login_required
def export_json(request: HttpRequest) -> HttpResponse:
    response = JsonResponse(selectors.export_document(patient=_user(request)), json_dumps_params={"indent": 1})
    response["Content-Disposition"] = 'attachment; filename="consult-my-measurements.json"'
    return response


@private_page
@login_required
@require_http_methods(["GET", "POST"])
def photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    photo = get_object_or_404(Photo.objects.select_related("visit"), pk=pk, visit__patient=_user(request))
    if request.method == "POST":
        try:
            photo_services.photo_delete(photo=photo, by=_user(request))
        except PhotosError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "The photo and its measurements are deleted.")
        return redirect("progress:dashboard")
    return render(request, "progress/confirm_delete.html", {"photo": photo, "nav": "progress"})


@private_page
@login_required
@require_http_methods(["GET", "POST"])
def history_delete(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if request.POST.get("confirm") != "delete":
            messages.error(request, "Tick the box to confirm that everything should be deleted.")
            return redirect("progress:history_delete")
        count = photo_services.history_delete(patient=_user(request))
        messages.success(request, f"Deleted {count} photo set(s) with every photo and measurement.")
        return redirect("progress:dashboard")
    return render(request, "progress/confirm_delete.html", {"photo": None, "nav": "progress"})
