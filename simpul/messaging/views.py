from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from simpul.accounts.http import AuthenticatedRequest
from simpul.centers.selectors import center_get
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


@require_POST
def center_comment(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Write in a centre's thread (shown on the centre's page); a centre outside one's scope is 404."""
    center = center_get(actor=request.user, pk=pk)
    try:
        services.comment_post(actor=request.user, target=center, body=request.POST.get("body", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("centers:detail", args=[center.pk]) + "#komentar")
