"""Writes for reviews. Rules:

* Patients review verified doctors: one review per patient per doctor per treatment; stars 1-5, a title,
  a body, Worth It / Not Sure / Not Worth It, optionally the approximate cost and date.
* Only the author edits a review. Nobody deletes one: the doctor can neither edit nor remove it; a
  moderator may hide one that breaks the rules, with the reason recorded (never for being negative).
* The reviewed doctor may post one public reply (and edit or withdraw it) and may confirm that the author
  was their patient ("Verified patient").
* Every write that changes what counts (create, edit, hide, unhide) recomputes the doctor's and the
  treatment's figures in the same transaction (``figures.py``) and bumps every page that shows them:
  the doctor's profile and each thread with their byline (``doctors.services.doctor_pages_bump``).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from consult.accounts.models import Role, User
from consult.accounts.permissions import can_moderate
from consult.core import events, pagecache
from consult.core.services import model_update
from consult.doctors.models import DoctorProfile
from consult.doctors.services import doctor_pages_bump
from consult.reviews.errors import (
    AlreadyReviewed,
    InvalidReview,
    InvalidTreatment,
    NothingToDo,
    ReviewNotAllowed,
)
from consult.reviews.figures import refresh_doctor_figures, refresh_treatment_figures
from consult.reviews.models import Review, Treatment, WorthIt

TITLE_MIN, TITLE_MAX = 3, 120
BODY_MIN, BODY_MAX = 20, 5000
REPLY_MAX = 2000
REASON_MAX = 500
COST_MAX = 250_000  # US dollars; more is not a facial treatment, it is a typo
EARLIEST_TREATMENT = dt.date(1970, 1, 1)
REVIEW_FIELDS = ("rating", "title", "body", "worth_it", "cost", "treated_on")

DUPLICATE = "You have already reviewed this doctor for this treatment. Edit that review instead."


def _clean(
    *,
    rating: int,
    title: str,
    body: str,
    worth_it: str,
    cost: int | None,
    treated_on: dt.date | None,
) -> dict[str, object]:
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise InvalidReview("Choose from 1 to 5 stars.", field="rating")
    title = " ".join(title.split())
    if len(title) < TITLE_MIN:
        raise InvalidReview("Give your review a short title.", field="title")
    if len(title) > TITLE_MAX:
        raise InvalidReview(f"Keep the title to {TITLE_MAX} characters or fewer.", field="title")
    body = body.strip()
    if len(body) < BODY_MIN:
        raise InvalidReview(
            f"Tell other patients a little more (at least {BODY_MIN} characters).", field="body"
        )
    if len(body) > BODY_MAX:
        raise InvalidReview(f"Keep the review to {BODY_MAX} characters or fewer.", field="body")
    if worth_it not in WorthIt.values:
        raise InvalidReview("Say whether it was worth it: Worth It, Not Sure or Not Worth It.", field="worth_it")
    if cost is not None:
        if cost < 0:
            raise InvalidReview("The cost cannot be negative.", field="cost")
        if cost > COST_MAX:
            raise InvalidReview(
                f"That cost looks wrong: enter the total in US dollars, at most ${COST_MAX:,}.", field="cost"
            )
    if treated_on is not None:
        if treated_on > timezone.localdate():
            raise InvalidReview("The treatment date cannot be in the future.", field="treated_on")
        if treated_on < EARLIEST_TREATMENT:
            raise InvalidReview("Enter a date after 1970.", field="treated_on")
    return {
        "rating": rating,
        "title": title,
        "body": body,
        "worth_it": worth_it,
        "cost": cost,
        "treated_on": treated_on,
    }


def can_review(user: User, doctor: DoctorProfile) -> bool:
    """Patients review verified doctors, never themselves."""
    return user.is_active and user.role == Role.PATIENT and doctor.is_verified and doctor.user_id != user.pk


def _recount_and_bump(*, doctor_id: int, treatment_id: int) -> None:
    refresh_doctor_figures(doctor_ids=[doctor_id])
    refresh_treatment_figures(treatment_ids=[treatment_id])
    doctor_pages_bump(profile=DoctorProfile.objects.get(pk=doctor_id))


def _lock(*, doctor_id: int, treatment_id: int) -> None:
    """Serialise the writes that change one doctor's and one treatment's figures (always in this order)."""
    DoctorProfile.objects.select_for_update().filter(pk=doctor_id).values_list("pk", flat=True).first()
    Treatment.objects.select_for_update().filter(pk=treatment_id).values_list("pk", flat=True).first()


@transaction.atomic
def review_create(
    *,
    author: User,
    doctor: DoctorProfile,
    treatment: Treatment,
    rating: int,
    title: str,
    body: str,
    worth_it: str,
    cost: int | None = None,
    treated_on: dt.date | None = None,
) -> Review:
    """A patient reviews a doctor for one treatment."""
    if doctor.user_id == author.pk:
        raise ReviewNotAllowed("You cannot review yourself.")
    if author.role != Role.PATIENT:
        raise ReviewNotAllowed("Only patients can review doctors.")
    if not doctor.is_verified:
        raise ReviewNotAllowed("This doctor's profile is not public, so it cannot be reviewed.")
    fields = _clean(rating=rating, title=title, body=body, worth_it=worth_it, cost=cost, treated_on=treated_on)
    _lock(doctor_id=doctor.pk, treatment_id=treatment.pk)
    if Review.objects.filter(author=author, doctor=doctor, treatment=treatment).exists():
        raise AlreadyReviewed(DUPLICATE)
    review = Review(author=author, doctor=doctor, treatment=treatment, **fields)
    try:
        with transaction.atomic():  # the unique constraint catches a double submit
            review.save()
    except IntegrityError:
        raise AlreadyReviewed(DUPLICATE) from None
    _recount_and_bump(doctor_id=doctor.pk, treatment_id=treatment.pk)
    events.review_saved.send(sender=Review, review=review, created=True)
    return review


@transaction.atomic
def review_update(
    *,
    review: Review,
    editor: User,
    rating: int,
    title: str,
    body: str,
    worth_it: str,
    cost: int | None = None,
    treated_on: dt.date | None = None,
) -> Review:
    """The author edits their review (the doctor and treatment stay)."""
    if review.author_id != editor.pk:
        raise ReviewNotAllowed("Only the author can edit a review.")
    fields = _clean(rating=rating, title=title, body=body, worth_it=worth_it, cost=cost, treated_on=treated_on)
    _lock(doctor_id=review.doctor_id, treatment_id=review.treatment_id)
    locked = Review.objects.select_for_update().get(pk=review.pk)
    locked, changed = model_update(instance=locked, fields=REVIEW_FIELDS, data=fields)
    if changed:
        Review.objects.filter(pk=locked.pk).update(edited_at=timezone.now())
        _recount_and_bump(doctor_id=locked.doctor_id, treatment_id=locked.treatment_id)
    locked.refresh_from_db()
    if changed:
        events.review_saved.send(sender=Review, review=locked, created=False)
    return locked


@transaction.atomic
def review_set_hidden(*, review: Review, moderator: User, is_hidden: bool, reason: str = "") -> Review:
    """A moderator hides a review that breaks the rules (the reason is required and kept) or shows it again.
    Hidden reviews count nowhere; nothing is deleted."""
    if not can_moderate(moderator):
        raise ReviewNotAllowed("Only moderators can hide or restore reviews.")
    reason = reason.strip()
    if is_hidden and not reason:
        raise InvalidReview("Say which rule the review breaks; the reason is recorded.", field="reason")
    if len(reason) > REASON_MAX:
        raise InvalidReview(f"Keep the reason to {REASON_MAX} characters or fewer.", field="reason")
    _lock(doctor_id=review.doctor_id, treatment_id=review.treatment_id)
    locked = Review.objects.select_for_update().get(pk=review.pk)
    if locked.is_hidden == is_hidden:
        raise NothingToDo("This review is already hidden." if is_hidden else "This review is already visible.")
    Review.objects.filter(pk=locked.pk).update(is_hidden=is_hidden, hidden_reason=reason if is_hidden else "")
    _recount_and_bump(doctor_id=locked.doctor_id, treatment_id=locked.treatment_id)
    locked.refresh_from_db()
    review.is_hidden, review.hidden_reason = locked.is_hidden, locked.hidden_reason
    events.review_visibility_changed.send(sender=Review, review=locked, is_hidden=is_hidden)
    return locked


def _require_reviewed_doctor(review: Review, user: User) -> None:
    if review.doctor.user_id != user.pk:
        raise ReviewNotAllowed("Only the doctor who was reviewed can do that.")


@transaction.atomic
def review_reply(*, review: Review, doctor_user: User, body: str) -> Review:
    """The reviewed doctor's one public reply; saving again edits it, an empty reply withdraws it."""
    _require_reviewed_doctor(review, doctor_user)
    body = body.strip()
    if len(body) > REPLY_MAX:
        raise InvalidReview(f"Keep the reply to {REPLY_MAX} characters or fewer.", field="body")
    previous = review.reply
    Review.objects.filter(pk=review.pk).update(reply=body, replied_at=timezone.now() if body else None)
    pagecache.bump(pagecache.doctor(review.doctor.slug))
    review.refresh_from_db()
    if body and body != previous:
        events.review_replied.send(sender=Review, review=review, created=not previous)
    return review


@transaction.atomic
def review_confirm_patient(*, review: Review, doctor_user: User, confirmed: bool = True) -> Review:
    """The reviewed doctor confirms (or withdraws the confirmation) that the author was their patient."""
    _require_reviewed_doctor(review, doctor_user)
    Review.objects.filter(pk=review.pk).update(patient_confirmed_at=timezone.now() if confirmed else None)
    pagecache.bump(pagecache.doctor(review.doctor.slug))
    review.refresh_from_db()
    return review


# -- treatment pages (staff, through the admin; the demo loader) ---------------------------------------

TREATMENT_FIELDS = ("name", "summary", "description", "tag_id")
_TREATMENT_LIMITS = {"name": 80, "summary": 240, "description": 20_000}


def _treatment_clean(*, name: str, summary: str, description: str, tag_id: int | None) -> dict[str, object]:
    data: dict[str, object] = {"tag_id": tag_id}
    for field, value in (("name", name), ("summary", summary), ("description", description)):
        value = (value or "").strip()
        if not value:
            raise InvalidTreatment(f"The {field} is required.", field=field)
        if len(value) > _TREATMENT_LIMITS[field]:
            raise InvalidTreatment(f"Keep the {field} to {_TREATMENT_LIMITS[field]} characters or fewer.", field=field)
        data[field] = value
    return data


def _treatment_pages_bump(treatment: Treatment) -> None:
    """Pages that show a treatment's name and are cached: the profiles of the doctors with a review of it or
    a before/after pair of it (the treatment pages themselves and their list are not cached; the search
    index follows ``treatment_saved``)."""
    slugs = (
        DoctorProfile.objects.filter(Q(reviews__treatment=treatment) | Q(gallery_pairs__treatment=treatment))
        .values_list("slug", flat=True)
        .distinct()
    )
    pagecache.bump(*(pagecache.doctor(slug) for slug in slugs))


@transaction.atomic
def treatment_create(
    *, slug: str, name: str, summary: str, description: str, tag_id: int | None = None
) -> Treatment:
    """A new treatment page (``/treatments/<slug>/``). The slug is its address for good: it cannot change."""
    slug = (slug or "").strip()
    try:
        validate_slug(slug)
    except ValidationError:
        raise InvalidTreatment("Use letters, numbers, hyphens or underscores for the address.", field="slug") from None
    if len(slug) > 80:
        raise InvalidTreatment("Keep the address to 80 characters or fewer.", field="slug")
    data = _treatment_clean(name=name, summary=summary, description=description, tag_id=tag_id)
    try:
        with transaction.atomic():
            treatment = Treatment.objects.create(slug=slug, **data)
    except IntegrityError:
        raise InvalidTreatment("A treatment page with this address exists already.", field="slug") from None
    events.treatment_saved.send(sender=Treatment, treatment=treatment, created=True)
    return treatment


@transaction.atomic
def treatment_update(
    *, treatment: Treatment, name: str, summary: str, description: str, tag_id: int | None = None
) -> tuple[Treatment, bool]:
    """Edit a treatment page's text or question tag; returns ``(treatment, changed)``. Nothing changed:
    nothing is written or announced. A new name refreshes the cached profiles that show it."""
    data = _treatment_clean(name=name, summary=summary, description=description, tag_id=tag_id)
    locked = Treatment.objects.select_for_update().get(pk=treatment.pk)
    renamed = locked.name != data["name"]
    locked, changed = model_update(instance=locked, fields=TREATMENT_FIELDS, data=data)
    if changed:
        if renamed:
            _treatment_pages_bump(locked)
        events.treatment_saved.send(sender=Treatment, treatment=locked, created=False)
    for field in TREATMENT_FIELDS:
        setattr(treatment, field, getattr(locked, field))
    return locked, changed
