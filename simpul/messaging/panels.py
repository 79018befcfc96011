"""Messaging's section on a centre's page: the latest of the centre's thread (e.g. a message sent from an early
warning), a link to the whole thread, and a form to write in it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from simpul.core.panels import Panel, register

from . import access
from .selectors import comment_list
from .services import center_thread

PANEL_MESSAGES = 5


def _thread(request: Any, center: Any) -> dict[str, Any] | None:
    # An entrepreneur sees the centre's page, not its staff's thread.
    if not access.can_read_center(request.user, center):
        return None
    latest = list(comment_list(actor=request.user, target=center).order_by("-created_at", "-id")[:PANEL_MESSAGES])
    thread = center_thread(center)
    return {
        "comments": latest[::-1],
        "post_url": reverse("messaging:center", args=[center.pk]),
        "next_url": reverse("centers:detail", args=[center.pk]) + "#komentar",
        "more_url": reverse("messaging:center", args=[center.pk]),
        "can_post": True,
        "can_moderate": thread.pk is not None and access.can_moderate(request.user, thread),
        "viewer": request.user,
    }


register(Panel("thread", "centers.center", "messaging/panel_thread.html", 90, _thread))
