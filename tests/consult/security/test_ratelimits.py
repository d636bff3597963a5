"""Every limited action answers 429 past its limit (issue 11), through its real URL, with its own scope.

Login and password-change limits, which count failures only, are tested in tests/consult/accounts; the
page-churn and trusted-proxy cases in tests/consult/core/test_ratelimit.py.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.consult.security import world as W

pytestmark = pytest.mark.django_db

# scope -> (role, url name, kwargs, form data)
ACTIONS = {
    "signup": ("anonymous", "accounts:signup", lambda w: {}, {"email": "someone@example.com"}),
    "password_reset": ("anonymous", "accounts:password_reset", lambda w: {}, {"email": "x@example.com"}),
    "question_create": ("other_patient", "questions:ask", lambda w: {}, {}),
    "answer_create": ("verified_doctor", "questions:answer_create", lambda w: {"pk": w.question.pk}, {}),
    "vote": ("other_patient", "questions:vote", lambda w: {"pk": w.answer.pk}, {}),
    "flag": ("other_patient", "moderation:flag", lambda w: {"kind": "question", "pk": w.question.pk},
             {"reason": "spam"}),
    "markdown_preview": ("owner", "questions:markdown_preview", lambda w: {}, {"text": "hi"}),
    "photo_upload": ("owner", "photos:visit_new", lambda w: {}, {}),
    "doctor_share": ("owner", "photos:visit_share", lambda w: {"pk": w.private_visit.pk}, {"doctor": "0"}),
    "review_write": ("other_patient", "reviews:write", lambda w: {"slug": w.doctor.slug}, {}),
    "follow": ("other_patient", "questions:follow", lambda w: {"pk": w.question.pk}, {"follow": "1"}),
    "question_update": ("owner", "questions:update_create", lambda w: {"pk": w.question.pk}, {}),
    "invite": ("owner", "notifications:invite", lambda w: {"pk": w.question.pk}, {"doctor": "0"}),
    "consultation_request": ("owner", "practice:consultation_new", lambda w: {"slug": w.doctor.slug}, {}),
}


@pytest.mark.parametrize("scope", sorted(ACTIONS))
def test_each_limited_action_is_refused_past_its_limit(client, settings, scope):
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMITS = {**settings.RATELIMITS, scope: (2, 3600)}
    world = W.build()
    role, name, kwargs, data = ACTIONS[scope]
    if world.users[role] is not None:
        client.force_login(world.users[role])
    url = reverse(name, kwargs=kwargs(world))
    codes = [client.post(url, data).status_code for _ in range(3)]
    assert 429 not in codes[:2], codes
    assert codes[2] == 429, codes
    # Another member (or address) is not affected.
    client.logout()
    client.defaults["REMOTE_ADDR"] = "198.51.100.77"
    other = world.users["moderator"] if role != "anonymous" else None
    if other is not None:
        client.force_login(other)
    assert client.post(url, data).status_code != 429


def test_every_configured_scope_is_used_and_tested():
    from django.conf import settings

    # "api": every /api/ request (tests/consult/api/test_problems.py::test_over_the_rate_limit_is_a_429_problem...)
    tested_elsewhere = {"login", "login_account", "password_change", "password_reset_email", "signup_email", "api"}
    assert set(settings.RATELIMITS) == set(ACTIONS) | tested_elsewhere
