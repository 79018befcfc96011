"""Login, passwords, the user administration pages and the audit log.

Thin: parse the request, call a selector or a service, render.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from simpul.core.forms import add_service_errors
from simpul.core.models import AuditAction, AuditEvent
from simpul.core.pagination import paginate

from . import policy, selectors, services
from .forms import USER_FORM_FIELD_MAP, PasswordResetRequestForm, UserFilterForm, UserForm
from .http import AuthenticatedRequest
from .models import User
from .policy import Action


def lockout_response(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """django-axes calls this when a username + address pair is locked out."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class _SavesPasswordThroughService:
    """Django's password views, with the saving done by `services.password_set` (audited)."""

    request: HttpRequest
    success_url: Any
    success_message: Any

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            services.password_set(user=form.user, password=form.cleaned_data["new_password1"], request=self.request)
        except ValidationError as error:
            form.add_error("new_password1", error)
            return self.form_invalid(form)  # type: ignore[attr-defined]
        self.after_save(form.user)
        messages.success(self.request, self.success_message)
        return redirect(self.success_url)

    def after_save(self, user: User) -> None:
        pass


class PasswordSetView(_SavesPasswordThroughService, auth_views.PasswordResetConfirmView):
    """The page behind the e-mailed link: set (or reset) one's password."""

    template_name = "accounts/password_set.html"
    success_url = reverse_lazy("accounts:login")
    success_message = gettext_lazy("Kata sandi tersimpan. Silakan masuk.")

    def after_save(self, user: User) -> None:
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]


class PasswordChangeView(_SavesPasswordThroughService, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")
    success_message = gettext_lazy("Kata sandi Anda sudah diganti.")

    def after_save(self, user: User) -> None:
        update_session_auth_hash(self.request, user)


login_view = login_not_required(LoginView.as_view())
password_set_view = login_not_required(PasswordSetView.as_view())
password_change_view = PasswordChangeView.as_view()
logout_view = auth_views.LogoutView.as_view()


@login_not_required
@require_http_methods(["GET", "POST"])
def password_reset_request(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_reset_request(email=form.cleaned_data["email"], request=request)
        messages.info(
            request,
            _("Jika surel itu terdaftar pada akun aktif, tautan untuk mengatur kata sandi sudah dikirim ke sana."),
        )
        return redirect("accounts:login")
    return render(request, "accounts/password_reset_request.html", {"form": form})


def profile(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "accounts/profile.html", {"account": request.user})


def user_list(request: AuthenticatedRequest) -> HttpResponse:
    if not policy.allowed(request.user, Action.VIEW, User):
        raise Http404
    filters = UserFilterForm(request.GET or None)
    filters.is_valid()
    data = getattr(filters, "cleaned_data", {})
    users = selectors.user_list(actor=request.user, q=data.get("q", ""), role=data.get("role", ""))
    page = paginate(request, users)
    context = {
        "page": page,
        "filters": filters,
        "can_create": policy.allowed(request.user, Action.CREATE, User),
    }
    template = "accounts/_user_rows.html" if request.htmx else "accounts/user_list.html"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def user_create(request: AuthenticatedRequest) -> HttpResponse:
    if not policy.allowed(request.user, Action.CREATE, User):
        raise Http404
    form = UserForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(actor=request.user, request=request, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error, USER_FORM_FIELD_MAP)
        else:
            messages.success(
                request,
                _("Akun %(name)s dibuat; tautan kata sandi dikirim ke %(email)s.")
                % {
                    "name": user.username,
                    "email": user.email,
                },
            )
            return redirect("accounts:user-list")
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@require_http_methods(["GET", "POST"])
def user_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = selectors.user_get(actor=request.user, pk=pk, action=Action.CHANGE)
    form = UserForm(request.POST or None, actor=request.user, editing=True, initial=UserForm.initial_for(user))
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=request.user, user_id=user.pk, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error, USER_FORM_FIELD_MAP)
        else:
            messages.success(request, _("Perubahan akun %(name)s tersimpan.") % {"name": user.username})
            return redirect("accounts:user-list")
    history = user.history.select_related("history_user").order_by("-history_date")[:20]
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "creating": False, "account": user, "history": history},
    )


@require_POST
def user_send_link(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    try:
        user = services.user_send_password_link(actor=request.user, user_id=pk, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:user-edit", pk=pk)
    messages.success(request, _("Tautan kata sandi dikirim ke %(email)s.") % {"email": user.email})
    return redirect("accounts:user-edit", pk=pk)


def audit_log(request: AuthenticatedRequest) -> HttpResponse:
    if not policy.allowed(request.user, Action.VIEW, AuditEvent):
        raise Http404
    action = request.GET.get("action", "")
    if action not in AuditAction.values:
        action = ""
    username = request.GET.get("username", "").strip()[:150]
    events = selectors.audit_event_list(actor=request.user, action=action, username=username)
    page = paginate(request, events, per_page=50)
    return render(
        request,
        "accounts/audit_log.html",
        {"page": page, "actions": AuditAction.choices, "action": action, "username": username},
    )
