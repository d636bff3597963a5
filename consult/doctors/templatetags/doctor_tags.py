"""Template helpers for doctor pages."""

from __future__ import annotations

from django import template

from consult.doctors.models import DoctorProfile
from consult.doctors.registers import NO_REGISTER, npi_url, register_for
from consult.doctors.registration import country_name as _country_name
from consult.doctors.states import US_STATE_NAMES

register = template.Library()


@register.filter
def state_name(code: str) -> str:
    """'CA' -> 'California'; unknown codes are shown as given."""
    return US_STATE_NAMES.get(code, code)


@register.filter
def country_name(code: str) -> str:
    """'DE' -> 'Germany'; unknown codes are shown as given."""
    return _country_name(code)


@register.filter
def web_address(url: str) -> str:
    """The URL if it is an http(s) address, else '' (never a javascript: or data: link, whoever saved it)."""
    return url if url.lower().startswith(("https://", "http://")) else ""


@register.simple_tag
def licence_register(doctor: DoctorProfile) -> dict[str, str]:
    """Where staff look this doctor's licence up: ``{"name": ..., "url": ...}`` (empty when the table has no
    row), and ``npi_url`` for a US NPI."""
    found = register_for(license_state=doctor.license_state, registration_country=doctor.registration_country)
    row = {"name": found[0], "url": found[1]} if found else {"name": "", "url": ""}
    if not found:
        row["why"] = NO_REGISTER.get(doctor.registration_country, "")
    if doctor.registration_country == "US" and doctor.registration_number:
        row["npi_url"] = npi_url(doctor.registration_number)
    return row
