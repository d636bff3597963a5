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
        "display_name": "Newcomer",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "role": "patient",
        "consent": "on",
    }
    data.update(overrides)
    return data


def _link(message) -> str:
    match = re.search(r"http://testserver(/accounts/signup/finish/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def _start(client, email="new@example.com", **extra):
    response = client.post(reverse("accounts:signup"), {"email": email, **extra})
    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    return response


def test_signup_page_renders_an_accessible_form(client):
    response = client.get(reverse("accounts:signup"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label class="field__label" for="id_email">' in html
    assert 'aria-describedby="id_email_helptext"' in html


def test_signup_finish_page_renders_an_accessible_form(client):
    _start(client)
    html = client.get(_link(mail.outbox[-1])).content.decode()
    assert "new@example.com" in html
    assert "<legend" in html  # the role radios are a fieldset


def test_signup_answers_the_same_for_new_and_existing_addresses(client):
    """No enumeration: the page is identical; only the mailbox's owner learns which case it was."""
    UserFactory(email="taken@example.com")
    new = _start(client, "fresh@example.com").content.decode().replace("fresh@example.com", "X")
    taken = _start(client, "TAKEN@example.com").content.decode().replace("taken@example.com", "X")
    strip = lambda html: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)  # noqa: E731
    assert strip(new) == strip(taken)
    assert [m.to for m in mail.outbox] == [["fresh@example.com"], ["taken@example.com"]]
    assert "/accounts/signup/finish/" in mail.outbox[0].body
    assert "already has an account" in mail.outbox[1].body and "/accounts/signup/finish/" not in mail.outbox[1].body
    assert User.objects.count() == 1  # nothing is created before the link is followed


def test_patient_signup_signs_in_and_redirects_to_next(client):
    _start(client, next="/doctors/")
    assert not User.objects.filter(email="new@example.com").exists()
    response = client.post(_link(mail.outbox[-1]), _signup_data())
    assert response.status_code == 302
    assert response["Location"] == "/doctors/"
    user = User.objects.get(email="new@example.com")
    assert user.role == Role.PATIENT
    assert int(client.session["_auth_user_id"]) == user.pk


def test_signup_ignores_an_offsite_next(client):
    _start(client, next="https://evil.example/")
    response = client.post(_link(mail.outbox[-1]), _signup_data())
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_doctor_signup_goes_to_the_profile_form(client):
    _start(client)
    response = client.post(_link(mail.outbox[-1]), _signup_data(role="doctor"))
    assert response.status_code == 302
    assert response["Location"] == reverse("doctors:profile_edit")
    assert User.objects.get(email="new@example.com").role == Role.DOCTOR
    # ...and is still signed in on the next request, so the profile form opens.
    follow = client.get(response["Location"])
    assert follow.status_code == 200
    assert follow.wsgi_request.user.email == "new@example.com"


def test_signup_start_with_a_bad_address_is_a_form_error(client):
    response = client.post(reverse("accounts:signup"), {"email": "nope"})
    assert response.status_code == 200
    assert "valid email" in " ".join(response.context["form"].errors["email"])
    assert not mail.outbox


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"password2": "something-else-42"}, "password2", "do not match"),
        ({"password1": "short", "password2": "short"}, "password1", "too short"),
        ({"role": "moderator"}, "role", "valid choice"),
        ({"role": "staff"}, "role", "valid choice"),
        ({"display_name": ""}, "display_name", "required"),
    ],
)
def test_signup_bad_input_gives_form_errors_not_500(client, overrides, field, message):
    _start(client)
    response = client.post(_link(mail.outbox[-1]), _signup_data(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert 'role="alert"' in html
    assert not User.objects.exists()


@pytest.mark.parametrize("token", ["garbage", "eyJlIjoieEBleGFtcGxlLmNvbSJ9:1abc:forged", "%C2%B2"])
def test_a_forged_or_damaged_signup_link_is_a_clear_400(client, token):
    response = client.get(f"/accounts/signup/finish/{token}/")
    assert response.status_code == 400
    assert "expired or is not valid" in response.content.decode()
    assert client.post(f"/accounts/signup/finish/{token}/", _signup_data()).status_code == 400
    assert not User.objects.exists()


def test_an_expired_signup_link_is_refused(client, monkeypatch):
    from consult.accounts import services

    _start(client)
    link = _link(mail.outbox[-1])
    monkeypatch.setattr(services, "SIGNUP_LINK_SECONDS", -1)
    response = client.post(link, _signup_data())
    assert response.status_code == 400 and not User.objects.exists()


def test_a_used_signup_link_cannot_make_a_second_account(client):
    _start(client)
    link = _link(mail.outbox[-1])
    client.post(link, _signup_data())
    client.post(reverse("accounts:logout"))
    again = client.post(link, _signup_data(display_name="Someone else"))
    assert again.status_code == 400
    assert "already been used" in again.content.decode()
    assert User.objects.get(email="new@example.com").display_name == "Newcomer"


def test_signup_emails_to_one_address_are_limited_silently(client, settings):
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMITS = {**settings.RATELIMITS, "signup_email": (2, 3600)}
    for i in range(4):
        client.defaults["REMOTE_ADDR"] = f"198.51.100.{i}"
        _start(client, "target@example.com")
    assert len(mail.outbox) == 2


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
    codes = [client.post(url, {"email": "bad"}).status_code for _ in range(3)]
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
