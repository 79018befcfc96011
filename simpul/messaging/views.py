from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from simpul.accounts.http import AuthenticatedRequest
from simpul.core.pagination import paginate

from . import selectors, services


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
