"""Doctor pages: profile editing, the public directory and profiles, and the staff verification queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from consult.accounts.decorators import permission_required, private_page
from consult.accounts.models import Role
from consult.accounts.permissions import can_moderate, can_verify_doctors
from consult.core import pagecache
from consult.core.pagecache import anonymous_page_cache
from consult.doctors import jsonld, selectors, services
from consult.doctors.errors import DoctorError
from consult.doctors.forms import DirectoryFilterForm, DoctorProfileForm, VerificationDecisionForm
from consult.doctors.models import DoctorProfile

DIRECTORY_PAGE_SIZE = 24
PROFILE_RECENT_ANSWERS = 10
PROFILE_REVIEWS = 20


@private_page  # the licence number and the verification notes
@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    """A doctor creates or edits their own profile."""
    user = request.user
    assert user.is_authenticated
    if user.role != Role.DOCTOR:
        raise PermissionDenied("Only doctor accounts have a doctor profile.")
    profile = selectors.doctor_profile_of(user=user)
    initial = {}
    if profile is not None:
        initial = {name: getattr(profile, name) for name in DoctorProfileForm.base_fields}
    form = DoctorProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        was_verified = profile is not None and profile.is_verified
        try:
            if profile is None:
                profile = services.doctor_profile_create(user=user, **form.cleaned_data)
                messages.success(
                    request, "Profile saved. Staff will verify your licence; we will let you know."
                )
            else:
                profile = services.doctor_profile_update(profile=profile, **form.cleaned_data)
                if was_verified and not profile.is_verified:
                    messages.warning(
                        request,
                        "Profile saved. Your licence details changed, so staff will verify them again.",
                    )
                else:
                    messages.success(request, "Profile saved.")
        except DoctorError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("doctors:profile", slug=profile.slug)
    latest = selectors.doctor_latest_decision(profile=profile) if profile is not None else None
    return render(
        request,
        "doctors/profile_edit.html",
        {"form": form, "profile": profile, "latest_decision": latest, "nav": "doctors"},
    )


def directory(request: HttpRequest) -> HttpResponse:
    """Verified doctors, filterable by specialty, state, city and topic, sortable by rating, reviews, answers."""
    filters = DirectoryFilterForm(request.GET or None)
    chosen = {"specialty": "", "state": "", "city": "", "topic": "", "sort": "name"}
    if filters.is_valid():
        chosen.update({name: value for name, value in filters.cleaned_data.items() if value})
        chosen["city"] = " ".join(chosen["city"].split())
    paginator = Paginator(selectors.doctor_directory(**chosen), DIRECTORY_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "doctors/directory.html",
        {
            "filters": filters,
            "page": page,
            "doctors": page.object_list,
            "filter_query": query.urlencode(),
            "filtered": any(chosen[name] for name in ("specialty", "state", "city", "topic")),
            "topic": chosen["topic"],
            "nav": "doctors",
        },
    )


def _profile_version(request: HttpRequest, *, slug: str) -> list[str]:
    return [pagecache.doctor(slug)]


@anonymous_page_cache(_profile_version)
def profile(request: HttpRequest, slug: str) -> HttpResponse:
    """A verified doctor's public page (pending and rejected ones only for the doctor and staff)."""
    doctor = selectors.doctor_profile_for_viewer(slug=slug, viewer=request.user)
    if doctor is None:
        raise Http404("No verified doctor with that address.")
    is_moderator = can_moderate(request.user)
    return render(
        request,
        "doctors/profile.html",
        {
            "doctor": doctor,
            "recent_answers": selectors.doctor_recent_answers(profile=doctor, limit=PROFILE_RECENT_ANSWERS),
            "reviews": selectors.doctor_reviews(profile=doctor, include_hidden=is_moderator, limit=PROFILE_REVIEWS),
            "viewer_id": request.user.pk if request.user.is_authenticated else None,
            "can_moderate": is_moderator,
            "is_own": request.user.is_authenticated and doctor.user_id == request.user.pk,
            "is_staff_viewer": can_verify_doctors(request.user),
            "jsonld": jsonld.script_content(jsonld.physician(doctor, request.build_absolute_uri))
            if doctor.is_verified
            else "",
            "nav": "doctors",
        },
    )


@private_page  # licence numbers and e-mail addresses of doctors waiting for verification
@permission_required(can_verify_doctors)
def verification_queue(request: HttpRequest) -> HttpResponse:
    """Staff: pending profiles with their licence details, and the recent decision history."""
    pending = list(selectors.verification_pending())
    return render(
        request,
        "doctors/verification_queue.html",
        {
            "pending": pending,
            "decisions": selectors.verification_recent_decisions(limit=25),
        },
    )


@require_POST
@permission_required(can_verify_doctors)
def verification_decide(request: HttpRequest, pk: int) -> HttpResponse:
    decided_by = request.user
    assert decided_by.is_authenticated
    doctor = get_object_or_404(DoctorProfile, pk=pk)
    form = VerificationDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose approve or reject.")
        return redirect("doctors:verification_queue")
    note = form.cleaned_data["note"]
    try:
        if form.cleaned_data["decision"] == "approve":
            services.doctor_verify(profile=doctor, decided_by=decided_by, note=note)
            messages.success(request, f"{doctor.display_name} is verified and can now answer questions.")
        else:
            services.doctor_reject(profile=doctor, decided_by=decided_by, note=note)
            messages.success(request, f"{doctor.display_name} was rejected.")
    except DoctorError as exc:
        messages.error(request, exc.message)
    return redirect("doctors:verification_queue")
