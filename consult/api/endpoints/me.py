"""The caller's own data: who they are, their photo sets' measurements, their progress export.

Always the caller's own (there is no id to ask for someone else's): the owner is the one person who always
sees their photo sets (``consult.photos.permissions``), so nothing else is checked or could leak. Photo files
themselves stay on the site (permission-checked, logged); the API gives the numbers."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from consult.photos.selectors import visits_for_patient
from consult.progress.selectors import export_document
from consult.questions.permissions import doctor_of

from ..auth import MEMBER, member
from ..schemas import ExportOut, MeasurementsOut, MeOut, Problem

router = Router(tags=["me"], auth=MEMBER)
ERRORS = {401: Problem, 403: Problem, 429: Problem}


@router.get("/me", response={200: MeOut, **ERRORS}, summary="Who the token or session belongs to")
def me(request: HttpRequest) -> dict[str, object]:
    user = member(request)
    doctor = doctor_of(user)
    return {"id": user.pk, "display_name": user.public_name, "role": user.role,
            "doctor": doctor.slug if doctor is not None else None}


@router.get("/me/measurements", response={200: MeasurementsOut, **ERRORS},
            summary="The caller's photo sets with each photo's measurements")
def measurements(request: HttpRequest) -> dict[str, object]:
    """Newest set first; ``measurement`` holds the engine's measures in millimetres (docs/measurement.md),
    ``report`` the set's grades. Two queries whatever the number of sets."""
    visits = visits_for_patient(patient=member(request))
    return {
        "items": [
            {
                "id": v.pk, "taken_on": v.taken_on, "question": v.question_id, "status": v.status, "report": v.report,
                "photos": [{"id": p.pk, "expression": p.expression, "status": p.status, "error": p.error,
                            "measurement": p.measurement} for p in v.photos.all()],
            }
            for v in visits
        ]
    }


@router.get("/me/progress/export", response={200: ExportOut, **ERRORS},
            summary="Everything logged or measured: the site's JSON export")
def progress_export(request: HttpRequest) -> dict[str, object]:
    return export_document(patient=member(request))
