"""Following questions (consult.questions' follow rule) and the member's inbox (consult.notifications)."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Router

from consult.notifications import selectors as inbox_selectors
from consult.notifications import services as inbox_services
from consult.questions import permissions, selectors, services

from .. import cursors, limits
from ..auth import MEMBER, member
from ..params import CURSOR
from ..schemas import FollowOut, InboxPage, NotificationOut, Problem, ReadAllOut

router = Router(tags=["follow and inbox"], auth=MEMBER)
ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem, 429: Problem}


def _question_or_404(request: HttpRequest, question_id: int):  # type: ignore[no-untyped-def]
    question = selectors.question_get(pk=question_id)
    if question is None or not permissions.can_see_question(member(request), question):
        raise Http404("No such question.")
    return question


@router.get("/questions/{int:question_id}/follow", response={200: FollowOut, **ERRORS},
            summary="Whether the caller follows a question")
def follow_status(request: HttpRequest, question_id: int) -> dict[str, object]:
    question = _question_or_404(request, question_id)
    return {"following": selectors.viewer_follows(viewer=member(request), question_id=question.pk)}


@router.put("/questions/{int:question_id}/follow", response={200: FollowOut, **ERRORS},
            summary="Follow a question: its new answers and updates reach the inbox")
def follow(request: HttpRequest, question_id: int) -> dict[str, object]:
    """Idempotent (following twice is following). The site's limit applies (``follow``)."""
    question = _question_or_404(request, question_id)
    limits.check(request, "follow")
    return {"following": services.follow_set(user=member(request), question=question, follow=True)}


@router.delete("/questions/{int:question_id}/follow", response={200: FollowOut, **ERRORS},
               summary="Stop following a question")
def unfollow(request: HttpRequest, question_id: int) -> dict[str, object]:
    question = _question_or_404(request, question_id)
    limits.check(request, "follow")
    return {"following": services.follow_set(user=member(request), question=question, follow=False)}


def _notification(request: HttpRequest, row: object) -> dict[str, object]:
    return {
        "id": row.pk,  # type: ignore[attr-defined]
        "kind": row.kind,  # type: ignore[attr-defined]
        "text": row.text,  # type: ignore[attr-defined]
        "url": request.build_absolute_uri(row.url),  # type: ignore[attr-defined]
        "question": row.question_id,  # type: ignore[attr-defined]
        "count": row.count,  # type: ignore[attr-defined]
        "created_at": row.created_at,  # type: ignore[attr-defined]
        "updated_at": row.updated_at,  # type: ignore[attr-defined]
        "read": row.read_at is not None,  # type: ignore[attr-defined]
    }


@router.get("/me/inbox", response={200: InboxPage, **ERRORS}, summary="The caller's notifications, newest first")
def inbox(request: HttpRequest, cursor: str | None = CURSOR) -> dict[str, object]:
    """The site's inbox (/notifications/): answers to your questions, news on what you follow, votes, invites."""
    user = member(request)
    list_name = f"inbox:{user.pk}"
    number = cursors.unsign(list_name, cursor) or 1
    if not isinstance(number, int) or number < 1:
        raise cursors.InvalidCursor()
    page = inbox_selectors.inbox_page(user=user, page=str(number))
    next_cursor = cursors.sign(list_name, page.number + 1) if page.has_next else None
    return {
        "items": [_notification(request, row) for row in page.rows],
        "next_cursor": next_cursor,
        "next": cursors.next_url(request, next_cursor),
    }


@router.post("/me/inbox/{int:notification_id}/read", response={200: NotificationOut, **ERRORS},
             summary="Mark one notification read")
def mark_read(request: HttpRequest, notification_id: int) -> dict[str, object]:
    notification = inbox_services.mark_read(user=member(request), notification_id=notification_id)
    if notification is None:
        raise Http404("No such notification.")
    return _notification(request, notification)


@router.post("/me/inbox/read", response={200: ReadAllOut, **ERRORS}, summary="Mark every notification read")
def mark_all_read(request: HttpRequest) -> dict[str, object]:
    return {"marked": inbox_services.mark_all_read(user=member(request))}
