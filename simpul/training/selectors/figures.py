"""A centre's training figures for a period: what the monthly report asks, computed from the records.

Reporting prefills its forms from these (reporting/prefill.py); training
never imports reporting.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Min, Q

from ..models import WORKING, CompetencyTest, Enrolment, Package, PackageStatus, Result, Sex, TestResult


def packages_running(center_id: int, start: dt.date, end: dt.date) -> int:
    """Packages that trained on at least one day of the period."""
    return (
        Package.objects.filter(center_id=center_id, start_date__lte=end, end_date__gte=start)
        .exclude(status=PackageStatus.PLANNED, start_date__gt=end)
        .count()
    )


def training_hours(center_id: int, start: dt.date, end: dt.date) -> int:
    """Hours taught in the period: each package's hours spread evenly over its days."""
    total = Decimal(0)
    packages = Package.objects.filter(center_id=center_id, start_date__lte=end, end_date__gte=start)
    for first, last, hours in packages.values_list("start_date", "end_date", "hours"):
        days = (last - first).days + 1
        inside = (min(last, end) - max(first, start)).days + 1
        total += Decimal(hours) * inside / days
    return int(total.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _by_sex(rows: dict[str, int]) -> dict[str, int]:
    return {Sex.MALE: rows.get(Sex.MALE, 0), Sex.FEMALE: rows.get(Sex.FEMALE, 0)}


def enrolled_by_sex(center_id: int, start: dt.date, end: dt.date) -> dict[str, int]:
    """People who began a package in the period."""
    rows = (
        Enrolment.objects.filter(package__center_id=center_id, package__start_date__range=(start, end))
        .values("person__sex")
        .annotate(n=Count("id"))
    )
    return _by_sex({r["person__sex"]: r["n"] for r in rows})


def graduated_by_sex(center_id: int, start: dt.date, end: dt.date) -> dict[str, int]:
    rows = (
        Enrolment.objects.filter(package__center_id=center_id, result=Result.PASSED, graduated_on__range=(start, end))
        .values("person__sex")
        .annotate(n=Count("id"))
    )
    return _by_sex({r["person__sex"]: r["n"] for r in rows})


def certified_by_sex(center_id: int, start: dt.date, end: dt.date) -> dict[str, int]:
    """Graduates found competent (BNSP) in the period, each person once."""
    rows = (
        CompetencyTest.objects.filter(
            enrolment__package__center_id=center_id, result=TestResult.COMPETENT, tested_on__range=(start, end)
        )
        .values("enrolment__person__sex")
        .annotate(n=Count("enrolment__person", distinct=True))
    )
    return _by_sex({r["enrolment__person__sex"]: r["n"] for r in rows})


def started_work_by_sex(center_id: int, start: dt.date, end: dt.date, status: str) -> dict[str, int]:
    """Graduates whose first job (or first business) began in the period."""
    if status not in WORKING:
        raise ValueError(status)
    first_in_period = (
        Enrolment.objects.filter(package__center_id=center_id, result=Result.PASSED)
        .annotate(first=Min("outcomes__started_on", filter=Q(outcomes__status=status)))
        .filter(first__range=(start, end))
        .values("pk")
    )
    rows = Enrolment.objects.filter(pk__in=first_in_period).values("person__sex").annotate(n=Count("id"))
    return _by_sex({r["person__sex"]: r["n"] for r in rows})
