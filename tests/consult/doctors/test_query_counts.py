"""Directory and profile pages run a fixed number of SQL queries, however many doctors or answers exist.

Zulip-style: count the queries for a small and a large data set; both must be equal and within budget,
so an N+1 fails the day it appears.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consult.doctors.models import Specialty
from consult.doctors.services import doctor_reject, doctor_verify
from tests.consult.scale import forget_cached_pages
from tests.factories import (
    AnswerFactory,
    DoctorProfileFactory,
    StaffFactory,
    UnverifiedDoctorProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BUDGET = 6


def _queries(client, url, params=None):
    forget_cached_pages()  # count the render, not a page-cache hit (anonymous pages are cached: consult.core.pagecache)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("signed_in", [False, True])
def test_directory_query_count_is_constant(client, signed_in):
    if signed_in:
        client.force_login(UserFactory())
    url = reverse("doctors:directory")
    DoctorProfileFactory(specialty=Specialty.DERMATOLOGY, rating_avg="4.5", review_count=3)
    small = _queries(client, url)
    small_filtered = _queries(client, url, {"specialty": "dermatology", "state": "IL"})

    DoctorProfileFactory.create_batch(40, specialty=Specialty.DERMATOLOGY, rating_avg="3.9", review_count=2)
    UnverifiedDoctorProfileFactory.create_batch(5)
    large = _queries(client, url)
    large_filtered = _queries(client, url, {"specialty": "dermatology", "state": "IL", "page": "2"})

    assert small == large <= BUDGET
    assert small_filtered == large_filtered <= BUDGET


@pytest.mark.parametrize("viewer", ["anonymous", "patient", "own_doctor", "staff"])
def test_profile_query_count_is_constant_in_the_number_of_answers(client, viewer):
    doctor = DoctorProfileFactory(rating_avg="4.1", review_count=9)
    if viewer == "patient":
        client.force_login(UserFactory())
    elif viewer == "own_doctor":
        client.force_login(doctor.user)
    elif viewer == "staff":
        client.force_login(StaffFactory())
    url = reverse("doctors:profile", kwargs={"slug": doctor.slug})
    AnswerFactory(doctor=doctor)
    one = _queries(client, url)
    AnswerFactory.create_batch(25, doctor=doctor)
    many = _queries(client, url)
    assert one == many <= BUDGET


def test_verification_queue_query_count_is_constant(client):
    staff = StaffFactory()
    client.force_login(staff)
    url = reverse("doctors:verification_queue")
    UnverifiedDoctorProfileFactory()
    doctor_verify(profile=UnverifiedDoctorProfileFactory(), decided_by=staff)
    few = _queries(client, url)
    UnverifiedDoctorProfileFactory.create_batch(15)
    for profile in UnverifiedDoctorProfileFactory.create_batch(10):
        doctor_reject(profile=profile, decided_by=StaffFactory(), note="No match")
    many = _queries(client, url)
    assert few == many <= BUDGET
