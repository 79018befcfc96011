"""Messaging's section on a centre's page: the centre's thread (e.g. a message sent from an early warning)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from simpul.core.panels import Panel, register

from .selectors import comment_list


def _thread(request: Any, center: Any) -> dict[str, Any] | None:
    # The centre page is only shown to whoever may see the centre; they may read and write its thread.
    return {
        "comments": comment_list(actor=request.user, target=center),
        "comment_url": reverse("messaging:center-comment", args=[center.pk]),
    }


register(Panel("thread", "centers.center", "messaging/panel_thread.html", 90, _thread))
