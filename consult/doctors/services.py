"""Writes for doctor profiles and their verification.

Verification attests to a licence. So:

* a new profile starts **pending**;
* a **verified** doctor who changes the licence number or state, the national registration (NPI or
  another country's register number) or the board certification goes back to **pending** (the
  attestation no longer covers what the profile says); other edits (bio, city, practice, languages...)
  keep the verified status;
* a **rejected** doctor who saves the profile again re-submits it: it goes back to **pending**.

Every status change writes a ``VerificationDecision`` row (who, what, when, note). Staff decisions
are "verified"/"rejected"; the automatic returns to review above are "pending" rows attributed to
the doctor whose edit caused them.
"""

from __future__ import annotations

import re
import secrets
from typing import IO

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from consult.accounts.models import Role, User
from consult.accounts.permissions import can_verify_doctors
from consult.core import events, pagecache
from consult.core.services import model_update
from consult.doctors.errors import (
    InvalidLicenceDocument,
    InvalidProfile,
    NotADoctor,
    NothingToDecide,
    ProfileExists,
    VerificationNotAllowed,
)
from consult.doctors.models import (
    DoctorProfile,
    LicenceDocument,
    Specialty,
    VerificationDecision,
    VerificationStatus,
)
from consult.doctors.registration import COUNTRY_CODES, registration_problem
from consult.doctors.states import US_STATE_CODES

BIO_MAX_LENGTH = 4000
# What staff attest when they verify: changing any of it sends a verified profile back to review.
LICENSE_FIELDS = ("license_number", "license_state", "registration_country", "registration_number", "board_certification")
STATUS_FIELDS = ("status", "verified_at")
PRACTICE_FIELDS = ("practice_name", "practice_address", "practice_phone", "practice_website", "languages")
# What a doctor edits (every field _clean_fields returns) and what an edit may set on the status.
PROFILE_FIELDS = (
    "full_name", "credentials", "specialty", "country", "city", "state", "bio", *LICENSE_FIELDS, *PRACTICE_FIELDS,
    *STATUS_FIELDS,
)  # fmt: skip
_PHONE = re.compile(r"^\+?[0-9][0-9 ()./\-]{5,28}$")
_LANGUAGE = re.compile(r"^[^\W\d_][^\W\d_ '\-()]*(?:[ '\-][^\W\d_()]+)*$")
_CREDENTIAL = re.compile(r"^[A-Za-z][A-Za-z.()\-/ ]{0,19}$")
_LICENSE_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 .\-/]{0,39}$")
_HONORIFIC = re.compile(r"^(dr\.?|doctor)(\s+|$)", re.IGNORECASE)


def max_length(field_name: str) -> int:
    """The model's max_length for a profile field, so forms and services agree."""
    field = DoctorProfile._meta.get_field(field_name)
    assert isinstance(field, models.Field) and field.max_length is not None
    return field.max_length


def _squash(text: str) -> str:
    return " ".join(text.split())


def _clean_full_name(full_name: str) -> str:
    # The byline adds "Dr."; strip a typed one so it never reads "Dr. Dr. Roe".
    name = _HONORIFIC.sub("", _squash(full_name))
    if not name:
        raise InvalidProfile("Enter your full name.", field="full_name")
    if len(name) > max_length("full_name"):
        raise InvalidProfile("That name is too long.", field="full_name")
    return name


def _clean_credentials(credentials: str) -> str:
    parts = [_squash(part) for part in credentials.split(",")]
    parts = [part for part in parts if part]
    if not parts:
        raise InvalidProfile("Enter your credentials, for example MD or DO, FACS.", field="credentials")
    for part in parts:
        if not _CREDENTIAL.match(part):
            raise InvalidProfile(
                f"“{part}” does not look like a credential. Separate credentials with commas, e.g. MD, FACS.",
                field="credentials",
            )
    joined = ", ".join(parts)
    if len(joined) > max_length("credentials"):
        raise InvalidProfile("List at most a few credentials.", field="credentials")
    return joined


def _clean_state(code: str, *, field: str) -> str:
    code = code.strip().upper()
    if code not in US_STATE_CODES:
        raise InvalidProfile("Choose a US state (two-letter code such as CA or NY).", field=field)
    return code


_REGION = re.compile(r"^[^\W_][\w .,'()/\-]*$")


def _clean_region(value: str, *, field: str) -> str:
    """A region, province or state outside the US, as written (optional): letters, digits and the usual
    punctuation of place names."""
    value = _squash(value)
    if not value:
        return ""
    if len(value) > max_length(field) or not _REGION.match(value):
        raise InvalidProfile("Enter the region or province as written, e.g. Bavaria or Ontario.", field=field)
    return value


def _clean_country(code: str, *, field: str, label: str) -> str:
    code = code.strip().upper()
    if code not in COUNTRY_CODES:
        raise InvalidProfile(f"Choose the {label} from the list.", field=field)
    return code


def _clean_text(value: str, *, field: str, label: str) -> str:
    value = _squash(value)
    if len(value) > max_length(field):
        raise InvalidProfile(f"That {label} is too long.", field=field)
    return value


def _clean_practice(
    *,
    practice_name: str,
    practice_address: str,
    practice_phone: str,
    practice_website: str,
    languages: str,
    board_certification: str,
    registration_country: str,
    registration_number: str,
) -> dict[str, str]:
    phone = _squash(practice_phone)
    if phone and not _PHONE.match(phone):
        raise InvalidProfile("Enter the practice phone number with digits, e.g. +1 503 555 0100.", field="practice_phone")
    website = practice_website.strip()
    if website and not re.match(r"^https?://[^\s/]+\.[^\s]+$", website):
        raise InvalidProfile("Enter the practice website as a full address, e.g. https://example.org.", field="practice_website")
    if len(website) > max_length("practice_website"):
        raise InvalidProfile("That web address is too long.", field="practice_website")
    names = [_squash(part) for part in languages.split(",") if part.strip()]
    for name in names:
        if not _LANGUAGE.match(name) or len(name) > 30:
            raise InvalidProfile(f"“{name}” does not look like a language. Separate languages with commas.", field="languages")
    joined = ", ".join({name.casefold(): name for name in reversed(names)}[key] for key in dict.fromkeys(n.casefold() for n in names))
    if len(joined) > max_length("languages"):
        raise InvalidProfile("List fewer languages.", field="languages")
    country = _clean_country(registration_country, field="registration_country", label="country that licensed you")
    number = _squash(registration_number)
    problem = registration_problem(country, number)
    if problem:
        raise InvalidProfile(problem, field="registration_number")
    return {
        "practice_name": _clean_text(practice_name, field="practice_name", label="practice name"),
        "practice_address": _clean_text(practice_address, field="practice_address", label="address"),
        "practice_phone": phone,
        "practice_website": website,
        "languages": joined,
        "board_certification": _clean_text(board_certification, field="board_certification", label="certification"),
        "registration_country": country,
        "registration_number": number,
    }


def _clean_fields(
    *,
    full_name: str,
    credentials: str,
    specialty: str,
    country: str,
    city: str,
    state: str,
    bio: str,
    license_number: str,
    license_state: str,
    **practice: str,
) -> dict[str, str]:
    """Every field a doctor edits, checked. Where: the country, then the state (a US code in the US; elsewhere a
    free-text region, optional) and the city. The licence: the country that issued it (the practice's country
    when not given); in the US the state licence number and its state (and the NPI if given), elsewhere the
    national register's number (required; the state licence fields are emptied) and the issuing region if the
    register is regional."""
    if specialty not in Specialty.values:
        raise InvalidProfile("Choose a specialty from the list.", field="specialty")
    city = _squash(city)
    if not city:
        raise InvalidProfile("Enter the city you practise in.", field="city")
    if len(city) > max_length("city"):
        raise InvalidProfile("That city name is too long.", field="city")
    bio = bio.strip()
    if len(bio) > BIO_MAX_LENGTH:
        raise InvalidProfile(f"Keep the bio to {BIO_MAX_LENGTH} characters or fewer.", field="bio")
    country = _clean_country(country, field="country", label="country you practise in")
    region = _clean_state(state, field="state") if country == "US" else _clean_region(state, field="state")
    if not practice.get("registration_country", "").strip():
        practice["registration_country"] = country
    cleaned_practice = _clean_practice(**practice)
    if cleaned_practice["registration_country"] == "US":
        license_number = _squash(license_number)
        if not _LICENSE_NUMBER.match(license_number):
            raise InvalidProfile(
                "Enter your state medical licence number as issued (letters, digits, dashes).", field="license_number"
            )
        license_state = _clean_state(license_state, field="license_state")
    else:
        license_number = ""
        license_state = _clean_region(license_state, field="license_state")
    return {
        "full_name": _clean_full_name(full_name),
        "credentials": _clean_credentials(credentials),
        "specialty": specialty,
        "country": country,
        "city": city,
        "state": region,
        "bio": bio,
        "license_number": license_number,
        "license_state": license_state,
        **cleaned_practice,
    }


def doctor_pages_bump(*, profile: DoctorProfile) -> None:
    """Refresh every page that shows this doctor: the profile, and each thread with their byline (whose
    stars and review count come from the profile: the review services call this too)."""
    question_ids = profile.answers.values_list("question_id", flat=True)
    pagecache.bump(pagecache.doctor(profile.slug), *(pagecache.thread(pk) for pk in question_ids))


# Path segments under /doctors/ that a profile slug must never shadow.
RESERVED_SLUGS = frozenset({"me", "verification"})


def _unique_slug(full_name: str) -> str:
    base = slugify(full_name)[:100] or "doctor"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or DoctorProfile.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def doctor_profile_create(
    *,
    user: User,
    full_name: str,
    credentials: str,
    specialty: str,
    country: str = "US",
    city: str,
    state: str = "",
    bio: str = "",
    license_number: str = "",
    license_state: str = "",
    practice_name: str = "",
    practice_address: str = "",
    practice_phone: str = "",
    practice_website: str = "",
    languages: str = "",
    board_certification: str = "",
    registration_country: str = "",
    registration_number: str = "",
) -> DoctorProfile:
    """Create the profile of a doctor account. It starts pending until staff verify the licence."""
    if user.role != Role.DOCTOR:
        raise NotADoctor("Only doctor accounts have a doctor profile.")
    if DoctorProfile.objects.filter(user=user).exists():
        raise ProfileExists("You already have a doctor profile.")
    fields = _clean_fields(
        full_name=full_name,
        credentials=credentials,
        specialty=specialty,
        country=country,
        city=city,
        state=state,
        bio=bio,
        license_number=license_number,
        license_state=license_state,
        practice_name=practice_name,
        practice_address=practice_address,
        practice_phone=practice_phone,
        practice_website=practice_website,
        languages=languages,
        board_certification=board_certification,
        registration_country=registration_country,
        registration_number=registration_number,
    )
    for _attempt in range(3):
        profile = DoctorProfile(user=user, slug=_unique_slug(fields["full_name"]), **fields)
        try:
            with transaction.atomic():  # savepoint: a concurrent twin name only costs a retry
                profile.save()
        except IntegrityError:
            if DoctorProfile.objects.filter(user=user).exists():
                raise ProfileExists("You already have a doctor profile.") from None
            continue
        return profile
    raise InvalidProfile("Could not save the profile; please try again.")


@transaction.atomic
def doctor_profile_update(
    *,
    profile: DoctorProfile,
    full_name: str,
    credentials: str,
    specialty: str,
    country: str = "US",
    city: str,
    state: str = "",
    bio: str = "",
    license_number: str = "",
    license_state: str = "",
    practice_name: str = "",
    practice_address: str = "",
    practice_phone: str = "",
    practice_website: str = "",
    languages: str = "",
    board_certification: str = "",
    registration_country: str = "",
    registration_number: str = "",
) -> DoctorProfile:
    """Save the doctor's edits. See the module docstring for when this sends a profile back to review."""
    profile = DoctorProfile.objects.select_for_update().get(pk=profile.pk)
    fields = _clean_fields(
        full_name=full_name,
        credentials=credentials,
        specialty=specialty,
        country=country,
        city=city,
        state=state,
        bio=bio,
        license_number=license_number,
        license_state=license_state,
        practice_name=practice_name,
        practice_address=practice_address,
        practice_phone=practice_phone,
        practice_website=practice_website,
        languages=languages,
        board_certification=board_certification,
        registration_country=registration_country,
        registration_number=registration_number,
    )
    license_changed = any(getattr(profile, name) != fields[name] for name in LICENSE_FIELDS)
    note = ""
    if profile.status == VerificationStatus.VERIFIED and license_changed:
        note = "Licence, registration or certification details changed; the profile needs verifying again."
    elif profile.status == VerificationStatus.REJECTED:
        note = "Profile edited after rejection and re-submitted for review."
    data: dict[str, object] = dict(fields)
    if note:
        data.update(status=VerificationStatus.PENDING, verified_at=None)
    profile, changed = model_update(instance=profile, fields=PROFILE_FIELDS, data=data)
    if note:
        VerificationDecision.objects.create(
            profile=profile, decided_by=profile.user, decision=VerificationStatus.PENDING, note=note
        )
    if changed:
        doctor_pages_bump(profile=profile)
        events.doctor_profile_saved.send(sender=DoctorProfile, profile=profile)
    return profile


# Licence documents: what staff check a licence against. Kept in the private storage, seen only by staff.
LICENCE_MAX_BYTES = 10 * 1024 * 1024
LICENCE_MAX_DOCUMENTS = 6
#: Accepted by their first bytes (never by the file name or the browser's content type).
LICENCE_TYPES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)


def licence_storage() -> Storage:
    """The private storage (never served by URL; the one patient photos use), read back only by the
    staff-only view ``doctors.views.licence_document``."""
    return storages["photos"]


def _delete_licence_files_after_commit(names: list[str]) -> None:
    def delete() -> None:
        storage = licence_storage()
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)


@transaction.atomic
def licence_document_add(*, profile: DoctorProfile, uploaded_by: User, upload: IO[bytes], name: str) -> LicenceDocument:
    """Keep a scan of the doctor's licence (PDF, JPEG or PNG, at most 10 MB) for staff to check."""
    if profile.user_id != uploaded_by.pk:
        raise InvalidLicenceDocument("Only the doctor can add licence documents to their profile.")
    if profile.status == VerificationStatus.LEFT:
        raise InvalidLicenceDocument("This profile has left Consult.")
    locked = DoctorProfile.objects.select_for_update().get(pk=profile.pk)
    if locked.licence_documents.count() >= LICENCE_MAX_DOCUMENTS:
        raise InvalidLicenceDocument(
            f"You have uploaded {LICENCE_MAX_DOCUMENTS} documents, the most we keep. Remove one first."
        )
    data = upload.read(LICENCE_MAX_BYTES + 1)
    if not data:
        raise InvalidLicenceDocument("The file is empty. Please choose it again.")
    if len(data) > LICENCE_MAX_BYTES:
        raise InvalidLicenceDocument(f"The file is larger than {LICENCE_MAX_BYTES // (1024 * 1024)} MB. Please send a smaller scan.")
    kind = next(((ctype, ext) for magic, ctype, ext in LICENCE_TYPES if data.startswith(magic)), None)
    if kind is None:
        raise InvalidLicenceDocument("Upload the document as a PDF, JPEG or PNG file.")
    content_type, ext = kind
    shown = " ".join(name.replace("/", " ").replace("\\", " ").split())[:120] or f"document.{ext}"
    stored = licence_storage().save(f"licences/{secrets.token_urlsafe(24)}.{ext}", ContentFile(data))
    try:
        with transaction.atomic():
            return LicenceDocument.objects.create(
                profile=locked, file=stored, original_name=shown, content_type=content_type, size=len(data)
            )
    except Exception:
        licence_storage().delete(stored)
        raise


@transaction.atomic
def licence_document_remove(*, document: LicenceDocument, removed_by: User) -> None:
    """The doctor removes one of their documents (file deleted once this commits)."""
    if document.profile.user_id != removed_by.pk:
        raise InvalidLicenceDocument("Only the doctor can remove their licence documents.")
    document.delete()
    _delete_licence_files_after_commit([document.file])


def licence_documents_delete(*, profile: DoctorProfile) -> int:
    """Delete every licence document of ``profile`` and, once the caller's transaction commits, their files."""
    documents = list(profile.licence_documents.all())
    if documents:
        LicenceDocument.objects.filter(pk__in=[d.pk for d in documents]).delete()
        _delete_licence_files_after_commit([d.file for d in documents])
    return len(documents)


def _decide(*, profile: DoctorProfile, decided_by: User, decision: str, note: str) -> VerificationDecision:
    if not can_verify_doctors(decided_by):
        raise VerificationNotAllowed("Only staff can verify or reject doctors.")
    if profile.user_id == decided_by.pk:
        raise VerificationNotAllowed("Nobody can decide about their own profile.")
    if decision == VerificationStatus.REJECTED and not note.strip():
        raise InvalidProfile("Give the reason for the rejection: the doctor sees it and can correct the profile.", field="note")
    locked = DoctorProfile.objects.select_for_update().get(pk=profile.pk)
    if locked.status == VerificationStatus.LEFT:
        raise NothingToDecide(f"{locked.display_name} has left Consult.")
    if locked.status == decision:
        raise NothingToDecide(f"{locked.display_name} is already {locked.get_status_display().lower()}.")
    model_update(
        instance=locked,
        fields=STATUS_FIELDS,
        data={
            "status": decision,
            "verified_at": timezone.now() if decision == VerificationStatus.VERIFIED else None,
        },
    )
    doctor_pages_bump(profile=locked)
    # Keep the caller's instance in step with the database.
    profile.status, profile.verified_at = locked.status, locked.verified_at
    decided = VerificationDecision.objects.create(
        profile=locked, decided_by=decided_by, decision=decision, note=note.strip()
    )
    events.doctor_verification_decided.send(sender=DoctorProfile, profile=locked, decision=decided)
    return decided


@transaction.atomic
def doctor_verify(*, profile: DoctorProfile, decided_by: User, note: str = "") -> VerificationDecision:
    """Staff attest that the licence checks out: the doctor may now answer. Returns the audit row."""
    return _decide(profile=profile, decided_by=decided_by, decision=VerificationStatus.VERIFIED, note=note)


@transaction.atomic
def doctor_reject(*, profile: DoctorProfile, decided_by: User, note: str = "") -> VerificationDecision:
    """Staff reject (or revoke) a verification. The note (required) is the reason shown to the doctor. Returns the
    audit row."""
    return _decide(profile=profile, decided_by=decided_by, decision=VerificationStatus.REJECTED, note=note)


@transaction.atomic
def doctor_mark_left(*, user: User) -> DoctorProfile | None:
    """The doctor deleted their account (``consult.accounts.erasure``): their profile is kept, marked as
    left, with an audit row, and their licence documents (rows and files) are deleted; it leaves the directory and every page showing it is refreshed. None if the
    member has no doctor profile."""
    profile = DoctorProfile.objects.select_for_update().filter(user_id=user.pk).first()
    if profile is None:
        return None
    # The licence scans go with the account (the profile itself stays, marked as left).
    licence_documents_delete(profile=profile)
    if profile.status == VerificationStatus.LEFT:
        return profile
    model_update(instance=profile, fields=STATUS_FIELDS, data={"status": VerificationStatus.LEFT, "verified_at": None})
    VerificationDecision.objects.create(
        profile=profile, decided_by=user, decision=VerificationStatus.LEFT, note="Deleted their account."
    )
    doctor_pages_bump(profile=profile)
    events.doctor_profile_saved.send(sender=DoctorProfile, profile=profile)
    return profile
