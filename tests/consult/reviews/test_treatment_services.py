"""Treatment pages are written through ``services.treatment_create`` / ``treatment_update`` (keyword-only), by
the admin and the demo loader: validation with the field at fault, nothing written when nothing changed, the
cached profiles that show the name refreshed at once, and the ``treatment_saved`` event (the search index
follows it) sent once per real change."""

from __future__ import annotations

import inspect

import pytest
from django.test import Client

from consult.core import events
from consult.reviews import services
from consult.reviews.errors import InvalidTreatment
from consult.reviews.models import Treatment
from tests.consult.reviews.conftest import write_review
from tests.consult.test_events import caught
from tests.factories import DoctorProfileFactory, StaffFactory, TagFactory

pytestmark = pytest.mark.django_db

PAGE = {"name": "Botox", "summary": "Botulinum toxin in small doses.", "description": "About Botox.\n\nMore."}


def test_create_and_update_are_keyword_only_and_announce_each_real_change():
    for function in (services.treatment_create, services.treatment_update):
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in inspect.signature(function).parameters.values())
    tag = TagFactory(slug="botox", name="Botox")
    with caught(events.treatment_saved) as saved:
        treatment = services.treatment_create(slug="botox", tag_id=tag.pk, **{**PAGE, "name": "  Botox  "})
        assert treatment.name == "Botox" and treatment.tag_id == tag.pk
        assert services.treatment_update(treatment=treatment, tag_id=tag.pk, **PAGE) == (treatment, False)
        _, changed = services.treatment_update(treatment=treatment, tag_id=None, **{**PAGE, "summary": "New."})
        assert changed
    assert [(s["treatment"].pk, s["created"]) for s in saved] == [(treatment.pk, True), (treatment.pk, False)]
    treatment.refresh_from_db()
    assert treatment.summary == "New." and treatment.tag_id is None


@pytest.mark.parametrize(
    ("slug", "changes", "field"),
    [
        ("not a slug!", {}, "slug"),
        ("", {}, "slug"),
        ("x" * 81, {}, "slug"),
        ("ok", {"name": "   "}, "name"),
        ("ok", {"summary": "s" * 241}, "summary"),
        ("ok", {"description": ""}, "description"),
    ],
)
def test_bad_input_names_the_field(slug, changes, field):
    with pytest.raises(InvalidTreatment) as error:
        services.treatment_create(slug=slug, **{**PAGE, **changes})
    assert error.value.field == field
    assert not Treatment.objects.exists()


def test_a_taken_slug_is_a_field_error_not_a_500():
    services.treatment_create(slug="botox", **PAGE)
    with pytest.raises(InvalidTreatment, match="exists already") as error:
        services.treatment_create(slug="botox", **PAGE)
    assert error.value.field == "slug"


def test_a_new_name_shows_at_once_on_the_cached_profiles_that_show_it():
    doctor = DoctorProfileFactory()
    treatment = services.treatment_create(slug="botox", **PAGE)
    write_review(doctor=doctor, treatment=treatment)
    profile = f"/doctors/{doctor.slug}/"
    anonymous = Client()
    assert ">Botox</a>" in anonymous.get(profile).content.decode()  # now cached for anonymous readers
    services.treatment_update(treatment=treatment, **{**PAGE, "name": "Botulinum toxin"})
    html = anonymous.get(profile).content.decode()
    assert ">Botulinum toxin</a>" in html and ">Botox</a>" not in html


def test_the_admin_writes_through_the_services(client):
    client.force_login(StaffFactory(is_superuser=True))
    with caught(events.treatment_saved) as saved:
        response = client.post("/admin/reviews/treatment/add/", {"slug": "fillers", **PAGE, "name": "Dermal fillers"})
        assert response.status_code == 302, response.content.decode()[:2000]
        treatment = Treatment.objects.get(slug="fillers")
        response = client.post(f"/admin/reviews/treatment/{treatment.pk}/change/",
                               {**PAGE, "name": "Fillers", "slug": "ignored"})
        assert response.status_code == 302
    treatment.refresh_from_db()
    assert treatment.name == "Fillers" and treatment.slug == "fillers", "the slug is set once"
    assert [s["created"] for s in saved] == [True, False]
    # figures are computed, never typed in; pages are never deleted from the admin
    page = client.get(f"/admin/reviews/treatment/{treatment.pk}/change/").content.decode()
    assert 'name="review_count"' not in page
    assert client.get(f"/admin/reviews/treatment/{treatment.pk}/delete/").status_code == 403


def test_the_demo_loader_writes_treatments_through_the_services():
    from consult.demo.management.commands import load_demo

    source = inspect.getsource(load_demo)
    assert "treatment_create(" in source and "treatment_update(" in source
    assert "Treatment.objects.get_or_create" not in source and "Treatment.objects.create" not in source
