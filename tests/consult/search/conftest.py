from __future__ import annotations

from typing import Any

from consult.questions import services as question_services
from consult.questions.models import Question, Tag
from tests.factories import UserFactory


def ask(title: str, body: str = "I would like a doctor's view.", tags: list[Tag] | None = None, **kwargs: Any) -> Question:
    """A question through the service, so the search index follows it as in production."""
    return question_services.question_create(
        author=kwargs.pop("author", None) or UserFactory(), title=title, body=body, tags=tags or [], display_name="", **kwargs
    )
