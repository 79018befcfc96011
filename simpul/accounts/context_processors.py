from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from simpul.core.navigation import items_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menu entries this person's role can use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": items_for(user)}
