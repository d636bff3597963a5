"""``{% thread_photos %}``: the private photos-and-report section of a question thread, and
``{% answer_quotes %}``: the same measurements as a compact "Quote" list beside the doctor's answer form.

Both render nothing (and run no query) unless the page says ``can_see_photos`` (the thread page asks
``consult.questions.permissions.can_see_photos``, the one rule), so anonymous and cached pages never contain them. For allowed viewers they cost one query together: the reports
built by the first are kept on the request for the second.
"""

from __future__ import annotations

from typing import Any

from django import template

from .. import selectors, services
from ..report import VisitReport, build_report

register = template.Library()


_KEPT = "_consult_thread_reports"


def _allowed(context: template.Context) -> bool:
    return bool(context.get("can_see_photos")) and context.get("question") is not None


def _reports(context: template.Context) -> tuple[list[Any], list[VisitReport]]:
    """The thread's visits and their reports, built once per request (one query)."""
    request = context["request"]
    question = context["question"]
    kept = getattr(request, _KEPT, None)
    if kept is not None and kept[0] == question.pk:
        return kept[1], kept[2]
    visits = selectors.visits_for_question(question_id=question.pk)
    reports = [
        build_report(v, photos=v.photo_list)  # type: ignore[attr-defined]
        for v in visits
    ]
    setattr(request, _KEPT, (question.pk, visits, reports))
    return visits, reports


@register.inclusion_tag("photos/_thread_photos.html", takes_context=True)
def thread_photos(context: template.Context) -> dict[str, Any]:
    if not _allowed(context):
        return {}
    request = context["request"]
    question = context["question"]
    is_owner = request.user.pk == question.author_id
    visits, reports = _reports(context)
    if not is_owner and visits:  # a doctor, moderator or staff member looked: the patient sees it in their log
        services.access_record(viewer=request.user, visits=visits)
    quote = bool(context.get("show_answer_form"))
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "question": question,
        "visits": visits,
        "reports": reports,
        "is_owner": is_owner,
        "quote": quote,
    }


@register.inclusion_tag("photos/_answer_quotes.html", takes_context=True)
def answer_quotes(context: template.Context) -> dict[str, Any]:
    """Inside the answer form: each measured photo's numbers with a Quote button, newest photo set first."""
    if not _allowed(context) or not context.get("show_answer_form"):
        return {}
    _, reports = _reports(context)
    return {"reports": list(reversed(reports))}
