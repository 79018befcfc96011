"""Notification pages: the list, the bell (polled), and one's e-mail choices. Threads are in views_threads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simpul.accounts.http import AuthenticatedRequest
from simpul.core.pagination import paginate

from . import selectors, services
from .models import EmailChoice, NotificationPreference


@require_GET
def notifications(request: AuthenticatedRequest) -> HttpResponse:
    page = paginate(request, selectors.notification_list(actor=request.user))
    return render(request, "messaging/notifications.html", {"page": page})


@require_POST
def notifications_read(request: AuthenticatedRequest) -> HttpResponse:
    services.notifications_mark_read(actor=request.user)
    return redirect("messaging:notifications")


@require_GET
def notification_open(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go where it points."""
    notification = selectors.notification_list(actor=request.user).filter(pk=pk).first()
    if notification is None:
        return redirect("messaging:notifications")
    services.notifications_mark_read(actor=request.user, notification_ids=[notification.pk])
    return redirect(notification.url or "messaging:notifications")


@require_GET
def bell(request: AuthenticatedRequest) -> HttpResponse:
    """The unread count alone, polled by the page: the poll is not the person's activity (no idle renewal)."""
    request.idle_exempt = True  # type: ignore[attr-defined]
    count = selectors.unread_count(actor=request.user)
    return render(request, "messaging/_bell.html", {"count": count})


def _preference_choices(preference: NotificationPreference) -> dict[str, object]:
    return {
        "preference": preference,
        "urgent_choices": EmailChoice.choices,
        "other_choices": [(EmailChoice.DIGEST, EmailChoice.DIGEST.label), (EmailChoice.NEVER, EmailChoice.NEVER.label)],
    }


@require_http_methods(["GET", "POST"])
def preferences(request: AuthenticatedRequest) -> HttpResponse:
    preference = services.preference_of(request.user)
    if request.method == "POST":
        urgent, other = request.POST.get("urgent_email", ""), request.POST.get("other_email", "")
        try:
            services.preference_update(actor=request.user, urgent_email=urgent, other_email=other)
        except ValidationError as error:
            preference.urgent_email, preference.other_email = urgent, other
            context = {**_preference_choices(preference), "errors": error.message_dict}
            return render(request, "messaging/preferences.html", context, status=400)
        messages.success(request, _("Pengaturan notifikasi tersimpan."))
        return redirect("messaging:preferences")
    return render(request, "messaging/preferences.html", _preference_choices(preference))
