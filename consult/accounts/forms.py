"""Forms for accounts. They validate shape; the rules live in services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from consult.accounts.models import Role, User
from consult.accounts.services import normalize_email

SIGNUP_ROLE_CHOICES = [
    (Role.PATIENT.value, "A patient (or asking for someone)"),
    (Role.DOCTOR.value, "A doctor"),
]


class SignupStartForm(forms.Form):
    """Step 1 of signing up: the e-mail address only. The answer is the same whether or not an account
    exists for it ("check your inbox"), so the form tells nobody which addresses are members."""

    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        help_text="Never shown publicly. We send a link to it to finish signing up.",
    )

    def clean_email(self) -> str:
        return normalize_email(self.cleaned_data["email"])


class SignupForm(forms.Form):
    """Step 2, opened from the e-mailed link: the rest of the account."""

    display_name = forms.CharField(
        label="Display name",
        max_length=User._meta.get_field("display_name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "nickname", "autofocus": True}),
        help_text="Shown next to your questions. A pseudonym is fine.",
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters; not a common password.",
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    role = forms.ChoiceField(
        label="I am",
        choices=SIGNUP_ROLE_CHOICES,
        initial=Role.PATIENT.value,
        widget=forms.RadioSelect,
        help_text="Doctors fill in a profile next; staff verify the licence before you can answer.",
    )

    consent = forms.BooleanField(
        label="I agree that Consult stores the health information and photos I choose to add, as described above",
        required=True,
        error_messages={"required": "To create an account, please agree to how we store your health information "
                                    "and photos."},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The two passwords do not match.")
        return cleaned


class LoginForm(AuthenticationForm):
    """Sign in with e-mail and password (User.USERNAME_FIELD is the e-mail)."""

    username = forms.EmailField(
        label="E-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That e-mail address and password do not match an account.",
    }

    def clean_username(self) -> str:
        return normalize_email(self.cleaned_data["username"])


class DisplayNameForm(forms.Form):
    display_name = forms.CharField(
        label="Display name",
        max_length=User._meta.get_field("display_name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
        help_text="Shown next to your questions. A pseudonym is fine.",
    )


class EmailPasswordResetForm(PasswordResetForm):
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class EmailChangeForm(forms.Form):
    new_email = forms.EmailField(
        label="New e-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="We send a link to it; your address changes when you open the link.",
    )
    email_password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To make sure it is you.",
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text="What the token is for, e.g. \u201cclinic export script\u201d.",
    )
