"""Writes for accounts. Keyword-only arguments, one transaction, domain errors on bad input."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from consult.accounts import erasure
from consult.accounts.errors import (
    BadEmailLink,
    BadSignupLink,
    ConsentRequired,
    EmailTaken,
    InvalidDisplayName,
    InvalidEmail,
    RoleNotAllowed,
    WeakPassword,
    WrongPassword,
)
from consult.accounts.models import DELETED_USER_NAME, Role, User
from consult.accounts.tokens import tokens_delete_all
from consult.core import pagecache

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
def user_create(
    *, email: str, password: str, display_name: str, role: str = Role.PATIENT, health_consent: bool
) -> User:
    """Create a member who signed up themselves. Doctors start unverified (no profile yet).
    ``health_consent``: they agreed to the sign-up form's text on health data and photos; the time is kept.

    Raises ConsentRequired, InvalidEmail, EmailTaken, InvalidDisplayName, WeakPassword or RoleNotAllowed.
    """
    if not health_consent:
        raise ConsentRequired()
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

    user = User(email=email, display_name=name, role=role, health_consent_at=timezone.now())
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


# --- e-mail change ------------------------------------------------------------------------------------
#
# A signed-in member names a new address and gives their password; the new address gets a signed link (valid
# 3 days) and only following it while signed in as that member changes the address. The old address is then
# told. The token names the old address too, so a link stops working once the address has changed.

EMAIL_CHANGE_SALT = "consult.accounts.email-change"
EMAIL_LINK_SECONDS = 3 * 24 * 3600


def _check_password(user: User, password: str) -> None:
    if not password or not user.check_password(password):
        raise WrongPassword()


def email_change_token(*, user: User, new_email: str) -> str:
    """The signed, timestamped token of a link moving ``user`` to ``new_email``. No row is written."""
    return signing.dumps(
        {"u": user.pk, "o": normalize_email(user.email), "n": normalize_email(new_email)},
        salt=EMAIL_CHANGE_SALT,
        compress=True,
    )


def email_change_start(
    *, user: User, new_email: str, password: str, confirm_url: Callable[[str], str], send: bool = True
) -> str:
    """Send the link to ``new_email`` (``confirm_url(token)`` makes it absolute); returns the normalised
    address. If the address already has an account its owner gets a note instead, and this member sees the
    same "check your inbox" (the form tells nobody who is a member). ``send=False`` (the recipient's
    limit is reached) checks everything but sends nothing.

    Raises WrongPassword or InvalidEmail (also for the address the account already has).
    """
    _check_password(user, password)
    new = normalize_email(new_email)
    try:
        validate_email(new)
    except ValidationError as exc:
        raise InvalidEmail("Enter a valid e-mail address.") from exc
    if new == user.email:
        raise InvalidEmail("That is already your e-mail address.")
    if User.objects.filter(email__iexact=new).exists():
        subject = "Someone tried to move a Consult account to this address"
        body = (
            "Someone signed in to Consult asked to change their account's e-mail address to this one, but it "
            "already has an account, so nothing has changed.\n\nIf this was not you, ignore this e-mail.\n\n"
            "— Consult\n"
        )
    else:
        token = email_change_token(user=user, new_email=new)
        subject = "Confirm your new e-mail address for Consult"
        body = (
            f"To use this address for your Consult account, open this link within three days while signed in:"
            f"\n\n{confirm_url(token)}\n\nUntil then your account keeps its current address. If you did not "
            "ask for this, ignore this e-mail; nothing changes.\n\n— Consult\n"
        )
    if send:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [new])
    return new


def email_change_token_read(*, token: str) -> tuple[int, str, str]:
    """(user id, old address, new address) from a link; BadEmailLink when forged, damaged or too old."""
    try:
        data = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=EMAIL_LINK_SECONDS)
    except signing.BadSignature as exc:
        raise BadEmailLink() from exc
    if not isinstance(data, dict) or not all(isinstance(data.get(k), t) for k, t in (("u", int), ("o", str), ("n", str))):
        raise BadEmailLink()
    return data["u"], data["o"], data["n"]


def email_change_check(*, user: User, token: str) -> tuple[str, str]:
    """(old, new) if the signed-in ``user`` is the one who asked and still has the old address; else
    BadEmailLink (so a link stops working once used)."""
    user_id, old, new = email_change_token_read(token=token)
    if user_id != user.pk:
        raise BadEmailLink("This link was sent for another account. Sign in as the account that asked for it.")
    if normalize_email(user.email) != old:
        raise BadEmailLink()
    return old, new


@transaction.atomic
def email_change_confirm(*, user: User, token: str) -> User:
    """Follow a link (see :func:`email_change_check`): the address changes and the old one is told.
    Raises BadEmailLink or EmailTaken."""
    old, new = email_change_check(user=user, token=token)
    if User.objects.filter(email__iexact=new).exclude(pk=user.pk).exists():
        raise EmailTaken("Another account now uses that address, so yours was not changed.")
    user.email = new
    try:
        with transaction.atomic():
            user.save(update_fields=["email"])
    except IntegrityError as exc:
        raise EmailTaken("Another account now uses that address, so yours was not changed.") from exc
    send_mail(
        "Your Consult e-mail address was changed",
        f"The e-mail address of your Consult account was changed from this one to {new}. From now on sign in "
        "with the new address.\n\nIf you did not do this, someone may have your password: reply to this e-mail "
        "or reset the password at once.\n\n— Consult\n",
        settings.DEFAULT_FROM_EMAIL,
        [old],
    )
    return user


# --- account deletion ---------------------------------------------------------------------------------


@transaction.atomic
def account_delete(*, user: User, password: str) -> None:
    """Delete a member's account after checking their password. Raises WrongPassword.

    Every app's eraser runs first (``consult.accounts.erasure``: photos and measurements, questionnaires,
    treatments, a doctor's profile marked as left, questions renamed "deleted user"). Then the row is
    emptied but kept, so their questions, reviews and votes stay, attributed to "deleted user": no e-mail
    address (a placeholder nobody can receive), the name "deleted user", no usable password, inactive. Changing the password ends every session of the member
    (Django checks each session against the password hash); the caller signs the current one out.
    """


    _check_password(user, password)
    erasure.erase(user)
    tokens_delete_all(user=user)  # their API tokens, active or revoked, names and all
    # Profiles that show their name under a review (the questions' eraser refreshes the threads).
    reviewed = list(user.reviews.values_list("doctor__slug", flat=True))
    user.email = f"deleted-{user.pk}@deleted.invalid"
    user.display_name = DELETED_USER_NAME  # what every page shows for them from now on
    user.first_name = ""
    user.last_name = ""
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.health_consent_at = None
    user.deleted_at = timezone.now()
    # Only these fields: the erasers changed others on the row (the unread count) that this object predates.
    user.save(update_fields=[
        "email", "display_name", "first_name", "last_name", "password", "is_active", "is_staff", "is_superuser",
        "health_consent_at", "deleted_at",
    ])
    pagecache.bump(*(pagecache.doctor(slug) for slug in reviewed))
