"""Doctors outside the US (issue 13 review): a practice country with a free-text region, a licence that is a
national register's number, bylines "City, Country", the directory's country and region filters, JSON-LD with
addressCountry, and the migration that made every existing doctor a US one."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from consult.accounts.models import Role
from consult.doctors.errors import InvalidProfile
from consult.doctors.models import DoctorProfile
from consult.doctors.services import doctor_profile_create, doctor_profile_update
from consult.questions import services as question_services
from tests.factories import DoctorProfileFactory, StaffFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

GERMAN = {
    "full_name": "Lena Hartwig",
    "credentials": "MD",
    "specialty": "ent-facial-nerve",
    "country": "DE",
    "city": "Munich",
    "state": "Bavaria",
    "bio": "Facial nerve surgeon.",
    "registration_number": "DE-EFN 2761 4400",
    "license_state": "Bavaria",
}


def _german(**overrides):
    return {**GERMAN, **overrides}


# --- the service ---------------------------------------------------------------------------------------------


def test_a_german_doctor_signs_up_with_a_region_and_a_national_registration_number_no_us_state_needed():
    profile = doctor_profile_create(user=UserFactory(role=Role.DOCTOR), **_german())
    assert (profile.country, profile.city, profile.state) == ("DE", "Munich", "Bavaria")
    # the licence: issued in the practice's country (not given: the practice's), no US state licence
    assert (profile.registration_country, profile.registration_number) == ("DE", "DE-EFN 2761 4400")
    assert (profile.license_number, profile.license_state) == ("", "Bavaria")
    assert profile.place == "Munich, Germany" and profile.place_full == "Munich, Bavaria, Germany"


def test_outside_the_us_the_region_is_optional_and_a_stray_us_licence_number_is_not_kept():
    profile = doctor_profile_create(
        user=UserFactory(role=Role.DOCTOR),
        **_german(country="GB", city="Leeds", state="", license_state="", registration_number="7012345",
                  license_number="TX-1"),
    )
    assert profile.state == "" and profile.license_number == "" and profile.registration_country == "GB"
    assert profile.place == "Leeds, United Kingdom" and profile.place_full == "Leeds, United Kingdom"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"registration_number": ""}, "registration_number"),  # the number staff look up is required abroad
        ({"country": "XX"}, "country"),
        ({"country": ""}, "country"),
        ({"state": "<script>"}, "state"),
        ({"license_state": "Bavaria; DROP"}, "license_state"),
        ({"registration_country": "ZZ"}, "registration_country"),
        # licensed in the US while practising abroad: the US licence fields are required
        ({"registration_country": "US", "registration_number": "", "license_state": ""}, "license_number"),
        ({"registration_country": "US", "registration_number": "", "license_number": "NY-1", "license_state": "Bavaria"},
         "license_state"),
    ],
)
def test_bad_international_input_names_its_field_and_saves_nothing(overrides, field):
    with pytest.raises(InvalidProfile) as caught:
        doctor_profile_create(user=UserFactory(role=Role.DOCTOR), **_german(**overrides))
    assert caught.value.field == field
    assert not DoctorProfile.objects.exists()


def test_a_us_practice_still_needs_a_us_state_and_a_us_licence_its_byline_stays_city_st():
    with pytest.raises(InvalidProfile) as caught:
        doctor_profile_create(user=UserFactory(role=Role.DOCTOR), **_german(country="US", state="Bavaria"))
    assert caught.value.field == "state"
    profile = doctor_profile_create(
        user=UserFactory(role=Role.DOCTOR),
        full_name="Jo Park", credentials="MD", specialty="dermatology", country="US", city="Austin", state="tx",
        license_number="TX-77", license_state="tx",
    )
    assert profile.place == "Austin, TX" and profile.place_full == "Austin, Texas"
    assert profile.registration_country == "US"


def test_moving_the_licence_abroad_sends_a_verified_profile_back_to_review():
    profile = DoctorProfileFactory()
    doctor_profile_update(profile=profile, **_german())
    profile.refresh_from_db()
    assert profile.status == "pending"


# --- the form (works without the script: both sets of fields are in the page) -------------------------------


FORM_POST = {
    "full_name": "Lena Hartwig",
    "credentials": "MD",
    "specialty": "ent-facial-nerve",
    "country": "DE",
    "city": "Munich",
    "state": "",
    "region": "Bavaria",
    "registration_country": "",
    "registration_number": "DE-EFN 2761 4400",
    "license_number": "",
    "license_state": "",
    "license_region": "Bavaria",
    "practice_phone": "+49 89 1234 5678",
}


def test_a_non_us_doctor_signs_up_through_the_form_and_sees_their_fields_again(client):
    user = UserFactory(role=Role.DOCTOR)
    client.force_login(user)
    page = client.get(reverse("doctors:profile_edit")).content.decode()
    for name in ("country", "state", "region", "registration_country", "license_number", "license_state", "license_region"):
        assert f'name="{name}"' in page, name
    assert 'data-country-only="US"' in page and 'data-country-not="US"' in page
    response = client.post(reverse("doctors:profile_edit"), FORM_POST)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    profile = DoctorProfile.objects.get(user=user)
    assert (profile.country, profile.state, profile.registration_country, profile.license_state) == (
        "DE", "Bavaria", "DE", "Bavaria"
    )
    form = client.get(reverse("doctors:profile_edit")).context["form"]
    assert form["region"].value() == "Bavaria" and form["state"].value() == ""
    assert form["license_region"].value() == "Bavaria" and form["license_state"].value() == ""
    assert form["registration_country"].value() == ""  # "the country I practise in"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"registration_number": ""}, "registration_number", "registration number"),
        ({"region": "<b>"}, "region", "region"),
        ({"license_region": "<b>"}, "license_region", "region"),
        ({"country": "US", "state": ""}, "state", "US state"),
        ({"registration_country": "US", "registration_number": "", "license_number": ""}, "license_number",
         "licence number"),
    ],
)
def test_form_errors_land_on_the_field_the_doctor_filled(client, overrides, field, message):
    client.force_login(UserFactory(role=Role.DOCTOR))
    response = client.post(reverse("doctors:profile_edit"), {**FORM_POST, **overrides})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not DoctorProfile.objects.exists()


# --- what readers see ----------------------------------------------------------------------------------------


def _thread_with_answer(doctor):
    tag = TagFactory()
    question = question_services.question_create(
        author=UserFactory(), title="Can synkinesis be treated years later?", body="Details of the question here.",
        tags=[tag], display_name="Sam",
    )
    question_services.answer_create(doctor=doctor, question=question, headline="Yes, often", body="Text")
    return question


def test_bylines_say_city_country_abroad_and_city_st_at_home_and_follow_a_move_in_the_cached_thread(client):
    german = DoctorProfileFactory(country="DE", city="Munich", state="Bavaria", registration_country="DE",
                                  registration_number="DE-1", license_number="", license_state="")
    question = _thread_with_answer(german)
    DoctorProfileFactory(city="Austin", state="TX")
    member = Client()
    member.force_login(UserFactory())
    for reader in (client, member):  # cached for both (the anonymous whole page, the shared entry)
        html = reader.get(question.get_absolute_url()).content.decode()
        assert "Munich, Germany" in html and "Munich, DE" not in html
    doctor_profile_update(
        profile=german, full_name=german.full_name, credentials=german.credentials, specialty=german.specialty,
        country="AT", city="Vienna", state="", registration_number="AT-55", license_state="",
    )
    for reader in (client, member):  # the edit bumped the thread: at once, not after the cache's 60 s
        html = reader.get(question.get_absolute_url()).content.decode()
        assert "Vienna, Austria" in html and "Munich" not in html


def test_the_profile_shows_region_and_country_and_its_jsonld_has_address_country(client):
    german = DoctorProfileFactory(country="DE", city="Munich", state="Bavaria", registration_country="DE",
                                  registration_number="DE-1", license_number="", license_state="")
    american = DoctorProfileFactory(city="Austin", state="TX")
    html = client.get(reverse("doctors:profile", kwargs={"slug": german.slug})).content.decode()
    assert "Munich, Bavaria, Germany" in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["address"] == {
        "@type": "PostalAddress", "addressLocality": "Munich", "addressRegion": "Bavaria", "addressCountry": "DE",
    }
    html = client.get(reverse("doctors:profile", kwargs={"slug": american.slug})).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["address"]["addressCountry"] == "US" and data["address"]["addressRegion"] == "TX"
    assert "Austin, Texas" in html
    no_region = DoctorProfileFactory(country="GB", city="Leeds", state="", registration_country="GB",
                                     registration_number="7012345", license_number="", license_state="")
    html = client.get(reverse("doctors:profile", kwargs={"slug": no_region.slug})).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert "addressRegion" not in data["address"] and data["address"]["addressCountry"] == "GB"


def test_staff_see_a_foreign_licence_as_registration_number_and_issuer_not_as_a_us_state(client):
    german = DoctorProfileFactory(country="DE", city="Munich", state="Bavaria", registration_country="DE",
                                  registration_number="DE-EFN-1", license_number="", license_state="Bavaria")
    client.force_login(StaffFactory())
    html = client.get(reverse("doctors:profile", kwargs={"slug": german.slug})).content.decode()
    staff = html.split('id="licence-heading"')[1].split("</section>")[0]
    assert "Licence state" not in staff and "DE-EFN-1" in staff and "Bavaria, Germany" in staff


def _names(client, **params):
    html = client.get(reverse("doctors:directory"), params).content.decode()
    return re.findall(r'class="doctor-card__name"><a href="[^"]+">Dr\. ([^,<]+)', html)


def test_the_directory_filters_by_country_then_region_or_state(client):
    DoctorProfileFactory(full_name="Ada Munich", country="DE", city="Munich", state="Bavaria")
    DoctorProfileFactory(full_name="Ben Berlin", country="DE", city="Berlin", state="Berlin")
    DoctorProfileFactory(full_name="Cal Austin", city="Austin", state="TX")
    DoctorProfileFactory(full_name="Dee Toronto", country="CA", city="Toronto", state="Ontario")
    assert _names(client, country="DE") == ["Ada Munich", "Ben Berlin"]
    assert _names(client, country="DE", region="  bavaria ") == ["Ada Munich"]
    assert _names(client, country="US", state="TX") == ["Cal Austin"]
    assert _names(client, state="TX") == ["Cal Austin"]  # a US state means the US
    assert _names(client, country="DE", state="TX") == ["Ada Munich", "Ben Berlin"]  # a US state abroad: ignored
    assert _names(client, region="ontario") == ["Dee Toronto"]
    html = client.get(reverse("doctors:directory"), {"country": "DE"}).content.decode()
    assert "Munich, Germany" in html and 'data-country-fields="directory"' in html
    # bad input is ignored, never a 500
    assert client.get(reverse("doctors:directory"), {"country": "<x>", "region": "a" * 500}).status_code == 200


def test_the_api_gives_country_and_place_and_filters_by_country(client):
    DoctorProfileFactory(full_name="Ada Munich", country="DE", city="Munich", state="Bavaria")
    DoctorProfileFactory(full_name="Cal Austin", city="Austin", state="TX")
    items = client.get("/api/v1/doctors", {"country": "de"}).json()["items"]
    assert [(d["country"], d["place"], d["state"]) for d in items] == [("DE", "Munich, Germany", "Bavaria")]
    items = client.get("/api/v1/doctors", {"country": "DE", "region": "BAVARIA"}).json()["items"]
    assert len(items) == 1
    assert client.get("/api/v1/doctors", {"state": "TX"}).json()["items"][0]["place"] == "Austin, TX"


# --- the migration -------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_makes_every_existing_doctor_a_us_one():
    before, after = [("doctors", "0004_helpful_count_licence_documents")], [("doctors", "0005_international_location")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        user = UserFactory(role=Role.DOCTOR)  # accounts' table is as it is now: only doctors went back
        old_apps = executor.loader.project_state(before).apps
        old_apps.get_model("doctors", "DoctorProfile").objects.create(
            user_id=user.pk, slug="old-doctor", full_name="Old Doctor", credentials="MD", specialty="dermatology",
            city="Austin", state="TX", license_number="TX-1", license_state="TX",
        )
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new_apps = executor.loader.project_state(after).apps
        row = new_apps.get_model("doctors", "DoctorProfile").objects.get(slug="old-doctor")
        assert (row.country, row.state, row.license_state, row.registration_country) == ("US", "TX", "TX", "US")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())  # back to the latest for the next tests
