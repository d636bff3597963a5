"""schema.org QAPage structured data for a thread, built in Python and embedded as a data block.

Google's QAPage requirements: Question.name, Question.answerCount and at least one
acceptedAnswer or suggestedAnswer with text; author, dateCreated, upvoteCount and url are
recommended. https://developers.google.com/search/docs/appearance/structured-data/qapage
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

from consult.core.urls import cached_reverse

from .models import Answer
from .selectors import Thread

__all__ = ["plain_text", "qapage", "qapage_script_content", "thread_script"]

# A data block ends at the first "</script"; escaping < > & (as JSON \u escapes, still valid JSON)
# makes that impossible whatever the question text contains.
_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


@lru_cache(maxsize=256)
def plain_text(html: str) -> str:
    """Sanitised HTML as one line of text. Memoised per process: strip_tags runs an HTML parser, a
    visible share of a thread page's time, and a popular thread's bodies are the same every time."""
    return " ".join(strip_tags(html).split())


def _answer(answer: Answer, absolute: Callable[[str], str]) -> dict[str, Any]:
    doctor = answer.doctor
    return {
        "@type": "Answer",
        "text": f"{answer.headline}. {plain_text(answer.body_html)}",
        "upvoteCount": answer.helpful_count,
        "url": absolute(answer.get_absolute_url()),
        "dateCreated": answer.created_at.isoformat(),
        "author": {
            "@type": "Person",
            "name": doctor.display_name,
            "url": absolute(cached_reverse("doctors:profile", kwargs={"slug": doctor.slug})),
        },
    }


def qapage(thread: Thread, absolute: Callable[[str], str]) -> dict[str, Any]:
    """The QAPage dict. ``absolute`` turns a path into an absolute URL."""
    question = thread.question
    visible = [a for a in thread.answers if not a.is_hidden]
    entity: dict[str, Any] = {
        "@type": "Question",
        "name": question.title,
        "text": plain_text(question.body_html),
        "answerCount": len(visible),
        "dateCreated": question.created_at.isoformat(),
        "author": {"@type": "Person", "name": question.display_name},
        "url": absolute(question.get_absolute_url()),
    }
    accepted = thread.most_helpful if thread.most_helpful in visible else None
    if accepted is not None:
        entity["acceptedAnswer"] = _answer(accepted, absolute)
    suggested = [_answer(a, absolute) for a in visible if a is not accepted]
    if suggested:
        entity["suggestedAnswer"] = suggested
    return {"@context": "https://schema.org", "@type": "QAPage", "mainEntity": entity}


def qapage_script_content(data: dict[str, Any]) -> SafeString:
    """JSON safe to place between <script type="application/ld+json"> and </script>."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_ESCAPES))  # noqa: S308


_SCRIPTS: OrderedDict[tuple[Any, ...], SafeString] = OrderedDict()
_SCRIPTS_MAX = 512


def _script_key(thread: Thread, base: str) -> tuple[Any, ...]:
    """Every value :func:`qapage` reads, so equal keys always mean equal JSON-LD."""
    question = thread.question
    return (
        base,
        question.pk,
        question.slug,
        question.title,
        question.body_html,
        question.display_name,
        question.created_at,
        thread.most_helpful.pk if thread.most_helpful is not None else None,
        tuple(
            (
                a.pk,
                a.headline,
                a.body_html,
                a.helpful_count,
                a.is_hidden,
                a.created_at,
                a.doctor.display_name,
                a.doctor.slug,
            )
            for a in thread.answers
        ),
    )


def thread_script(thread: Thread, absolute: Callable[[str], str], base: str) -> SafeString:
    """``qapage_script_content(qapage(thread, absolute))``, remembered per process for the last
    ``_SCRIPTS_MAX`` distinct threads. The key holds every value the JSON-LD shows (``base`` is the
    scheme and host ``absolute`` prefixes), so a remembered script is never stale."""
    key = _script_key(thread, base)
    script = _SCRIPTS.get(key)
    if script is None:
        script = qapage_script_content(qapage(thread, absolute))
        _SCRIPTS[key] = script
        while len(_SCRIPTS) > _SCRIPTS_MAX:
            _SCRIPTS.popitem(last=False)
    return script
