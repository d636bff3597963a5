"""Forms for doctor pages. They check shape; services.py holds the rules."""

from __future__ import annotations

from django import forms

from consult.doctors.models import DoctorProfile, Specialty
from consult.doctors.registration import COUNTRIES
from consult.doctors.services import BIO_MAX_LENGTH, max_length
from consult.doctors.states import US_STATES

_STATE_CHOICES = [("", "Choose a state"), *US_STATES]


class DoctorProfileForm(forms.Form):
    """The doctor's profile. Where they practise and who licensed them can be any offered country: a US practice
    picks its state from a list, elsewhere the region is free text; a US licence is a state licence number and its
    state (and the NPI), elsewhere the national register's number (and the issuing region if the register is
    regional). Both sets of fields are in the page; a small script shows the set that fits the chosen country,
    and without it the labels say which applies. ``service_data()`` picks the right ones for the service."""

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
    country = forms.ChoiceField(
        label="Practice country",
        choices=[("", "Choose a country"), *COUNTRIES],
        initial="US",
        widget=forms.Select(attrs={"autocomplete": "country", "data-country-select": "practice"}),
    )
    city = forms.CharField(
        label="Practice city",
        max_length=max_length("city"),
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    state = forms.ChoiceField(
        label="State (US practices)",
        choices=_STATE_CHOICES,
        required=False,
        help_text="Required for a practice in the United States.",
    )
    region = forms.CharField(
        label="Region, province or state (outside the US)",
        required=False,
        max_length=max_length("state"),
        widget=forms.TextInput(attrs={"autocomplete": "address-level1"}),
        help_text="Optional, as written in addresses there, e.g. Bavaria, Ontario, New South Wales.",
    )
    bio = forms.CharField(
        label="Short bio",
        required=False,
        max_length=BIO_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Training, interests, the conditions you treat. Shown on your public profile.",
    )
    registration_country = forms.ChoiceField(
        label="Country that licensed you",
        choices=[("", "The country I practise in"), *COUNTRIES],
        required=False,
        widget=forms.Select(attrs={"data-country-select": "licence"}),
    )
    registration_number = forms.CharField(
        label="NPI or national registration number",
        required=False,
        max_length=max_length("registration_number"),
        help_text="In the US your 10-digit NPI (optional). Elsewhere the number on your country's medical "
        "register (required): staff look it up there.",
    )
    license_number = forms.CharField(
        label="State medical licence number (US licences)",
        required=False,
        max_length=max_length("license_number"),
        help_text="Required for a US licence: staff check it with the state board. Changing it later sends your "
        "profile back to review.",
    )
    license_state = forms.ChoiceField(
        label="Licence state (US licences)",
        choices=_STATE_CHOICES,
        required=False,
        help_text="Required for a US licence.",
    )
    license_region = forms.CharField(
        label="Issuing region (licences outside the US)",
        required=False,
        max_length=max_length("license_state"),
        help_text="Only where the register is regional, e.g. Ontario (a provincial college) or Bavaria (a state "
        "chamber). Changing it later sends your profile back to review.",
    )
    board_certification = forms.CharField(
        label="Board certification",
        required=False,
        max_length=max_length("board_certification"),
        help_text="e.g. American Board of Facial Plastic and Reconstructive Surgery, or your country's specialist "
        "registration. Shown on your profile once verified.",
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
        help_text="With the country code outside the US, e.g. +49 89 1234 5678.",
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

    @classmethod
    def initial_for(cls, profile: DoctorProfile) -> dict[str, str]:
        """The form's values for an existing profile (the reverse of ``service_data``)."""
        initial = {name: getattr(profile, name) for name in cls.base_fields if hasattr(profile, name)}
        us_practice, us_licence = profile.country == "US", profile.registration_country == "US"
        initial["state"] = profile.state if us_practice else ""
        initial["region"] = "" if us_practice else profile.state
        initial["license_state"] = profile.license_state if us_licence else ""
        initial["license_region"] = "" if us_licence else profile.license_state
        initial["registration_country"] = "" if profile.registration_country == profile.country else profile.registration_country
        return initial

    def _licensed_in(self) -> str:
        return self.cleaned_data.get("registration_country") or self.cleaned_data.get("country") or ""

    def service_data(self) -> dict[str, str]:
        """The cleaned data as ``services.doctor_profile_create/update`` take it: the US or the other fields, by
        the chosen countries (the service checks them)."""
        data = dict(self.cleaned_data)
        region, license_region = data.pop("region"), data.pop("license_region")
        if data["country"] != "US":
            data["state"] = region
        if self._licensed_in() != "US":
            data["license_state"] = license_region
            data["license_number"] = ""
        return data

    def field_for(self, service_field: str | None) -> str | None:
        """The form field that shows a service error about ``service_field`` (None: the form as a whole)."""
        if service_field == "state" and self.cleaned_data.get("country") != "US":
            return "region"
        if service_field == "license_state" and self._licensed_in() != "US":
            return "license_region"
        return service_field if service_field in self.fields else None


class DirectoryFilterForm(forms.Form):
    """GET filters; invalid values are ignored rather than shown as errors."""

    specialty = forms.ChoiceField(
        label="Specialty", required=False, choices=[("", "All specialties"), *Specialty.choices]
    )
    country = forms.ChoiceField(
        label="Country",
        required=False,
        choices=[("", "All countries"), *COUNTRIES],
        widget=forms.Select(attrs={"data-country-select": "directory"}),
    )
    state = forms.ChoiceField(label="State (US)", required=False, choices=[("", "All states"), *US_STATES])
    region = forms.CharField(label="Region (outside the US)", required=False, max_length=80)
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
