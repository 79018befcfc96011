from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from simpul.core.navigation import items_for

from .selectors import public_summary


@login_not_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Signed in: what this person can do here. Otherwise: the public front page."""
    if request.user.is_authenticated:
        return render(request, "portal/home.html", {"cards": items_for(request.user)})
    return render(request, "portal/landing.html", {"summary": public_summary()})
