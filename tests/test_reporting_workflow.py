"""The review workflow where it worked untested: four eyes, returns at approval, the trail, the queues,
scheduling by assignment, reminders through the task queue, open LPJ, oversized evidence, double clicks."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from simpul.accounts.models import Role
from simpul.centers.models import CenterStatus, DevelopmentClass
from simpul.messaging.models import Notification
from simpul.reporting.models import (
    Assignment,
    Attachment,
    LpjKind,
    Reminder,
    ReportForm,
    Status,
    Submission,
    Transition,
)
from simpul.reporting.periods import PeriodType, period_containing, previous_period
from simpul.reporting.selectors.submissions import review_queue
from simpul.reporting.services import aid, reminders, schedule
from simpul.reporting.services import submissions as submission_services
from simpul.reporting.services.builder import report_form_update
from simpul.reporting.services.workflow import available_steps, submission_transition

from . import test_reporting_flow as flow
from .concurrency import at_once, fresh_world, needs_two_writers
from .factories import CenterFactory, UserFactory
from .reports import MONTHLY_COMPLETE, approve_submission
from .test_reporting_aid import AGREED, _approve_lpj, _building_grant
from .test_reporting_pages import PDF, _upload

# The flow tests' fixture of this month's reports, shared: pytest finds a fixture by the module attribute
# that holds it (`monthly` and `this_month` are in conftest).
reports = flow.reports

FOUR_EYES = "Laporan ini Anda verifikasi sendiri; persetujuannya harus oleh petugas Kemnaker lain."


def _send(world, submission, staff=None):
    """A complete month filled and sent by the centre's manager (Malang's by default)."""
    staff = staff or world.user("pengelola_malang")
    submission_services.submission_save_values(actor=staff, submission_id=submission.pk, raw_values=MONTHLY_COMPLETE)
    submission_transition(actor=staff, submission_id=submission.pk, step_name="submit")


def _step_names(actor, submission):
    return [name for name, _step in available_steps(actor, Submission.objects.get(pk=submission.pk))]


def _trail(submission):
    return list(
        Transition.objects.filter(submission=submission)
        .order_by("at", "pk")
        .values_list("from_status", "to_status", "actor__username", "comment")
    )


# --- four eyes -------------------------------------------------------------------


def test_the_admin_who_verified_a_report_is_not_offered_its_approval_and_is_refused(
    world, reports, django_assert_max_num_queries
):
    report, admin = reports["malang"], world.user("admin")
    _send(world, report)
    submission_transition(actor=admin, submission_id=report.pk, step_name="verify")
    verified = Submission.objects.get(pk=report.pk)
    with django_assert_max_num_queries(1):  # the four-eyes check: one query for who verified
        steps = available_steps(admin, verified)
    assert [name for name, _step in steps] == ["return"]
    with pytest.raises(ValidationError) as error:
        submission_transition(actor=admin, submission_id=report.pk, step_name="approve")
    assert error.value.messages == [FOUR_EYES]
    assert Submission.objects.get(pk=report.pk).status == Status.VERIFIED
    assert [(to, who) for _from, to, who, _c in _trail(report)] == [
        (Status.SUBMITTED, "pengelola"),
        (Status.VERIFIED, "admin"),
    ]


def test_another_admin_approves_a_report_an_admin_verified(world, reports):
    report = reports["malang"]
    other_admin = UserFactory(username="admin.dua", role=Role.ADMIN_PUSAT)
    _send(world, report)
    submission_transition(actor=world.user("admin"), submission_id=report.pk, step_name="verify")
    asked = Notification.objects.filter(kind="approval_request").values_list("recipient__username", flat=True)
    assert list(asked) == ["admin.dua"]  # not the admin who verified
    assert "approve" in _step_names(other_admin, report)
    submission_transition(actor=other_admin, submission_id=report.pk, step_name="approve")
    assert Submission.objects.get(pk=report.pk).status == Status.APPROVED
    assert _trail(report)[-1][1:3] == (Status.APPROVED, "admin.dua")


def test_four_eyes_looks_at_the_latest_verification(world, reports):
    report, admin = reports["malang"], world.user("admin")
    _send(world, report)
    submission_transition(actor=admin, submission_id=report.pk, step_name="verify")
    submission_transition(actor=admin, submission_id=report.pk, step_name="return", comment="Lampiran kurang.")
    submission_transition(actor=world.user("pengelola_malang"), submission_id=report.pk, step_name="submit")
    submission_transition(actor=world.user("pemda_malang"), submission_id=report.pk, step_name="verify")
    submission_transition(actor=admin, submission_id=report.pk, step_name="approve")
    assert Submission.objects.get(pk=report.pk).status == Status.APPROVED


def test_the_self_verified_report_stays_in_the_admins_queue_without_an_approve_button(world, reports, client):
    report, admin = reports["malang"], world.user("admin")
    _send(world, report)
    submission_transition(actor=admin, submission_id=report.pk, step_name="verify")
    assert list(review_queue(actor=admin)) == [report]
    client.force_login(admin)
    page = client.get(reverse("reporting:submission", args=[report.pk])).content.decode()
    assert 'id="step-approve"' not in page
    assert 'id="step-return"' in page
    refused = client.post(reverse("reporting:step", args=[report.pk, "approve"]), follow=True)
    assert FOUR_EYES in refused.content.decode()
    assert Submission.objects.get(pk=report.pk).status == Status.VERIFIED


# --- returning at the approval step ----------------------------------------------------


def test_kemnaker_returns_a_verified_report_with_its_reason_kept(world, reports):
    report = reports["malang"]
    _send(world, report)
    submission_transition(actor=world.user("pemda_malang"), submission_id=report.pk, step_name="verify")
    submission_transition(
        actor=world.user("admin"), submission_id=report.pk, step_name="return", comment="Omzet tidak sesuai kuitansi."
    )
    assert Submission.objects.get(pk=report.pk).status == Status.RETURNED
    assert _trail(report)[-1] == (Status.VERIFIED, Status.RETURNED, "admin", "Omzet tidak sesuai kuitansi.")


def test_a_regional_verifier_cannot_send_back_a_verified_report_and_nothing_changes(world, reports):
    report, pemda = reports["malang"], world.user("pemda_jatim")
    _send(world, report)
    submission_transition(actor=world.user("pemda_malang"), submission_id=report.pk, step_name="verify")
    assert _step_names(pemda, report) == []
    with pytest.raises(ValidationError):
        submission_transition(actor=pemda, submission_id=report.pk, step_name="return", comment="Salah hitung.")
    assert Submission.objects.get(pk=report.pk).status == Status.VERIFIED
    assert len(_trail(report)) == 2


# --- the trail -------------------------------------------------------------------------


def test_each_step_keeps_who_took_it_and_when_in_order(world, reports):
    report = reports["malang"]
    before = timezone.now()
    approve_submission(world, report, verifier="pemda_malang")
    after = timezone.now()
    steps = list(Transition.objects.filter(submission=report).order_by("at", "pk"))
    assert [(s.from_status, s.to_status, s.actor.username) for s in steps] == [
        (Status.DRAFT, Status.SUBMITTED, "pengelola"),
        (Status.SUBMITTED, Status.VERIFIED, "pemda.malang"),
        (Status.VERIFIED, Status.APPROVED, "admin"),
    ]
    times = [s.at for s in steps]
    assert before <= times[0] <= times[1] <= times[2] <= after
    report.refresh_from_db()
    assert report.submitted_at == report.first_submitted_at
    assert report.submitted_at <= times[0]
    assert report.reviewed_at <= times[2]


# --- review queues -------------------------------------------------------------------------


def test_a_province_officials_queue_holds_their_regions_sent_reports_oldest_first(world, monthly, this_month):
    schedule.schedule_period(monthly, this_month)
    malang, kota_malang, semarang = (
        Submission.objects.get(form=monthly, center=centre)
        for centre in (world.malang, world.kota_malang, world.semarang)
    )
    # the one sent first is the one made last, so the order is not the rows' order
    first, second = sorted([malang, kota_malang], key=lambda s: s.pk, reverse=True)
    for report in (first, second, semarang):
        is_malang = report.center_id == world.malang.pk
        _send(world, report, None if is_malang else UserFactory(role=Role.PENGELOLA, scope_center=report.center))
    assert list(review_queue(actor=world.user("pemda_jatim"))) == [first, second]
    assert list(review_queue(actor=world.user("pemda_malang"))) == [malang]
    assert not review_queue(actor=world.user("admin")).exists()  # nothing verified yet


def test_admin_pusats_queue_holds_verified_reports_not_those_still_waiting(world, reports):
    _send(world, reports["malang"])
    _send(world, reports["semarang"], UserFactory(role=Role.PENGELOLA, scope_center=world.semarang))
    submission_transition(actor=world.user("pemda_malang"), submission_id=reports["malang"].pk, step_name="verify")
    assert list(review_queue(actor=world.user("admin"))) == [reports["malang"]]
    assert not review_queue(actor=world.user("pemda_jatim")).exists()


# --- scheduling by assignment ------------------------------------------------------------


def _expected_centres(form, period):
    return set(Submission.objects.filter(form=form, period_key=period.key).values_list("center_id", flat=True))


def test_a_form_assigned_to_cohorts_is_expected_only_from_open_centres_of_those_cohorts(world, monthly, this_month):
    report_form_update(
        actor=world.user("admin"), form_id=monthly.pk, assignment=Assignment.COHORTS, assigned_cohorts=[2019, 2026]
    )
    older = CenterFactory(cohort=2019, opened_on=dt.date(2019, 8, 1))
    newest_open = CenterFactory(cohort=2026, opened_on=this_month.start)
    CenterFactory(cohort=2026, opened_on=this_month.end + dt.timedelta(days=1))  # opens after the period
    CenterFactory(cohort=2019, status=CenterStatus.INACTIVE, closed_on=this_month.start)  # closed before its end
    schedule.schedule_period(ReportForm.objects.get(pk=monthly.pk), this_month)
    assert _expected_centres(monthly, this_month) == {older.pk, newest_open.pk}  # the world's 2020 centres owe none


def test_a_form_assigned_to_classes_is_expected_only_from_open_centres_of_those_classes(world, monthly, this_month):
    world.semarang.development_class = DevelopmentClass.MANDIRI
    world.semarang.save()
    report_form_update(
        actor=world.user("admin"), form_id=monthly.pk, assignment=Assignment.CLASSES, assigned_classes=["mandiri"]
    )
    CenterFactory(development_class=DevelopmentClass.MANDIRI, opened_on=this_month.end + dt.timedelta(days=1))
    CenterFactory(development_class=DevelopmentClass.MANDIRI, status=CenterStatus.INACTIVE, closed_on=this_month.start)
    schedule.schedule_period(ReportForm.objects.get(pk=monthly.pk), this_month)
    assert _expected_centres(monthly, this_month) == {world.semarang.pk}


# --- reminders through the task queue -----------------------------------------------------


def test_the_daily_command_runs_its_tasks_through_the_queue_and_twice_sends_nothing_twice(
    world, monthly, this_month, django_capture_on_commit_callbacks
):
    # Last quarter's first month: long past its due date, so late and escalated today.
    long_ago = previous_period(previous_period(previous_period(this_month)))
    schedule.schedule_period(monthly, long_ago, centers=[world.malang])
    late = Submission.objects.get(form=monthly, period_key=long_ago.key)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("reporting_daily", stdout=io.StringIO())
    # the schedule task made this month's reports
    assert _expected_centres(monthly, this_month) == {world.malang.pk, world.kota_malang.pk, world.semarang.pk}
    # the reminder task reminded the centre and escalated to its region's officials
    told = set(Notification.objects.filter(url__endswith=f"/{late.pk}/").values_list("kind", "recipient__username"))
    assert told == {
        ("reminder_terlambat", "pengelola"),
        ("reminder_eskalasi", "fkn.jatim"),
        ("reminder_eskalasi", "pemda.jatim"),
        ("reminder_eskalasi", "pemda.malang"),
    }
    notifications, outbox = Notification.objects.count(), len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("reporting_daily", stdout=io.StringIO())
    assert Notification.objects.count() == notifications
    assert len(mail.outbox) == outbox
    assert Reminder.objects.filter(submission=late).count() == 2


@override_settings(REPORT_ESCALATION_DAYS=3)
def test_a_late_report_escalates_to_the_regions_officials_only_after_the_set_delay(world, reports):
    report = reports["malang"]
    early = reminders.send_reminders(now=report.due_at + dt.timedelta(days=2))
    assert (early.late, early.escalated) == (3, 0)
    escalated = reminders.send_reminders(now=report.due_at + dt.timedelta(days=3, hours=1))
    assert escalated.escalated == 3
    notices = Notification.objects.filter(kind="reminder_eskalasi", url__endswith=f"/{report.pk}/")
    assert {n.recipient.username for n in notices} == {"fkn.jatim", "pemda.jatim", "pemda.malang"}
    assert all("lebih dari 3 hari setelah tenggat" in n.body for n in notices)


# --- open LPJ on the centre's page --------------------------------------------------------------


def test_the_centre_page_counts_the_lpj_its_grant_still_owes_not_an_approved_one(world, client):
    grant = _building_grant(
        world,
        lpj_dues={
            LpjKind.PROGRESS: AGREED + dt.timedelta(days=30),
            LpjKind.FINAL: timezone.localdate() + dt.timedelta(days=60),
        },
    )
    first = grant.instalments.get(order=1)
    aid.instalment_record_payment(actor=world.user("admin"), instalment_id=first.pk, paid_on=AGREED)
    progress = grant.lpjs.get(kind=LpjKind.PROGRESS)
    assert progress.submission.is_overdue
    client.force_login(world.user("pemda_jatim"))
    centre_page = reverse("centers:detail", args=[world.malang.pk])
    assert "2 LPJ belum dikirim" in client.get(centre_page).content.decode()
    _approve_lpj(world, progress, 55)
    html = client.get(centre_page).content.decode()
    assert "1 LPJ belum dikirim" in html
    assert "2 LPJ belum dikirim" not in html


# --- oversized evidence ---------------------------------------------------------------------------


def test_an_oversized_evidence_file_says_the_limit_and_stores_nothing(world, client, reports, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    client.force_login(world.user("pengelola_malang"))
    response = _upload(client, reports["malang"], PDF + b"0" * (1024 * 1024) + b"%%EOF", "besar.pdf")
    page = client.get(response["Location"]).content.decode()
    assert "Berkas terlalu besar: paling besar 1 MB." in page
    assert not Attachment.objects.exists()
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]


# --- two at once -----------------------------------------------------------------------------------


@needs_two_writers
@pytest.mark.django_db(transaction=True)
def test_two_clicks_on_send_at_once_give_one_submission_and_one_step():
    world = fresh_world()
    form = ReportForm.objects.get(code="LAPBUL")
    period = period_containing(PeriodType.MONTHLY, timezone.localdate())
    schedule.schedule_period(form, period, centers=[world.malang])
    report = Submission.objects.get(form=form, center=world.malang)
    manager = world.user("pengelola_malang")
    submission_services.submission_save_values(actor=manager, submission_id=report.pk, raw_values=MONTHLY_COMPLETE)

    submit = lambda: submission_transition(actor=manager, submission_id=report.pk, step_name="submit")  # noqa: E731
    results = at_once(submit, submit)

    assert results == ["done", "refused"]
    assert Submission.objects.filter(form=form, center=world.malang, period_key=period.key).count() == 1
    assert list(Transition.objects.values_list("to_status", flat=True)) == [Status.SUBMITTED]


@needs_two_writers
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_once_make_each_expected_report_once():
    world = fresh_world()
    form = ReportForm.objects.get(code="LAPBUL")
    period = period_containing(PeriodType.MONTHLY, timezone.localdate())

    results = at_once(lambda: schedule.schedule_period(form, period), lambda: schedule.schedule_period(form, period))

    assert results == ["done", "done"]
    assert sorted(Submission.objects.filter(form=form, period_key=period.key).values_list("center_id", flat=True)) == (
        sorted([world.malang.pk, world.kota_malang.pk, world.semarang.pk])
    )
