"""Every page of the site map, as a visitor, a patient, a doctor and a moderator, at phone (390 px) and desktop
(1280 px) width (issue 12): no horizontal overflow (``scrollWidth > innerWidth``), no console error (CSP
violations included: the pages run under their real CSP; axe is injected through the DevTools protocol,
which CSP does not govern) and no axe-core violation of any impact.

The page list is the URL resolver's, through the access matrix (``tests/consult/security``): every URL the
matrix says a role reads (GET 200), with its arguments filled from the same small site of real objects
(``world.build``). So a new page is checked here as soon as it has its matrix entry. Files, exports and
htmx fragments are not pages and are left out (``NOT_PAGES``), as is anything not served as text/html
(robots.txt, feeds, XML sitemaps).

One browser context per role and width, one tab reused for every page. Pages with a known problem that
belongs to other work are in ``KNOWN``: left out of the main walk and checked by their own strict xfail,
which fails once the problem is fixed so the entry is removed.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.browser.conftest import AXE_JS, SCREENSHOTS, login
from tests.consult.security import world as W
from tests.consult.security.test_access_matrix import EXPECTED, KWARGS, url_names

pytestmark = [pytest.mark.browser, pytest.mark.engine, pytest.mark.django_db(transaction=True)]

#: Role names here -> the access matrix's.
ROLES = {"anonymous": "anonymous", "patient": "owner", "doctor": "verified_doctor", "moderator": "moderator"}
WIDTHS = (390, 1280)
#: Not pages: image files, exports, and the htmx fragment the photo-set page polls.
NOT_PAGES = frozenset({
    "favicon.ico", "photos:file", "practice:headshot", "progress:export_csv", "progress:export_json",
    "photos:visit_status", "search:similar",
})
#: Key pages photographed on every run for the README (docs/screenshots/<name>-phone.png, -desktop.png):
#: (role, url name) -> file name. The first screen of each page (the viewport, not the whole page).
SHOTS = {
    ("anonymous", "questions:list"): "home",
    ("anonymous", "questions:detail"): "sitemap-thread",
    ("anonymous", "doctors:directory"): "doctors",
    ("anonymous", "doctors:profile"): "doctor-profile",
    ("anonymous", "reviews:treatment"): "treatment",
    ("anonymous", "photos:guide"): "photo-guide",
    ("anonymous", "accounts:signup_finish"): "signup-consent",  # scrolled to the consent (SHOT_SCROLL)
    ("patient", "questions:ask"): "ask",
    ("patient", "photos:mine"): "my-photos",
    ("patient", "accounts:settings"): "settings",
    ("patient", "accounts:delete"): "delete-account",
    ("doctor", "questions:detail"): "thread-doctor",
    ("moderator", "moderation:queue"): "moderation-queue",
}
#: Where a screenshot's first screen starts, when not at the top.
SHOT_SCROLL = {("anonymous", "accounts:signup_finish"): ".consent"}
#: (role, url name, width or None for both) -> why it is known to fail; each is checked by a strict xfail.
KNOWN: dict[tuple[str, str, int | None], str] = {
    (role, "api:docs", None): "Swagger UI, the API's third-party developer page (django-ninja's bundle), fails axe: "
    "no lang, no main landmark or h1, low-contrast labels, nested controls (docs/api.md says so)"
    for role in ("anonymous", "patient", "doctor", "moderator")
}


@pytest.fixture(autouse=True)
def photo_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                   "OPTIONS": {"location": str(tmp_path / "photos"), "base_url": None}},
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(tmp_path / "media")}},
    }


def build_world() -> W.World:
    """The access matrix's small site, with its photos through the worker's own steps: the plain test
    images fail to measure (the failed-photo tile), and a real face added to the question's set measures
    (the report, its table and the doctor's quote panel)."""
    import io

    from django.db import transaction

    from consult.photos import services, work
    from consult.photos.models import Photo, Visit
    from tests.consult.photos.conftest import FACE

    world = W.build()
    with transaction.atomic():
        services.photo_add(visit=world.attached_visit, expression="smile", upload=io.BytesIO(FACE.read_bytes()))
    for photo in Photo.objects.all():
        work.measure_photo(photo.pk)
    for visit in Visit.objects.all():
        work.grade_visit(visit.pk)
    statuses = set(Photo.objects.values_list("status", flat=True))
    assert {"done", "failed"} <= statuses, statuses  # both kinds of tile are on the pages walked
    return world


def site_map(role: str) -> list[str]:
    """The url names a role reads, in the resolver's order (only those with an access-matrix entry)."""
    matrix_role = ROLES[role]
    return [
        name for name in url_names()
        if name not in NOT_PAGES and name in EXPECTED and EXPECTED[name][1][matrix_role] == 200
    ]


def _is_known(role: str, name: str, width: int) -> bool:
    return (role, name, width) in KNOWN or (role, name, None) in KNOWN


#: Not in the resolver, but every visitor meets it: the "not found" page (checked with status 404).
NOT_FOUND = "not-found"


def _url(world: W.World, name: str) -> str:
    if name == NOT_FOUND:
        return "/no-such-page/"
    return reverse(name, kwargs=KWARGS[name](world)) if ":" in name else "/" + name


def _problems(page: Any, url: str, errors: list[str]) -> list[str]:
    """Everything wrong with the page now open in ``page``, as sentences."""
    found = [f"console: {e}" for e in errors]
    overflow = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if overflow[0] > overflow[1]:
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
                .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
                    ? '.' + el.className.trim().split(/\\s+/).join('.') : ''))"""
        )
        found.append(f"horizontal overflow: scrollWidth {overflow[0]} > innerWidth {overflow[1]} ({', '.join(wide)})")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE[0])
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    for v in result["violations"]:
        targets = [" ".join(map(str, n["target"])) for n in v["nodes"]][:3]
        found.append(f"axe {v['impact']} {v['id']}: {v['help']} ({'; '.join(targets)})")
    return found


AXE_SOURCE: list[str] = []


def _walk(browser: Any, live_server: Any, world: W.World, role: str, width: int, names: list[str]) -> dict[str, list[str]]:
    """Visit ``names`` as ``role`` at ``width`` in one context and tab; the problems of each page."""
    if not AXE_SOURCE:
        if not AXE_JS.exists():
            pytest.fail("node_modules/axe-core missing: run scripts/bootstrap.sh --browser (npm ci)")
        AXE_SOURCE.append(AXE_JS.read_text())
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    context.set_default_timeout(15_000)
    report: dict[str, list[str]] = {}
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        # Requests still in flight (lazy thumbnails the checks scrolled into view): leaving the page cuts them,
        # and the live server then never closes the file it was sending. Wait for them before moving on.
        inflight: set[Any] = set()
        page.on("request", lambda request: inflight.add(request))
        page.on("requestfinished", lambda request: inflight.discard(request))
        page.on("requestfailed", lambda request: inflight.discard(request))
        user = world.users[ROLES[role]]
        if user is not None:
            login(page, live_server, user)
        for name in names:
            errors.clear()
            url = _url(world, name)
            response = page.goto(url, wait_until="load")
            problems = []
            if response is None or response.status != (404 if name == NOT_FOUND else 200):
                problems.append(f"status {response.status if response else 'none'}")
            elif not response.headers.get("content-type", "").startswith("text/html"):
                continue  # robots.txt, feeds, sitemaps: not pages
            else:
                if name == NOT_FOUND:  # the browser logs the page's own 404 status as a console error
                    errors[:] = [e for e in errors if "status of 404" not in e]
                problems = _problems(page, url, errors)
            for _ in range(50):
                if not inflight:
                    break
                page.wait_for_timeout(100)
            if problems:
                report[f"{name} {url}"] = problems
            elif (role, name) in SHOTS:
                if (role, name) in SHOT_SCROLL:
                    page.locator(SHOT_SCROLL[role, name]).evaluate("el => el.scrollIntoView({block: 'start'})")
                page.screenshot(path=str(SCREENSHOTS / f"{SHOTS[role, name]}-{'phone' if width < 700 else 'desktop'}.png"))
    finally:
        context.close()
    return report


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_fits_has_no_console_error_and_no_axe_violation(
    browser: Any, live_server: Any, role: str, width: int
) -> None:
    world = build_world()
    names = [name for name in site_map(role) if not _is_known(role, name, width)]
    assert len(names) >= 10, names  # the walk really found the site map
    report = _walk(browser, live_server, world, role, width, [*names, NOT_FOUND])
    assert not report, "\n".join(f"{page}:\n  " + "\n  ".join(problems) for page, problems in report.items())


KNOWN_CASES = [
    pytest.param(role, name, width, marks=pytest.mark.xfail(strict=True, reason=reason), id=f"{role}-{name}-{width}")
    for (role, name, known_width), reason in KNOWN.items()
    for width in ((known_width,) if known_width else WIDTHS)
]


@pytest.mark.parametrize(("role", "name", "width"), KNOWN_CASES or [pytest.param(None, None, None, marks=pytest.mark.skip(reason="nothing known"))])
def test_known_problem_pages(browser: Any, live_server: Any, role: str, name: str, width: int) -> None:
    world = build_world()
    report = _walk(browser, live_server, world, role, width, [name])
    assert not report, report
