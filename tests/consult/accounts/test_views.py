"""Account pages: bad input becomes form errors, logout needs POST, password reset works end to end."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from consult.accounts.models import Role, User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _signup_data(**overrides):
    data = {
        "email": "new@example.com",
        "display_name": "Newcomer",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "role": "patient",
    }
    data.update(overrides)
    return data


def test_signup_page_renders_an_accessible_form(client):
    response = client.get(reverse("accounts:signup"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label class="field__label" for="id_email">' in html
    assert 'aria-describedby="id_email_helptext"' in html
    assert "<legend" in html  # the role radios are a fieldset


def test_patient_signup_signs_in_and_redirects_to_next(client):
    response = client.post(reverse("accounts:signup"), _signup_data(next="/doctors/"))
    assert response.status_code == 302
    assert response["Location"] == "/doctors/"
    user = User.objects.get(email="new@example.com")
    assert user.role == Role.PATIENT
    assert int(client.session["_auth_user_id"]) == user.pk


def test_signup_ignores_an_offsite_next(client):
    response = client.post(reverse("accounts:signup"), _signup_data(next="https://evil.example/"))
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_doctor_signup_goes_to_the_profile_form(client):
    response = client.post(reverse("accounts:signup"), _signup_data(role="doctor"))
    assert response.status_code == 302
    assert response["Location"] == reverse("doctors:profile_edit")
    assert User.objects.get(email="new@example.com").role == Role.DOCTOR
    # ...and is still signed in on the next request, so the profile form opens.
    follow = client.get(response["Location"])
    assert follow.status_code == 200
    assert follow.wsgi_request.user.email == "new@example.com"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "nope"}, "email", "valid email"),
        ({"password2": "something-else-42"}, "password2", "do not match"),
        ({"password1": "short", "password2": "short"}, "password1", "too short"),
        ({"role": "moderator"}, "role", "valid choice"),
        ({"role": "staff"}, "role", "valid choice"),
        ({"display_name": ""}, "display_name", "required"),
    ],
)
def test_signup_bad_input_gives_form_errors_not_500(client, overrides, field, message):
    response = client.post(reverse("accounts:signup"), _signup_data(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert 'role="alert"' in html
    assert not User.objects.exists()


def test_signup_with_a_taken_email_is_a_form_error(client):
    UserFactory(email="new@example.com")
    response = client.post(reverse("accounts:signup"), _signup_data(email="NEW@example.com"))
    assert response.status_code == 200
    assert "already exists" in " ".join(response.context["form"].errors["email"])


def test_login_with_email_case_insensitive(client):
    user = UserFactory(email="jo@example.com")
    response = client.post(
        reverse("accounts:login"), {"username": "JO@Example.com", "password": PASSWORD, "next": "/doctors/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/doctors/"
    assert int(client.session["_auth_user_id"]) == user.pk


def test_login_wrong_password_is_a_form_error(client):
    UserFactory(email="jo@example.com")
    response = client.post(reverse("accounts:login"), {"username": "jo@example.com", "password": "wrong-one"})
    assert response.status_code == 200
    assert "do not match" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_is_rate_limited(client, settings):
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMITS = {**settings.RATELIMITS, "login": (3, 300)}
    url = reverse("accounts:login")
    codes = [client.post(url, {"username": "a@example.com", "password": "x"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_signup_is_rate_limited(client, settings):
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMITS = {**settings.RATELIMITS, "signup": (2, 3600)}
    url = reverse("accounts:signup")
    codes = [client.post(url, _signup_data(email="bad")).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_logout_requires_post(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_working_link(client):
    user = UserFactory(email="forgetful@example.com")
    response = client.post(reverse("accounts:password_reset"), {"email": "Forgetful@example.com"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["forgetful@example.com"]
    assert message.subject == "Reset your Consult password"
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)

    # Django swaps the token for a session marker and redirects to a "set-password" URL.
    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert response.context["validlink"]
    set_password_url = response.redirect_chain[-1][0]
    new_password = "a-brand-new-secret-77"
    response = client.post(set_password_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(new_password)

    # The link works once.
    response = client.get(link, follow=True)
    assert not response.context["validlink"]


def test_password_reset_for_unknown_email_sends_nothing_but_looks_the_same(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_settings_requires_login(client):
    response = client.get(reverse("accounts:settings"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_settings_changes_display_name_and_password(client):
    user = UserFactory(display_name="Before")
    client.force_login(user)
    response = client.post(reverse("accounts:settings"), {"save_name": "1", "display_name": "After"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.display_name == "After"

    new_password = "another-long-secret-88"
    response = client.post(
        reverse("accounts:settings"),
        {
            "change_password": "1",
            "old_password": PASSWORD,
            "new_password1": new_password,
            "new_password2": new_password,
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
    # Still signed in after the change (session hash updated).
    assert client.get(reverse("accounts:settings")).status_code == 200


def test_settings_wrong_old_password_is_a_form_error(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:settings"),
        {
            "change_password": "1",
            "old_password": "wrong",
            "new_password1": "x-y-z-1234567",
            "new_password2": "x-y-z-1234567",
        },
    )
    assert response.status_code == 200
    assert "old_password" in response.context["password_form"].errors
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.fixture
def limited(settings):
    settings.RATELIMIT_ENABLED = True
    return settings


def _login(client, email, password):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_successful_sign_ins_do_not_count_towards_the_login_limit(client, limited):
    limited.RATELIMITS = {**limited.RATELIMITS, "login": (2, 900), "login_account": (2, 900)}
    UserFactory(email="jo@example.com")
    for _ in range(4):
        assert _login(client, "jo@example.com", PASSWORD).status_code == 302
        client.post(reverse("accounts:logout"))
    assert _login(client, "jo@example.com", "wrong").status_code == 200
    assert _login(client, "jo@example.com", PASSWORD).status_code == 302


def test_repeated_bad_sign_ins_lock_the_account_from_every_address(client, limited):
    """Per account: an attacker rotating addresses is still stopped, even with the right password."""
    limited.RATELIMITS = {**limited.RATELIMITS, "login_account": (3, 900)}
    UserFactory(email="jo@example.com")
    for i in range(3):
        client.defaults["REMOTE_ADDR"] = f"198.51.100.{i}"
        assert _login(client, "JO@example.com", "wrong").status_code == 200
    client.defaults["REMOTE_ADDR"] = "198.51.100.200"
    locked = _login(client, "jo@example.com", PASSWORD)
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not affected.
    UserFactory(email="sam@example.com")
    assert _login(client, "sam@example.com", PASSWORD).status_code == 302


def test_repeated_bad_sign_ins_lock_the_address_across_accounts(client, limited):
    limited.RATELIMITS = {**limited.RATELIMITS, "login": (3, 900)}
    for i in range(3):
        assert _login(client, f"user{i}@example.com", "wrong").status_code == 200
    assert _login(client, "someone.else@example.com", "wrong").status_code == 429


def test_password_reset_is_limited_per_address_and_per_recipient(client, limited):
    limited.RATELIMITS = {**limited.RATELIMITS, "password_reset": (5, 3600), "password_reset_email": (2, 3600)}
    UserFactory(email="jo@example.com")
    url = reverse("accounts:password_reset")
    codes = [client.post(url, {"email": "jo@example.com"}).status_code for _ in range(4)]
    assert codes == [302, 302, 302, 302]  # the page looks the same...
    assert len(mail.outbox) == 2  # ...but the address received two e-mails, not four
    client.post(url, {"email": "other@example.com"})
    assert client.post(url, {"email": "jo@example.com"}).status_code == 429  # 6th request from this address
    assert len(mail.outbox) == 2


def test_password_change_stops_checking_old_passwords_after_repeated_wrong_guesses(client, limited):
    limited.RATELIMITS = {**limited.RATELIMITS, "password_change": (3, 900)}
    user = UserFactory()
    client.force_login(user)
    url = reverse("accounts:settings")

    def change(old):
        return client.post(url, {"change_password": "1", "old_password": old,
                                 "new_password1": "a-brand-new-passphrase-9", "new_password2": "a-brand-new-passphrase-9"})

    assert [change("wrong").status_code for _ in range(3)] == [200, 200, 200]
    refused = change(PASSWORD)  # even the right one: no more guesses in this window
    assert refused.status_code == 429
    assert "Too many wrong current passwords" in refused.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_settings_page_is_never_cached(client):
    client.force_login(UserFactory())
    response = client.get(reverse("accounts:settings"))
    assert response["Cache-Control"] == "private, no-store"
