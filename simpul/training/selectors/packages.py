"""Reads of training packages, scoped by the policy."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet

from simpul.accounts import policy
from simpul.accounts.policy import Action

from ..models import Attendance, Package, Result


def package_list(*, actor: Any, action: Action = Action.VIEW) -> QuerySet[Package]:
    return (
        policy.scope_queryset(actor, Package.objects.all(), action)
        .select_related("center", "vocation", "sub_vocation")
        .annotate(
            enrolled=Count("enrolments", distinct=True),
            graduates=Count("enrolments", filter=Q(enrolments__result=Result.PASSED), distinct=True),
        )
        .order_by("-start_date", "-id")
    )


def package_get(*, actor: Any, pk: Any, action: Action = Action.VIEW) -> Package:
    return policy.get_or_404(
        actor,
        Package.objects.select_related("center__province", "center__regency", "vocation", "sub_vocation"),
        action,
        pk=pk,
    )


def package_session_days(package: Package) -> list[dt.date]:
    """The days on which attendance was taken, in order."""
    return list(
        Attendance.objects.filter(enrolment__package=package).values_list("day", flat=True).distinct().order_by("day")
    )


def attendance_counts(package: Package) -> dict[int, int]:
    """Days present per enrolment."""
    rows = (
        Attendance.objects.filter(enrolment__package=package, present=True)
        .values("enrolment_id")
        .annotate(n=Count("id"))
    )
    return {row["enrolment_id"]: row["n"] for row in rows}
