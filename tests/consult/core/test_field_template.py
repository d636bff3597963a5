"""Every form page renders its fields through the one field template (core/_field.html): labels tied
to inputs, help and errors announced with aria-describedby, "(optional)" where it helps, radio and
checkbox groups as a fieldset with a legend."""

import re

import pytest
from django.urls import reverse

from consult.accounts.models import Role
from tests.factories import PASSWORD, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


def _html(response):
    assert response.status_code == 200
    return response.content.decode()


def _label(html, field_id):
    """The text of the label (or legend) of a field, tags stripped and spaces squashed."""
    match = re.search(rf'<label class="field__label" for="{field_id}">(.*?)</label>', html, re.S)
    assert match, f"no label for {field_id}"
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split())


def test_doctor_directory_filters_have_labels_and_no_optional_marker(client):
    html = _html(client.get(reverse("doctors:directory")))
    assert _label(html, "id_specialty") == "Specialty"
    assert _label(html, "id_country") == "Country"
    assert _label(html, "id_state") == "State (US)"
    assert _label(html, "id_region") == "Region (outside the US)"
    assert "(optional)" not in html


def test_doctor_profile_form_shows_help_optional_and_errors(client):
    doctor = UserFactory(role=Role.DOCTOR)
    client.force_login(doctor)
    html = _html(client.get(reverse("doctors:profile_edit")))
    assert _label(html, "id_full_name") == "Full name"
    assert _label(html, "id_bio") == "Short bio (optional)"
    assert 'id="id_full_name_helptext"' in html
    assert re.search(r'<input[^>]*aria-describedby="id_full_name_helptext"[^>]*id="id_full_name"', html)

    html = _html(client.post(reverse("doctors:profile_edit"), {"full_name": "", "credentials": "MD"}))
    assert '<ul class="field__errors" id="id_full_name_error">' in html
    assert re.search(r'<input[^>]*aria-describedby="id_full_name_helptext id_full_name_error"', html)
    assert 'class="field field--error"' in html


def test_signup_role_is_a_fieldset_and_errors_are_announced(client):
    from consult.accounts.services import signup_token

    assert _label(_html(client.get(reverse("accounts:signup"))), "id_email") == "E-mail address"
    finish = reverse("accounts:signup_finish", kwargs={"token": signup_token(email="x@example.com")})
    html = _html(client.get(finish))
    assert re.search(r'<fieldset class="field field--choices" aria-describedby="id_role_helptext">\s*<legend', html)

    html = _html(
        client.post(
            finish,
            {"display_name": "X", "password1": PASSWORD, "password2": "other", "role": "patient"},
        )
    )
    assert 'id="id_password2_error"' in html
    assert 'aria-invalid="true"' in html


def test_login_and_password_reset_fields_have_labels(client):
    html = _html(client.get(reverse("accounts:login")))
    assert _label(html, "id_username") and _label(html, "id_password")
    html = _html(client.get(reverse("accounts:password_reset")))
    assert _label(html, "id_email")


def test_settings_shows_djangos_password_rules_as_a_list_not_as_escaped_markup(client):
    client.force_login(UserFactory())
    html = _html(client.get(reverse("accounts:settings")))
    assert re.search(r'<div class="field__help" id="id_new_password1_helptext">\s*<ul>', html)
    assert "&lt;ul&gt;" not in html
    assert _label(html, "id_display_name")


def test_ask_form_groups_concerns_and_marks_optional_fields(client):
    TagFactory(name="Synkinesis")
    client.force_login(UserFactory())
    html = _html(client.get(reverse("questions:ask")))
    assert re.search(
        r'<fieldset class="field field--choices" aria-describedby="id_tags_helptext">\s*'
        r'<legend class="field__label">Concerns</legend>',
        html,
    )
    assert _label(html, "id_age") == "Age (optional)"
    assert _label(html, "id_title") == "Title"
    assert 'id="id_title_helptext"' in html


def test_progress_and_photo_forms_use_the_same_field_markup(client):
    client.force_login(UserFactory())
    html = _html(client.get(reverse("progress:dashboard")))
    assert _label(html, "id_kind") == "Treatment"
    assert _label(html, "id_notes") == "Notes (optional)"
    assert "“Botox, left neck and chin”" in html
    html = _html(client.get(reverse("photos:visit_new")))
    assert _label(html, "id_taken_on") == "Date the photos were taken (optional)"
    assert 'id="id_taken_on_helptext"' in html
