"""Small presentation helpers shared by the apps' templates."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlencode

from django import template
from django.template.defaultfilters import pluralize
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def star_rating(rating: Decimal | float | None, review_count: int = 0, url: str = "") -> SafeString:
    """'4.1 out of 5 stars' with a star bar (CSS classes, no inline style) and the review count, linked to
    ``url``'s reviews when given.

    The bar is drawn in half-star steps: ``stars--45`` fills 4.5 of 5 stars. Built here rather than by an
    inclusion template: a thread shows it once per answer, and each template render costs more than the HTML.
    """
    if rating is None or not review_count:
        return mark_safe('<span class="rating rating--none">No reviews yet</span>')
    value = Decimal(str(rating)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    halves = int((value * 2).to_integral_value(rounding=ROUND_HALF_UP))
    count = format_html("{} review{}", localize(review_count), pluralize(review_count))
    if url:
        count = format_html('<a href="{}#reviews">{}</a>', url, count)
    return format_html(
        '<span class="rating"><span class="stars stars--{}" aria-hidden="true"></span>'
        '<span class="rating__text">{} out of 5 stars</span> <span class="rating__count">{}</span></span>',
        max(0, min(10, halves)) * 5,
        localize(value),
        count,
    )


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
