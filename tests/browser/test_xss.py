"""XSS corpus (issue 11): known payloads through every user text field, rendered in Chromium.

Pages are opened with the Content-Security-Policy bypassed, so the policy cannot hide an escaping bug: any
payload that reached the page as markup would run. A page-level hook (installed before any page script)
records every call of alert/confirm/prompt/print and every dialog; after each page the DOM is also searched
for event-handler attributes and javascript: URLs, which the site's own markup never has. The CSP itself is
checked separately (tests/consult/security/test_access_matrix.py::test_pages_cannot_be_framed).
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from consult.moderation.models import Flag, FlagReason
from consult.photos import services as photo_services
from consult.photos.models import PhotoAccess
from consult.progress.models import Treatment
from consult.questions import services as question_services
from tests.browser.conftest import login
from tests.factories import DoctorProfileFactory, ModeratorFactory, TagFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<svg onload=alert(3)>",
    '"><script>alert(4)</script>',
    "'><img src=x onerror=alert(5)>",
    "[click](javascript:alert(6))",
    '<a href="javascript:alert(7)">x</a>',
    '<iframe src="javascript:alert(8)"></iframe>',
    "<details open ontoggle=alert(9)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(10)>",
    "</script><script>alert(11)</script>",
    "<input autofocus onfocus=alert(12)>",
    "<video><source onerror=alert(13)>",
    '<object data="javascript:alert(14)">',
    '![x](x" onerror="alert(15))',
    '<a href="&#106;avascript:alert(16)">x</a>',
    '" onmouseover=alert(17) autofocus onfocus=alert(17) x="',
    "<scr<script>ipt>alert(18)</script>",
    "<body onload=print()>",
    "javascript:alert(20)",
    "<style>*{background:url('javascript:alert(21)')}</style>",
    "<form><button formaction=javascript:alert(22)>x",
    "${alert(23)}{{constructor.constructor('alert(24)')()}}",
]

HOOK = """
window.__xss = [];
for (const name of ['alert', 'confirm', 'prompt', 'print']) {
  window[name] = (...args) => { window.__xss.push(name + ':' + args.join(',')); };
}
"""

FIND_INJECTED = """
() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const value = attr.value.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase();
      if (attr.name.startsWith('on')) found.push(el.tagName + '[' + attr.name + ']');
      if (['href', 'src', 'action', 'formaction', 'data'].includes(attr.name) && value.startsWith('javascript:'))
        found.push(el.tagName + '[' + attr.name + '=' + attr.value + ']');
    }
  }
  return found.concat(window.__xss);
}
"""


def _site(payload: str) -> dict[str, Any]:
    """Put ``payload`` into every field a member can write that some page shows."""
    short = payload[:55]
    patient = UserFactory(display_name=short)
    doctor = DoctorProfileFactory(full_name=payload[:110], credentials=short, bio=payload, city=short)
    question = question_services.question_create(
        author=patient, title=f"Title {payload}"[:190], body=f"Body {payload}\n\n{payload}", tags=[TagFactory()],
        display_name=short,
    )
    question_services.answer_create(doctor=doctor, question=question, headline=f"Headline {payload}"[:150],
                                    body=f"Answer {payload}\n\n{payload}")
    moderator = ModeratorFactory(display_name=short)
    Flag.objects.create(question=question, reporter=patient, reason=FlagReason.OTHER, note=payload)
    Treatment.objects.create(patient=patient, kind="other", date=datetime.date(2026, 1, 2), label=payload[:80],
                             notes=payload)
    visit = photo_services.visit_create(patient=patient, taken_on=timezone.localdate())
    PhotoAccess.objects.create(patient=patient, viewer=doctor.user, viewer_name=payload[:190],
                               viewer_role="doctor", visit_id_seen=visit.pk, visit_taken_on=visit.taken_on,
                               kind="report")
    return {"patient": patient, "doctor": doctor, "moderator": moderator, "question": question}


@pytest.mark.parametrize("index", range(len(PAYLOADS)))
def test_no_payload_executes_anywhere_it_is_shown(browser: Any, live_server: Any, index: int) -> None:
    site = _site(PAYLOADS[index])
    question = site["question"]
    visits = [
        (None, question.get_absolute_url()),
        (None, "/"),
        (None, f"/doctors/{site['doctor'].slug}/"),
        (None, "/doctors/"),
        (site["moderator"], "/moderation/"),
        (site["moderator"], question.get_absolute_url()),
        (site["patient"], "/me/progress/"),
        (site["patient"], "/photos/access/"),
        (site["patient"], "/accounts/settings/"),
    ]
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    try:
        context.add_init_script(HOOK)
        dialogs: list[str] = []
        for user, path in visits:
            context.clear_cookies()
            page = context.new_page()
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            if user is not None:
                login(page, live_server, user)
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            page.wait_for_timeout(50)  # let onload/onerror/ontoggle handlers fire
            injected = page.evaluate(FIND_INJECTED)
            assert not injected, f"{PAYLOADS[index]!r} on {path}: {injected}"
            page.close()
        assert not dialogs, dialogs
    finally:
        context.close()
