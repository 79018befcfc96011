"""Completeness and timeliness: expected vs submitted vs on time, by period, region and centre.

Every figure here is a count over the submission rows the schedule made (see
services/schedule.py), one indexed table. The definitions, once (monitoring's
aggregates use the same Q objects):

- sent (`DONE`): in a done status (submitted, verified or approved). A report
  returned for correction is not sent until the centre sends it again.
- on time (`ON_TIME`): sent, and its first sending came by the due time.
- expected (`expected_by(now)`): its due time has passed, or it is sent. A row
  is made on the first day of its period, but a period that has ended is not
  owed until its due time (October's monthly report until 10 November), so
  counting every row would lower the rate falsely each month until the due
  date; a report sent early counts at once as expected, sent and on time.

On time implies sent implies expected, so no rate can exceed 100 %, and a
report still within its time never lowers one. The rate functions take the
moment to judge at (`now`, default the present), as the matrix does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone

from simpul.accounts import policy
from simpul.centers.models import Center

from ..models import DONE_STATUSES, OPEN_STATUSES, ReportForm, Status, Submission
from ..periods import Period

DONE = Q(status__in=DONE_STATUSES)
ON_TIME = DONE & Q(first_submitted_at__lte=F("due_at"))


def expected_by(now: dt.datetime) -> Q:
    """Owed at `now`: due before `now` (as the matrix's MISSING), or already sent."""
    return Q(due_at__lt=now) | DONE


def _counts(now: dt.datetime | None) -> dict[str, Count]:
    expected = expected_by(now or timezone.now())
    return {
        "expected": Count("id", filter=expected),
        "submitted": Count("id", filter=DONE),
        "timely": Count("id", filter=ON_TIME),
    }


@dataclass(frozen=True)
class Rate:
    expected: int
    submitted: int
    on_time: int

    @property
    def completeness(self) -> float | None:
        return self.submitted / self.expected if self.expected else None

    @property
    def timeliness(self) -> float | None:
        return self.on_time / self.expected if self.expected else None


def _scoped(actor: Any, form: ReportForm, periods: Sequence[Period], region: dict[str, str]) -> QuerySet[Submission]:
    submissions = policy.scope_queryset(actor, Submission.objects.all()).filter(
        form=form, period_start__gte=periods[0].start, period_start__lte=periods[-1].start
    )
    if region.get("regency"):
        submissions = submissions.filter(center__regency_id=region["regency"])
    elif region.get("province"):
        submissions = submissions.filter(center__province_id=region["province"])
    return submissions


def _rate(row: dict[str, Any]) -> Rate:
    return Rate(expected=row["expected"], submitted=row["submitted"], on_time=row["timely"])


def rates_by_period(
    *,
    actor: Any,
    form: ReportForm,
    periods: Sequence[Period],
    region: dict[str, str] | None = None,
    now: dt.datetime | None = None,
) -> dict[str, Rate]:
    """period key -> rate, in one grouped query."""
    rows = _scoped(actor, form, periods, region or {}).values("period_key").annotate(**_counts(now)).order_by()
    found = {row["period_key"]: _rate(row) for row in rows}
    return {p.key: found.get(p.key, Rate(0, 0, 0)) for p in periods}


def overall_rate(
    *,
    actor: Any,
    form: ReportForm,
    periods: Sequence[Period],
    region: dict[str, str] | None = None,
    now: dt.datetime | None = None,
) -> Rate:
    row = _scoped(actor, form, periods, region or {}).aggregate(**_counts(now))
    return _rate(row)


def rates_by_area(
    *,
    actor: Any,
    form: ReportForm,
    periods: Sequence[Period],
    region: dict[str, str] | None = None,
    now: dt.datetime | None = None,
) -> list[tuple[str, str, Rate]]:
    """(code, name, rate) per province, or per regency inside a chosen province."""
    region = region or {}
    by = "center__regency" if region.get("province") or region.get("regency") else "center__province"
    rows = (
        _scoped(actor, form, periods, region)
        .values(f"{by}_id", f"{by}__name")
        .annotate(**_counts(now))
        .order_by(f"{by}_id")
    )
    return [(row[f"{by}_id"], row[f"{by}__name"], _rate(row)) for row in rows]


class CellState:
    APPROVED = "approved"
    VERIFIED = "verified"
    ON_TIME = "on-time"
    LATE_SUBMITTED = "late-submitted"
    RETURNED = "returned"
    OPEN = "open"
    MISSING = "missing"
    NOT_EXPECTED = "not-expected"


def cell_state(status: str, first_submitted_at: dt.datetime | None, due: dt.datetime, now: dt.datetime) -> str:
    late = first_submitted_at is not None and first_submitted_at > due
    return _state(status, late=late, past_due=due < now)


def _state(status: str, *, late: bool, past_due: bool) -> str:
    if status == Status.APPROVED:
        return CellState.APPROVED
    if status == Status.VERIFIED:
        return CellState.VERIFIED
    if status == Status.SUBMITTED:  # sent, so first_submitted_at is set
        return CellState.LATE_SUBMITTED if late else CellState.ON_TIME
    if status == Status.RETURNED:
        return CellState.RETURNED
    return CellState.MISSING if past_due else CellState.OPEN


@dataclass
class MatrixRow:
    center: Center
    # (state, submission id, sent late) per period
    cells: list[tuple[str, int | None, bool]] = field(default_factory=list)


def completeness_matrix(
    *, actor: Any, form: ReportForm, periods: Sequence[Period], region: dict[str, str], now: dt.datetime | None = None
) -> list[MatrixRow]:
    """Centres × periods of a region, each cell a state: two queries, whatever the size."""
    now = now or timezone.now()
    # Late and past due are worked out by the database: reading two timestamps per cell back into Python
    # cost more than the query itself (a province: 9,500 cells, ~19,000 timestamps).
    submissions = (
        _scoped(actor, form, periods, region)
        .annotate(
            late=ExpressionWrapper(Q(first_submitted_at__gt=F("due_at")), output_field=BooleanField()),
            past_due=ExpressionWrapper(Q(due_at__lt=now), output_field=BooleanField()),
        )
        .values_list("center_id", "period_key", "status", "late", "past_due", "id")
    )
    grid: dict[int, dict[str, tuple[str, int | None, bool]]] = {}
    for center_id, key, status, late, past_due, pk in submissions:
        late = bool(late)  # NULL when never sent
        grid.setdefault(center_id, {})[key] = (_state(status, late=late, past_due=bool(past_due)), pk, late)
    centers = policy.scope_queryset(actor, Center.objects.filter(pk__in=list(grid))).order_by("regency_id", "name")
    rows = []
    for center in centers.only("id", "name", "regency_id"):
        cells = grid.get(center.pk, {})
        rows.append(MatrixRow(center, [cells.get(p.key, (CellState.NOT_EXPECTED, None, False)) for p in periods]))
    return rows


def late_and_missing(
    *, actor: Any, form: ReportForm, periods: Sequence[Period], region: dict[str, str], now: dt.datetime | None = None
) -> tuple[QuerySet[Submission], QuerySet[Submission]]:
    """(missing: past due and not sent, oldest first; late: sent after the due time)."""
    now = now or timezone.now()
    scoped = _scoped(actor, form, periods, region).select_related("form", "center", "center__regency")
    missing = scoped.filter(status__in=OPEN_STATUSES, due_at__lt=now).order_by("due_at", "center__name")
    late = scoped.filter(DONE, first_submitted_at__gt=F("due_at")).order_by("-first_submitted_at")
    return missing, late
