"""Issue 13's pages pinned to an exact number of SQL queries, with galleries, reviews and answers growing:
profile, directory (sorted by helpful votes too), treatment page and a doctor's gallery."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from consult.practice.models import GalleryPair, PairStatus
from tests.consult.doctors.test_query_counts import _queries
from tests.consult.reviews.conftest import make_treatment, write_review
from tests.factories import AnswerFactory, DoctorProfileFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

# anonymous / signed in (the signed-in user with their doctor profile is one query)
PINNED = {
    "profile": (4, 5),  # profile (+headshot), recent answers, reviews page, gallery pairs
    "directory": (2, 3),  # count, page
    "treatment": (5, 6),  # treatment (+tag), gallery pairs, reviews, questions, top doctors
    "gallery": (2, 3),  # doctor, page of pairs
}


def _grow(doctor, treatment, n):
    for _ in range(n):
        GalleryPair.objects.create(
            doctor=doctor, treatment=treatment, consent_note="Signed release", consent_given_on=dt.date(2025, 1, 1),
            status=PairStatus.READY, before_image="gallery/a.jpg", after_image="gallery/b.jpg",
            measures={"before": {"brow_height": {"left": 1, "right": 2, "deviation": 1, "low": False}},
                      "after": {"brow_height": {"left": 1, "right": 1.5, "deviation": 0.5, "low": False}}},
        )
        write_review(doctor=DoctorProfileFactory(), treatment=treatment)
        AnswerFactory(doctor=doctor)
        DoctorProfileFactory(helpful_count=3)


@pytest.mark.parametrize("signed_in", [False, True])
def test_issue_13_pages_run_a_pinned_number_of_queries(client, signed_in):
    doctor = DoctorProfileFactory()
    treatment = make_treatment(tag=TagFactory(slug="botox"))
    write_review(doctor=doctor, treatment=treatment)
    if signed_in:
        client.force_login(UserFactory())
    urls = {
        "profile": reverse("doctors:profile", kwargs={"slug": doctor.slug}),
        "directory": reverse("doctors:directory") + "?sort=helpful",
        "treatment": treatment.get_absolute_url(),
        "gallery": reverse("practice:doctor_gallery", kwargs={"slug": doctor.slug}),
    }
    _grow(doctor, treatment, 1)
    few = {name: _queries(client, url) for name, url in urls.items()}
    _grow(doctor, treatment, 15)
    many = {name: _queries(client, url) for name, url in urls.items()}
    expected = {name: counts[1 if signed_in else 0] for name, counts in PINNED.items()}
    assert few == many == expected
