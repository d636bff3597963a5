"""Forms for doctor pages. They check shape; services.py holds the rules."""

from __future__ import annotations

from django import forms

from consult.doctors.models import Specialty
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


class DirectoryFilterForm(forms.Form):
    """GET filters; invalid values are ignored rather than shown as errors."""

    specialty = forms.ChoiceField(
        label="Specialty", required=False, choices=[("", "All specialties"), *Specialty.choices]
    )
    state = forms.ChoiceField(label="State", required=False, choices=[("", "All states"), *US_STATES])


class VerificationDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")])
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Recorded in the audit trail. A rejection note is shown to the doctor.",
    )
