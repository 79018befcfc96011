"""Reads of training packages, scoped by the policy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet

from simpul.accounts import policy
from simpul.accounts.policy import Action

from ..models import Attendance, Enrolment, Package, Result


def package_list(*, actor: Any, action: Action = Action.VIEW) -> QuerySet[Package]:
    return (
        policy.scope_queryset(actor, Package.objects.all(), action)
        .select_related("center", "vocation", "sub_vocation")
        .order_by("-start_date", "-id")
    )


def with_counts(packages: Iterable[Package]) -> list[Package]:
    """The packages of one page, each with `enrolled` and `graduates`: one query for the page.

    Counting in the list query itself would group every package of a province before paging.
    """
    rows = list(packages)
    counts = {
        row["package_id"]: row
        for row in Enrolment.objects.filter(package__in=[p.pk for p in rows])
        .values("package_id")
        .annotate(enrolled=Count("id"), graduates=Count("id", filter=Q(result=Result.PASSED)))
    }
    for package in rows:
        found = counts.get(package.pk, {})
        package.enrolled = found.get("enrolled", 0)  # type: ignore[attr-defined]
        package.graduates = found.get("graduates", 0)  # type: ignore[attr-defined]
    return rows


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
