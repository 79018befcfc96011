"""Reporting's sections on a centre's page: its reports and its grants."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from simpul.accounts import policy
from simpul.accounts.policy import Action
from simpul.core.panels import Panel, register

from .models import Grant, Submission
from .selectors.aid import grant_list
from .selectors.submissions import SubmissionFilters, submission_list


def _reports(request: Any, center: Any) -> dict[str, Any] | None:
    if not policy.allowed(request.user, Action.VIEW, Submission):
        return None
    submissions = submission_list(actor=request.user, filters=SubmissionFilters()).filter(center=center)
    return {
        "center": center,
        "submissions": submissions.order_by("-period_start", "form__code")[:8],
        "all_url": reverse("reporting:submissions") + f"?q={center.name}",
    }


def _grants(request: Any, center: Any) -> dict[str, Any] | None:
    if not policy.allowed(request.user, Action.VIEW, Grant):
        return None
    return {
        "center": center,
        "grants": grant_list(actor=request.user, center_id=center.pk),
        "can_create": policy.allowed(request.user, Action.CREATE, Grant),
    }


register(Panel("reports", "centers.center", "reporting/panel_reports.html", 10, _reports))
register(Panel("grants", "centers.center", "reporting/panel_grants.html", 20, _grants))
