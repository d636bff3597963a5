"""robots.txt against the site's URL list (the access matrix's table): every public page is crawlable unless this
file says why not, and every private one is disallowed.

The file is read two ways: by RFC 9309's rule (the longest matching path wins; Allow wins a tie), as search
engines do, and by Python's ``urllib.robotparser`` (first matching line), as simpler crawlers do; both must agree.
"""

from __future__ import annotations

import urllib.robotparser

import pytest
from django.urls import reverse

from tests.consult.security import world as W
from tests.consult.security.test_access_matrix import EXPECTED, KWARGS, L

pytestmark = pytest.mark.django_db

# Public (an anonymous GET answers 200) but not for crawlers, and why.
NOT_FOR_CRAWLERS = {
    "accounts:signup": "a form, no content",
    "accounts:signup_finish": "a one-time link's form",
    "accounts:login": "a form, no content",
    "accounts:password_reset": "a form, no content",
    "accounts:password_reset_done": "a form's confirmation",
    "accounts:password_reset_confirm": "a one-time link",
    "accounts:password_reset_complete": "a form's confirmation",
    "notifications:unsubscribe": "a member's signed one-time link",
    "practice:gallery_photo": "patients' photos: consent can be withdrawn and a search engine's copy cannot be recalled",
}
# Not pages (their own kind of file, read by the crawler for what it is).
NOT_PAGES = {"robots.txt", "favicon.ico"}


def _rules(text: str) -> list[tuple[str, str]]:
    rules = []
    for line in text.splitlines():
        field, _, value = line.partition(":")
        if field.strip().lower() in ("allow", "disallow") and value.strip():
            rules.append((field.strip().lower(), value.strip()))
    return rules


def rfc9309_allows(rules: list[tuple[str, str]], path: str) -> bool:
    """RFC 9309 section 2.2.2: the most specific (longest) matching rule decides; on a tie, allow."""
    matching = [(len(prefix), kind == "allow") for kind, prefix in rules if path.startswith(prefix)]
    if not matching:
        return True
    longest = max(length for length, _ in matching)
    return any(allow for length, allow in matching if length == longest)


def _url(world: W.World, name: str) -> str:
    return reverse(name, kwargs=KWARGS[name](world)) if ":" in name else "/" + name


def test_robots_txt_lets_crawlers_read_every_public_page_and_keeps_them_out_of_private_ones(client):
    world = W.build()
    text = client.get("/robots.txt").content.decode()
    rules = _rules(text)
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(text.splitlines())
    problems = []
    for name, (_kwargs, get_codes, _post) in sorted(EXPECTED.items()):
        if name in NOT_PAGES or name.startswith(("api", "seo:")):
            continue  # the API is for programs (Swagger UI included); sitemaps and feeds are read by crawlers
        path = _url(world, name)
        allowed = rfc9309_allows(rules, path)
        if allowed != parser.can_fetch("*", "http://testserver" + path):
            problems.append(f"{path}: RFC 9309 and urllib.robotparser disagree")
        anonymous = get_codes["anonymous"]
        if anonymous == 200 and name not in NOT_FOR_CRAWLERS and not allowed:
            problems.append(f"{path} ({name}) is public but disallowed")
        if name in NOT_FOR_CRAWLERS and allowed and name.startswith("practice:"):
            problems.append(f"{path} ({name}) is allowed: {NOT_FOR_CRAWLERS[name]}")
        is_page = any(code == 200 for code in get_codes.values())  # not a POST-only action
        if anonymous == L and is_page and allowed and name not in _ASKS_TO_SIGN_IN:
            problems.append(f"{path} ({name}) is a private page but allowed")
    assert not problems, "\n".join(problems)


# Asks to sign in, yet left allowed: the ask page, the site's public entry point (crawlers see a redirect).
_ASKS_TO_SIGN_IN = {"questions:ask"}


def test_public_pages_under_private_prefixes_are_named_in_robots_txt(client):
    text = client.get("/robots.txt").content.decode()
    assert "Allow: /practice/gallery/doctor/" in text
    assert "Allow: /photos/guide/" in text
    # The Allow lines come before the Disallow lines (first-match parsers read them the same way).
    assert text.index("Allow: ") < text.index("Disallow: ")
