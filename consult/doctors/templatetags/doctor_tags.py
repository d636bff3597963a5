"""Template helpers for doctor bylines and profiles."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template

from consult.doctors.states import US_STATE_NAMES

register = template.Library()


@register.filter
def star_glyphs(rating: Decimal | float | None) -> str:
    """Five glyphs, the average rounded to the nearest whole star: 4.1 -> '★★★★☆'. Decorative only."""
    if rating is None:
        return ""
    full = int(Decimal(str(rating)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    full = max(0, min(5, full))
    return "★" * full + "☆" * (5 - full)


@register.filter
def state_name(code: str) -> str:
    """'CA' -> 'California'; unknown codes are shown as given."""
    return US_STATE_NAMES.get(code, code)
