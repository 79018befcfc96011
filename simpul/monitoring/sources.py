"""Where every measure comes from: a centre's months (or every centre's) computed from the records.

One function per table of measures; each runs a fixed number of grouped
queries whatever the number of months or records, so the same code serves the
refresh after one write (one centre, a few months) and the rebuild (every
centre, every month). The definitions, once:

- LAPBUL figures: the numbers of the centre's *approved* monthly activity
  report (form LAPBUL) of the month; `reports_approved` counts that report.
- Reporting discipline: the month's LAPBUL is owed (`reports_expected`: its
  due time has passed or it is sent), is sent, in a done status
  (`reports_submitted`), and is sent and was first sent by its due time
  (`reports_on_time`): reporting's own definitions (selectors/completeness.py),
  so the dashboards and the completeness page give the same rates. "Due has
  passed" changes with time, not with a write: reporting's daily job refreshes
  the centre-months whose reports fell due (services/schedule.py).
- Masa tunggu: graduates (result lulus) whose first job or business is
  recorded, by graduation month: the sum of their whole weeks of waiting and
  their count (training's own `first_start` and `waiting_weeks`).
- Tenants: the revenue and paid workers of the month's business figures of the
  centre's incubator's tenants.
- Aid: instalments of the centre's grants paid in the month.
- Vocations: packages ending in the month, per kejuruan: enrolments by sex,
  graduates, and enrolments with a passed competency test (kompeten).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, FloatField, Q, QuerySet, Sum
from django.utils import timezone

from simpul.core.changes import month_of
from simpul.incubation.models import BusinessFigure
from simpul.reporting.models import Instalment, Submission, SubmissionValue
from simpul.reporting.models.submissions import Status
from simpul.reporting.selectors.completeness import DONE, ON_TIME, expected_by
from simpul.training.models import CompetencyTest, Enrolment, Package, Result
from simpul.training.models.certification import TestResult
from simpul.training.models.people import Sex
from simpul.training.models.tracing import WORKING
from simpul.training.selectors.people import first_start, waiting_weeks

from .measures import MEASURE_NAMES, VOCATION_MEASURE_NAMES

LAPBUL = "LAPBUL"
# LAPBUL indicator code -> measure.
LAPBUL_MEASURES: dict[str, str] = {
    "peserta_l": "participants_m",
    "peserta_p": "participants_f",
    "lulus_l": "graduates_m",
    "lulus_p": "graduates_f",
    "sertifikat_l": "certified_m",
    "sertifikat_p": "certified_f",
    "bekerja_l": "employed_m",
    "bekerja_p": "employed_f",
    "wirausaha_l": "self_employed_m",
    "wirausaha_p": "self_employed_f",
    "jam_pelatihan": "training_hours",
    "omzet_unit_produksi": "unit_revenue",
}

CentreKey = tuple[Any, dt.date]  # (centre pk, month)
VocationKey = tuple[Any, str, dt.date]  # (centre pk, vocation code, month)
Figures = dict[str, int]


def next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _within(qs: QuerySet[Any], center_field: str, day_field: str, center_id: Any, months: Iterable[dt.date] | None):
    """Only this centre (None: every centre) and these months (None: every month) of `day_field`."""
    if center_id is not None:
        qs = qs.filter(**{center_field: center_id})
    if months is not None:
        ranges = [Q(**{f"{day_field}__gte": m, f"{day_field}__lt": next_month(m)}) for m in sorted(months)]
        qs = qs.filter(reduce(or_, ranges)) if ranges else qs.none()
    return qs


# Queries group by the day and the months are folded here: on SQLite, truncating to the month in SQL
# calls a Python function for every row.
def _add(out: dict[Any, Figures], key: Any, names: tuple[str, ...], **values: Any) -> None:
    figures = out.get(key)
    if figures is None:
        figures = out[key] = dict.fromkeys(names, 0)
    for name, value in values.items():
        if value:
            figures[name] += round(value)


def centre_figures(
    *, center_id: Any = None, months: Iterable[dt.date] | None = None, now: dt.datetime | None = None
) -> dict[CentreKey, Figures]:
    """Every measure of MEASURES per (centre, month) that has any record, as of `now`; seven queries."""
    months = None if months is None else frozenset(months)
    now = now or timezone.now()
    out: dict[CentreKey, Figures] = {}

    def put(center: Any, day: dt.date, **values: Any) -> None:
        _add(out, (center, month_of(day)), MEASURE_NAMES, **values)

    lapbul = _within(Submission.objects.filter(form__code=LAPBUL), "center_id", "period_start", center_id, months)
    for row in (
        lapbul.values("center_id", "period_start")
        .annotate(
            expected=Count("id", filter=expected_by(now)),
            submitted=Count("id", filter=DONE),
            on_time=Count("id", filter=ON_TIME),
            approved=Count("id", filter=Q(status=Status.APPROVED)),
        )
        .order_by()
    ):
        put(
            row["center_id"],
            row["period_start"],
            reports_expected=row["expected"],
            reports_submitted=row["submitted"],
            reports_on_time=row["on_time"],
            reports_approved=row["approved"],
        )

    values = _within(
        SubmissionValue.objects.filter(
            submission__form__code=LAPBUL,
            submission__status=Status.APPROVED,
            indicator__code__in=LAPBUL_MEASURES,
            number__isnull=False,
        ),
        "submission__center_id",
        "submission__period_start",
        center_id,
        months,
    )
    # Read back as plain numbers: a Decimal per cell costs more than the query at national scale.
    sums = {
        f"s_{measure}": Sum("number", filter=Q(indicator__code=code), output_field=FloatField())
        for code, measure in LAPBUL_MEASURES.items()
    }
    for row in values.values("submission__center_id", "submission__period_start").annotate(**sums).order_by():
        put(
            row["submission__center_id"],
            row["submission__period_start"],
            **{measure: row[f"s_{measure}"] for measure in LAPBUL_MEASURES.values()},
        )

    if center_id is None:
        # Every centre: from the working alumni (an inner join on the outcomes' index).
        graduates = first_start(
            Enrolment.objects.filter(
                result=Result.PASSED, outcomes__status__in=WORKING, outcomes__started_on__isnull=False
            )
        )
    else:
        # One centre: through its few packages, or the database walks every working alumnus in the country.
        packages = Package.objects.filter(center_id=center_id).values("pk")
        graduates = first_start(Enrolment.objects.filter(result=Result.PASSED, package__in=packages))
        graduates = graduates.filter(first_started_on__isnull=False)  # type: ignore[misc]
    graduates = _within(graduates, "package__center_id", "graduated_on", None, months)
    for center, graduated_on, started_on in graduates.values_list(
        "package__center_id", "graduated_on", "first_started_on"
    ).order_by():
        weeks = waiting_weeks(graduated_on, started_on)
        if weeks is not None:
            # A zero-week wait still counts one graduate: add the count separately from the weeks.
            put(center, graduated_on, waiting_weeks_sum=weeks, waiting_count=1)

    figures = _within(BusinessFigure.objects.all(), "tenant__incubator__center_id", "month", center_id, months)
    for row in (
        figures.values("tenant__incubator__center_id", "month")
        .annotate(revenue=Sum("revenue"), workers=Sum("paid_workers"))
        .order_by()
    ):
        put(
            row["tenant__incubator__center_id"],
            row["month"],
            tenant_revenue=row["revenue"],
            tenant_workers=row["workers"],
        )

    paid = _within(
        Instalment.objects.filter(paid_on__isnull=False, paid_amount__isnull=False),
        "grant__center_id",
        "paid_on",
        center_id,
        months,
    )
    for row in paid.values("grant__center_id", "paid_on").annotate(paid=Sum("paid_amount")).order_by():
        put(row["grant__center_id"], row["paid_on"], aid_paid=row["paid"])
    return out


def vocation_figures(*, center_id: Any = None, months: Iterable[dt.date] | None = None) -> dict[VocationKey, Figures]:
    """Every measure of VOCATION_MEASURES per (centre, kejuruan, month the package ended); two queries."""
    months = None if months is None else frozenset(months)
    out: dict[VocationKey, Figures] = {}
    enrolments = _within(Enrolment.objects.all(), "package__center_id", "package__end_date", center_id, months)
    for row in (
        enrolments.values("package__center_id", "package__vocation__code", "package__end_date")
        .annotate(
            men=Count("id", filter=Q(person__sex=Sex.MALE)),
            women=Count("id", filter=Q(person__sex=Sex.FEMALE)),
            passed=Count("id", filter=Q(result=Result.PASSED)),
        )
        .order_by()
    ):
        key = (row["package__center_id"], row["package__vocation__code"], month_of(row["package__end_date"]))
        _add(
            out,
            key,
            VOCATION_MEASURE_NAMES,
            participants_m=row["men"],
            participants_f=row["women"],
            graduates=row["passed"],
        )
    tests = _within(
        CompetencyTest.objects.filter(result=TestResult.COMPETENT),
        "enrolment__package__center_id",
        "enrolment__package__end_date",
        center_id,
        months,
    )
    for row in (
        tests.values(
            "enrolment__package__center_id", "enrolment__package__vocation__code", "enrolment__package__end_date"
        )
        .annotate(certified=Count("enrolment_id", distinct=True))
        .order_by()
    ):
        key = (
            row["enrolment__package__center_id"],
            row["enrolment__package__vocation__code"],
            month_of(row["enrolment__package__end_date"]),
        )
        _add(out, key, VOCATION_MEASURE_NAMES, certified=row["certified"])
    return out
