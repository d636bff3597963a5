"""Doctors (the directory and profiles), their reviews, and treatments."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Router, Status
from ninja.params.functions import Query

from consult.accounts.permissions import can_moderate
from consult.doctors import selectors as doctor_selectors
from consult.doctors.models import Specialty
from consult.reviews import selectors as review_selectors
from consult.reviews import services as review_services

from .. import cursors, limits
from ..auth import MEMBER, member, viewer
from ..errors import Refused
from ..params import CURSOR, NO_NUL, SLUG, SLUG_OR_EMPTY
from ..schemas import (
    DoctorOut,
    DoctorPage,
    Problem,
    ReviewIn,
    ReviewOut,
    ReviewPage,
    TreatmentListOut,
    TreatmentOut,
)
from . import shapes

router = Router(tags=["doctors and reviews"])

PAGE_SIZE = 20
READ_ERRORS = {400: Problem, 401: Problem, 404: Problem, 422: Problem, 429: Problem}

SPECIALTIES = tuple(Specialty.values)


@router.get("/doctors", response={200: DoctorPage, **READ_ERRORS}, summary="The directory of verified doctors")
def doctor_list(
    request: HttpRequest,
    specialty: str = Query("", max_length=32, pattern=SLUG_OR_EMPTY, description=f"One of: {', '.join(SPECIALTIES)}."),
    country: str = Query("", pattern=r"^[A-Za-z]{0,2}$", description="ISO 3166-1 alpha-2 code of the practice's country."),
    state: str = Query("", pattern=r"^[A-Za-z]{0,2}$", description="Two-letter US state code (implies the US)."),
    region: str = Query("", max_length=80, pattern=NO_NUL, description="Outside the US: the region, any case."),
    city: str = Query("", max_length=80, pattern=NO_NUL),
    topic: str = Query("", max_length=50, pattern=SLUG_OR_EMPTY, description="A concern (tag slug) the doctor has answered about."),
    sort: Literal["name", "rating", "reviews", "answers"] = "name",
    cursor: str | None = CURSOR,
) -> dict[str, object]:
    """The site's directory (/doctors/): the same filters and sorts (an unknown specialty lists nobody)."""
    list_name = f"doctors:{specialty or ''}:{country.upper()}:{state}:{region.lower()}:{city.lower()}:{topic}:{sort}"
    offset = cursors.unsign(list_name, cursor) or 0
    if not isinstance(offset, int) or offset < 0:
        raise cursors.InvalidCursor()
    qs = doctor_selectors.doctor_directory(
        specialty=specialty or "", country=country.upper(), state=state.upper(), region=" ".join(region.split()),
        city=city, topic=topic, sort=sort,
    )
    rows = list(qs[offset : offset + PAGE_SIZE + 1])
    next_cursor = cursors.sign(list_name, offset + PAGE_SIZE) if len(rows) > PAGE_SIZE else None
    return {
        "items": [shapes.doctor(request, p) for p in rows[:PAGE_SIZE]],
        "next_cursor": next_cursor,
        "next": cursors.next_url(request, next_cursor),
    }


def _profile_or_404(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    profile = doctor_selectors.doctor_profile_for_viewer(slug=slug, viewer=viewer(request))
    if profile is None:
        raise Http404("No such doctor.")
    return profile


@router.get("/doctors/{slug}", response={200: DoctorOut, **READ_ERRORS}, summary="A doctor's public profile")
def doctor_detail(request: HttpRequest, slug: str = SLUG) -> dict[str, object]:
    return shapes.doctor(request, _profile_or_404(request, slug))


@router.get("/doctors/{slug}/reviews", response={200: ReviewPage, **READ_ERRORS},
            summary="A doctor's reviews, newest first")
def doctor_reviews(request: HttpRequest, slug: str = SLUG, cursor: str | None = CURSOR) -> dict[str, object]:
    """Visible reviews (moderators also get hidden ones, as on the profile)."""
    profile = _profile_or_404(request, slug)
    list_name = f"reviews:{profile.pk}"
    position = cursors.unsign(list_name, cursor)
    before = None
    if position is not None:
        try:
            before = (dt.datetime.fromisoformat(position[0]), int(position[1]))
        except (TypeError, ValueError, IndexError, KeyError) as exc:
            raise cursors.InvalidCursor() from exc
    rows = doctor_selectors.doctor_reviews(
        profile=profile, include_hidden=can_moderate(viewer(request)), limit=PAGE_SIZE + 1, before=before
    )
    page = rows[:PAGE_SIZE]
    next_cursor = (
        cursors.sign(list_name, [page[-1].created_at.isoformat(), page[-1].pk]) if len(rows) > PAGE_SIZE else None
    )
    return {
        "items": [shapes.review(r, doctor_slug=profile.slug) for r in page],
        "next_cursor": next_cursor,
        "next": cursors.next_url(request, next_cursor),
    }


@router.post("/doctors/{slug}/reviews", response={201: ReviewOut, 401: Problem, 403: Problem, 404: Problem,
                                                   409: Problem, 422: Problem, 429: Problem},
             auth=MEMBER, summary="Review a doctor (patients)")
def review_create(request: HttpRequest, payload: ReviewIn, slug: str = SLUG) -> Status[dict[str, object]]:
    """One review per patient per doctor per treatment; the site's review rules and limit (``review_write``)."""
    user = member(request)
    profile = review_selectors.reviewable_doctor(slug=slug)
    if profile is None:
        raise Http404("No such doctor, or they cannot be reviewed.")
    if not review_services.can_review(user, profile):
        raise Refused("Only patients review doctors, and not themselves.")
    treatment = review_selectors.treatment_by_slug(slug=payload.treatment)
    if treatment is None:
        raise Http404("No such treatment. GET /api/v1/treatments lists them.")
    limits.check(request, "review_write")
    review = review_services.review_create(
        author=user, doctor=profile, treatment=treatment, rating=payload.rating, title=payload.title,
        body=payload.body, worth_it=payload.worth_it, cost=payload.cost, treated_on=payload.treated_on,
    )
    review.author = user
    return Status(201, shapes.review(review, doctor_slug=profile.slug))


@router.get("/treatments", response={200: TreatmentListOut, 429: Problem}, summary="Every treatment")
def treatment_list(request: HttpRequest) -> dict[str, object]:
    """A short list (tens of rows), so one page: no cursor."""
    return {"items": [shapes.treatment(request, t) for t in review_selectors.treatments()]}


@router.get("/treatments/{slug}", response={200: TreatmentOut, **READ_ERRORS}, summary="A treatment and its figures")
def treatment_detail(request: HttpRequest, slug: str = SLUG) -> dict[str, object]:
    treatment = review_selectors.treatment_by_slug(slug=slug)
    if treatment is None:
        raise Http404("No such treatment.")
    return shapes.treatment(request, treatment)
