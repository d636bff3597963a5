"""Template helpers for doctor pages."""

from __future__ import annotations

from django import template

from consult.doctors.states import US_STATE_NAMES

register = template.Library()


@register.filter
def state_name(code: str) -> str:
    """'CA' -> 'California'; unknown codes are shown as given."""
    return US_STATE_NAMES.get(code, code)


@register.filter
def web_address(url: str) -> str:
    """The URL if it is an http(s) address, else '' (never a javascript: or data: link, whoever saved it)."""
    return url if url.lower().startswith(("https://", "http://")) else ""
