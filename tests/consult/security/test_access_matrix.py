"""Authorisation matrix (issue 11): every URL pattern x every role x GET and POST, against a table kept here.

The URL list comes from walking Django's resolver, so a new URL without an entry in ``EXPECTED`` fails
``test_every_url_has_an_entry``. Each cell builds a fresh small site (``world.build``) with something private
of every kind, signs in as the role and checks the status code; every page any role can read is also
searched for what must not leak to that role: e-mail addresses, licence numbers, private photos, reports,
treatments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from consult.accounts.services import email_change_token, signup_token
from tests.consult.security import world as W

pytestmark = pytest.mark.django_db

ROLES = W.ROLES
L = "login"  # a redirect to the sign-in page
# Codes per role, in ROLES order: anonymous, owner, other_patient, unverified_doctor, verified_doctor, moderator, staff


def row(*codes: int | str) -> dict[str, int | str]:
    assert len(codes) == len(ROLES)
    return dict(zip(ROLES, codes, strict=True))


def every(code: int | str) -> dict[str, int | str]:
    return row(*([code] * len(ROLES)))


def member(code: int | str) -> dict[str, int | str]:
    return row(L, *([code] * (len(ROLES) - 1)))


Kwargs = Callable[[W.World], dict[str, Any]]


def _headshot(world: W.World) -> Any:
    """The verified doctor's headshot (made on first use: most cells do not need the file)."""
    import io

    from consult.practice.services import headshot_set
    from tests.consult.photos.conftest import jpeg_bytes

    existing = getattr(world.doctor, "headshot", None)
    return existing or headshot_set(profile=world.doctor, uploaded_by=world.doctor.user, upload=io.BytesIO(jpeg_bytes()))

def _token(world: W.World) -> Any:
    """An API token of the owner's (made on first use)."""
    from consult.accounts.tokens import token_create

    if not hasattr(world, "api_token"):
        world.api_token = token_create(user=world.users["owner"], name="matrix").token  # type: ignore[attr-defined]
    return world.api_token  # type: ignore[attr-defined]


def _licence(world: W.World) -> Any:
    """A licence document of the unverified doctor (made on first use)."""
    import io

    from consult.doctors.services import licence_document_add

    existing = world.unverified.licence_documents.first()
    return existing or licence_document_add(
        profile=world.unverified, uploaded_by=world.unverified.user, upload=io.BytesIO(b"%PDF-1.4 test"), name="licence.pdf"
    )


def _pair(world: W.World) -> Any:
    """A published before/after pair of the verified doctor, with its files (made on first use)."""
    import datetime as dt

    from django.core.files.base import ContentFile

    from consult.practice.models import GalleryPair, PairStatus
    from consult.practice.services import gallery_storage
    from tests.consult.photos.conftest import jpeg_bytes

    existing = GalleryPair.objects.filter(doctor=world.doctor).first()
    if existing:
        return existing
    names = [gallery_storage().save(f"gallery/{side}.jpg", ContentFile(jpeg_bytes())) for side in ("before", "after")]
    return GalleryPair.objects.create(
        doctor=world.doctor, treatment=world.review.treatment, consent_note="Signed release on file",
        consent_given_on=dt.date(2025, 1, 1), status=PairStatus.READY, before_image=names[0], after_image=names[1],
    )


def _consultation(world: W.World) -> Any:
    """The owner's consultation request to the verified doctor (made on first use)."""
    from consult.practice.services import consultation_request_send

    existing = world.doctor.consultation_requests.first()
    return existing or consultation_request_send(
        doctor=world.doctor, sender=world.users["owner"], subject="A private request",
        message="Private consultation message body for the access matrix.",
    )


# url name -> (kwargs, GET codes, POST codes). POST sends an empty form: a refusal must come before any
# validation, and an allowed role gets its form errors (200/400) or a redirect after acting.
EXPECTED: dict[str, tuple[Kwargs, dict[str, int | str], dict[str, int | str]]] = {}



KWARGS: dict[str, Kwargs] = {
    "favicon.ico": lambda w: {},
    "robots.txt": lambda w: {},
    "seo:sitemap_index": lambda w: {},
    "seo:sitemap_section": lambda w: {"section": "questions"},
    "seo:feed": lambda w: {},
    "seo:feed_atom": lambda w: {},
    "seo:tag_feed": lambda w: {"slug": w.question.tags.get().slug},
    "accounts:signup": lambda w: {},
    "accounts:signup_finish": lambda w: {"token": signup_token(email="newcomer@example.com")},
    "accounts:login": lambda w: {},
    "accounts:logout": lambda w: {},
    "accounts:settings": lambda w: {},
    "accounts:token_create": lambda w: {},
    "accounts:token_revoke": lambda w: {"pk": _token(w).pk},
    "accounts:email_confirm": lambda w: {
        "token": email_change_token(user=w.users["owner"], new_email="owner.new@example.com")
    },
    "accounts:delete": lambda w: {},
    "accounts:password_reset": lambda w: {},
    "accounts:password_reset_done": lambda w: {},
    "accounts:password_reset_confirm": lambda w: {"uidb64": "MQ", "token": "set-password"},
    "accounts:password_reset_complete": lambda w: {},
    "doctors:directory": lambda w: {},
    "doctors:profile_edit": lambda w: {},
    "doctors:verification_queue": lambda w: {},
    "doctors:verification_decide": lambda w: {"pk": w.unverified.pk},
    "doctors:profile": lambda w: {"slug": w.doctor.slug},
    "doctors:licence_upload": lambda w: {},
    "doctors:licence_remove": lambda w: {"pk": _licence(w).pk},
    "doctors:licence_document": lambda w: {"pk": _licence(w).pk},
    "moderation:queue": lambda w: {},
    "moderation:flag": lambda w: {"kind": "question", "pk": w.question.pk},
    "moderation:act": lambda w: {"kind": "question", "pk": w.question.pk, "action": "hide"},
    "photos:mine": lambda w: {},
    "photos:guide": lambda w: {},
    "photos:visit_new": lambda w: {},
    "photos:visit": lambda w: {"pk": w.private_visit.pk},
    "photos:visit_status": lambda w: {"pk": w.private_visit.pk},
    "photos:visit_add": lambda w: {"pk": w.private_visit.pk},
    "photos:photo_upload": lambda w: {"pk": w.private_visit.pk},
    "photos:visit_quoting": lambda w: {"pk": w.private_visit.pk},
    "photos:visit_share": lambda w: {"pk": w.private_visit.pk},
    "photos:visit_unshare": lambda w: {"pk": w.private_visit.pk, "doctor_id": w.doctor.user_id},
    "photos:access_log": lambda w: {},
    "photos:file": lambda w: {"pk": w.private_photo.pk, "kind": "image"},
    "progress:dashboard": lambda w: {},
    "progress:treatment_add": lambda w: {},
    "progress:treatment_remove": lambda w: {"pk": w.treatment.pk},
    "progress:outcome_new": lambda w: {"slug": "saq"},
    "progress:outcome_remove": lambda w: {"pk": w.outcome.pk},
    "progress:export_csv": lambda w: {},
    "progress:export_json": lambda w: {},
    "progress:photo_delete": lambda w: {"pk": w.private_photo.pk},
    "progress:history_delete": lambda w: {},
    "questions:list": lambda w: {},
    "questions:list_alias": lambda w: {},
    "questions:unanswered": lambda w: {},
    "questions:tag": lambda w: {"slug": w.question.tags.get().slug},
    "questions:ask": lambda w: {},
    "search:page": lambda w: {},
    "search:similar": lambda w: {},
    "questions:detail_short": lambda w: {"pk": w.question.pk},
    "questions:answer_create": lambda w: {"pk": w.question.pk},
    "questions:detail": lambda w: {"pk": w.question.pk, "slug": w.question.slug},
    "questions:answer_edit": lambda w: {"pk": w.answer.pk},
    "questions:vote": lambda w: {"pk": w.answer.pk},
    "questions:most_helpful": lambda w: {"pk": w.answer.pk},
    "questions:markdown_preview": lambda w: {},
    "practice:headshot_edit": lambda w: {},
    "practice:headshot_remove": lambda w: {},
    "practice:headshot": lambda w: {"pk": _headshot(w).pk},
    "practice:gallery_manage": lambda w: {},
    "practice:gallery_withdraw": lambda w: {"pk": _pair(w).pk},
    "practice:gallery_remove": lambda w: {"pk": _pair(w).pk},
    "practice:gallery_photo": lambda w: {"pk": _pair(w).pk, "side": "after"},
    "practice:doctor_gallery": lambda w: {"slug": w.doctor.slug},
    "practice:consultation_new": lambda w: {"slug": w.doctor.slug},
    "practice:consultation_list": lambda w: {},
    "practice:consultation": lambda w: {"pk": _consultation(w).pk},
    "dashboard:home": lambda w: {},
    "reviews:write": lambda w: {"slug": w.doctor.slug},
    "reviews:edit": lambda w: {"pk": w.review.pk},
    "reviews:reply": lambda w: {"pk": w.review.pk},
    "reviews:confirm": lambda w: {"pk": w.review.pk},
    "reviews:treatments": lambda w: {},
    "reviews:treatment": lambda w: {"slug": w.review.treatment.slug},
    "api:docs": lambda w: {},
    "api-v1:api-root": lambda w: {},
    "api-v1:openapi-json": lambda w: {},
    "api-v1:tag_list": lambda w: {},
    "api-v1:question_list": lambda w: {},
    "api-v1:question_create": lambda w: {},
    "api-v1:question_detail": lambda w: {"question_id": w.question.pk},
    "api-v1:answer_create": lambda w: {"question_id": w.question.pk},
    "api-v1:vote": lambda w: {"answer_id": w.answer.pk},
    "api-v1:doctor_list": lambda w: {},
    "api-v1:doctor_detail": lambda w: {"slug": w.doctor.slug},
    "api-v1:doctor_reviews": lambda w: {"slug": w.doctor.slug},
    "api-v1:review_create": lambda w: {"slug": w.doctor.slug},
    "api-v1:treatment_list": lambda w: {},
    "api-v1:treatment_detail": lambda w: {"slug": w.review.treatment.slug},
    "api-v1:search": lambda w: {},
    "api-v1:similar": lambda w: {},
    "api-v1:follow_status": lambda w: {"question_id": w.question.pk},
    "api-v1:follow": lambda w: {"question_id": w.question.pk},
    "api-v1:unfollow": lambda w: {"question_id": w.question.pk},
    "api-v1:inbox": lambda w: {},
    "api-v1:mark_read": lambda w: {"notification_id": _owner_notification(w).pk},
    "api-v1:mark_all_read": lambda w: {},
    "api-v1:me": lambda w: {},
    "api-v1:measurements": lambda w: {},
    "api-v1:progress_export": lambda w: {},
    "questions:follow": lambda w: {"pk": w.question.pk},
    "questions:update_create": lambda w: {"pk": w.question.pk},
    "questions:mine": lambda w: {},
    "questions:my_answers": lambda w: {},
    "notifications:inbox": lambda w: {},
    "notifications:open": lambda w: {"pk": _owner_notification(w).pk},
    "notifications:read": lambda w: {"pk": _owner_notification(w).pk},
    "notifications:read_all": lambda w: {},
    "notifications:settings": lambda w: {},
    "notifications:unsubscribe": lambda w: {"token": _owner_unsubscribe_token(w)},
    "notifications:invite": lambda w: {"pk": w.question.pk},
}


def _owner_notification(world: W.World) -> Any:
    """A notification in the owner's inbox (as the worker would have put there)."""
    from consult.notifications import services as notification_services
    from consult.notifications.models import Notification

    notification_services.notification_put(
        user_id=world.users["owner"].pk, kind="answer", key=f"answer:{world.answer.pk}",
        text="Dr. Vera Verified answered your question", url=world.question.get_absolute_url(),
        question_id=world.question.pk,
    )
    return Notification.objects.get(user=world.users["owner"], key=f"answer:{world.answer.pk}")


def _owner_unsubscribe_token(world: W.World) -> str:
    from consult.notifications.services import unsubscribe_token

    return unsubscribe_token(user_id=world.users["owner"].pk, kind="answer")

# RFC 8058 one-click unsubscribing: the mail client POSTs without the site's cookie or CSRF token; the signed
# token in the URL is the proof (tests/consult/notifications/test_email.py).
CSRF_EXEMPT = {"notifications:unsubscribe"}


# Judged cell by cell (issue 11). Reading the codes: "login" = sent to sign in; 404 where a private thing
# exists but is not yours (its existence is not confirmed); 403 where the page is a role's tool (queues,
# doctor profile form); 405 for the wrong method; 302 after acting (or refusing with a message); 400/200 for
# an empty form's errors.
R = row
EXPECTED.update({
    "favicon.ico": (KWARGS["favicon.ico"], every(301), every(301)),
    # what search engines and feed readers read: public, the same for everyone
    "robots.txt": (KWARGS["robots.txt"], every(200), every(405)),
    "seo:sitemap_index": (KWARGS["seo:sitemap_index"], every(200), every(200)),
    "seo:sitemap_section": (KWARGS["seo:sitemap_section"], every(200), every(200)),
    "seo:feed": (KWARGS["seo:feed"], every(200), every(200)),
    "seo:feed_atom": (KWARGS["seo:feed_atom"], every(200), every(200)),
    "seo:tag_feed": (KWARGS["seo:tag_feed"], every(200), every(200)),
    "accounts:signup": (KWARGS["accounts:signup"], R(200, 302, 302, 302, 302, 302, 302), R(200, 302, 302, 302, 302, 302, 302)),
    "accounts:signup_finish": (KWARGS["accounts:signup_finish"], R(200, 302, 302, 302, 302, 302, 302), R(200, 302, 302, 302, 302, 302, 302)),
    "accounts:login": (KWARGS["accounts:login"], R(200, 302, 302, 302, 302, 302, 302), R(200, 302, 302, 302, 302, 302, 302)),
    "accounts:logout": (KWARGS["accounts:logout"], every(405), every(302)),
    "accounts:settings": (KWARGS["accounts:settings"], member(200), member(200)),
    # API tokens: made (an empty form is a form error) and revoked by their owner only; another's token: 404
    "accounts:token_create": (KWARGS["accounts:token_create"], member(405), member(400)),
    "accounts:token_revoke": (KWARGS["accounts:token_revoke"], member(405), R(L, 302, 404, 404, 404, 404, 404)),
    # The link works for the member who asked only (GET asks, POST changes); anyone else: a clear 400.
    "accounts:email_confirm": (KWARGS["accounts:email_confirm"], R(L, 200, 400, 400, 400, 400, 400),
                               R(L, 302, 400, 400, 400, 400, 400)),
    # An empty form is a form error; nothing is deleted without the password.
    "accounts:delete": (KWARGS["accounts:delete"], member(200), member(200)),
    "accounts:password_reset": (KWARGS["accounts:password_reset"], every(200), every(200)),
    "accounts:password_reset_done": (KWARGS["accounts:password_reset_done"], every(200), every(405)),
    "accounts:password_reset_confirm": (KWARGS["accounts:password_reset_confirm"], every(200), every(200)),
    "accounts:password_reset_complete": (KWARGS["accounts:password_reset_complete"], every(200), every(405)),
    "doctors:directory": (KWARGS["doctors:directory"], every(200), every(200)),
    "doctors:profile_edit": (KWARGS["doctors:profile_edit"], R(L, 403, 403, 200, 200, 403, 403), R(L, 403, 403, 200, 200, 403, 403)),
    "doctors:verification_queue": (KWARGS["doctors:verification_queue"], R(L, 403, 403, 403, 403, 403, 200), R(L, 403, 403, 403, 403, 403, 200)),
    "doctors:verification_decide": (KWARGS["doctors:verification_decide"], every(405), R(L, 403, 403, 403, 403, 403, 302)),
    "doctors:profile": (KWARGS["doctors:profile"], every(200), every(200)),
    # licence documents: the doctor adds and removes their own; only staff open one
    "doctors:licence_upload": (KWARGS["doctors:licence_upload"], member(405), R(L, 403, 403, 302, 302, 403, 403)),
    "doctors:licence_remove": (KWARGS["doctors:licence_remove"], member(405), R(L, 403, 403, 302, 404, 403, 403)),
    "doctors:licence_document": (KWARGS["doctors:licence_document"], R(L, 403, 403, 403, 403, 403, 200),
                                 R(L, 403, 403, 403, 403, 403, 405)),
    "moderation:queue": (KWARGS["moderation:queue"], R(L, 403, 403, 403, 403, 200, 200), R(L, 403, 403, 403, 403, 200, 200)),
    "moderation:flag": (KWARGS["moderation:flag"], every(405), member(302)),
    "moderation:act": (KWARGS["moderation:act"], every(405), R(L, 403, 403, 403, 403, 302, 302)),
    "photos:mine": (KWARGS["photos:mine"], member(200), member(405)),
    "photos:guide": (KWARGS["photos:guide"], every(200), every(405)),
    "photos:visit_new": (KWARGS["photos:visit_new"], R(L, 200, 200, 403, 403, 200, 200), R(L, 200, 200, 403, 403, 200, 200)),
    # the private (progress-only) photo set: its owner only
    "photos:visit": (KWARGS["photos:visit"], R(404, 200, 404, 404, 404, 404, 404), every(405)),
    "photos:visit_status": (KWARGS["photos:visit_status"], R(404, 200, 404, 404, 404, 404, 404), every(405)),
    "photos:visit_add": (KWARGS["photos:visit_add"], member(405), R(L, 400, 404, 404, 404, 404, 404)),
    "photos:photo_upload": (KWARGS["photos:photo_upload"], member(405), R(L, 400, 404, 404, 404, 404, 404)),
    "photos:visit_quoting": (KWARGS["photos:visit_quoting"], member(405), R(L, 302, 404, 404, 404, 404, 404)),
    "photos:visit_share": (KWARGS["photos:visit_share"], member(405), R(L, 302, 404, 404, 404, 404, 404)),
    "photos:visit_unshare": (KWARGS["photos:visit_unshare"], member(405), R(L, 302, 404, 404, 404, 404, 404)),
    "photos:access_log": (KWARGS["photos:access_log"], member(200), member(405)),  # always the reader's own log
    "photos:file": (KWARGS["photos:file"], R(404, 200, 404, 404, 404, 404, 404), every(405)),
    # /me/progress/: always the signed-in member's own data
    "progress:dashboard": (KWARGS["progress:dashboard"], member(200), member(200)),
    "progress:treatment_add": (KWARGS["progress:treatment_add"], member(405), member(400)),
    "progress:treatment_remove": (KWARGS["progress:treatment_remove"], member(405), R(L, 302, 404, 404, 404, 404, 404)),
    "progress:outcome_new": (KWARGS["progress:outcome_new"], member(200), member(200)),
    "progress:outcome_remove": (KWARGS["progress:outcome_remove"], member(405), R(L, 302, 404, 404, 404, 404, 404)),
    "progress:export_csv": (KWARGS["progress:export_csv"], member(200), member(200)),
    "progress:export_json": (KWARGS["progress:export_json"], member(200), member(200)),
    "progress:photo_delete": (KWARGS["progress:photo_delete"], R(L, 200, 404, 404, 404, 404, 404), R(L, 302, 404, 404, 404, 404, 404)),
    "progress:history_delete": (KWARGS["progress:history_delete"], member(200), member(302)),
    "questions:list": (KWARGS["questions:list"], every(200), every(405)),
    # search: public content only (hidden content and unverified doctors are not in the index)
    "search:page": (KWARGS["search:page"], every(200), every(405)),
    "search:similar": (KWARGS["search:similar"], every(200), every(405)),
    "questions:list_alias": (KWARGS["questions:list_alias"], every(301), every(301)),  # /questions/ -> /
    "questions:unanswered": (KWARGS["questions:unanswered"], every(200), every(405)),
    "questions:tag": (KWARGS["questions:tag"], every(200), every(405)),
    "questions:ask": (KWARGS["questions:ask"], R(L, 200, 200, 403, 403, 200, 200), R(L, 200, 200, 403, 403, 200, 200)),
    "questions:detail_short": (KWARGS["questions:detail_short"], every(301), every(405)),
    "questions:answer_create": (KWARGS["questions:answer_create"], member(405), R(L, 302, 302, 200, 200, 302, 302)),
    "questions:detail": (KWARGS["questions:detail"], every(200), every(405)),
    "questions:answer_edit": (KWARGS["questions:answer_edit"], R(L, 403, 403, 403, 200, 403, 403), R(L, 403, 403, 403, 200, 403, 403)),
    "questions:vote": (KWARGS["questions:vote"], every(405), member(302)),
    "questions:most_helpful": (KWARGS["questions:most_helpful"], member(405), member(302)),
    "questions:markdown_preview": (KWARGS["questions:markdown_preview"], member(405), member(200)),
    # headshots: the doctors' own tool (a pending doctor may prepare one); the file of a verified doctor is public
    "practice:headshot_edit": (KWARGS["practice:headshot_edit"], R(L, 403, 403, 200, 200, 403, 403), R(L, 403, 403, 200, 200, 403, 403)),
    "practice:headshot_remove": (KWARGS["practice:headshot_remove"], member(405), R(L, 403, 403, 302, 302, 403, 403)),
    "practice:headshot": (KWARGS["practice:headshot"], every(200), every(405)),
    # the gallery: verified doctors post to their own; the doctor and staff take a pair down; published pairs
    # are public
    "practice:gallery_manage": (KWARGS["practice:gallery_manage"], R(L, 403, 403, 403, 200, 403, 403),
                                R(L, 403, 403, 403, 200, 403, 403)),
    "practice:gallery_withdraw": (KWARGS["practice:gallery_withdraw"], member(405), R(L, 404, 404, 404, 302, 404, 302)),
    "practice:gallery_remove": (KWARGS["practice:gallery_remove"], member(405), R(L, 404, 404, 404, 302, 404, 302)),
    "practice:gallery_photo": (KWARGS["practice:gallery_photo"], every(200), every(405)),
    "practice:doctor_gallery": (KWARGS["practice:doctor_gallery"], every(200), every(405)),
    # consultation requests: any member writes to a verified doctor (not to themselves); only the sender, the
    # doctor and staff read one (404 for anyone else); only the doctor replies
    "practice:consultation_new": (KWARGS["practice:consultation_new"], R(L, 200, 200, 200, 403, 200, 200),
                                  R(L, 200, 200, 200, 403, 200, 200)),
    "practice:consultation_list": (KWARGS["practice:consultation_list"], member(200), member(405)),
    "practice:consultation": (KWARGS["practice:consultation"], R(L, 200, 404, 404, 200, 404, 200),
                              R(L, 403, 404, 404, 200, 404, 403)),
    # the doctor's dashboard
    "dashboard:home": (KWARGS["dashboard:home"], R(L, 403, 403, 200, 200, 403, 403), member(405)),
    # reviews: patients write them (not of themselves), the author edits, the reviewed doctor replies and
    # confirms (others are refused with a message), moderators hide; treatment pages are public
    "reviews:write": (KWARGS["reviews:write"], R(L, 200, 200, 403, 403, 403, 403), R(L, 200, 200, 403, 403, 403, 403)),
    "reviews:edit": (KWARGS["reviews:edit"], R(L, 200, 404, 404, 404, 404, 404), R(L, 200, 404, 404, 404, 404, 404)),
    "reviews:reply": (KWARGS["reviews:reply"], member(405), member(302)),
    "reviews:confirm": (KWARGS["reviews:confirm"], member(405), member(302)),
    "reviews:treatments": (KWARGS["reviews:treatments"], every(200), every(405)),
    "reviews:treatment": (KWARGS["reviews:treatment"], every(200), every(405)),
    # The JSON API (issue 15): public reads for everyone; writes need a member (401 problem, never a redirect
    # to a sign-in page); an empty form body is not JSON (400). The rules are the site's: the verified doctor
    # cannot vote on their own answer (403). /me/... is always the caller's own data.
    "api:docs": (KWARGS["api:docs"], every(200), every(405)),
    "api-v1:api-root": (KWARGS["api-v1:api-root"], every(404), every(404)),
    "api-v1:openapi-json": (KWARGS["api-v1:openapi-json"], every(200), every(405)),
    "api-v1:tag_list": (KWARGS["api-v1:tag_list"], every(200), every(405)),
    "api-v1:question_list": (KWARGS["api-v1:question_list"], every(200), R(401, 400, 400, 400, 400, 400, 400)),
    "api-v1:question_create": (KWARGS["api-v1:question_create"], every(200), R(401, 400, 400, 400, 400, 400, 400)),
    "api-v1:question_detail": (KWARGS["api-v1:question_detail"], every(200), every(405)),
    "api-v1:answer_create": (KWARGS["api-v1:answer_create"], every(405), R(401, 400, 400, 400, 400, 400, 400)),
    "api-v1:vote": (KWARGS["api-v1:vote"], every(405), R(401, 200, 200, 200, 403, 200, 200)),
    "api-v1:doctor_list": (KWARGS["api-v1:doctor_list"], every(200), every(405)),
    "api-v1:doctor_detail": (KWARGS["api-v1:doctor_detail"], every(200), every(405)),
    "api-v1:doctor_reviews": (KWARGS["api-v1:doctor_reviews"], every(200), R(401, 400, 400, 400, 400, 400, 400)),
    "api-v1:review_create": (KWARGS["api-v1:review_create"], every(200), R(401, 400, 400, 400, 400, 400, 400)),
    "api-v1:treatment_list": (KWARGS["api-v1:treatment_list"], every(200), every(405)),
    "api-v1:treatment_detail": (KWARGS["api-v1:treatment_detail"], every(200), every(405)),
    "api-v1:search": (KWARGS["api-v1:search"], every(422), every(405)),  # without ?q= (required)
    "api-v1:similar": (KWARGS["api-v1:similar"], every(422), every(405)),  # without ?title= (required)
    # follow (GET: whether; PUT/DELETE, not in this table: follow, stop) and the inbox: always the caller's own
    "api-v1:follow_status": (KWARGS["api-v1:follow_status"], R(401, 200, 200, 200, 200, 200, 200), every(405)),
    "api-v1:follow": (KWARGS["api-v1:follow"], R(401, 200, 200, 200, 200, 200, 200), every(405)),
    "api-v1:unfollow": (KWARGS["api-v1:unfollow"], R(401, 200, 200, 200, 200, 200, 200), every(405)),
    "api-v1:inbox": (KWARGS["api-v1:inbox"], R(401, 200, 200, 200, 200, 200, 200), every(405)),
    "api-v1:mark_read": (KWARGS["api-v1:mark_read"], every(405), R(401, 200, 404, 404, 404, 404, 404)),
    "api-v1:mark_all_read": (KWARGS["api-v1:mark_all_read"], every(405), R(401, 200, 200, 200, 200, 200, 200)),
    "api-v1:me": (KWARGS["api-v1:me"], R(401, 200, 200, 200, 200, 200, 200), every(405)),
    "api-v1:measurements": (KWARGS["api-v1:measurements"], R(401, 200, 200, 200, 200, 200, 200), every(405)),
    "api-v1:progress_export": (KWARGS["api-v1:progress_export"], R(401, 200, 200, 200, 200, 200, 200), every(405)),
    # issue 14: following a thread (any member), the asker's follow-up update (the asker; an empty form is a
    # 400; anyone else is refused with a message), "My questions" (anyone's own), "My answers" (doctors)
    "questions:follow": (KWARGS["questions:follow"], member(405), member(302)),
    "questions:update_create": (KWARGS["questions:update_create"], member(405), R(L, 400, 302, 302, 302, 302, 302)),
    "questions:mine": (KWARGS["questions:mine"], member(200), member(405)),
    "questions:my_answers": (KWARGS["questions:my_answers"], R(L, 403, 403, 200, 200, 403, 403), member(405)),
    # the inbox is always the reader's own; another member's notification is not confirmed to exist
    "notifications:inbox": (KWARGS["notifications:inbox"], member(200), member(405)),
    "notifications:open": (KWARGS["notifications:open"], member(405), R(L, 302, 404, 404, 404, 404, 404)),
    "notifications:read": (KWARGS["notifications:read"], member(405), R(L, 302, 404, 404, 404, 404, 404)),
    "notifications:read_all": (KWARGS["notifications:read_all"], member(405), member(302)),
    "notifications:settings": (KWARGS["notifications:settings"], member(200), member(400)),
    # the signed link works for whoever holds it, signed in or not (GET asks, POST unsubscribes)
    "notifications:unsubscribe": (KWARGS["notifications:unsubscribe"], every(200), every(200)),
    # inviting doctors to answer: the asker's tool
    "notifications:invite": (KWARGS["notifications:invite"], R(L, 200, 403, 403, 403, 403, 403),
                             R(L, 302, 403, 403, 403, 403, 403)),
})


def _walk(resolver: URLResolver, namespace: str | None = None) -> Iterator[str]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's admin: its own staff check, covered by test_admin_is_staff_only
            yield from _walk(pattern, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or str(pattern.pattern)
            yield f"{namespace}:{name}" if namespace else name


def url_names() -> list[str]:
    return sorted(set(_walk(get_resolver())))


def _code(response) -> int | str:
    if response.status_code in (301, 302) and "/accounts/login/" in response.get("Location", ""):
        return L
    return response.status_code


def _request(client, world: W.World, name: str, role: str, method: str):
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    url = reverse(name, kwargs=KWARGS[name](world)) if ":" in name else "/" + name
    response = client.get(url) if method == "GET" else client.post(url, {})
    if response.streaming:
        b"".join(response.streaming_content)
    return url, response


# What must not leak: text -> the roles that may see it (the owner's own pages, staff's tools).
def secrets(world: W.World) -> dict[str, set[str]]:
    return {
        W.OWNER_EMAIL: {"owner"},
        W.DOCTOR_EMAIL: {"verified_doctor", "staff"},  # staff see a doctor's contact details on the profile
        W.UNVERIFIED_EMAIL: {"unverified_doctor", "staff"},  # staff verify doctors: the queue shows the address
        W.LICENSE: {"verified_doctor", "staff"},
        W.UNVERIFIED_LICENSE: {"unverified_doctor", "staff"},
        W.PRIVATE_TREATMENT: {"owner"},
        "Private consultation message body": {"owner", "verified_doctor", "staff"},
        f"/photos/files/{world.private_photo.pk}/": {"owner"},
        f"/photos/visits/{world.private_visit.pk}/": {"owner"},
        f"/photos/files/{world.attached_photo.pk}/": {"owner", "verified_doctor", "moderator", "staff"},
    }


def test_every_url_has_an_entry():
    """A new URL must be added to EXPECTED (and so be decided for every role) before the suite passes."""
    missing = [name for name in url_names() if name not in EXPECTED]
    stale = [name for name in EXPECTED if name not in url_names()]
    assert not missing, f"URLs with no entry in the access matrix: {missing}"
    assert not stale, f"entries for URLs that no longer exist: {stale}"


CELLS = [(name, role, method) for name in sorted(EXPECTED) for role in ROLES for method in ("GET", "POST")]


@pytest.mark.parametrize(("name", "role", "method"), CELLS)
def test_access(client, name, role, method):
    world = W.build()
    kwargs_codes = EXPECTED[name]
    expected = kwargs_codes[1 if method == "GET" else 2][role]
    url, response = _request(client, world, name, role, method)
    assert _code(response) == expected, f"{method} {url} as {role}: got {_code(response)}, table says {expected}"
    if response.status_code == 200 and not response.streaming:
        body = response.content.decode(errors="replace")
        for text, allowed in secrets(world).items():
            if role not in allowed:
                assert text not in body, f"{method} {url} shows {text!r} to {role}"


@pytest.mark.parametrize("name", [
    name for name in sorted(EXPECTED) if set(EXPECTED[name][2].values()) != {405} and name not in CSRF_EXEMPT
])
def test_state_changing_views_refuse_a_post_without_the_csrf_token(name):
    """Every URL that accepts POST, for every signed-in role: no CSRF token, no effect (403)."""
    from django.test import Client

    world = W.build()
    for role in ROLES[1:]:
        client = Client(enforce_csrf_checks=True)
        client.force_login(world.users[role])
        url = reverse(name, kwargs=KWARGS[name](world)) if ":" in name else "/" + name
        response = client.post(url, {})
        assert response.status_code == 403, f"POST {url} as {role} without a CSRF token: {response.status_code}"


def test_admin_is_staff_only(client):
    world = W.build()
    for role in ROLES:
        client.logout()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        response = client.get("/admin/")
        if role == "staff":
            assert world.users[role].is_staff and response.status_code == 200
        else:
            assert response.status_code == 302 and "/admin/login/" in response["Location"], role


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "http:evil.example", "/\\evil.example", "https:/evil.example",
    "javascript:alert(1)", " https://evil.example/",
])
def test_sign_in_never_redirects_off_site(client, target):
    from tests.factories import PASSWORD, UserFactory

    UserFactory(email="jo@example.com")
    response = client.post(reverse("accounts:login") + "?next=" + target,
                           {"username": "jo@example.com", "password": PASSWORD, "next": target})
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("/") and not location.startswith("//") and "evil" not in location


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/photos/guide/", "/doctors/"])
def test_pages_cannot_be_framed(client, path):
    response = client.get(path)
    assert response["X-Frame-Options"] == "DENY"
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
