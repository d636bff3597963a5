"""Domain errors raised by doctor services. Views turn them into form errors or messages."""

from __future__ import annotations

from consult.core.errors import DomainError


class DoctorError(DomainError):
    """Base class. ``field`` names the form field the message belongs to (None: the whole form)."""



class InvalidProfile(DoctorError):
    """A profile field failed validation; ``field`` says which."""


class NotADoctor(DoctorError):
    """Only accounts with the doctor role have a doctor profile."""


class ProfileExists(DoctorError):
    """The account already has a profile; update it instead."""


class VerificationNotAllowed(DoctorError):
    """The person deciding is not staff, or is deciding about their own profile."""


class NothingToDecide(DoctorError):
    """The profile already has the status the decision would give it."""


class InvalidLicenceDocument(DoctorError):
    """An uploaded licence document was refused (type, size, count)."""

    field = "document"
