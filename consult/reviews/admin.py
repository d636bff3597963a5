"""Treatment pages in the Django admin. Saving goes through ``services.treatment_create`` /
``treatment_update`` (validation, the cached pages that show the name, the ``treatment_saved`` event the
search index follows); the figures are computed from the reviews, never typed in."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest

from consult.reviews.errors import ReviewError
from consult.reviews.models import Treatment
from consult.reviews.services import treatment_create, treatment_update

FIGURES = ("review_count", "worth_it_count", "cost_count", "cost_avg", "cost_min", "cost_max")


@admin.register(Treatment)
class TreatmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "slug", "tag", "review_count", "worth_it_count", "cost_avg")
    search_fields = ("name", "slug", "summary")
    list_select_related = ("tag",)
    fields = ("name", "slug", "tag", "summary", "description", *FIGURES)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # The slug is the page's address (links, reviews, the sitemap): set once.
        return (*FIGURES, "slug") if obj is not None else FIGURES

    def get_prepopulated_fields(self, request: HttpRequest, obj: Any = None) -> dict[str, Sequence[str]]:
        return {} if obj is not None else {"slug": ("name",)}

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # reviews and before/after pairs point at it (PROTECT), and its address is linked

    def save_model(self, request: HttpRequest, obj: Treatment, form: Any, change: bool) -> None:
        try:
            if change:
                treatment_update(
                    treatment=obj, name=obj.name, summary=obj.summary, description=obj.description,
                    tag_id=obj.tag_id,
                )
            else:
                made = treatment_create(
                    slug=obj.slug, name=obj.name, summary=obj.summary, description=obj.description,
                    tag_id=obj.tag_id,
                )
                obj.pk = made.pk
        except ReviewError as exc:  # the form checked the same rules; a race on the slug lands here
            self.message_user(request, exc.message, messages.ERROR)
