"""Template helpers for the report control."""

from __future__ import annotations

from django import template

from consult.moderation.models import FlagReason

register = template.Library()


@register.simple_tag
def flag_reasons() -> list[tuple[str, str]]:
    """The reasons a member can pick when reporting content, as (value, label) pairs."""
    return list(FlagReason.choices)
