from datetime import timedelta

from django.template import Context, Template
from django.utils import timezone


def _render(moment):
    return Template("{% load consult_ui %}{{ moment|ago }}").render(Context({"moment": moment}))


def test_relative_times_never_say_zero_minutes():
    now = timezone.now()
    assert _render(now) == "just now"
    assert _render(now - timedelta(seconds=59)) == "just now"
    assert _render(now - timedelta(minutes=3)) == "3\xa0minutes ago"
    assert _render(now - timedelta(days=2, hours=4)) == "2\xa0days, 4\xa0hours ago"
