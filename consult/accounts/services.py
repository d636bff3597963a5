"""Writes for accounts. Keyword-only arguments, one transaction, domain errors on bad input."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from consult.accounts.errors import (
    BadSignupLink,
    EmailTaken,
    InvalidDisplayName,
    InvalidEmail,
    RoleNotAllowed,
    WeakPassword,
)
from consult.accounts.models import Role, User

# Anyone may sign up as a patient or as a (not yet verified) doctor. Moderator and staff are
# granted by staff in the admin, never chosen at sign-up.
SELF_SERVICE_ROLES = frozenset({Role.PATIENT, Role.DOCTOR})
DISPLAY_NAME_MAX = User._meta.get_field("display_name").max_length or 60


def normalize_email(email: str) -> str:
    """E-mail addresses are stored and looked up lower-cased, so sign-in is case-insensitive."""
    return email.strip().lower()


def clean_display_name(display_name: str) -> str:
    name = " ".join(display_name.split())
    if not name:
        raise InvalidDisplayName("Choose a display name. A pseudonym is fine.")
    if len(name) > DISPLAY_NAME_MAX:
        raise InvalidDisplayName(f"Keep the display name to {DISPLAY_NAME_MAX} characters or fewer.")
    return name


@transaction.atomic
def user_create(*, email: str, password: str, display_name: str, role: str = Role.PATIENT) -> User:
    """Create a member who signed up themselves. Doctors start unverified (no profile yet).

    Raises InvalidEmail, EmailTaken, InvalidDisplayName, WeakPassword or RoleNotAllowed.
    """
    email = normalize_email(email)
    try:
        validate_email(email)
    except ValidationError as exc:
        raise InvalidEmail("Enter a valid e-mail address.") from exc
    name = clean_display_name(display_name)
    if role not in SELF_SERVICE_ROLES:
        raise RoleNotAllowed("Choose patient or doctor.")
    if User.objects.filter(email__iexact=email).exists():
        raise EmailTaken("An account with this e-mail address already exists.")

    user = User(email=email, display_name=name, role=role)
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise WeakPassword(list(exc.messages)) from exc
    user.set_password(password)
    try:
        # A savepoint so a concurrent sign-up with the same address becomes a form error, not a 500.
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise EmailTaken("An account with this e-mail address already exists.") from exc
    return user


@transaction.atomic
def user_update(*, user: User, display_name: str) -> User:
    """Change what a member shows publicly."""
    user.display_name = clean_display_name(display_name)
    user.save(update_fields=["display_name"])
    return user


# --- sign-up by e-mailed link -------------------------------------------------------------------------
#
# Signing up starts with the e-mail address alone and always ends with "check your inbox": a new address
# gets a link to finish (choose a name, password and role), an address that already has an account gets a
# reminder to sign in or reset the password. So the sign-up form cannot be used to find out who is a member,
# and nobody can create an account for an address they cannot read (the password is chosen after the link).

SIGNUP_SALT = "consult.accounts.signup"
SIGNUP_LINK_SECONDS = 3 * 24 * 3600


def signup_token(*, email: str, next_url: str = "") -> str:
    """A signed, timestamped token naming the address (and where to go afterwards). No row is written."""
    return signing.dumps({"e": normalize_email(email), "n": next_url}, salt=SIGNUP_SALT, compress=True)


def signup_token_read(*, token: str) -> tuple[str, str]:
    """The (email, next_url) a token names; BadSignupLink when it is forged, damaged or too old."""
    try:
        data = signing.loads(token, salt=SIGNUP_SALT, max_age=SIGNUP_LINK_SECONDS)
    except signing.BadSignature as exc:  # SignatureExpired is a BadSignature
        raise BadSignupLink() from exc
    if not isinstance(data, dict) or not isinstance(data.get("e"), str):
        raise BadSignupLink()
    return data["e"], str(data.get("n") or "")


def signup_start(*, email: str, finish_url: str, login_url: str, reset_url: str) -> None:
    """E-mail ``email`` the next step: ``finish_url`` (made from :func:`signup_token`) for a new address,
    a reminder with ``login_url`` and ``reset_url`` for one that already has an account."""
    email = normalize_email(email)
    try:
        validate_email(email)
    except ValidationError as exc:
        raise InvalidEmail("Enter a valid e-mail address.") from exc
    if User.objects.filter(email__iexact=email).exists():
        subject = "You already have a Consult account"
        body = (
            "Someone (hopefully you) asked to sign up to Consult with this e-mail address, but it already has "
            f"an account.\n\nSign in: {login_url}\nForgot your password? Choose a new one: {reset_url}\n\n"
            "If this was not you, ignore this e-mail; nothing has changed.\n\n— Consult\n"
        )
    else:
        subject = "Finish signing up to Consult"
        body = (
            "Welcome to Consult. To finish creating your account, open this link within three days and "
            f"choose your display name and password:\n\n{finish_url}\n\n"
            "If you did not ask for this, ignore this e-mail; no account is created.\n\n— Consult\n"
        )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
