"""Review and treatment pages: thin; the rules are in services.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from consult.core.ratelimit import ratelimit
from consult.reviews import selectors, services
from consult.reviews.errors import ReviewError
from consult.reviews.forms import ReplyForm, ReviewEditForm, ReviewForm
from consult.reviews.models import Review

TREATMENT_REVIEWS = 20


def _on_profile(review: Review) -> str:
    return reverse("doctors:profile", kwargs={"slug": review.doctor.slug}) + f"#review-{review.pk}"


def _add_error(form: ReviewForm | ReplyForm, exc: ReviewError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit("review_write")
def review_write(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    assert user.is_authenticated
    doctor = selectors.reviewable_doctor(slug=slug)
    if doctor is None:
        raise Http404("No verified doctor with that address.")
    allowed = services.can_review(user, doctor)
    form = ReviewForm(request.POST or None, initial={"treatment": request.GET.get("treatment")})
    if allowed and request.method == "POST" and form.is_valid():
        try:
            review = services.review_create(author=user, doctor=doctor, **form.cleaned_data)
        except ReviewError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, "Thank you: your review is published.")
            return redirect(_on_profile(review))
    return render(
        request,
        "reviews/review_form.html",
        {"form": form, "doctor": doctor, "allowed": allowed, "review": None, "nav": "doctors"},
        status=200 if allowed else 403,
    )


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit("review_write")
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert user.is_authenticated
    review = selectors.own_review(pk=pk, user=user)
    if review is None:
        raise Http404("You have no review with that number.")
    initial = {name: getattr(review, name) for name in services.REVIEW_FIELDS}
    form = ReviewEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_update(review=review, editor=user, **form.cleaned_data)
        except ReviewError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, "Your review is updated.")
            return redirect(_on_profile(review))
    return render(
        request,
        "reviews/review_form.html",
        {"form": form, "doctor": review.doctor, "allowed": True, "review": review, "nav": "doctors"},
    )


def _review_or_404(pk: int) -> Review:
    review = selectors.review_with_doctor(pk=pk)
    if review is None:
        raise Http404("No such review.")
    return review


@login_required
@require_POST
def review_reply(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert user.is_authenticated
    review = _review_or_404(pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("body", ["Check the reply."])))
        return redirect(_on_profile(review))
    try:
        services.review_reply(review=review, doctor_user=user, body=form.cleaned_data["body"])
    except ReviewError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Your reply is published." if review.reply else "Your reply is withdrawn.")
    return redirect(_on_profile(review))


@login_required
@require_POST
def review_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert user.is_authenticated
    review = _review_or_404(pk)
    confirmed = request.POST.get("confirmed") != "0"
    try:
        services.review_confirm_patient(review=review, doctor_user=user, confirmed=confirmed)
    except ReviewError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Marked as your patient." if confirmed else "Confirmation withdrawn.")
    return redirect(_on_profile(review))


@require_GET
def treatment_list(request: HttpRequest) -> HttpResponse:
    return render(request, "reviews/treatment_list.html", {"treatments": list(selectors.treatments()), "nav": "treatments"})


@require_GET
def treatment_detail(request: HttpRequest, slug: str) -> HttpResponse:
    treatment = selectors.treatment_by_slug(slug=slug)
    if treatment is None:
        raise Http404("No such treatment.")
    return render(
        request,
        "reviews/treatment_detail.html",
        {
            "treatment": treatment,
            "reviews": selectors.treatment_reviews(treatment=treatment, limit=TREATMENT_REVIEWS),
            "questions": selectors.treatment_related_questions(treatment=treatment),
            "top_doctors": selectors.treatment_top_doctors(treatment=treatment),
            "nav": "treatments",
        },
    )
