"""The doctor's dashboard: consultation requests, new reviews, helpful votes, questions to answer."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from consult.accounts.decorators import private_page
from consult.dashboard import selectors


@private_page
@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert user.is_authenticated
    try:
        doctor = user.doctor_profile  # loaded with the user (accounts.backends): no query
    except ObjectDoesNotExist:
        raise PermissionDenied("The dashboard is for doctors with a profile.") from None
    consultations = selectors.consultation_requests(doctor=doctor)
    return render(
        request,
        "dashboard/home.html",
        {
            "doctor": doctor,
            "consultations": consultations,
            "unread": sum(1 for c in consultations if c.read_at is None),
            "reviews": selectors.new_reviews(doctor=doctor),
            "recent_votes": selectors.recent_votes(doctor=doctor),
            "recent_days": selectors.RECENT_DAYS,
            "top_answers": selectors.top_answers(doctor=doctor),
            "questions": selectors.unanswered_in_specialty(doctor=doctor) if doctor.is_verified else [],
            "nav": "doctors",
        },
    )
