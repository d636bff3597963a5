"""Users and roles. People sign in with their e-mail address."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models


class Role(models.TextChoices):
    PATIENT = "patient", "Patient"
    DOCTOR = "doctor", "Doctor"
    MODERATOR = "moderator", "Moderator"
    STAFF = "staff", "Staff"


#: How a deleted account's questions, reviews and votes are attributed.
DELETED_USER_NAME = "deleted user"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", Role.STAFF)
        return self._create(email, password, **extra)


class User(AbstractUser):
    username = None  # type: ignore[assignment]
    email = models.EmailField("e-mail address", unique=True)
    display_name = models.CharField(
        max_length=60, blank=True, help_text="Shown publicly. A pseudonym is fine."
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.PATIENT, db_index=True)
    # When the member agreed, at sign-up, to the storing of their health data and photos (see the sign-up
    # form's consent text). None for accounts made by staff, the demo or before consent was asked.
    health_consent_at = models.DateTimeField(null=True, blank=True)
    # Set when the member deleted their account: the row stays (their questions keep an author, shown as
    # "deleted user"), but it has no e-mail address, name or password and cannot sign in.
    deleted_at = models.DateTimeField(null=True, blank=True)
    # How many of the member's inbox notifications are unread (consult.notifications keeps it exact: it is
    # recounted from the rows whenever they change). On the user row, so the header's badge costs no query.
    unread_notifications = models.PositiveIntegerField(default=0)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    def __str__(self) -> str:
        return self.email

    @property
    def public_name(self) -> str:
        if self.deleted_at is not None:
            return DELETED_USER_NAME
        return self.display_name or "Anonymous"

    @property
    def is_doctor(self) -> bool:
        return self.role == Role.DOCTOR

    @property
    def is_moderator(self) -> bool:
        """Moderators and staff can moderate."""
        return self.role in (Role.MODERATOR, Role.STAFF) or self.is_staff


class ApiToken(models.Model):
    """A personal API token for scripts (``Authorization: Bearer <token>`` on /api/v1/).

    Only a SHA-256 digest of the token is stored: the token itself is shown once, when it is made, and
    cannot be read back. The token is 32 random bytes, so a fast digest is enough (no password stretching
    needed); ``prefix`` (the public first characters) finds the row, the digest is compared in constant time.
    Revoking sets ``revoked_at``; the row stays so the settings page can list what existed and when."""

    user = models.ForeignKey("User", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=60, help_text="What the token is for, e.g. 'clinic export script'.")
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
