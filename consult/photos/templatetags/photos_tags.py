"""``{% thread_photos %}``: the private photos-and-report section of a question thread.

Renders nothing (and runs no query) for anyone who may not see the asker's photos, so anonymous and
cached thread pages never contain it. For allowed viewers it costs one query.
"""

from __future__ import annotations

from typing import Any

from django import template

from consult.accounts.permissions import can_moderate, is_staff_member

from .. import selectors
from ..report import build_report

register = template.Library()


@register.inclusion_tag("photos/_thread_photos.html", takes_context=True)
def thread_photos(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    question = context.get("question")
    thread = context.get("thread")
    if request is None or question is None:
        return {}
    user = request.user
    is_owner = user.is_authenticated and user.pk == question.author_id
    doctor = getattr(thread, "viewer_doctor", None)  # already loaded by the thread selector
    allowed = is_owner or can_moderate(user) or is_staff_member(user) or bool(doctor and doctor.is_verified)
    if not allowed or not user.is_active:
        return {}
    visits = selectors.visits_for_question(question_id=question.pk)
    quote = bool(context.get("show_answer_form"))
    reports = [
        build_report(v, url=request.build_absolute_uri(v.get_absolute_url()), photos=v.photo_list)  # type: ignore[attr-defined]
        for v in visits
    ]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "question": question,
        "visits": visits,
        "reports": reports,
        "is_owner": is_owner,
        "quote": quote,
    }
