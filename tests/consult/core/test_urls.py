"""The memoised reverse() and {% url %} give exactly Django's answers."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse, set_script_prefix

from consult.core.urls import _reverse, cached_reverse


def test_same_paths_as_reverse_and_memoised():
    _reverse.cache_clear()
    for name, kwargs in [("questions:list", {}), ("questions:detail", {"pk": 7, "slug": "a-b"}), ("questions:tag", {"slug": "synkinesis"})]:
        assert cached_reverse(name, kwargs=kwargs) == reverse(name, kwargs=kwargs)
        assert cached_reverse(name, kwargs=kwargs) == reverse(name, kwargs=kwargs)
    assert _reverse.cache_info().hits == 3


def test_script_prefix_is_part_of_the_key():
    try:
        set_script_prefix("/consult/")
        prefixed = cached_reverse("questions:tag", kwargs={"slug": "ptosis"})
        assert prefixed.startswith("/consult/") and prefixed == reverse("questions:tag", kwargs={"slug": "ptosis"})
    finally:
        set_script_prefix("/")
    plain = cached_reverse("questions:tag", kwargs={"slug": "ptosis"})
    assert plain == reverse("questions:tag", kwargs={"slug": "ptosis"}) and not plain.startswith("/consult/")


def test_errors_are_djangos():
    with pytest.raises(NoReverseMatch):
        cached_reverse("questions:detail", kwargs={"pk": "not-a-number", "slug": "x"})
    with pytest.raises(NoReverseMatch):
        cached_reverse("no-such-view")


def test_url_tag_renders_like_djangos():
    request = RequestFactory().get("/")
    template = Template(
        "{% url 'questions:detail' pk=pk slug=slug %}|{% url 'questions:tag' slug %}|"
        "{% url 'nope' as missing %}[{{ missing }}]|{% url 'questions:list' as list_url %}{{ list_url }}"
    )
    html = template.render(Context({"pk": 3, "slug": "x-y", "request": request}))
    detail = reverse("questions:detail", kwargs={"pk": 3, "slug": "x-y"})
    assert html == f"{detail}|{reverse('questions:tag', args=['x-y'])}|[]|{reverse('questions:list')}"
    with pytest.raises(NoReverseMatch):
        Template("{% url 'nope' %}").render(Context({}))


@pytest.mark.django_db
def test_csp_headers_are_djangos_and_custom_policies_still_apply(client, settings):
    from csp.decorators import csp_update
    from django.http import HttpResponse
    from django.test import RequestFactory as RF

    from consult.core.middleware import FastCSPMiddleware

    first = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in first and "unsafe-inline" not in first
    assert client.get("/")["Content-Security-Policy"] == first  # from the memo
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert client.get("/")["Content-Security-Policy"] == "default-src 'none'"  # new settings, new policy

    @csp_update({"img-src": ["https://cdn.example.org"]})
    def view(request):
        return HttpResponse("x")

    middleware = FastCSPMiddleware(view)
    response = middleware(RF().get("/x"))
    assert "https://cdn.example.org" in response["Content-Security-Policy"]
