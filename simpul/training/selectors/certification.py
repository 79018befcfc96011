"""Reads of competency tests: the certificates about to expire."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from simpul.accounts import policy
from simpul.accounts.policy import Action

from ..models import CompetencyTest, TestResult

EXPIRY_WINDOW_DAYS = 90


def certificates_expiring(
    *, actor: Any, within_days: int = EXPIRY_WINDOW_DAYS, today: dt.date | None = None
) -> QuerySet[CompetencyTest]:
    """BNSP certificates in the actor's scope that run out in the next `within_days` days, soonest first."""
    today = today or timezone.localdate()
    tests = policy.scope_queryset(actor, CompetencyTest.objects.all(), Action.VIEW)
    return (
        tests.filter(
            result=TestResult.COMPETENT, valid_until__gte=today, valid_until__lte=today + dt.timedelta(days=within_days)
        )
        .select_related("enrolment__person", "enrolment__package__center")
        .order_by("valid_until", "id")
    )
