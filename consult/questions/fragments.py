"""Rendered parts of the thread page, cached for every reader, signed-in readers included.

Two kinds, fetched together in one cache round trip per page (:func:`_prefetch`):

- **Answer cards**, keyed by a digest of every value they show (below).
- **Thread fragments** (``{% thread_fragment "question" %}`` ... ``{% endthread_fragment %}`` in
  ``questions/thread.html``): the question with its breadcrumb, and the side column. They show only
  the rows ``selectors.thread_get`` read under the thread's page-cache version (question, tags,
  related questions, the visible answer count), so they are keyed by that version, the page path and
  the viewer's flags (signed in, moderator); every service write that changes them bumps the version.
  Like the rows themselves, edits made outside the services (the admin) and other questions' titles
  in "Related questions" can be ``ANON_PAGE_CACHE_SECONDS`` old.

Rendering the answers is most of a thread page's template time (per answer: the vote form, the
report form with its reasons, the byline with its star bar, a handful of URL reversals). A card
depends on the answer, its doctor's byline, the question's slug and most-helpful answer, and on the
viewer only through a few booleans (signed in, voted, their own answer, the asker, a moderator). The
cache key is a digest of *every* value the card shows (:func:`answer_key`) taken from the rows the
page has just read, so a cached card is never stale: a vote, an edit, a hidden answer or a new
doctor rating makes a different key. Nothing needs invalidating; entries expire after
``FRAGMENT_SECONDS`` only to bound memory.

The cards' and the question's forms carry a CSRF token, which is per visitor: a card is cached with an unguessable
placeholder in its place and the reader's own token is put back on the way out.

**If you change ``questions/_answer.html`` (or a template it includes) to show another value, add
that value to :func:`answer_key`.** Template sources are part of the key, so a deploy with changed
templates never serves cards rendered by the old ones.
"""

from __future__ import annotations

import hashlib
import logging
from functools import cache as memoize
from typing import Any

from django.core.cache import cache
from django.template import Context, NodeList
from django.template.loader import get_template
from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString, mark_safe

__all__ = [
    "FRAGMENT_SECONDS",
    "THREAD_FRAGMENTS",
    "answer_key",
    "collect",
    "render_answer_card",
    "render_thread_fragment",
    "store_collected",
]

log = logging.getLogger(__name__)
FRAGMENT_SECONDS = 600
TEMPLATE = "questions/_answer.html"
# The card's template and every template it includes: their sources are part of the key.
TEMPLATES = (
    TEMPLATE,
    "questions/_vote.html",
    "moderation/_flag_button.html",
    "core/_stars.html",
    "questions/thread.html",  # holds the thread fragments
)
# The {% thread_fragment %} names in questions/thread.html, prefetched with the cards.
THREAD_FRAGMENTS = ("question", "side")
_MEMO = "questions.fragments.cards"


@memoize
def _templates_digest() -> str:
    digest = hashlib.md5(usedforsecurity=False)
    for name in TEMPLATES:
        digest.update(get_template(name).template.source.encode())  # type: ignore[attr-defined]
    return digest.hexdigest()[:12]


@memoize
def csrf_placeholder() -> str:
    """Stands for the reader's CSRF token in a cached card; derived from SECRET_KEY, so no answer text can
    contain it by chance or on purpose."""
    return "csrf" + salted_hmac("consult.questions.fragments", "csrf-placeholder").hexdigest()[:32]


def answer_key(answer: Any, *, question: Any, thread: Any, user: Any, path: str) -> str:
    """The cache key of one answer card: a digest of every value ``questions/_answer.html`` shows."""
    doctor = answer.doctor
    parts = (
        _templates_digest(),
        path,
        question.pk,
        question.slug,
        question.most_helpful_answer_id == answer.pk,
        answer.pk,
        answer.headline,
        answer.body_html,
        answer.is_hidden,
        answer.created_at.isoformat(),
        answer.updated_at.isoformat(),
        answer.helpful_count,
        bool(getattr(answer, "viewer_voted", False)),
        # the viewer, as far as the card cares
        bool(user.is_authenticated),
        doctor.user_id == user.pk,
        bool(thread.viewer_is_asker),
        bool(thread.viewer_can_moderate),
        # the byline
        doctor.pk,
        doctor.slug,
        doctor.full_name,
        doctor.credentials,
        doctor.specialty,
        doctor.status,
        doctor.city,
        doctor.state,
        str(doctor.rating_avg),
        doctor.review_count,
    )
    return "frag:answer:" + hashlib.md5(repr(parts).encode(), usedforsecurity=False).hexdigest()


def _key_for(context: Context, answer: Any) -> str:
    return answer_key(
        answer,
        question=context["question"],
        thread=context["thread"],
        user=context["user"],
        path=context["request"].path,
    )


def thread_fragment_key(context: Context, name: str) -> str | None:
    """The cache key of a thread fragment, or None when the thread's version is unknown (no cache)."""
    thread = context.get("thread")
    version = getattr(thread, "cache_version", None)
    if not version:
        return None
    parts = (
        _templates_digest(),
        name,
        thread.question.pk,  # type: ignore[union-attr]
        version,
        context["request"].path,
        bool(context["user"].is_authenticated),
        bool(thread.viewer_can_moderate),  # type: ignore[union-attr]
        context.get("visible_answer_count"),
    )
    return "frag:thread:" + hashlib.md5(repr(parts).encode(), usedforsecurity=False).hexdigest()


def _prefetch(context: Context) -> dict[str, Any]:
    """Every cached part of this page (cards and thread fragments) in one cache round trip, once per render."""
    memo: dict[str, Any] | None = context.render_context.get(_MEMO)
    if memo is None:
        cards = {a.pk: _key_for(context, a) for a in context["thread"].answers}
        fragments = {name: thread_fragment_key(context, name) for name in THREAD_FRAGMENTS}
        wanted = [*cards.values(), *(key for key in fragments.values() if key)]
        try:
            found = cache.get_many(wanted)
        except Exception:
            log.warning("thread fragments: cache unavailable", exc_info=True)
            found = {}
        memo = context.render_context[_MEMO] = {"keys": cards, "fragments": fragments, "found": found}
    return memo


def _with_token(context: Context, html: str) -> SafeString:
    placeholder = csrf_placeholder()
    if placeholder in html:
        html = html.replace(placeholder, str(context.get("csrf_token", "")))
    return mark_safe(html)  # noqa: S308  # our own templates rendered it (user content escaped or sanitised there)


_PENDING = "_consult_thread_fragments"


def collect(request: Any) -> None:
    """Hold the parts rendered for ``request`` until :func:`store_collected`: one cache round trip for
    all of them instead of one each (a thread's first view renders up to 5 cards and 2 fragments)."""
    setattr(request, _PENDING, {})


def store_collected(request: Any) -> None:
    pending: dict[str, str] | None = getattr(request, _PENDING, None)
    if not pending:
        return
    try:
        cache.set_many(pending, timeout=FRAGMENT_SECONDS)
    except Exception:
        log.warning("thread fragments: could not store them", exc_info=True)
    pending.clear()


def _store(context: Context, key: str, html: str) -> None:
    pending: dict[str, str] | None = getattr(context.get("request"), _PENDING, None)
    if pending is not None:
        pending[key] = html
        return
    try:
        cache.set(key, html, timeout=FRAGMENT_SECONDS)
    except Exception:
        log.warning("thread fragments: could not store one", exc_info=True)


def render_answer_card(context: Context) -> SafeString:
    """The card of ``context['answer']`` inside the thread template's answer loop."""
    answer = context["answer"]
    memo = _prefetch(context)
    key = memo["keys"].get(answer.pk) or _key_for(context, answer)
    html: str | None = memo["found"].get(key)
    if html is None:
        template = context.template.engine.get_template(TEMPLATE)  # type: ignore[union-attr]
        with context.push(csrf_token=csrf_placeholder()):
            html = str(template.render(context))
        _store(context, key, html)
    return _with_token(context, html)


def render_thread_fragment(context: Context, name: str, nodelist: NodeList) -> SafeString:
    """The output of ``nodelist`` (a ``{% thread_fragment name %}`` block), from the cache when it holds."""
    if name not in THREAD_FRAGMENTS:
        raise ValueError(f"unknown thread fragment {name!r}: add it to THREAD_FRAGMENTS")
    memo = _prefetch(context)
    key = memo["fragments"].get(name)
    html: str | None = memo["found"].get(key) if key else None
    if html is None:
        with context.push(csrf_token=csrf_placeholder()):
            html = str(nodelist.render(context))
        if key:
            _store(context, key, html)
    return _with_token(context, html)
