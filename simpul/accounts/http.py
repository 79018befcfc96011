"""The request type of signed-in pages (for type checking; LoginRequiredMiddleware guarantees it)."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from .models import User


class AuthenticatedRequest(HttpRequest):
    user: User  # type: ignore[assignment]
    htmx: HtmxDetails
