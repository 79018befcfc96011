"""Which reports are expected: one submission row per centre, form and period, made by the schedule.

A row is made for a period when the centre is open at its end and the form
is assigned to the centre (by cohort, class or incubator status as they are
when the period is scheduled). So expected reports follow each centre's real
life, and completeness is a count over these rows: never above 100 %, never
falsely low. Safe to run any number of times: what exists is left alone.

A row counts as expected once its due time has passed or it is sent
(selectors/completeness.py). Passing the due time is no write, so the daily
job also refreshes the monitoring figures of the reports that fell due since
it last ran (`refresh_fallen_due`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from simpul.centers.models import Center, CenterStatus
from simpul.core import changes

from ..models import OPEN_STATUSES, Assignment, ReportForm, Status, Submission, SubmissionValue
from ..periods import Period, PeriodType, due_at, period_containing


def eligible_centers(form: ReportForm, period: Period) -> QuerySet[Center]:
    centers = Center.objects.filter(opened_on__lte=period.end).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=period.end)
    )
    if form.assignment == Assignment.COHORTS:
        centers = centers.filter(cohort__in=form.assigned_cohorts)
    elif form.assignment == Assignment.CLASSES:
        centers = centers.filter(development_class__in=form.assigned_classes)
    elif form.assignment == Assignment.INCUBATORS:
        centers = centers.filter(status=CenterStatus.INCUBATOR)
    elif form.assignment == Assignment.GRANTS:
        return centers.none()  # owed per grant milestone, not per period
    return centers


def schedule_period(form: ReportForm, period: Period, *, centers: Iterable[Center] | None = None) -> int:
    """Make the missing rows of one form and period. Returns how many were made."""
    version = form.current_version()
    if version is None:
        return 0
    pool = list(centers) if centers is not None else list(eligible_centers(form, period).select_related("province"))
    existing = set(Submission.objects.filter(form=form, period_key=period.key).values_list("center_id", flat=True))
    rows = [
        Submission(
            form=form,
            version=version,
            center=center,
            period_key=period.key,
            period_start=period.start,
            period_end=period.end,
            due_at=due_at(period.end, form.due_days, center.province.timezone),
        )
        for center in pool
        if center.pk not in existing
    ]
    # ignore_conflicts: a second scheduler running at the same moment makes nothing twice.
    Submission.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    # Each centre's monitoring figures in a short transaction of its own (the national rollup rows
    # are not held for the whole run); a refresh recomputes from the records, so it can run again.
    for row in rows:
        changes.centre_months_changed(row.center_id, [row.period_start])
    return len(rows)


def withdraw_closed(form: ReportForm, period: Period) -> int:
    """A centre that closed before the period ended owes nothing for it: drop its untouched rows."""
    untouched = Submission.objects.filter(
        form=form, period_key=period.key, status=Status.DRAFT, center__closed_on__lte=period.end
    ).exclude(pk__in=SubmissionValue.objects.values("submission_id"))
    gone = list(untouched.values_list("center_id", flat=True))
    count, _ = untouched.delete()
    for center_id in gone:
        changes.centre_months_changed(center_id, [period.start])
    return count


# How far back the daily job looks for reports that fell due: a missed run or two is covered.
# A longer outage is healed by `manage.py monitoring_rebuild`, which recomputes every figure.
FALLEN_DUE_WINDOW = dt.timedelta(days=3)


def refresh_fallen_due(now: dt.datetime) -> int:
    """Refresh the figures of the unsent reports that fell due in the window ending at `now`.

    An unsent report becomes expected when its due time passes (and a sent one already is), with no
    write to announce it. Refreshing recomputes from the records, so a centre-month refreshed twice
    (by overlapping windows) is only recomputed, as of the present (the daily job's `now` is the
    present). Returns how many centres were refreshed.
    """
    fallen = (
        Submission.objects.filter(status__in=OPEN_STATUSES, due_at__gte=now - FALLEN_DUE_WINDOW, due_at__lt=now)
        .values_list("center_id", "period_start")
        .distinct()
        .order_by()
    )
    months: dict[Any, set[dt.date]] = defaultdict(set)
    for center_id, period_start in fallen:
        months[center_id].add(period_start)
    # One short transaction per centre, as when scheduling: the national rollup rows are not held long.
    for center_id, starts in months.items():
        changes.centre_months_changed(center_id, starts)
    return len(months)


def schedule_reports(*, today: dt.date, now: dt.datetime | None = None) -> dict[str, int]:
    """Schedule the current period of every active calendar form, then refresh the figures of the
    reports that fell due by `now` (default: the present). The daily job; returns rows made per form."""
    made: dict[str, int] = {}
    forms = ReportForm.objects.filter(is_active=True).exclude(period_type=PeriodType.EVENT)
    for form in forms:
        period = period_containing(form.period_type, today)
        with transaction.atomic():
            made[form.code] = schedule_period(form, period)
            withdraw_closed(form, period)
    refresh_fallen_due(now or timezone.now())
    return made


def schedule_history(*, first: dt.date, today: dt.date, out: Any = None) -> int:
    """Make the rows of every period from `first` to today (for a new installation or the seed)."""
    from ..periods import periods_between

    total = 0
    for form in ReportForm.objects.filter(is_active=True).exclude(period_type=PeriodType.EVENT):
        for period in periods_between(form.period_type, first, today):
            with transaction.atomic():
                total += schedule_period(form, period)
    if out is not None:
        out.write(f"  jadwal laporan: {total:,} baris\n")
    return total
