"""The search page's query string, checked: anything unknown is dropped with a message, never a 500."""

from __future__ import annotations

from django import forms

from consult.doctors.models import Specialty

from .models import Kind
from .selectors import MAX_PAGE, FilterOptions
from .types import SearchFilters

ANSWERED_CHOICES = [("", "Any"), ("yes", "Answered"), ("no", "Unanswered")]


class SearchForm(forms.Form):
    # No max_length: a long query is cut by the parser, which says so on the page.
    q = forms.CharField(required=False, strip=True, label="Search")
    kind = forms.ChoiceField(required=False, choices=[("", "Everything"), *Kind.choices], label="Show")
    tag = forms.ChoiceField(required=False, label="Concern")
    treatment = forms.ChoiceField(required=False, label="Treatment")
    answered = forms.ChoiceField(required=False, choices=ANSWERED_CHOICES, label="Questions")
    specialty = forms.ChoiceField(required=False, choices=[("", "Any specialty"), *Specialty.choices], label="Doctor's specialty")
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)

    def __init__(self, data: object, *, options: FilterOptions) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        self.fields["tag"].choices = [("", "Any concern"), *options.tags]  # type: ignore[attr-defined]
        self.fields["treatment"].choices = [("", "Any treatment"), *options.treatments]  # type: ignore[attr-defined]

    def values(self) -> tuple[str, SearchFilters, int, list[str]]:
        """(query, filters, page, messages about what was ignored). Call after ``is_valid()``."""
        data = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        ignored = [f"{self.fields[name].label or 'Page'}: that value is not one we know, so it was ignored." for name in self.errors]
        answered = {"yes": True, "no": False}.get(str(data.get("answered") or ""))
        filters = SearchFilters(
            kind=str(data.get("kind") or ""),
            tag=str(data.get("tag") or ""),
            treatment=str(data.get("treatment") or ""),
            answered=answered,
            specialty=str(data.get("specialty") or ""),
        )
        page = data.get("page") or 1
        return str(data.get("q") or ""), filters, int(page), ignored
