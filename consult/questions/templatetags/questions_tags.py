"""Template tags of the question pages."""

from __future__ import annotations

from django import template
from django.template import Context
from django.utils.safestring import SafeString

from consult.questions.fragments import render_answer_card

register = template.Library()


@register.simple_tag(takes_context=True)
def answer_card(context: Context) -> SafeString:
    """``questions/_answer.html`` for the loop's ``answer``, from the answer-card cache (fragments.py)."""
    return render_answer_card(context)
