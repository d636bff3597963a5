"""schema.org QAPage structured data for a thread, built in Python and embedded as a data block.

Google's QAPage requirements (https://developers.google.com/search/docs/appearance/structured-data/qapage):
Question.name, Question.answerCount and at least one acceptedAnswer or suggestedAnswer, each Answer with
text. Recommended, and given: the question's text, author (name) and datePublished; each answer's author
(name and url: the doctor's profile), datePublished, dateModified when edited, upvoteCount and url (a link
to the answer itself). The asker's author.url is left out: patients have no public profile page (they may
ask under a pseudonym). tests/consult/seo/test_structured_data.py checks each of these.
"""

from __future__ import annotations

import html as html_module
import json
from collections.abc import Callable, Mapping
from typing import Any

from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

from .models import Answer
from .selectors import ThreadRows

__all__ = ["plain_text", "qapage", "qapage_script_content"]

# A data block ends at the first "</script"; escaping < > & (as JSON \u escapes, still valid JSON)
# makes that impossible whatever the question text contains.
_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def plain_text(html: str) -> str:
    """Sanitised HTML as one line of plain text: tags dropped, character references decoded ("&amp;" -> "&"),
    so JSON-LD, the API's ``body_text``, feeds and the meta description (each escaped where it is written)
    show what the author typed."""
    return " ".join(html_module.unescape(strip_tags(html)).split())


def _answer(answer: Answer, thread_url: str, profile_url: str) -> dict[str, Any]:
    doctor = answer.doctor
    data: dict[str, Any] = {
        "@type": "Answer",
        "text": f"{answer.headline}. {plain_text(answer.body_html)}",
        "upvoteCount": answer.helpful_count,
        "url": f"{thread_url}#answer-{answer.pk}",  # Answer.get_absolute_url, made absolute
        "dateCreated": answer.created_at.isoformat(),
        "datePublished": answer.created_at.isoformat(),
        "author": {
            "@type": "Person",
            "name": doctor.display_name,
            "url": profile_url,
        },
    }
    if answer.is_edited:
        data["dateModified"] = answer.updated_at.isoformat()
    return data


def qapage(
    thread: ThreadRows, absolute: Callable[[str], str], *, path: str, profile_paths: Mapping[int, str]
) -> dict[str, Any]:
    """The QAPage dict of what every reader sees (hidden answers left out). ``absolute`` turns a path
    into an absolute URL; ``path`` is the thread's, ``profile_paths`` the answering doctors' profiles' (by
    doctor id), reversed once by the caller for the whole page."""
    question = thread.question
    visible = [a for a in thread.answers if not a.is_hidden]
    url = absolute(path)
    entity: dict[str, Any] = {
        "@type": "Question",
        "name": question.title,
        "text": plain_text(question.body_html),
        "answerCount": len(visible),
        "dateCreated": question.created_at.isoformat(),
        "datePublished": question.created_at.isoformat(),
        "author": {"@type": "Person", "name": question.display_name},
        "url": url,
    }
    accepted = next((a for a in visible if a.pk == question.most_helpful_answer_id), None)
    if accepted is not None:
        entity["acceptedAnswer"] = _answer(accepted, url, absolute(profile_paths[accepted.doctor_id]))
    suggested = [_answer(a, url, absolute(profile_paths[a.doctor_id])) for a in visible if a is not accepted]
    if suggested:
        entity["suggestedAnswer"] = suggested
    return {"@context": "https://schema.org", "@type": "QAPage", "mainEntity": entity}


def qapage_script_content(data: dict[str, Any]) -> SafeString:
    """JSON safe to place between <script type="application/ld+json"> and </script>."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_ESCAPES))  # noqa: S308
