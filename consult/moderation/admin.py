"""Flags and the moderation log in the Django admin: read-only. Decisions go through the queue at /moderation/."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from consult.moderation.models import Flag, ModerationAction


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "reason",
        "status",
        "reporter",
        "question",
        "answer",
        "resolved_by",
        "resolved_at",
    )
    list_filter = ("status", "reason")
    search_fields = ("reporter__email", "note")
    list_select_related = ("reporter", "question", "answer", "resolved_by")
    raw_id_fields = ("question", "answer")
    date_hierarchy = "created_at"


@admin.register(ModerationAction)
class ModerationActionAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "moderator", "question", "answer", "note")
    list_filter = ("kind",)
    search_fields = ("moderator__email", "note")
    list_select_related = ("moderator", "question", "answer")
    raw_id_fields = ("question", "answer")
    date_hierarchy = "created_at"
