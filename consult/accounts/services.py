"""Writes for accounts. Keyword-only arguments, one transaction, domain errors on bad input."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from consult.accounts.errors import (
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
