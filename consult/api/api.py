"""The API object: version 1, its routers, and how every error becomes an RFC 9457 problem."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.operation import Operation

from consult.core.errors import DomainError
from consult.core.ratelimit import limit_message, retry_after
from consult.questions import errors as question_errors
from consult.reviews import errors as review_errors

from . import cursors, limits
from .auth import unauthenticated
from .errors import FormInvalid, Refused
from .problems import CONTENT_TYPE, problem

__all__ = ["api"]

logger = logging.getLogger("consult.api")

DESCRIPTION = """\
The Consult community's data: questions with doctors' answers, doctors, reviews, treatments, search, following,
the inbox and a member's own measurements. Public reads need no sign-in. Scripts sign in with a personal token
made on the account settings page (`Authorization: Bearer cst_...`); the site's own pages use the session cookie
and send `X-CSRFToken` on writes. Lists are paginated by an opaque `cursor` (follow `next`). Every error is an
RFC 9457 problem (`application/problem+json`). Guide with examples: docs/api.md.
"""

#: OpenAPI links (operationId -> status -> link name -> (target operationId, parameters)): how one response leads
#: to the next call; schemathesis's stateful run follows them (tests/consult/api/test_schema.py).
LINKS: dict[str, dict[str, dict[str, tuple[str, dict[str, str]]]]] = {
    "question_list": {"200": {"FirstQuestion": ("question_detail", {"question_id": "$response.body#/items/0/id"})}},
    "question_detail": {"200": {
        "VoteFirstAnswer": ("vote", {"answer_id": "$response.body#/answers/0/id"}),
        "AnswerIt": ("answer_create", {"question_id": "$response.body#/id"}),
    }},
    "answer_create": {"201": {"VoteIt": ("vote", {"answer_id": "$response.body#/id"})}},
    "doctor_list": {"200": {
        "FirstDoctor": ("doctor_detail", {"slug": "$response.body#/items/0/slug"}),
        "FirstDoctorsReviews": ("doctor_reviews", {"slug": "$response.body#/items/0/slug"}),
    }},
    "doctor_detail": {"200": {
        "Reviews": ("doctor_reviews", {"slug": "$response.body#/slug"}),
        "ReviewThem": ("review_create", {"slug": "$response.body#/slug"}),
    }},
    "question_create": {"201": {
        "TheQuestion": ("question_detail", {"question_id": "$response.body#/id"}),
        "AnswerIt": ("answer_create", {"question_id": "$response.body#/id"}),
        "FollowIt": ("follow", {"question_id": "$response.body#/id"}),
    }},
    "inbox": {"200": {"ReadFirst": ("mark_read", {"notification_id": "$response.body#/items/0/id"})}},
    "treatment_list": {"200": {"FirstTreatment": ("treatment_detail", {"slug": "$response.body#/items/0/slug"})}},
}


class ConsultAPI(NinjaAPI):
    """ninja's API with the OpenAPI document finished for what the middleware and handlers really do: every
    error is ``application/problem+json`` (RFC 9457), any call may be refused 401 (a bad token) or 429 (the rate
    limit), a body that is not JSON is a 400; operation ids are the endpoint names; links connect the calls."""

    def get_openapi_operation_id(self, operation: Operation) -> str:
        return operation.view_func.__name__

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        problem_ref = {"$ref": "#/components/schemas/Problem"}
        for item in schema["paths"].values():
            for method, operation in item.items():
                # ninja keys the responses by int; JSON keys are strings (one key per status, not two)
                responses = {str(status): value for status, value in operation.get("responses", {}).items()}
                operation["responses"] = responses
                extra = ["401", "429"] + (["400"] if method in ("post", "put", "patch") else [])
                for status in extra:
                    responses.setdefault(status, {"description": HTTPStatus(int(status)).phrase})
                for status, response in responses.items():
                    if int(status) >= 400:
                        response["content"] = {CONTENT_TYPE: {"schema": problem_ref}}
                for status, links in LINKS.get(operation.get("operationId", ""), {}).items():
                    if status in responses:
                        responses[status]["links"] = {
                            name: {"operationId": target, "parameters": params}
                            for name, (target, params) in links.items()
                        }
        return schema


api = ConsultAPI(
    title="Consult API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url=None,  # the docs page is /api/docs (consult/api/urls.py), outside the versioned prefix
    docs_decorator=require_GET,  # applies to the OpenAPI document's view: GET only (405 otherwise)
    throttle=[limits.ApiThrottle()],
)

# Statuses for the domain errors the services raise (their message is the detail).
DOMAIN_STATUS: list[tuple[type[DomainError], int, str]] = [
    (question_errors.AlreadyAnswered, 409, "already-answered"),
    (question_errors.NotAllowed, 403, "not-allowed"),
    (question_errors.ContentHidden, 403, "content-hidden"),
    (review_errors.AlreadyReviewed, 409, "already-reviewed"),
    (review_errors.InvalidReview, 422, "validation-error"),
    (review_errors.ReviewNotAllowed, 403, "not-allowed"),
    (review_errors.NothingToDo, 409, "nothing-to-do"),
]


@api.exception_handler(ValidationError)
def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"loc": list(e.get("loc", [])), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
        for e in exc.errors
    ]
    return problem(request, 422, type_slug="validation-error", title="The request is not valid",
                   detail="Some fields are missing or not valid; see errors.", errors=errors)


@api.exception_handler(FormInvalid)
def _form_invalid(request: HttpRequest, exc: FormInvalid) -> HttpResponse:
    errors = []
    for field, messages in exc.errors.items():
        for message in messages:
            text = message["message"] if isinstance(message, dict) else str(message)
            errors.append({"loc": ["body", "payload", field], "msg": text, "type": "value_error"})
    return problem(request, 422, type_slug="validation-error", title="The request is not valid",
                   detail=" ".join(str(e["msg"]) for e in errors), errors=errors)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return unauthenticated(request)


@api.exception_handler(Throttled)
def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    return problem(request, 429, detail=limit_message(limits.SCOPE),
                   headers={"Retry-After": str(retry_after(limits.SCOPE))})


@api.exception_handler(limits.RateLimited)
def _rate_limited(request: HttpRequest, exc: limits.RateLimited) -> HttpResponse:
    return problem(request, 429, detail=str(exc), headers={"Retry-After": str(exc.retry_after)})


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem(request, exc.status_code, detail=str(exc))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem(request, 404, detail=str(exc) or "Not found.")


@api.exception_handler(cursors.InvalidCursor)
def _bad_cursor(request: HttpRequest, exc: cursors.InvalidCursor) -> HttpResponse:
    return problem(request, 400, type_slug="invalid-cursor", title="The cursor is not valid",
                   detail="Use the next_cursor (or next URL) of a page of this same list, unchanged.")


@api.exception_handler(Refused)
def _refused(request: HttpRequest, exc: Refused) -> HttpResponse:
    return problem(request, 403, type_slug="not-allowed", title="Not allowed", detail=str(exc))


@api.exception_handler(DomainError)
def _domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
    for cls, status, slug in DOMAIN_STATUS:
        if isinstance(exc, cls):
            errors = None
            if status == 422:
                errors = [{"loc": ["body", "payload", exc.field or "__all__"], "msg": exc.message, "type": "value_error"}]
            return problem(request, status, type_slug=slug, title=_TITLES[slug], detail=exc.message, errors=errors)
    return problem(request, 400, detail=exc.message)


_TITLES = {
    "already-answered": "Already answered",
    "already-reviewed": "Already reviewed",
    "not-allowed": "Not allowed",
    "content-hidden": "Hidden by a moderator",
    "validation-error": "The request is not valid",
    "nothing-to-do": "Nothing to do",
}


@api.exception_handler(Exception)
def _crash(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path)
    return problem(request, 500, detail="Something went wrong on our side. Please try again later.")


def _register() -> None:
    from .endpoints import doctors, me, notifications, questions, search

    api.add_router("", search.router)  # first: /questions/similar before /questions/{id}
    api.add_router("", questions.router)
    api.add_router("", doctors.router)
    api.add_router("", me.router)
    api.add_router("", notifications.router)


_register()
