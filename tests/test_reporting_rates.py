"""Completeness and timeliness rates: a report is expected once due or sent, never above 100 %, never
falsely low; the three rate functions, the late list and monitoring's aggregates agree."""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.utils import timezone

from simpul.reporting.models import Submission
from simpul.reporting.periods import PeriodType, period_containing, previous_period
from simpul.reporting.selectors import completeness
from simpul.reporting.selectors.completeness import Rate
from simpul.reporting.services import schedule
from simpul.reporting.services import submissions as submission_services
from simpul.reporting.services.workflow import submission_transition

from .factories import CenterFactory
from .reports import MONTHLY_COMPLETE
from .test_monitoring_facts import NATION, assert_kept_equals_rebuild, figures


def months_back(n: int):
    """The monthly period n months before this one (two or more back: always past its due time)."""
    period = period_containing(PeriodType.MONTHLY, timezone.localdate())
    for _ in range(n):
        period = previous_period(period)
    return period


def scheduled(form, period, centre) -> Submission:
    schedule.schedule_period(form, period, centers=[centre])
    return Submission.objects.get(form=form, period_key=period.key, center=centre)


def send(world, submission: Submission, *, first_sent: dt.timedelta | None = None) -> None:
    """Filled and sent by Kemnaker (who may send for any centre). `first_sent`: the first sending is
    put back to this long after the due time (negative: before it); the services send at the present,
    and a past month's due time has passed by now."""
    admin = world.user("admin")
    submission_services.submission_save_values(actor=admin, submission_id=submission.pk, raw_values=MONTHLY_COMPLETE)
    submission_transition(actor=admin, submission_id=submission.pk, step_name="submit")
    if first_sent is not None:
        Submission.objects.filter(pk=submission.pk).update(first_submitted_at=F("due_at") + first_sent)


def total(rates) -> Rate:
    rates = list(rates)
    return Rate(
        expected=sum(r.expected for r in rates),
        submitted=sum(r.submitted for r in rates),
        on_time=sum(r.on_time for r in rates),
    )


def discipline(row: dict) -> Rate:
    """A monitoring row's reporting figures as a rate."""
    return Rate(row["reports_expected"], row["reports_submitted"], row["reports_on_time"])


# --- expected once due or sent ------------------------------------------------------------------


def test_an_ended_period_is_not_expected_before_its_due_time_and_missing_after(world, monthly):
    period = months_back(2)
    report = scheduled(monthly, period, world.malang)
    admin = world.user("admin")
    ended = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(12), tzinfo=report.due_at.tzinfo)
    assert ended < report.due_at

    between = completeness.overall_rate(actor=admin, form=monthly, periods=[period], now=ended)
    after = completeness.overall_rate(
        actor=admin, form=monthly, periods=[period], now=report.due_at + dt.timedelta(seconds=1)
    )

    assert between == Rate(0, 0, 0)
    assert between.completeness is None  # no rate yet, rather than a false 0 %
    assert after == Rate(1, 0, 0)
    assert after.completeness == 0


def test_a_report_sent_before_its_due_time_counts_expected_submitted_and_on_time(world, monthly, this_month):
    schedule.schedule_period(monthly, this_month)  # the three centres
    report = Submission.objects.get(form=monthly, period_key=this_month.key, center=world.malang)
    send(world, report)
    admin = world.user("admin")

    early = completeness.overall_rate(actor=admin, form=monthly, periods=[this_month])
    due = completeness.overall_rate(
        actor=admin, form=monthly, periods=[this_month], now=report.due_at + dt.timedelta(days=1)
    )

    assert early == Rate(1, 1, 1)  # the two unsent reports still have time: not counted against anyone
    assert (early.completeness, early.timeliness) == (1.0, 1.0)  # and never above 100 %
    assert due == Rate(3, 1, 1)


# --- the rate functions agree -------------------------------------------------------------------


def test_the_rates_by_period_overall_and_by_area_agree(world, monthly, this_month):
    past = months_back(2)
    for period in (past, this_month):
        schedule.schedule_period(monthly, period)
    report = {
        (key, period.key): Submission.objects.get(form=monthly, period_key=period.key, center=getattr(world, key))
        for key in ("malang", "kota_malang", "semarang")
        for period in (past, this_month)
    }
    send(world, report["malang", past.key], first_sent=-dt.timedelta(days=1))  # on time
    send(world, report["kota_malang", past.key])  # late: sent now, long after its due time
    send(world, report["malang", this_month.key])  # early; Semarang's past report is missing
    admin = world.user("admin")
    periods = [past, this_month]

    by_period = completeness.rates_by_period(actor=admin, form=monthly, periods=periods)
    overall = completeness.overall_rate(actor=admin, form=monthly, periods=periods)
    provinces = completeness.rates_by_area(actor=admin, form=monthly, periods=periods)
    regencies = completeness.rates_by_area(actor=admin, form=monthly, periods=periods, region={"province": "35"})
    east_java = completeness.overall_rate(actor=admin, form=monthly, periods=periods, region={"province": "35"})
    kota_malang = completeness.overall_rate(actor=admin, form=monthly, periods=periods, region={"regency": "35.73"})

    assert by_period == {past.key: Rate(3, 2, 1), this_month.key: Rate(1, 1, 1)}
    assert overall == Rate(4, 3, 2) == total(by_period.values()) == total(rate for _c, _n, rate in provinces)
    assert [(code, rate) for code, _name, rate in provinces] == [("33", Rate(1, 0, 0)), ("35", Rate(3, 3, 2))]
    assert [(code, rate) for code, _name, rate in regencies] == [("35.07", Rate(2, 2, 2)), ("35.73", Rate(1, 1, 0))]
    assert east_java == total(rate for _c, _n, rate in regencies) == provinces[1][2]
    assert kota_malang == regencies[1][2]
    assert {code: name for code, name, _r in provinces}["35"] == world.malang.province.name


def test_the_late_list_holds_reports_sent_after_their_due_time_newest_first(world, monthly):
    period = months_back(2)
    unsent = CenterFactory(regency_id="35.07")
    schedule.schedule_period(monthly, period)
    report = {
        centre.pk: Submission.objects.get(form=monthly, period_key=period.key, center=centre)
        for centre in (world.malang, world.kota_malang, world.semarang, unsent)
    }
    send(world, report[world.malang.pk], first_sent=dt.timedelta(days=2))
    send(world, report[world.kota_malang.pk], first_sent=dt.timedelta(days=5))
    send(world, report[world.semarang.pk], first_sent=-dt.timedelta(hours=1))  # on time

    missing, late = completeness.late_and_missing(actor=world.user("admin"), form=monthly, periods=[period], region={})
    _missing, kota_malang_late = completeness.late_and_missing(
        actor=world.user("pemda_jatim"), form=monthly, periods=[period], region={"regency": "35.73"}
    )

    assert list(late) == [report[world.kota_malang.pk], report[world.malang.pk]]
    assert list(missing) == [report[unsent.pk]]
    assert list(kota_malang_late) == [report[world.kota_malang.pk]]


# --- monitoring agrees ---------------------------------------------------------------------------


def test_monitoring_counts_each_centre_month_as_the_completeness_rates_do(world, monthly, this_month):
    malang = world.malang
    on_time, late, returned, draft = (scheduled(monthly, months_back(n), malang) for n in (2, 3, 4, 5))
    not_yet_due = scheduled(monthly, this_month, malang)
    early = scheduled(monthly, this_month, world.kota_malang)
    # sent by the due time, then verified
    send(world, on_time, first_sent=-dt.timedelta(days=1))
    submission_transition(actor=world.user("pemda_jatim"), submission_id=on_time.pk, step_name="verify")
    send(world, late)
    # sent on time, then returned for correction: no longer sent, so neither submitted nor on time
    send(world, returned, first_sent=-dt.timedelta(days=3))
    submission_transition(
        actor=world.user("pemda_jatim"), submission_id=returned.pk, step_name="return", comment="Angka lulusan salah."
    )
    send(world, early)
    admin = world.user("admin")

    wanted = (
        (on_time, Rate(1, 1, 1)),
        (late, Rate(1, 1, 0)),
        (returned, Rate(1, 0, 0)),
        (draft, Rate(1, 0, 0)),
        (not_yet_due, Rate(0, 0, 0)),
        (early, Rate(1, 1, 1)),
    )
    for report, rate in wanted:
        centre, period = report.center, period_containing(PeriodType.MONTHLY, report.period_start)
        region = {"regency": centre.regency_id}  # one world centre per regency
        reporting = completeness.overall_rate(actor=admin, form=monthly, periods=[period], region=region)
        monitoring = discipline(figures("R", centre.regency_id, period.start, "area", str(centre.pk)))
        assert reporting == monitoring == rate, period.key
    # the nation's month as well, and the kept figures are what a rebuild computes
    nation = completeness.overall_rate(actor=admin, form=monthly, periods=[this_month])
    assert discipline(figures(*NATION, this_month.start)) == nation == Rate(1, 1, 1)
    assert_kept_equals_rebuild()


def test_the_daily_job_counts_a_report_that_fell_due_without_any_write(world, monthly, this_month):
    report = scheduled(monthly, this_month, world.malang)
    centre_row = ("R", "35.07", this_month.start, "area", str(world.malang.pk))
    assert figures(*centre_row)["reports_expected"] == 0  # not due yet
    # Its due time passes two days ago (a daily run was missed): the database is moved, not the clock.
    now = timezone.now()
    Submission.objects.filter(pk=report.pk).update(due_at=now - dt.timedelta(days=2))
    assert figures(*centre_row)["reports_expected"] == 0  # nothing was written through the services

    schedule.schedule_reports(today=timezone.localdate(), now=now)
    after_one = discipline(figures(*centre_row))
    schedule.schedule_reports(today=timezone.localdate(), now=now)

    assert after_one == Rate(1, 0, 0)
    assert discipline(figures(*centre_row)) == after_one  # running again changes nothing
    rate = completeness.overall_rate(
        actor=world.user("admin"), form=monthly, periods=[this_month], region={"regency": "35.07"}, now=now
    )
    assert rate == after_one
