"""The doctor's headshot: upload or remove (the doctor), and the public file."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from consult.accounts.permissions import can_verify_doctors
from consult.core.ratelimit import ratelimit
from consult.doctors.models import DoctorProfile
from consult.practice import services
from consult.practice.errors import PracticeError
from consult.practice.forms import HeadshotForm
from consult.practice.models import Headshot


def _own_profile(request: HttpRequest) -> DoctorProfile:
    user = request.user
    assert user.is_authenticated
    profile = DoctorProfile.objects.select_related("headshot").filter(user_id=user.pk).first()
    if profile is None:
        raise PermissionDenied("Only doctors with a profile have a headshot.")
    return profile


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit("photo_upload")
def headshot_edit(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert user.is_authenticated
    profile = _own_profile(request)
    form = HeadshotForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.headshot_set(profile=profile, uploaded_by=user, upload=form.cleaned_data["image"])
        except PracticeError as exc:
            form.add_error("image", exc.message)
        else:
            messages.success(request, "Headshot saved; it shows on your profile.")
            return redirect("doctors:profile", slug=profile.slug)
    return render(request, "practice/headshot_edit.html", {"form": form, "profile": profile, "nav": "doctors"})


@login_required
@require_POST
def headshot_remove(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert user.is_authenticated
    profile = _own_profile(request)
    removed = services.headshot_remove(profile=profile, removed_by=user)
    messages.success(request, "Headshot removed." if removed else "There was no headshot to remove.")
    return redirect("practice:headshot_edit")


@require_GET
def headshot(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The file: public for a verified doctor, else only for the doctor and staff (like the profile)."""
    shot = get_object_or_404(Headshot.objects.select_related("doctor"), pk=pk)
    doctor = shot.doctor
    own = request.user.is_authenticated and doctor.user_id == request.user.pk
    if not (doctor.is_verified or own or can_verify_doctors(request.user)):
        raise Http404("No such headshot.")
    try:
        handle = default_storage.open(shot.file, "rb")
    except OSError:
        raise Http404("No such headshot.") from None
    response = FileResponse(handle, content_type="image/jpeg")
    # A new upload gets a new address, so a public file never changes under its URL.
    response["Cache-Control"] = "public, max-age=31536000, immutable" if doctor.is_verified else "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
