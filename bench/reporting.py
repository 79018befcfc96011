"""Reporting timings at national scale (issue 3's targets):

- national reporting rate (expected, submitted, on time) over 12 months: <= 50 ms
- a province's completeness matrix for 12 months: <= 300 ms
- saving a 40-indicator submission with its rules: <= 100 ms
- queries per page do not grow with the number of centres
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from simpul.reporting.models import (
    FormVersion,
    Indicator,
    IndicatorType,
    ReportForm,
    Section,
    Submission,
    ValidationRule,
    VersionStatus,
)
from simpul.reporting.periods import PeriodType, last_periods, period_containing
from simpul.reporting.selectors import completeness
from simpul.reporting.services import schedule
from simpul.reporting.services import submissions as services


def _wide_form() -> ReportForm:
    """A 40-indicator monthly form with 20 rules, for the save benchmark (made once: BENCH_REUSE runs again)."""
    made = ReportForm.objects.filter(code="BENCH40").first()
    if made is not None:
        return made
    form = ReportForm.objects.create(code="BENCH40", name="Formulir uji 40 indikator", period_type=PeriodType.MONTHLY)
    version = FormVersion.objects.create(form=form, number=1, status=VersionStatus.PUBLISHED)
    section = Section.objects.create(version=version, title="Uji")
    for number in range(40):
        Indicator.objects.create(
            version=version,
            section=section,
            order=number,
            code=f"n{number}",
            label=f"Nilai {number}",
            type=IndicatorType.INTEGER,
            max_value=100000,
            history_check=number % 4 == 0,
        )
    for number in range(0, 40, 2):
        ValidationRule.objects.create(
            version=version, expression=f"n{number + 1} <= n{number} + 1000", message=f"aturan {number}"
        )
    return form


def run(bench: Any) -> None:
    timed = bench.timed
    monthly = ReportForm.objects.get(code="LAPBUL")
    periods = last_periods(PeriodType.MONTHLY, 12, timezone.localdate())
    expected = Submission.objects.filter(form=monthly, period_start__gte=periods[0].start).count()
    print(f"  monthly reports in the 12 months: {expected:,}")
    timed(
        "national reporting rate over 12 months (selector)",
        lambda: completeness.overall_rate(actor=bench.national, form=monthly, periods=periods),
        repeat=20,
    )
    timed(
        "national rates per period, 12 months (selector)",
        lambda: completeness.rates_by_period(actor=bench.national, form=monthly, periods=periods),
        repeat=20,
    )
    timed(
        "province 35 completeness matrix, 12 months (selector)",
        lambda: completeness.completeness_matrix(
            actor=bench.national, form=monthly, periods=periods, region={"province": "35"}
        ),
        repeat=10,
    )
    timed(
        "GET /laporan/kelengkapan/?province=35 (whole page)",
        bench.get("/laporan/kelengkapan/?province=35&periods=12"),
        repeat=10,
    )
    # Queries per page: the same for a small province and for the largest.
    for province in ("94", "35"):
        with CaptureQueriesContext(connection) as queries:
            bench.get(f"/laporan/kelengkapan/?province={province}&periods=12")()
        print(f"  queries for the completeness page of province {province}: {len(queries)}")

    form = _wide_form()
    period = period_containing(PeriodType.MONTHLY, timezone.localdate())
    schedule.schedule_period(form, period)
    submission = Submission.objects.filter(form=form).first()
    manager = bench.national
    rounds = iter(range(1000))

    def save_forty() -> object:
        offset = next(rounds)
        values = {f"n{n}": str((n * 7 + offset) % 900) for n in range(40)}
        services.submission_save_values(actor=manager, submission_id=submission.pk, raw_values=values)
        return services.findings_for(submission, for_submit=True)

    timed("save a 40-indicator submission and check its 20 rules", save_forty, repeat=20)
    timed(
        "GET /laporan/<id>/ a monthly report page", bench.get(f"/laporan/{monthly.submissions.first().pk}/"), repeat=10
    )
