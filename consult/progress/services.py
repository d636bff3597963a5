"""Writes for the progress timeline: treatments and questionnaire answers."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from consult.accounts.models import User
from consult.photos.models import Visit

from . import instruments
from .errors import NotYours, ProgressError
from .models import OutcomeResponse, Treatment, TreatmentKind

__all__ = [
    "ProgressError",
    "member_progress_delete",
    "outcome_delete", "outcome_submit", "treatment_delete", "treatment_log"]


def _check_date(day: datetime.date) -> None:
    if day > timezone.localdate():
        raise ProgressError("That date is in the future.", field="date")
    if day.year < 1900:
        raise ProgressError("Please check the year.", field="date")


@transaction.atomic
def treatment_log(
    *, patient: User, kind: str, date: datetime.date, label: str = "", notes: str = ""
) -> Treatment:
    """Log a treatment so it shows as a marker on the patient's charts."""
    if kind not in TreatmentKind.values:
        raise ProgressError("Choose a kind of treatment.", field="kind")
    _check_date(date)
    return Treatment.objects.create(patient=patient, kind=kind, date=date, label=label.strip(), notes=notes.strip())


@transaction.atomic
def treatment_delete(*, treatment: Treatment, by: User) -> None:
    """Remove a logged treatment (and its chart marker); only its patient may."""
    if treatment.patient_id != by.pk:
        raise NotYours("You can only delete your own treatments.")
    treatment.delete()


@transaction.atomic
def outcome_submit(
    *,
    patient: User,
    instrument: str,
    answers: Mapping[str, object],
    completed_on: datetime.date,
    visit: Visit | None = None,
) -> OutcomeResponse:
    """Score and keep one filled questionnaire (every item answered; no proration)."""
    try:
        spec = instruments.get(instrument)
        scores = instruments.score(spec, answers)
    except instruments.InstrumentError as exc:
        raise ProgressError(str(exc)) from exc
    if visit is not None and visit.patient_id != patient.pk:
        raise NotYours("That photo set is not yours.", field="visit")
    _check_date(completed_on)
    clean = {key: int(str(answers[key])) for key in spec.keys}
    return OutcomeResponse.objects.create(
        patient=patient, instrument=spec.slug, answers=clean, scores=scores, completed_on=completed_on, visit=visit
    )


@transaction.atomic
def outcome_delete(*, response: OutcomeResponse, by: User) -> None:
    """Remove a filled questionnaire; only its patient may."""
    if response.patient_id != by.pk:
        raise NotYours("You can only delete your own answers.")
    response.delete()


@transaction.atomic
def member_progress_delete(*, patient: User) -> None:
    """Deleting an account: every logged treatment and filled questionnaire of ``patient`` (their photos
    and measurements go through ``consult.photos.services.member_photos_delete``)."""
    OutcomeResponse.objects.filter(patient=patient).delete()
    Treatment.objects.filter(patient=patient).delete()
