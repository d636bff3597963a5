from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm

from consult.accounts.models import User

if TYPE_CHECKING:  # django-stubs makes these generic; Django's runtime classes are not subscriptable.
    _ChangeForm = UserChangeForm[User]
    _CreationForm = UserCreationForm[User]
    _UserAdmin = DjangoUserAdmin[User]
else:
    _ChangeForm, _CreationForm, _UserAdmin = UserChangeForm, UserCreationForm, DjangoUserAdmin


class EmailUserChangeForm(_ChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


class EmailUserCreationForm(_CreationForm):
    class Meta:
        model = User
        fields = ("email",)


@admin.register(User)
class UserAdmin(_UserAdmin):
    """Staff grant the moderator and staff roles here; nobody can pick them at sign-up."""

    form = EmailUserChangeForm
    add_form = EmailUserCreationForm
    ordering = ("email",)
    list_display = ("email", "display_name", "role", "is_staff", "is_active", "date_joined")
    list_filter = ("role", "is_staff", "is_superuser", "is_active")
    search_fields = ("email", "display_name")
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Public", {"fields": ("display_name", "role")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "display_name", "role", "password1", "password2")}),
    )
