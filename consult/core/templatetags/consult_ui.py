"""Small presentation helpers shared by the apps' templates."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlencode

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.inclusion_tag("core/_stars.html")
def star_rating(rating: Decimal | float | None, review_count: int = 0, url: str = "") -> dict[str, Any]:
    """'4.1 out of 5 stars' with a star bar (CSS classes, no inline style) and the review count.

    The bar is drawn in half-star steps: ``stars--45`` fills 4.5 of 5 stars.
    """
    if rating is None or not review_count:
        return {"has_reviews": False, "url": url}
    value = Decimal(str(rating)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    halves = int((value * 2).to_integral_value(rounding=ROUND_HALF_UP))
    return {
        "has_reviews": True,
        "rating": value,
        "step": max(0, min(10, halves)) * 5,
        "review_count": review_count,
        "url": url,
    }


@register.filter
def ago(moment: Any) -> str:
    """'just now' under a minute, else Django's timesince + ' ago' ('3 minutes ago', '2 days, 4 hours ago')."""
    from django.utils import timezone
    from django.utils.timesince import timesince

    if moment is None:
        return ""
    if (timezone.now() - moment).total_seconds() < 60:
        return "just now"
    return f"{timesince(moment)} ago"


@register.simple_tag(takes_context=True)
def canonical_link(context: template.Context, keep: str = "") -> SafeString:
    """``<link rel="canonical">`` for a list page: its own address with only the query parameters named in
    ``keep`` (comma-separated: the filters that change which items are listed, and the page position), in that
    order, empty ones and ``page=1`` dropped. Anything else (a sort order over the same items, tracking
    parameters, a stray ``?``) is left out, so every variant of a list names one address."""
    request = context["request"]
    params = []
    for name in (n.strip() for n in keep.split(",") if n.strip()):
        value = request.GET.get(name, "").strip()
        if value and not (name == "page" and value == "1"):
            params.append((name, value))
    url = request.build_absolute_uri(request.path) + (f"?{urlencode(params)}" if params else "")
    return format_html('<link rel="canonical" href="{}">', url)
