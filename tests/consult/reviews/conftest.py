from __future__ import annotations

import pytest

from consult.reviews.models import Treatment, WorthIt
from consult.reviews.services import review_create
from tests.factories import DoctorProfileFactory, TagFactory, UserFactory


def make_treatment(slug: str = "botox", name: str = "Botox", tag: object = None) -> Treatment:
    return Treatment.objects.create(
        slug=slug, name=name, summary=f"{name} in one sentence.", description=f"About {name}.", tag=tag
    )


def write_review(*, author=None, doctor=None, treatment=None, **fields):
    values = {
        "rating": 4,
        "title": "Careful and honest",
        "body": "She explained every step and the result looks natural.",
        "worth_it": WorthIt.WORTH_IT,
    }
    values.update(fields)
    return review_create(
        author=author or UserFactory(),
        doctor=doctor or DoctorProfileFactory(),
        treatment=treatment or make_treatment(),
        **values,
    )


@pytest.fixture
def treatment():
    return make_treatment(tag=TagFactory(slug="botox", name="Botox"))


@pytest.fixture
def doctor():
    return DoctorProfileFactory()
