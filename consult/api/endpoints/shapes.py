"""Model rows to response dicts (the schemas in ``consult/api/schemas.py`` validate them on the way out)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from consult.doctors.models import DoctorProfile
from consult.questions.jsonld import plain_text
from consult.questions.models import Answer, Question, Tag
from consult.reviews.models import Review, Treatment


def absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def tag(row: Tag) -> dict[str, Any]:
    return {"slug": row.slug, "name": row.name}


def doctor_ref(request: HttpRequest, profile: DoctorProfile) -> dict[str, Any]:
    rating = profile.rating
    return {
        "slug": profile.slug,
        "name": profile.display_name,
        "specialty": profile.specialty,
        "country": profile.country,
        "city": profile.city,
        "state": profile.state,
        "place": profile.place,
        "rating": float(rating) if rating is not None else None,
        "review_count": profile.review_count,
        "url": absolute(request, reverse("doctors:profile", kwargs={"slug": profile.slug})),
    }


def doctor(request: HttpRequest, profile: DoctorProfile) -> dict[str, Any]:
    return {
        **doctor_ref(request, profile),
        "credentials": profile.credentials,
        "bio": profile.bio,
        "board_certification": profile.board_certification,
        "languages": profile.language_list,
        "practice_name": profile.practice_name,
        "practice_address": profile.practice_address,
        "practice_phone": profile.practice_phone,
        "practice_website": profile.practice_website,
        "answer_count": profile.answer_count,
        "verified": profile.is_verified,
        "verified_at": profile.verified_at,
    }


def question_summary(request: HttpRequest, question: Question, tags: list[Tag] | None = None) -> dict[str, Any]:
    return {
        "id": question.pk,
        "title": question.title,
        "url": absolute(request, question.get_absolute_url()),
        "display_name": question.display_name,
        "created_at": question.created_at,
        "answer_count": question.answer_count,
        "tags": [tag(t) for t in (tags if tags is not None else question.tags.all())],
        "has_measured_photos": bool(getattr(question, "has_measured_photos", False)),
    }


def answer(request: HttpRequest, row: Answer, *, most_helpful_id: int | None, voted: bool) -> dict[str, Any]:
    return {
        "id": row.pk,
        "headline": row.headline,
        "body_html": row.body_html,
        "body_text": plain_text(row.body_html),
        "helpful_count": row.helpful_count,
        "is_most_helpful": row.pk == most_helpful_id,
        "is_hidden": row.is_hidden,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "url": absolute(request, row.get_absolute_url()),
        "doctor": doctor_ref(request, row.doctor),
        "voted": voted,
    }


def treatment(request: HttpRequest, row: Treatment) -> dict[str, Any]:
    return {
        "slug": row.slug,
        "name": row.name,
        "summary": row.summary,
        "description": row.description,
        "tag": row.tag.slug if row.tag_id and row.tag else None,
        "review_count": row.review_count,
        "worth_it_percent": row.worth_it_percent,
        "cost_avg": row.cost_avg,
        "cost_min": row.cost_min,
        "cost_max": row.cost_max,
        "url": absolute(request, row.get_absolute_url()),
    }


def review(row: Review, *, doctor_slug: str) -> dict[str, Any]:
    return {
        "id": row.pk,
        "doctor": doctor_slug,
        "treatment": {"slug": row.treatment.slug, "name": row.treatment.name},
        "rating": row.rating,
        "title": row.title,
        "body": row.body,
        "worth_it": row.worth_it,
        "cost": row.cost,
        "treated_on": row.treated_on,
        "author": row.author.public_name,
        "verified_patient": row.is_verified_patient,
        "reply": row.reply,
        "created_at": row.created_at,
        "edited_at": row.edited_at,
    }
