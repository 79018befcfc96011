"""Monitoring's aggregates follow every write in the same transaction, and equal a rebuild from the records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from simpul.centers.services import center_update
from simpul.incubation.services import business
from simpul.monitoring import facts
from simpul.monitoring.measures import MEASURE_NAMES, VOCATION_MEASURE_NAMES
from simpul.monitoring.models import AreaMonth, AreaVocationMonth, CentreMonth, VocationMonth
from simpul.reporting.models import ReportForm, Status, Submission
from simpul.reporting.periods import PeriodType, period_containing, previous_period
from simpul.reporting.services import aid as aid_services
from simpul.reporting.services import schedule
from simpul.reporting.services import submissions as submission_services
from simpul.reporting.services.workflow import submission_transition
from simpul.training.models import PackageStatus
from simpul.training.services import certification, tracing

from .conftest import build_world, load_reference_data, load_test_regions, move_to_semarang
from .factories import PackageFactory
from .reports import MONTHLY_COMPLETE, approve_monthly_report, approve_submission
from .test_incubation_business import figure_fields
from .test_incubation_tenants import _media, make_incubator, make_tenant, months_ago  # noqa: F401 (autouse)
from .test_reporting_aid import _building_grant
from .test_training import run_to_results

TODAY = timezone.localdate()
NATION = ("N", "")
PLACE = ("province_id", "regency_id", "cohort", "development_class")
AREA = ("scope_level", "scope_code", "dim", "dim_value")


def figures(level: str, code: str, month: dt.date, dim: str = "", value: str = "", **vocation: str) -> dict:
    """One area row's measures (zeros when it does not exist)."""
    model, names = (AreaVocationMonth, VOCATION_MEASURE_NAMES) if vocation else (AreaMonth, MEASURE_NAMES)
    row = (
        model.objects.filter(scope_level=level, scope_code=code, dim=dim, dim_value=value, month=month, **vocation)
        .values(*names)
        .first()
    )
    return row or dict.fromkeys(names, 0)


def snapshot() -> dict:
    """Every non-zero row of the four tables, for comparing what the writes kept with a rebuild."""
    out: dict = {}
    for model, names, key in (
        (
            CentreMonth,
            MEASURE_NAMES,
            ("center_id", "month", "province_id", "regency_id", "cohort", "development_class"),
        ),
        (
            VocationMonth,
            VOCATION_MEASURE_NAMES,
            ("center_id", "vocation", "month", "province_id", "regency_id", "cohort", "development_class"),
        ),
        (AreaMonth, MEASURE_NAMES, ("scope_level", "scope_code", "dim", "dim_value", "month")),
        (
            AreaVocationMonth,
            VOCATION_MEASURE_NAMES,
            ("scope_level", "scope_code", "dim", "dim_value", "vocation", "month"),
        ),
    ):
        for row in model.objects.values(*key, *names):
            values = tuple(row[n] for n in names)
            if any(values):
                out[(model.__name__, *(row[k] for k in key))] = values
    return out


def assert_kept_equals_rebuild() -> None:
    kept = snapshot()
    facts.rebuild()
    rebuilt = snapshot()
    assert kept.keys() == rebuilt.keys(), (kept.keys() - rebuilt.keys(), rebuilt.keys() - kept.keys())
    assert kept == rebuilt


@pytest.fixture
def reports(world, monthly, this_month):
    schedule.schedule_period(monthly, this_month)
    return {key: Submission.objects.get(center=getattr(world, key), form=monthly) for key in ("malang", "semarang")}


# --- reports -----------------------------------------------------------------


def test_scheduling_the_monthly_report_counts_it_as_expected_everywhere_at_once(world, monthly, this_month):
    past_due = previous_period(previous_period(this_month))  # a report is expected once it is due
    schedule.schedule_period(monthly, past_due)
    month = past_due.start
    assert figures(*NATION, month)["reports_expected"] == 3
    assert figures("P", "35", month)["reports_expected"] == 2
    assert figures("N", "", month, "area", "33")["reports_expected"] == 1
    assert figures("R", "35.07", month, "area", str(world.malang.pk))["reports_expected"] == 1
    assert figures(*NATION, month, "cohort", "2020")["reports_expected"] == 3
    assert figures(*NATION, month, "class", "tumbuh")["reports_expected"] == 3
    assert figures(*NATION, month)["reports_submitted"] == 0


@pytest.mark.django_db(transaction=True)
def test_a_scheduler_outside_any_transaction_keeps_the_figures_too():
    # reporting_daily schedules with no transaction open; each centre's refresh is then its own
    # (on PostgreSQL it locks the centre row, which needs one).
    load_test_regions()
    load_reference_data()
    build_world()
    month = previous_period(previous_period(period_containing(PeriodType.MONTHLY, TODAY)))  # due: expected
    assert not transaction.get_connection().in_atomic_block
    schedule.schedule_period(ReportForm.objects.get(code="LAPBUL"), month)
    assert figures(*NATION, month.start)["reports_expected"] == 3


def test_an_approved_report_shows_in_the_nation_province_and_regency_at_once(world, reports, this_month):
    month = this_month.start
    report = reports["malang"]
    submission_services.submission_save_values(
        actor=world.user("pengelola_malang"), submission_id=report.pk, raw_values=MONTHLY_COMPLETE
    )
    submission_transition(actor=world.user("pengelola_malang"), submission_id=report.pk, step_name="submit")
    sent = figures(*NATION, month)
    # sent on time, but its figures wait for approval
    assert (sent["reports_submitted"], sent["reports_on_time"], sent["participants_m"]) == (1, 1, 0)
    submission_transition(actor=world.user("pemda_jatim"), submission_id=report.pk, step_name="verify")
    submission_transition(actor=world.user("admin"), submission_id=report.pk, step_name="approve")
    for level, code in (NATION, ("P", "35"), ("R", "35.07")):
        row = figures(level, code, month)
        assert row["reports_approved"] == 1
        assert (row["participants_m"], row["participants_f"], row["graduates_f"]) == (14, 18, 18)
        assert row["training_hours"] == 320
        assert row["unit_revenue"] == 4_500_000
    assert figures("R", "35.07", month, "area", str(world.malang.pk))["participants_m"] == 14
    assert figures("P", "33", month)["participants_m"] == 0  # another province's rows are untouched


def test_reopening_an_approved_report_takes_its_figures_back_out(world, reports, this_month):
    approve_submission(world, reports["malang"])
    submission_transition(
        actor=world.user("admin"), submission_id=reports["malang"].pk, step_name="reopen", comment="Koreksi."
    )
    row = figures(*NATION, this_month.start)
    assert (row["reports_approved"], row["participants_m"], row["reports_submitted"]) == (0, 0, 0)
    # returned before its due time: owed again once due, and no longer sent (so not on time either),
    # as reporting's completeness counts it
    assert (row["reports_expected"], row["reports_on_time"]) == (0, 0)
    assert_kept_equals_rebuild()


def test_a_centre_moved_or_reclassified_takes_its_figures_along(world, reports, this_month):
    month = this_month.start
    approve_submission(world, reports["malang"])
    move_to_semarang(world, world.malang, development_class="berkembang")
    assert figures("P", "35", month)["participants_m"] == 0
    assert figures("R", "35.07", month)["participants_m"] == 0
    assert figures("P", "33", month)["participants_m"] == 14
    assert figures("R", "33.74", month, "area", str(world.malang.pk))["participants_m"] == 14
    # this month's reports are not yet due, so only the sent one (Malang's) is expected so far
    assert figures(*NATION, month, "area", "35")["reports_expected"] == 0
    assert figures(*NATION, month, "area", "33")["reports_expected"] == 1
    assert figures(*NATION, month, "class", "tumbuh")["participants_m"] == 0
    assert figures(*NATION, month, "class", "berkembang")["participants_m"] == 14
    assert figures(*NATION, month)["participants_m"] == 14  # the nation's total does not move
    assert CentreMonth.objects.get(center=world.malang, month=month).regency_id == "33.74"
    assert_kept_equals_rebuild()


# --- the other records ----------------------------------------------------------


def test_a_tenants_business_figures_show_up(world):
    tenant = make_tenant(make_incubator(world.malang), "Rina", user=world.user("wirausaha_malang"))
    owner = world.user("wirausaha_malang")
    month = months_ago(1)
    business.figure_save(actor=owner, tenant_id=tenant.pk, month=month, **figure_fields(paid_workers=3))
    assert (figures("R", "35.07", month)["tenant_revenue"], figures(*NATION, month)["tenant_workers"]) == (1_000_000, 3)
    business.figure_save(
        actor=owner, tenant_id=tenant.pk, month=month, **figure_fields(revenue=Decimal(1_200_000), paid_workers=2)
    )
    assert (figures(*NATION, month)["tenant_revenue"], figures(*NATION, month)["tenant_workers"]) == (1_200_000, 2)


def test_an_aid_instalment_paid_shows_in_its_month(world):
    grant = _building_grant(world)
    first = grant.instalments.order_by("order").first()
    paid_on = dt.date(2026, 3, 20)
    aid_services.instalment_record_payment(actor=world.user("admin"), instalment_id=first.pk, paid_on=paid_on)
    assert figures(*NATION, dt.date(2026, 3, 1))["aid_paid"] == 700_000_000
    assert figures("P", "35", dt.date(2026, 3, 1), "area", "35.07")["aid_paid"] == 700_000_000


def graduated_package(world, months_back: int = 7):
    package = PackageFactory(
        center=world.malang,
        start_date=tracing.add_months(TODAY, -months_back - 2),
        end_date=tracing.add_months(TODAY, -months_back),
        status=PackageStatus.PLANNED,
    )
    return package, run_to_results(world, package, n=3, user="pengelola_malang")


def test_training_results_certificates_and_tracing_show_up(world):
    package, enrolments = graduated_package(world)
    month = package.end_date.replace(day=1)
    vocation = {"vocation": package.vocation.code}
    row = figures(*NATION, month, **vocation)
    assert (row["participants_f"], row["participants_m"], row["graduates"], row["certified"]) == (3, 0, 2, 0)
    certification.competency_test_record(
        actor=world.user("pengelola_malang"),
        enrolment_id=enrolments[0].pk,
        lsp="LSP P1 BLK Malang",
        scheme="Operator Komputer Muda",
        tested_on=package.end_date,
        result="kompeten",
        certificate_number="BNSP-9",
        issued_on=package.end_date,
    )
    assert figures("R", "35.07", month, "area", str(world.malang.pk), **vocation)["certified"] == 1
    tracing.outcome_record(
        actor=world.user("pengelola_malang"),
        enrolment_id=enrolments[0].pk,
        wave=6,
        status="bekerja",
        employer="CV Maju Jaya",
        occupation="Operator komputer",
        occupation_code="4132",
        formality="formal",
        wage_band="2-3",
        started_on=package.end_date + dt.timedelta(days=22),
    )
    waited = figures(*NATION, month)
    assert (waited["waiting_weeks_sum"], waited["waiting_count"]) == (3, 1)
    assert_kept_equals_rebuild()


# --- the invariant, the transaction, the cost -------------------------------------


def test_after_many_writes_the_kept_rows_equal_a_rebuild(world, reports, this_month):
    approve_submission(world, reports["malang"])
    approve_submission(
        world,
        reports["semarang"],
        values={**MONTHLY_COMPLETE, "peserta_l": "20"},
        staff="admin",
        verifier="fkn_national",
    )
    tenant = make_tenant(make_incubator(world.malang), "Rina", user=world.user("wirausaha_malang"))
    business.figure_save(
        actor=world.user("wirausaha_malang"), tenant_id=tenant.pk, month=months_ago(1), **figure_fields()
    )
    grant = _building_grant(world, center=world.kota_malang)
    aid_services.instalment_record_payment(
        actor=world.user("admin"), instalment_id=grant.instalments.order_by("order").first().pk, paid_on=TODAY
    )
    graduated_package(world)
    submission_transition(
        actor=world.user("admin"), submission_id=reports["semarang"].pk, step_name="reopen", comment="Koreksi."
    )
    center_update(actor=world.user("admin"), center_id=world.malang.pk, cohort=2019)
    assert figures(*NATION, this_month.start, "cohort", "2019")["participants_m"] == 14
    assert_kept_equals_rebuild()
    # and the rebuild is what the command does
    before = snapshot()
    call_command("monitoring_rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert snapshot() == before


def test_a_write_that_rolls_back_leaves_the_figures_unchanged(world, reports, this_month):
    report = reports["malang"]
    submission_services.submission_save_values(
        actor=world.user("pengelola_malang"), submission_id=report.pk, raw_values=MONTHLY_COMPLETE
    )
    for actor, step in (("pengelola_malang", "submit"), ("pemda_jatim", "verify")):
        submission_transition(actor=world.user(actor), submission_id=report.pk, step_name=step)
    before = snapshot()

    def approve_then_fail() -> None:
        with transaction.atomic():
            submission_transition(actor=world.user("admin"), submission_id=report.pk, step_name="approve")
            assert figures(*NATION, this_month.start)["participants_m"] == 14
            raise RuntimeError("something later in the same transaction failed")

    with pytest.raises(RuntimeError):
        approve_then_fail()
    assert Submission.objects.get(pk=report.pk).status == Status.VERIFIED
    assert snapshot() == before


def _queries_of_refresh(center_id, months) -> int:
    # Forget the centre's rows so the refresh has every figure to add again (the most work it can have);
    # the area rows stay, as they do once a month has any figure (SQLite inserts new ones 38 to a statement).
    CentreMonth.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        facts.refresh_centre_months(center_id, months)
    return len(queries)


def test_a_refresh_costs_a_fixed_number_of_queries_whatever_the_months_or_records(
    world, monthly, django_assert_max_num_queries
):
    months = [tracing.add_months(TODAY.replace(day=1), -n) for n in range(1, 7)]
    for month in months:
        approve_monthly_report(world, world.malang, month=month)
    one = _queries_of_refresh(world.malang.pk, frozenset(months[:1]))
    six = _queries_of_refresh(world.malang.pk, frozenset(months))
    every = _queries_of_refresh(world.malang.pk, None)
    assert one == six == every
    CentreMonth.objects.all().delete()
    AreaMonth.objects.all().delete()
    # 14 queries and the savepoint of the refresh's own atomic block (SAVEPOINT, RELEASE); rows
    # created from nothing may cost one more on PostgreSQL (insert of the missing rollup rows).
    with django_assert_max_num_queries(17):
        facts.refresh_centre_months(world.malang.pk, frozenset(months[:1]))
