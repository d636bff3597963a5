"""The before/after gallery on pages of other apps (the doctor profile, the treatment page): they load these
tags by name, so neither imports the practice app."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from consult.accounts.permissions import is_staff_member
from consult.doctors.models import DoctorProfile
from consult.practice import selectors
from consult.practice.models import GalleryPair
from consult.practice.work import GALLERY_MEASURES, UNITS

register = template.Library()

PROFILE_PAIRS = 4
TREATMENT_PAIRS = 6


def _viewer(context: template.Context) -> Any:
    request = context.get("request")
    return getattr(request, "user", None)


@register.inclusion_tag("practice/_gallery_section.html", takes_context=True)
def doctor_gallery(context: template.Context, doctor: DoctorProfile) -> dict[str, Any]:
    """The doctor's newest published pairs (one query)."""
    user = _viewer(context)
    pairs = selectors.doctor_gallery(doctor=doctor, limit=PROFILE_PAIRS + 1) if doctor.is_verified else []
    return {
        "pairs": pairs[:PROFILE_PAIRS],
        "more_url": reverse("practice:doctor_gallery", kwargs={"slug": doctor.slug}) if len(pairs) > PROFILE_PAIRS else "",
        "doctor": doctor,
        "is_own": bool(user is not None and user.is_authenticated and doctor.user_id == user.pk and doctor.is_verified),
        "is_staff_viewer": is_staff_member(user) if user is not None else False,
        "show_doctor": False,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("practice/_gallery_section.html", takes_context=True)
def treatment_gallery(context: template.Context, treatment_id: int) -> dict[str, Any]:
    """The newest published pairs of a treatment, from every doctor (one query)."""
    user = _viewer(context)
    return {
        "pairs": selectors.treatment_gallery(treatment_id=treatment_id, limit=TREATMENT_PAIRS),
        "more_url": "",
        "doctor": None,
        "is_own": False,
        "is_staff_viewer": is_staff_member(user) if user is not None else False,
        "show_doctor": True,
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def pair_image_url(pair: GalleryPair, side: str) -> str:
    return pair.image_url(side)


@register.simple_tag
def pair_changes(pair: GalleryPair) -> list[dict[str, Any]]:
    """Each measured change as the gallery shows it: label, before and after left/right difference with unit,
    and whether the engine doubted either number."""
    before, after = pair.measures.get("before", {}), pair.measures.get("after", {})
    rows = []
    for name, label in GALLERY_MEASURES.get(pair.expression, {}).items():
        if name not in before or name not in after:
            continue
        unit = UNITS.get(name, " mm")
        rows.append({
            "label": f"{label} difference",
            "before": f"{before[name]['deviation']:.1f}{unit}",
            "after": f"{after[name]['deviation']:.1f}{unit}",
            "low": bool(before[name].get("low") or after[name].get("low")),
        })
    return rows
