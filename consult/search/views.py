"""Thin views: the search page and the ask page's similar-question fragment."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_GET

from consult.core import pagecache
from consult.core.pagecache import anonymous_page_cache

from . import selectors
from .forms import SearchForm
from .models import Kind


def _search_version(request: HttpRequest, **kwargs: Any) -> list[str]:
    # Results follow the index (bumped by every index write); the filter lists follow the question lists.
    return [pagecache.SEARCH, pagecache.LISTS]


def _without_nul(data: QueryDict) -> dict[str, str]:
    return {key: data.get(key, "").replace("\x00", "") for key in data}


@require_GET
@anonymous_page_cache(_search_version)
def search_page(request: HttpRequest) -> HttpResponse:
    options = selectors.filter_options()
    form = SearchForm(_without_nul(request.GET), options=options)
    form.is_valid()
    query, filters, page, ignored = form.values()
    results = selectors.search(query, filters=filters, page=page)
    base = {k: v for k, v in form.cleaned_data.items() if v not in ("", None) and k not in ("page", "kind")}

    def link(**changes: Any) -> str:
        params = {**base, **{k: v for k, v in changes.items() if v not in ("", None)}}
        return f"{request.path}?{urlencode(params)}"

    context = {
        "form": form,
        "results": results,
        "ignored": ignored,
        "search_query": results.query.text,
        "kind_tabs": [
            (value, label, link(kind=value), filters.kind == value) for value, label in [("", "Everything"), *Kind.choices]
        ],
        "previous_url": link(kind=filters.kind, page=results.page - 1 if results.page > 2 else None)
        if results.page > 1 else None,
        "next_url": link(kind=filters.kind, page=results.page + 1) if results.has_next else None,
        "first_number": (results.page - 1) * results.per_page + 1,
    }
    return render(request, "search/search.html", context)


@require_GET
def similar(request: HttpRequest) -> HttpResponse:
    """The ask page's suggestions (htmx, as the title is typed): an HTML fragment, empty when nothing is alike."""
    suggestions = selectors.similar_questions(request.GET.get("title", ""))
    return render(request, "search/_similar.html", {"suggestions": suggestions})
