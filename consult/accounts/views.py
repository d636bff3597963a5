"""Account pages: thin views over forms (shape) and services (rules). Django's own views where they fit."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from consult.accounts import services, tokens
from consult.accounts.decorators import private_page
from consult.accounts.errors import AccountError, EmailTaken, WrongPassword
from consult.accounts.forms import (
    AccountDeleteForm,
    ApiTokenForm,
    DisplayNameForm,
    EmailChangeForm,
    EmailPasswordResetForm,
    LoginForm,
    SignupForm,
    SignupStartForm,
)
from consult.accounts.models import Role
from consult.accounts.services import normalize_email
from consult.core.ratelimit import client_ip, hit, is_limited, ratelimit, too_many_requests

LOGIN_LOCKED = (
    "Too many failed sign-ins. Please wait 15 minutes and try again, or reset your password."
)
TOO_MANY_GUESSES = "Too many wrong current passwords. Please wait 15 minutes and try again."


def _email_key(email: str) -> str:
    """Rate-limit key for an e-mail address: hashed, so no address is written to the cache."""
    return "e" + hashlib.sha256(normalize_email(email).encode()).hexdigest()[:32]


def _safe_next(request: HttpRequest) -> str | None:
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


@csrf_protect
@never_cache
@ratelimit("signup")
def signup(request: HttpRequest) -> HttpResponse:
    """Step 1: the e-mail address. Whatever it is, the answer is "check your inbox" (no enumeration)."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = SignupStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        # Per recipient, silently: over the limit nothing more is sent and the page looks the same.
        if not is_limited(request, "signup_email", who=_email_key(email)):
            token = services.signup_token(email=email, next_url=_safe_next(request) or "")
            try:
                services.signup_start(
                    email=email,
                    finish_url=request.build_absolute_uri(reverse("accounts:signup_finish", kwargs={"token": token})),
                    login_url=request.build_absolute_uri(reverse("accounts:login")),
                    reset_url=request.build_absolute_uri(reverse("accounts:password_reset")),
                )
            except AccountError as exc:
                form.add_error("email", exc.messages)
        if not form.errors:
            return render(request, "accounts/signup_sent.html", {"email": email})
    return render(request, "accounts/signup.html", {"form": form, "next": _safe_next(request) or ""})


@sensitive_post_parameters("password1", "password2")
@csrf_protect
@never_cache
@ratelimit("signup")
def signup_finish(request: HttpRequest, token: str) -> HttpResponse:
    """Step 2, from the e-mailed link: name, password and role; then the member is signed in."""
    try:
        email, next_url = services.signup_token_read(token=token)
    except AccountError as exc:
        return render(request, "accounts/signup_link_bad.html", {"message": exc.message}, status=400)
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                email=email,
                password=data["password1"],
                display_name=data["display_name"],
                role=data["role"],
                health_consent=data["consent"],
            )
        except EmailTaken:
            return render(request, "accounts/signup_link_bad.html", {
                "message": "This link has already been used: the account exists. Sign in, or reset the password "
                           "if you have forgotten it.",
            }, status=400)
        except AccountError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.messages)
        else:
            login(request, user)  # the one configured backend (consult.accounts.backends.EmailBackend)
            if user.role == Role.DOCTOR:
                messages.success(
                    request,
                    "Welcome. Fill in your doctor profile; staff verify your licence before you can answer.",
                )
                return redirect("doctors:profile_edit")
            messages.success(request, "Welcome to Consult. You are signed in.")
            safe = next_url if next_url and url_has_allowed_host_and_scheme(
                next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ) else None
            return redirect(safe or resolve_url(settings.LOGIN_REDIRECT_URL))
    return render(request, "accounts/signup_finish.html", {"form": form, "email": email})


class LoginView(auth_views.LoginView):
    """Failed sign-ins are counted per client address and per account (e-mail); successful ones are not.
    Over either limit, the password is not even checked until the window ends."""

    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def _keys(self) -> tuple[str, str]:
        return f"ip{client_ip(self.request)}", _email_key(self.request.POST.get("username", ""))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        by_address, by_account = self._keys()
        if is_limited(request, "login", increment=False, who=by_address) or is_limited(
            request, "login_account", increment=False, who=by_account
        ):
            return too_many_requests(request, message=LOGIN_LOCKED)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        if settings.RATELIMIT_ENABLED:
            by_address, by_account = self._keys()
            hit("login", by_address)
            hit("login_account", by_account)
        return super().form_invalid(form)


login_view = LoginView.as_view()
logout_view = auth_views.LogoutView.as_view()  # POST only (Django 5): a link cannot sign anyone out.

class PasswordResetView(auth_views.PasswordResetView):
    """Limited per client address (429) and per e-mail address (over it, nothing more is sent, and the
    page looks the same, so the limit reveals nothing about the address)."""

    form_class = EmailPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if is_limited(request, "password_reset", who=f"ip{client_ip(request)}"):
            return too_many_requests(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: EmailPasswordResetForm) -> HttpResponse:  # type: ignore[override]
        if is_limited(self.request, "password_reset_email", who=_email_key(form.cleaned_data["email"])):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


password_reset = PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html",
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html",
)


def _settings_page(request: HttpRequest, forms: dict[str, Any], status: int = 200) -> HttpResponse:
    assert request.user.is_authenticated  # for the type checker; every caller is behind login_required
    context = {"tokens": tokens.tokens_of(user=request.user), "token_form": ApiTokenForm(), **forms}
    return render(request, "accounts/settings.html", context, status=status)


def _settings_forms(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    assert user.is_authenticated
    password_form = PasswordChangeForm(user)
    password_form.fields["old_password"].widget.attrs.pop("autofocus", None)
    return {"name_form": DisplayNameForm(initial={"display_name": user.display_name}),
            "password_form": password_form, "email_form": EmailChangeForm()}


@private_page
@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    """Make an API token and show it once, on this response only (never stored in the session or a
    message: it is not kept anywhere but in the member's hands)."""
    user = request.user
    assert user.is_authenticated
    form = ApiTokenForm(request.POST)
    forms = _settings_forms(request)
    if not form.is_valid():
        return _settings_page(request, {**forms, "token_form": form}, status=400)
    try:
        issued = tokens.token_create(user=user, name=form.cleaned_data["name"])
    except AccountError as exc:
        form.add_error("name", exc.messages)
        return _settings_page(request, {**forms, "token_form": form}, status=400)
    return _settings_page(request, {**forms, "new_token": issued.secret, "new_token_name": issued.token.name})


@private_page
@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert user.is_authenticated
    token = tokens.token_revoke(user=user, pk=pk)
    if token is None:
        raise Http404("No such token.")
    messages.success(request, f"The token \u201c{token.name}\u201d is revoked: it no longer works.")
    return redirect(reverse("accounts:settings") + "#api-tokens")


@private_page
@sensitive_post_parameters("old_password", "new_password1", "new_password2", "email_password")
@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    """Display name, e-mail address and password on one page; the submit button's name says which form was
    sent. Deleting the account has its own page."""
    user = request.user
    assert user.is_authenticated  # for the type checker; login_required guarantees it
    name_form = DisplayNameForm(initial={"display_name": user.display_name})
    password_form = PasswordChangeForm(user)
    email_form = EmailChangeForm()
    if request.method == "POST" and "change_email" in request.POST:
        email_form = EmailChangeForm(request.POST)
        if is_limited(request, "password_change", increment=False):
            messages.error(request, TOO_MANY_GUESSES)
            password_form.fields["old_password"].widget.attrs.pop("autofocus", None)
            return _settings_page(request, {"name_form": name_form, "password_form": password_form,
                                            "email_form": EmailChangeForm()}, status=429)
        if email_form.is_valid():
            new_email = email_form.cleaned_data["new_email"]
            try:
                new_email = services.email_change_start(
                    user=user,
                    new_email=new_email,
                    password=email_form.cleaned_data["email_password"],
                    confirm_url=lambda token: request.build_absolute_uri(
                        reverse("accounts:email_confirm", kwargs={"token": token})
                    ),
                    # Per recipient, silently: over the limit nothing more is sent and the page says the same.
                    send=not is_limited(request, "signup_email", who=_email_key(new_email)),
                )
            except AccountError as exc:
                if isinstance(exc, WrongPassword):
                    is_limited(request, "password_change")
                field = {"password": "email_password", "email": "new_email"}.get(exc.field or "")
                email_form.add_error(field, exc.messages)
            else:
                messages.success(
                    request,
                    f"Check your inbox at {new_email}: open the link we sent there to use it for your account. "
                    "Until then your address stays as it is.",
                )
                return redirect("accounts:settings")
    elif request.method == "POST":
        if "save_name" in request.POST:
            name_form = DisplayNameForm(request.POST)
            if name_form.is_valid():
                try:
                    services.user_update(user=user, display_name=name_form.cleaned_data["display_name"])
                except AccountError as exc:
                    name_form.add_error("display_name", exc.messages)
                else:
                    messages.success(request, "Display name saved.")
                    return redirect("accounts:settings")
        elif "change_password" in request.POST:
            password_form = PasswordChangeForm(user, request.POST)
            if is_limited(request, "password_change", increment=False):
                # The old password is not checked at all until the window ends.
                password_form = PasswordChangeForm(user)
                password_form.fields["old_password"].widget.attrs.pop("autofocus", None)
                messages.error(request, TOO_MANY_GUESSES)
                return _settings_page(request, {"name_form": name_form, "password_form": password_form,
                                                "email_form": email_form}, status=429)
            if password_form.is_valid():
                password_form.save()
                update_session_auth_hash(request, password_form.user)
                messages.success(request, "Password changed.")
                return redirect("accounts:settings")
            if "old_password" in password_form.errors:
                is_limited(request, "password_change")
    # Django autofocuses the old password; on a page with two forms that would skip the first one.
    password_form.fields["old_password"].widget.attrs.pop("autofocus", None)
    return _settings_page(request, {"name_form": name_form, "password_form": password_form, "email_form": email_form})


@private_page
@csrf_protect
@login_required
def email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link sent to the new address: a page asking to confirm (a GET changes nothing: mail scanners
    open links), and the change on POST."""
    user = request.user
    assert user.is_authenticated
    try:
        old, new = services.email_change_check(user=user, token=token)
    except AccountError as exc:
        return render(request, "accounts/email_link_bad.html", {"message": exc.message}, status=400)
    if request.method == "POST":
        try:
            services.email_change_confirm(user=user, token=token)
        except AccountError as exc:
            return render(request, "accounts/email_link_bad.html", {"message": exc.message}, status=400)
        messages.success(request, f"Your e-mail address is now {new}. We told {old} about the change.")
        return redirect("accounts:settings")
    return render(request, "accounts/email_confirm.html", {"old": old, "new": new})


@private_page
@sensitive_post_parameters("password")
@csrf_protect
@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    """What deleting the account does, and the password to do it. Afterwards the member is signed out."""
    user = request.user
    assert user.is_authenticated
    form = AccountDeleteForm(request.POST or None)
    is_doctor = user.role == Role.DOCTOR
    if request.method == "POST":
        if is_limited(request, "password_change", increment=False):
            messages.error(request, TOO_MANY_GUESSES)
            return render(request, "accounts/delete.html", {"form": AccountDeleteForm(), "is_doctor": is_doctor},
                          status=429)
        if form.is_valid():
            try:
                services.account_delete(user=user, password=form.cleaned_data["password"])
            except AccountError as exc:
                is_limited(request, "password_change")
                form.add_error("password", exc.messages)
            else:
                logout(request)
                messages.success(
                    request,
                    "Your account is deleted: your photos, measurements, questionnaires and treatments are gone, "
                    "and you are signed out. Your questions stay, shown as by \u201cdeleted user\u201d.",
                )
                return redirect("/")
    return render(request, "accounts/delete.html", {"form": form, "is_doctor": is_doctor})
