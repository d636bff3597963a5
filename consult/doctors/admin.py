"""Doctors in the Django admin. Verification decisions go through the services so each writes an audit row."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from consult.doctors.errors import DoctorError
from consult.doctors.models import DoctorProfile, VerificationDecision
from consult.doctors.services import doctor_reject, doctor_verify


class VerificationDecisionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = VerificationDecision
    extra = 0
    can_delete = False
    fields = ("created_at", "decision", "decided_by", "note")
    readonly_fields = fields
    ordering = ("-created_at",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DoctorProfile)
class DoctorProfileAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "full_name",
        "credentials",
        "specialty",
        "city",
        "state",
        "status",
        "verified_at",
        "answer_count",
    )
    list_filter = ("status", "specialty", "country", "registration_country")
    search_fields = ("full_name", "user__email", "license_number", "city")
    list_select_related = ("user",)
    # Status changes only through the actions below (audited), never by editing the field.
    readonly_fields = (
        "user",
        "status",
        "verified_at",
        "rating_avg",
        "review_count",
        "answer_count",
        "created_at",
        "updated_at",
    )
    inlines = (VerificationDecisionInline,)
    actions = ("approve_selected", "reject_selected")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # doctors create their own profile at /doctors/me/

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deleting a profile would delete its verification audit trail

    def _decide(self, request: HttpRequest, queryset: QuerySet[DoctorProfile], approve: bool) -> None:
        done = 0
        for profile in queryset:
            try:
                if approve:
                    doctor_verify(profile=profile, decided_by=request.user, note="Decided in the admin.")  # type: ignore[arg-type]
                else:
                    doctor_reject(profile=profile, decided_by=request.user, note="Decided in the admin.")  # type: ignore[arg-type]
            except DoctorError as exc:
                self.message_user(request, f"{profile}: {exc.message}", messages.WARNING)
            else:
                done += 1
        self.message_user(request, f"{done} profile(s) {'verified' if approve else 'rejected'}.")

    @admin.action(description="Verify selected doctors (writes an audit row)")
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[DoctorProfile]) -> None:
        self._decide(request, queryset, approve=True)

    @admin.action(description="Reject selected doctors (writes an audit row)")
    def reject_selected(self, request: HttpRequest, queryset: QuerySet[DoctorProfile]) -> None:
        self._decide(request, queryset, approve=False)


@admin.register(VerificationDecision)
class VerificationDecisionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The audit trail: readable, never editable or deletable."""

    list_display = ("created_at", "profile", "decision", "decided_by", "note")
    list_filter = ("decision",)
    search_fields = ("profile__full_name", "decided_by__email", "note")
    list_select_related = ("profile", "decided_by")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
