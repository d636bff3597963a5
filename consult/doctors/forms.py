"""Forms for doctor pages. They check shape; services.py holds the rules."""

from __future__ import annotations

from django import forms

from consult.doctors.models import Specialty
from consult.doctors.registration import COUNTRIES
from consult.doctors.services import BIO_MAX_LENGTH, max_length
from consult.doctors.states import US_STATES

_STATE_CHOICES = [("", "Choose a state"), *US_STATES]


class DoctorProfileForm(forms.Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=max_length("full_name"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text="As on your licence, without “Dr.” (we add it).",
    )
    credentials = forms.CharField(
        label="Credentials",
        max_length=max_length("credentials"),
        help_text="Separated by commas, e.g. MD, FACS or DO.",
    )
    specialty = forms.ChoiceField(label="Specialty", choices=[("", "Choose a specialty"), *Specialty.choices])
    city = forms.CharField(
        label="Practice city",
        max_length=max_length("city"),
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    state = forms.ChoiceField(label="Practice state", choices=_STATE_CHOICES)
    bio = forms.CharField(
        label="Short bio",
        required=False,
        max_length=BIO_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Training, interests, the conditions you treat. Shown on your public profile.",
    )
    license_number = forms.CharField(
        label="Medical licence number",
        max_length=max_length("license_number"),
        help_text="Staff check it with the state board. Changing it later sends your profile back to review.",
    )
    license_state = forms.ChoiceField(label="Licence state", choices=_STATE_CHOICES)
    registration_country = forms.ChoiceField(
        label="Country of registration", choices=COUNTRIES, initial="US", required=False
    )
    registration_number = forms.CharField(
        label="NPI or national registration number",
        required=False,
        max_length=max_length("registration_number"),
        help_text="In the US your 10-digit NPI; elsewhere the number on your country's medical register.",
    )
    board_certification = forms.CharField(
        label="Board certification",
        required=False,
        max_length=max_length("board_certification"),
        help_text="e.g. American Board of Facial Plastic and Reconstructive Surgery. Shown on your profile once verified.",
    )
    practice_name = forms.CharField(label="Practice name", required=False, max_length=max_length("practice_name"))
    practice_address = forms.CharField(
        label="Practice address",
        required=False,
        max_length=max_length("practice_address"),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    practice_phone = forms.CharField(
        label="Practice phone",
        required=False,
        max_length=max_length("practice_phone"),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    practice_website = forms.CharField(
        label="Practice website",
        required=False,
        max_length=max_length("practice_website"),
        widget=forms.TextInput(attrs={"autocomplete": "url", "type": "url"}),
    )
    languages = forms.CharField(
        label="Languages you consult in",
        required=False,
        max_length=max_length("languages"),
        help_text="Separated by commas, e.g. English, Spanish.",
    )


class DirectoryFilterForm(forms.Form):
    """GET filters; invalid values are ignored rather than shown as errors."""

    specialty = forms.ChoiceField(
        label="Specialty", required=False, choices=[("", "All specialties"), *Specialty.choices]
    )
    state = forms.ChoiceField(label="State", required=False, choices=[("", "All states"), *US_STATES])
    city = forms.CharField(label="City", required=False, max_length=80)
    topic = forms.SlugField(label="Answers about", required=False, max_length=50, widget=forms.HiddenInput)
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[
            ("name", "Name"),
            ("rating", "Average rating"),
            ("reviews", "Number of reviews"),
            ("answers", "Number of answers"),
            ("helpful", "Helpful votes"),
        ],
    )


class VerificationDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")])
    note = forms.CharField(
        label="Note (required to reject)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Recorded in the audit trail. A rejection's note is the reason shown to the doctor.",
    )


class LicenceDocumentForm(forms.Form):
    document = forms.FileField(
        label="Licence document",
        help_text="A scan or photo of your licence or registration certificate: PDF, JPEG or PNG, up to 10 MB. "
        "Only Consult staff can open it.",
        error_messages={"required": "Choose a file to upload."},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )
