"""Practice pages: the headshot, the before/after gallery (posting, consent withdrawal, the public pages and
photos) and consultation requests."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotModified,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from consult.accounts.decorators import private_page
from consult.accounts.models import User
from consult.accounts.permissions import can_verify_doctors
from consult.core.paging import page_number
from consult.core.ratelimit import ratelimit
from consult.doctors.models import DoctorProfile, VerificationStatus
from consult.practice import permissions, selectors, services
from consult.practice.errors import PracticeError
from consult.practice.forms import ConsultationForm, ConsultationReplyForm, GalleryPairForm, HeadshotForm
from consult.practice.models import GalleryPair, Headshot
from consult.practice.work import GALLERY_MEASURES


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


# --- gallery -------------------------------------------------------------------------------------------------

GALLERY_PAGE_SIZE = 12


@private_page
@login_required
@require_http_methods(["GET", "POST"])
@ratelimit("photo_upload")
def gallery_manage(request: HttpRequest) -> HttpResponse:
    """The doctor's own gallery: every pair with its state, consent withdrawal, and the form to post a pair."""
    user = request.user
    assert user.is_authenticated
    profile = _own_profile(request)
    if not permissions.can_post_gallery(user, profile):
        raise PermissionDenied("Only verified doctors post before/after photos.")
    form = GalleryPairForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.gallery_pair_create(
                doctor=profile,
                posted_by=user,
                treatment=data["treatment"],
                before=data["before"],
                after=data["after"],
                consent_confirmed=data["consent_confirmed"],
                consent_note=data["consent_note"],
                consent_given_on=data["consent_given_on"],
                privacy=data["privacy"],
                expression=data["expression"],
                caption=data["caption"],
                before_taken_on=data["before_taken_on"],
                after_taken_on=data["after_taken_on"],
                before_crop=form.crop("before"),
                after_crop=form.crop("after"),
            )
        except PracticeError as exc:
            field = form.crop_field(exc.field)
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(
                request, "Pair uploaded. It is being measured and appears on your profile once both photos are measured."
            )
            return redirect("practice:gallery_manage")
    return render(
        request,
        "practice/gallery_manage.html",
        {
            "form": form,
            "profile": profile,
            "pairs": selectors.own_pairs(doctor=profile),
            "measure_labels": GALLERY_MEASURES,
            "nav": "doctors",
        },
    )


def _managed_pair(request: HttpRequest, pk: int) -> GalleryPair:
    found = selectors.pair(pk=pk)
    if found is None or not permissions.can_manage_pair(request.user, found):
        raise Http404("No such gallery pair.")
    return found


def _back_from_pair(found: GalleryPair, user: User) -> HttpResponse:
    """After withdrawing or removing a pair: the doctor back to their gallery, staff to the doctor's profile."""
    if found.doctor.user_id == user.pk:
        return redirect("practice:gallery_manage")
    return redirect("doctors:profile", slug=found.doctor.slug)


@login_required
@require_POST
def gallery_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert user.is_authenticated
    found = _managed_pair(request, pk)
    services.gallery_consent_withdraw(pair=found, withdrawn_by=user)
    messages.success(request, "Consent withdrawal recorded: the pair is off every page and its photos are deleted.")
    return _back_from_pair(found, user)


@login_required
@require_POST
def gallery_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert user.is_authenticated
    found = _managed_pair(request, pk)
    services.gallery_pair_remove(pair=found, removed_by=user)
    messages.success(request, "Pair removed.")
    return _back_from_pair(found, user)


@require_GET
def gallery_photo(request: HttpRequest, pk: int, side: str) -> HttpResponseBase:
    """A published pair's photo (blurred or cropped as chosen); unpublished ones only to the doctor and staff."""
    found = selectors.pair(pk=pk)
    if found is None or side not in ("before", "after") or not permissions.can_see_pair_photos(request.user, found):
        raise Http404("No such photo.")
    name = found.before_image if side == "before" else found.after_image
    if not name:
        raise Http404("No such photo.")
    # Withdrawing consent must stop the photo at once, everywhere: no shared cache (CDN, proxy) may keep it
    # ("private"), and a browser that has it asks again before every reuse ("no-cache"), which costs a 304 while
    # the pair is published (the ETag names the stored file, which is new each time a pair is published) and
    # gets the 404 once consent is withdrawn. Unpublished photos (the doctor's and staff's view) are not kept.
    etag = f'"{hashlib.sha256(name.encode()).hexdigest()[:32]}"'
    if found.is_published and etag in _etags(request.headers.get("If-None-Match", "")):
        response: HttpResponse = HttpResponseNotModified()
    else:
        try:
            with services.gallery_storage().open(name, "rb") as handle:
                data = handle.read()
        except OSError:
            raise Http404("No such photo.") from None
        response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = GALLERY_PHOTO_CACHE if found.is_published else "private, no-store"
    if found.is_published:
        response["ETag"] = etag
    response["X-Content-Type-Options"] = "nosniff"
    # Not in search engines' image indexes (robots.txt keeps crawlers out too): their copies cannot be recalled.
    response["X-Robots-Tag"] = "noindex, noimageindex"
    return response


GALLERY_PHOTO_CACHE = "private, no-cache"


def _etags(header: str) -> set[str]:
    return {part.strip().removeprefix("W/") for part in header.split(",") if part.strip()}


@require_GET
def doctor_gallery(request: HttpRequest, slug: str) -> HttpResponse:
    """Every published pair of one doctor, newest first, a page at a time."""
    doctor = DoctorProfile.objects.select_related("headshot").filter(slug=slug, status=VerificationStatus.VERIFIED).first()
    if doctor is None:
        raise Http404("No verified doctor with that address.")
    number = page_number(request.GET.get("page"))
    pairs = selectors.doctor_gallery(doctor=doctor, limit=GALLERY_PAGE_SIZE + 1, offset=(number - 1) * GALLERY_PAGE_SIZE)
    if not pairs and number > 1:
        raise Http404("No such page.")
    return render(
        request,
        "practice/gallery_doctor.html",
        {
            "doctor": doctor,
            "pairs": pairs[:GALLERY_PAGE_SIZE],
            "page_number": number,
            "next_page": number + 1 if len(pairs) > GALLERY_PAGE_SIZE else None,
            "previous_page": number - 1 if number > 1 else None,
            "is_own": request.user.is_authenticated and doctor.user_id == request.user.pk,
            "nav": "doctors",
        },
    )


# --- consultation requests -----------------------------------------------------------------------------------


@private_page
@login_required
@require_http_methods(["GET", "POST"])
@ratelimit("consultation_request")
def consultation_new(request: HttpRequest, slug: str) -> HttpResponse:
    """A member writes privately to a verified doctor's practice (from the profile)."""
    user = request.user
    assert user.is_authenticated
    doctor = get_object_or_404(DoctorProfile, slug=slug)
    refusal = permissions.consultation_refusal(user, doctor)
    if refusal is not None:
        if not doctor.is_verified and not doctor.is_former:
            raise Http404("No verified doctor with that address.")
        raise PermissionDenied(refusal)
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.consultation_request_send(doctor=doctor, sender=user, **form.cleaned_data)
        except PracticeError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"Sent to {doctor.display_name}'s practice. Only they and Consult staff can read it.")
            return redirect(sent.get_absolute_url())
    return render(request, "practice/consultation_form.html", {"form": form, "doctor": doctor, "nav": "doctors"})


@private_page
@login_required
@require_GET
def consultation_list(request: HttpRequest) -> HttpResponse:
    """The requests a member sent (a doctor sees the ones they received in their dashboard)."""
    return render(
        request,
        "practice/consultation_list.html",
        {"sent": selectors.consultations_sent(user=request.user)},
    )


@private_page
@login_required
@require_http_methods(["GET", "POST"])
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One request: the sender, the doctor and staff see it (anyone else: 404); the doctor replies once."""
    user = request.user
    assert user.is_authenticated
    found = selectors.consultation(pk=pk)
    if found is None or not permissions.can_see_consultation(user, found):
        raise Http404("No such consultation request.")
    can_reply = permissions.can_reply_consultation(user, found) and found.replied_at is None
    form = ConsultationReplyForm(request.POST or None) if can_reply else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Only the doctor this request was sent to can reply, once.")
        if form.is_valid():
            try:
                services.consultation_reply(consultation=found, replied_by=user, reply=form.cleaned_data["reply"])
            except PracticeError as exc:
                form.add_error("reply" if exc.field == "reply" else None, exc.message)
            else:
                messages.success(request, "Reply sent.")
                return redirect(found.get_absolute_url())
    elif found.doctor.user_id == user.pk:
        services.consultation_mark_read(consultation=found, reader=user)
    return render(
        request,
        "practice/consultation_detail.html",
        {"consultation": found, "form": form, "is_doctor": found.doctor.user_id == user.pk},
    )
