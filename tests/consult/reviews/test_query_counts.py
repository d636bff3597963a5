"""Profile (with its reviews) and treatment pages run a fixed number of SQL queries, however many rows exist."""

from __future__ import annotations

import pytest
from django.urls import reverse

from consult.questions import services as question_services
from tests.consult.doctors.test_query_counts import _queries
from tests.consult.reviews.conftest import make_treatment, write_review
from tests.factories import DoctorProfileFactory, ModeratorFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

PROFILE = 6  # the doctors' budget: the reviews add one query, within it
TREATMENT = 6  # session/user (signed in) + treatment + reviews + questions + doctors
TREATMENTS = 3


def _reviews(doctor, treatment, n):
    for i in range(n):
        write_review(doctor=doctor, treatment=treatment, rating=1 + i % 5, cost=100 + i, title=f"Review {i}")


@pytest.mark.parametrize("viewer", ["anonymous", "patient", "own_doctor", "moderator"])
def test_profile_with_reviews(client, viewer):
    doctor, botox, fillers = DoctorProfileFactory(), make_treatment(), make_treatment("fillers", "Fillers")
    if viewer == "patient":
        client.force_login(UserFactory())
    elif viewer == "own_doctor":
        client.force_login(doctor.user)
    elif viewer == "moderator":
        client.force_login(ModeratorFactory())
    url = reverse("doctors:profile", kwargs={"slug": doctor.slug})
    _reviews(doctor, botox, 1)
    one = _queries(client, url)
    _reviews(doctor, fillers, 25)
    many = _queries(client, url)
    assert one == many <= PROFILE


@pytest.mark.parametrize("signed_in", [False, True])
def test_treatment_page(client, signed_in):
    if signed_in:
        client.force_login(UserFactory())
    tag = TagFactory(slug="botox", name="Botox")
    treatment = make_treatment(tag=tag)
    url = treatment.get_absolute_url()

    def grow(n):
        for _ in range(n):
            doctor = DoctorProfileFactory()
            question = question_services.question_create(author=UserFactory(), title="A question about Botox doses",
                                                         body="Details.", tags=[tag], display_name="Sam")
            question_services.answer_create(doctor=doctor, question=question, headline="Small doses", body="Text")
            _reviews(doctor, treatment, 2)

    grow(1)
    small = _queries(client, url)
    grow(12)
    large = _queries(client, url)
    assert small == large <= TREATMENT
    listing = reverse("reviews:treatments")
    assert _queries(client, listing) <= TREATMENTS
