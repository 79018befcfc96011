from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import unread_count


def bell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Counted only when a template shows the bell: a page fragment (an HTMX panel) costs no query.
    return {
        "unread_notifications": SimpleLazyObject(lambda: unread_count(actor=user)),
        # How often the bell asks for its count (an HTMX poll while the tab is visible).
        "bell_poll_seconds": getattr(settings, "BELL_POLL_SECONDS", 30),
    }
