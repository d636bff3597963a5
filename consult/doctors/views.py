"""Doctor pages: profile editing, the public directory and profiles, and the staff verification queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from consult.accounts.decorators import permission_required, private_page
from consult.accounts.models import Role
from consult.accounts.permissions import can_moderate, can_verify_doctors
from consult.core import pagecache
from consult.core.pagecache import anonymous_page_cache
from consult.core.paging import page_number
from consult.core.ratelimit import ratelimit
from consult.doctors import jsonld, selectors, services
from consult.doctors.errors import DoctorError
from consult.doctors.forms import (
    DirectoryFilterForm,
    DoctorProfileForm,
    LicenceDocumentForm,
    VerificationDecisionForm,
)
from consult.doctors.models import DoctorProfile, LicenceDocument

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
    initial = DoctorProfileForm.initial_for(profile) if profile is not None else {}
    form = DoctorProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        was_verified = profile is not None and profile.is_verified
        try:
            if profile is None:
                profile = services.doctor_profile_create(user=user, **form.service_data())
                messages.success(
                    request,
                    "Profile submitted. Staff will verify your licence; add a scan of it below so they can "
                    "check it faster.",
                )
                return redirect(reverse("doctors:profile_edit") + "#licence-documents")
            else:
                profile = services.doctor_profile_update(profile=profile, **form.service_data())
                if was_verified and not profile.is_verified:
                    messages.warning(
                        request,
                        "Profile saved. Your licence details changed, so staff will verify them again.",
                    )
                else:
                    messages.success(request, "Profile saved.")
        except DoctorError as exc:
            form.add_error(form.field_for(exc.field), exc.message)
        else:
            return redirect("doctors:profile", slug=profile.slug)
    latest = selectors.doctor_latest_decision(profile=profile) if profile is not None else None
    return render(
        request,
        "doctors/profile_edit.html",
        {
            "form": form,
            "profile": profile,
            "latest_decision": latest,
            "licence_form": LicenceDocumentForm(),
            "licence_documents": selectors.licence_documents_of(profile=profile) if profile is not None else [],
            "nav": "doctors",
        },
    )


def _own_doctor_profile(request: HttpRequest) -> DoctorProfile:
    user = request.user
    assert user.is_authenticated
    profile = selectors.doctor_profile_of(user=user)
    if profile is None:
        raise PermissionDenied("Create your doctor profile first.")
    return profile


@private_page
@login_required
@require_POST
@ratelimit("photo_upload")
def licence_upload(request: HttpRequest) -> HttpResponse:
    """The doctor adds a licence document (seen only by staff) from their profile page."""
    user = request.user
    assert user.is_authenticated
    profile = _own_doctor_profile(request)
    form = LicenceDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["document"]
        try:
            services.licence_document_add(profile=profile, uploaded_by=user, upload=upload, name=upload.name or "")
        except DoctorError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Document uploaded. Only Consult staff can open it.")
    else:
        messages.error(request, " ".join(str(error) for error in form.errors.get("document", ["Choose a file to upload."])))
    return redirect(reverse("doctors:profile_edit") + "#licence-documents")


@login_required
@require_POST
def licence_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert user.is_authenticated
    profile = _own_doctor_profile(request)
    document = get_object_or_404(LicenceDocument.objects.select_related("profile"), pk=pk, profile=profile)
    services.licence_document_remove(document=document, removed_by=user)
    messages.success(request, "Document removed.")
    return redirect(reverse("doctors:profile_edit") + "#licence-documents")


@private_page
@permission_required(can_verify_doctors)
@require_GET
def licence_document(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff only: the stored file, from the private storage (never a public media URL)."""
    document = selectors.licence_document(pk=pk)
    if document is None:
        raise Http404("No such document.")
    try:
        with services.licence_storage().open(document.file, "rb") as handle:
            data = handle.read()
    except OSError:
        raise Http404("No such document.") from None
    response = HttpResponse(data, content_type=document.content_type)
    response["Content-Disposition"] = f'inline; filename="licence-{document.pk}.{document.file.rsplit(".", 1)[-1]}"'
    response["X-Content-Type-Options"] = "nosniff"
    # A PDF opened in the browser runs in a sandbox: no scripts, no same-origin access.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response


def directory(request: HttpRequest) -> HttpResponse:
    """Verified doctors, filterable by specialty, country, then state or region, city and topic, sortable by
    rating, reviews, answers."""
    filters = DirectoryFilterForm(request.GET or None)
    chosen = {"specialty": "", "country": "", "state": "", "region": "", "city": "", "topic": "", "sort": "name"}
    if filters.is_valid():
        chosen.update({name: value for name, value in filters.cleaned_data.items() if value})
        chosen["city"] = " ".join(chosen["city"].split())
        chosen["region"] = " ".join(chosen["region"].split())
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
            "filtered": any(chosen[name] for name in ("specialty", "country", "state", "region", "city", "topic")),
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
    reviews_page = page_number(request.GET.get("reviews"))
    # One row more than a page says whether there is a next page (no COUNT query).
    reviews = selectors.doctor_reviews(
        profile=doctor,
        include_hidden=is_moderator,
        limit=PROFILE_REVIEWS + 1,
        offset=(reviews_page - 1) * PROFILE_REVIEWS,
    )
    if not reviews and reviews_page > 1:
        raise Http404("No such page of reviews.")
    return render(
        request,
        "doctors/profile.html",
        {
            "doctor": doctor,
            "recent_answers": selectors.doctor_recent_answers(profile=doctor, limit=PROFILE_RECENT_ANSWERS),
            "reviews": reviews[:PROFILE_REVIEWS],
            "reviews_page": reviews_page,
            "reviews_next": reviews_page + 1 if len(reviews) > PROFILE_REVIEWS else None,
            "reviews_previous": reviews_page - 1 if reviews_page > 1 else None,
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
