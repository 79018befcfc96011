"""Reporting end to end in the services: schedule, fill, check, send, review, remind, completeness."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from simpul.centers.models import CenterStatus, Instructor
from simpul.messaging.models import Notification
from simpul.messaging.tasks import send_digests
from simpul.reporting.models import Reminder, ReportForm, Status, Submission, SubmissionValue, Transition, ValueSource
from simpul.reporting.periods import PeriodType, period_containing, previous_period
from simpul.reporting.selectors import completeness
from simpul.reporting.services import reminders, schedule
from simpul.reporting.services import submissions as services
from simpul.reporting.services.workflow import submission_transition

from .factories import CenterFactory, UserFactory
from .reports import MONTHLY_COMPLETE, approve_submission


@pytest.fixture
def reports(world, monthly, this_month):
    """This month's monthly report of every world centre (due in the future)."""
    schedule.schedule_period(monthly, this_month)
    return {key: Submission.objects.get(center=getattr(world, key), form=monthly) for key in ("malang", "semarang")}


def _fill(world, submission, **overrides):
    values = {**MONTHLY_COMPLETE, **overrides}
    services.submission_save_values(
        actor=world.user("pengelola_malang"), submission_id=submission.pk, raw_values=values
    )


# --- the schedule ------------------------------------------------------------


def test_the_schedule_expects_a_report_from_each_open_centre_once(world, monthly, this_month):
    closed = CenterFactory(regency_id="35.07", status=CenterStatus.INACTIVE, closed_on=this_month.start)
    not_yet = CenterFactory(regency_id="35.07", opened_on=this_month.end + dt.timedelta(days=1), cohort=2026)
    made = schedule.schedule_period(monthly, this_month)
    again = schedule.schedule_period(monthly, this_month)
    expected = set(Submission.objects.filter(form=monthly).values_list("center_id", flat=True))
    assert expected == {world.malang.pk, world.kota_malang.pk, world.semarang.pk}
    assert (made, again) == (3, 0)
    assert closed.pk not in expected
    assert not_yet.pk not in expected


def test_the_incubator_report_is_expected_from_incubators_only(world):
    quarterly = ReportForm.objects.get(code="LAPINK")
    world.kota_malang.status = CenterStatus.INCUBATOR
    world.kota_malang.save()
    schedule.schedule_period(quarterly, period_containing(PeriodType.QUARTERLY, timezone.localdate()))
    assert list(Submission.objects.filter(form=quarterly).values_list("center_id", flat=True)) == [world.kota_malang.pk]


def test_a_centre_that_closes_owes_nothing_more_for_that_period(world, monthly, this_month, reports):
    world.semarang.status, world.semarang.closed_on = CenterStatus.INACTIVE, this_month.start
    world.semarang.save()
    _fill(world, reports["malang"])
    schedule.withdraw_closed(monthly, this_month)
    assert not Submission.objects.filter(pk=reports["semarang"].pk).exists()
    assert Submission.objects.filter(pk=reports["malang"].pk).exists()


def test_the_due_time_follows_the_centres_time_zone(world, monthly, this_month):
    papua = CenterFactory(regency_id="94.01")  # Papua Tengah: WIT
    schedule.schedule_period(monthly, this_month)
    papua_due = Submission.objects.get(center=papua).due_at
    java_due = Submission.objects.get(center=world.malang).due_at
    assert java_due - papua_due == dt.timedelta(hours=2)


# --- filling -----------------------------------------------------------------------


def test_each_field_saves_as_you_type_and_bad_input_saves_nothing(world, reports):
    report, manager = reports["malang"], world.user("pengelola_malang")
    services.submission_save_value(actor=manager, submission_id=report.pk, code="jam_pelatihan", raw="1.250")
    assert SubmissionValue.objects.get(submission=report, indicator__code="jam_pelatihan").number == 1250
    with pytest.raises(ValidationError) as error:
        services.submission_save_value(actor=manager, submission_id=report.pk, code="peserta_p", raw="-4")
    assert "peserta_p" in error.value.message_dict
    assert not SubmissionValue.objects.filter(submission=report, indicator__code="peserta_p").exists()


def test_typing_the_same_value_again_writes_no_history(world, reports):
    report, manager = reports["malang"], world.user("pengelola_malang")
    services.submission_save_value(actor=manager, submission_id=report.pk, code="jam_pelatihan", raw="120")
    value = SubmissionValue.objects.get(submission=report, indicator__code="jam_pelatihan")
    services.submission_save_value(actor=manager, submission_id=report.pk, code="jam_pelatihan", raw="120")
    services.submission_save_value(actor=manager, submission_id=report.pk, code="jam_pelatihan", raw="150")
    assert [h.number for h in value.history.order_by("history_date")] == [Decimal(120), Decimal(150)]
    assert value.history.latest().history_user == manager


def test_saving_many_values_is_all_or_nothing(world, reports):
    report = reports["malang"]
    with pytest.raises(ValidationError) as error:
        _fill(world, report, peserta_p="delapan", lulus_l="abc")
    assert set(error.value.message_dict) == {"peserta_p", "lulus_l"}
    assert not SubmissionValue.objects.filter(submission=report).exists()


def test_saving_a_whole_form_writes_each_changed_figure_once_with_its_history_in_fixed_queries(
    world, reports, django_assert_max_num_queries
):
    report, manager = reports["malang"], world.user("pengelola_malang")
    with django_assert_max_num_queries(12):  # the same for 3 figures or 40: no query per figure
        _fill(world, report)
    values = SubmissionValue.objects.filter(submission=report)
    assert values.count() == len(MONTHLY_COMPLETE)
    assert SubmissionValue.history.filter(submission=report, history_type="+", history_user=manager).count() == len(
        MONTHLY_COMPLETE
    )
    # Again with two figures changed: those two are updated, each with one history row; the rest untouched.
    with django_assert_max_num_queries(12):
        _fill(world, report, peserta_l="15", jam_pelatihan="330")
    changed = SubmissionValue.history.filter(submission=report, history_type="~", history_user=manager)
    assert sorted(changed.values_list("indicator__code", "number")) == [
        ("jam_pelatihan", Decimal(330)),
        ("peserta_l", Decimal(15)),
    ]
    assert values.get(indicator__code="peserta_l").number == 15
    assert SubmissionValue.history.filter(submission=report).count() == len(MONTHLY_COMPLETE) + 2


def test_only_the_centres_own_staff_or_kemnaker_may_fill_it(world, reports):
    for key in ("pemda_jatim", "fkn_jatim", "instruktur_malang", "mentor_malang", "wirausaha_malang"):
        with pytest.raises(Http404):
            services.submission_save_value(
                actor=world.user(key), submission_id=reports["malang"].pk, code="peserta_l", raw="3"
            )
    with pytest.raises(Http404):
        services.submission_save_value(
            actor=world.user("pengelola_malang"), submission_id=reports["semarang"].pk, code="peserta_l", raw="3"
        )
    assert not SubmissionValue.objects.exists()


def test_known_figures_are_prefilled_with_their_source_and_a_cleared_one_stays_cleared(world):
    yearly = ReportForm.objects.get(code="LAPMAN")
    Instructor.objects.create(center=world.malang, full_name="A", certification="BNSP")
    Instructor.objects.create(center=world.malang, full_name="B")
    Instructor.objects.create(center=world.malang, full_name="C", is_active=False)
    schedule.schedule_period(yearly, period_containing(PeriodType.YEARLY, timezone.localdate()), centers=[world.malang])
    report = Submission.objects.get(form=yearly)
    manager = world.user("pengelola_malang")
    services.submission_prefill(actor=manager, submission_id=report.pk)
    active = SubmissionValue.objects.get(submission=report, indicator__code="instruktur_aktif")
    certified = SubmissionValue.objects.get(submission=report, indicator__code="instruktur_bersertifikat")
    assert (active.number, certified.number) == (2, 1)
    assert active.source == ValueSource.PREFILLED
    assert "instruktur aktif" in active.source_detail
    services.submission_save_value(actor=manager, submission_id=report.pk, code="instruktur_aktif", raw="")
    services.submission_prefill(actor=manager, submission_id=report.pk)
    active.refresh_from_db()
    assert active.number is None


# --- sending and reviewing ---------------------------------------------------------


def test_an_incomplete_report_cannot_be_sent_and_stays_a_draft(world, reports):
    report = reports["malang"]
    _fill(world, report, lulus_l="20")  # more graduates than participants, and nothing else missing
    with pytest.raises(ValidationError) as error:
        submission_transition(actor=world.user("pengelola_malang"), submission_id=report.pk, step_name="submit")
    assert "Lulusan laki-laki melebihi peserta laki-laki." in error.value.messages
    report.refresh_from_db()
    assert report.status == Status.DRAFT
    assert not Transition.objects.exists()


def test_the_full_review_path_keeps_who_when_and_tells_the_next_person(
    world, reports, django_capture_on_commit_callbacks
):
    report = reports["malang"]
    _fill(world, report)
    with django_capture_on_commit_callbacks(execute=True):
        submission_transition(actor=world.user("pengelola_malang"), submission_id=report.pk, step_name="submit")
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    assert report.on_time
    # the region's reviewers hear of it (by e-mail too), the national forum and other provinces do not
    told = set(Notification.objects.filter(kind="review_request").values_list("recipient__username", flat=True))
    assert told == {"fkn.jatim", "pemda.jatim", "pemda.malang"}
    assert {m.to[0] for m in mail.outbox} == {
        "fkn.jatim@simpul.test",
        "pemda.jatim@simpul.test",
        "pemda.malang@simpul.test",
    }
    # a verifier of another region, or the centre itself, cannot verify
    outsider = UserFactory(username="pemda.jateng", role="pemda", scope_province_id="33")
    with pytest.raises(Http404):
        submission_transition(actor=outsider, submission_id=report.pk, step_name="verify")
    with pytest.raises(Http404):
        submission_transition(actor=world.user("pengelola_malang"), submission_id=report.pk, step_name="verify")
    submission_transition(
        actor=world.user("pemda_malang"), submission_id=report.pk, step_name="verify", comment="Sesuai."
    )
    with pytest.raises(Http404):
        submission_transition(actor=world.user("pemda_malang"), submission_id=report.pk, step_name="approve")
    submission_transition(actor=world.user("admin"), submission_id=report.pk, step_name="approve")
    steps = list(report.transitions.values_list("from_status", "to_status", "actor__username", "comment"))
    assert steps == [
        (Status.DRAFT, Status.SUBMITTED, "pengelola", ""),
        (Status.SUBMITTED, Status.VERIFIED, "pemda.malang", "Sesuai."),
        (Status.VERIFIED, Status.APPROVED, "admin", ""),
    ]
    # approved is locked
    with pytest.raises(ValidationError):
        services.submission_save_value(
            actor=world.user("pengelola_malang"), submission_id=report.pk, code="peserta_l", raw="1"
        )


def test_returning_needs_a_reason_which_reaches_the_centre(world, reports, django_capture_on_commit_callbacks):
    report = reports["malang"]
    _fill(world, report)
    submission_transition(actor=world.user("pengelola_malang"), submission_id=report.pk, step_name="submit")
    first_sent = Submission.objects.get(pk=report.pk).first_submitted_at
    with pytest.raises(ValidationError) as error:
        submission_transition(actor=world.user("pemda_jatim"), submission_id=report.pk, step_name="return")
    assert "comment" in error.value.message_dict
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submission_transition(
            actor=world.user("pemda_jatim"),
            submission_id=report.pk,
            step_name="return",
            comment="Jumlah lulusan perempuan tidak sesuai daftar hadir.",
        )
    notice = Notification.objects.get(kind="report_return", recipient=world.user("pengelola_malang"))
    assert "daftar hadir" in notice.body
    assert [m.to for m in mail.outbox] == [[world.user("pengelola_malang").email]]
    # the centre corrects and sends again; the first sending still decides timeliness
    services.submission_save_value(
        actor=world.user("pengelola_malang"), submission_id=report.pk, code="lulus_p", raw="17"
    )
    submission_transition(actor=world.user("pengelola_malang"), submission_id=report.pk, step_name="submit")
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    assert report.first_submitted_at == first_sent


def test_sending_twice_gives_one_submission_and_one_step(world, reports):
    report = reports["malang"]
    _fill(world, report)
    submission_transition(actor=world.user("pengelola_malang"), submission_id=report.pk, step_name="submit")
    with pytest.raises(ValidationError):
        submission_transition(actor=world.user("pengelola_malang"), submission_id=report.pk, step_name="submit")
    assert report.transitions.count() == 1


def test_only_kemnaker_reopens_an_approved_report_and_with_a_reason(world, reports):
    report = reports["malang"]
    approve_submission(world, report)
    with pytest.raises(Http404):
        submission_transition(actor=world.user("pemda_jatim"), submission_id=report.pk, step_name="reopen", comment="x")
    with pytest.raises(ValidationError):
        submission_transition(actor=world.user("admin"), submission_id=report.pk, step_name="reopen")
    submission_transition(
        actor=world.user("admin"), submission_id=report.pk, step_name="reopen", comment="Koreksi data audit."
    )
    assert Submission.objects.get(pk=report.pk).status == Status.RETURNED


def test_an_unusual_figure_needs_a_written_explanation_before_sending(world, monthly, this_month, reports):
    manager = world.user("pengelola_malang")
    earlier = previous_period(this_month)
    for _ in range(4):  # four earlier months with about 14 men enrolled
        schedule.schedule_period(monthly, earlier, centers=[world.malang])
        old = Submission.objects.get(form=monthly, center=world.malang, period_key=earlier.key)
        _fill(world, old)
        earlier = previous_period(earlier)
    report = reports["malang"]
    _fill(world, report, peserta_l="60", lulus_l="50", sertifikat_l="40")
    with pytest.raises(ValidationError) as error:
        submission_transition(actor=manager, submission_id=report.pk, step_name="submit")
    assert "penjelasan" in " ".join(error.value.messages)
    services.submission_save_value(
        actor=manager, submission_id=report.pk, code="peserta_l", raw="60", explanation="Paket tambahan dari mitra."
    )
    submission_transition(actor=manager, submission_id=report.pk, step_name="submit")
    assert Submission.objects.get(pk=report.pk).status == Status.SUBMITTED


# --- reminders -------------------------------------------------------------------


def test_reminders_go_out_once_and_escalate_to_the_region_after_a_week(
    world, monthly, reports, django_capture_on_commit_callbacks
):
    report = reports["malang"]
    due = report.due_at
    with django_capture_on_commit_callbacks(execute=True):
        soon = reminders.send_reminders(now=due - dt.timedelta(days=2))
        again = reminders.send_reminders(now=due - dt.timedelta(days=1))
    assert (soon.due_soon, again.due_soon) == (3, 0)  # the three centres, once
    manager = world.user("pengelola_malang")
    assert not [m for m in mail.outbox if m.to == [manager.email]]  # a reminder waits for the daily digest
    reminder = Notification.objects.get(recipient=manager, kind="reminder_segera")
    with django_capture_on_commit_callbacks(execute=True):
        send_digests()
        send_digests()
    manager_mail = [m for m in mail.outbox if m.to == [manager.email]]
    assert len(manager_mail) == 1
    assert reminder.title in manager_mail[0].body
    with django_capture_on_commit_callbacks(execute=True):
        late = reminders.send_reminders(now=due + dt.timedelta(days=1))
        escalated = reminders.send_reminders(now=due + dt.timedelta(days=8))
        escalated_again = reminders.send_reminders(now=due + dt.timedelta(days=9))
    assert (late.late, late.escalated) == (3, 0)
    assert (escalated.escalated, escalated_again.escalated) == (3, 0)
    region = set(
        Notification.objects.filter(kind="reminder_eskalasi", url__endswith=f"/{report.pk}/").values_list(
            "recipient__username", flat=True
        )
    )
    assert region == {"fkn.jatim", "pemda.jatim", "pemda.malang"}
    assert Reminder.objects.filter(submission=report).count() == 3


def test_a_sent_report_is_not_reminded(world, reports):
    _fill(world, reports["malang"])
    submission_transition(actor=world.user("pengelola_malang"), submission_id=reports["malang"].pk, step_name="submit")
    result = reminders.send_reminders(now=reports["malang"].due_at + dt.timedelta(days=1))
    assert result.late == 2  # kota_malang and semarang only
    assert not Reminder.objects.filter(submission=reports["malang"]).exists()


# --- completeness -----------------------------------------------------------------


def test_completeness_counts_expected_submitted_and_on_time(world, monthly, this_month, reports):
    last = previous_period(this_month)
    schedule.schedule_period(monthly, last)
    late_one = Submission.objects.get(form=monthly, period_key=last.key, center=world.malang)
    _fill(world, late_one)
    submission_transition(actor=world.user("pengelola_malang"), submission_id=late_one.pk, step_name="submit")
    Submission.objects.filter(pk=late_one.pk).update(first_submitted_at=late_one.due_at + dt.timedelta(days=2))
    _fill(world, reports["malang"])
    submission_transition(actor=world.user("pengelola_malang"), submission_id=reports["malang"].pk, step_name="submit")
    admin = world.user("admin")
    # an hour before this month's reports fall due: last month's are all owed, this month's once sent
    now = reports["malang"].due_at - dt.timedelta(hours=1)
    rates = completeness.rates_by_period(actor=admin, form=monthly, periods=[last, this_month], now=now)
    assert (rates[last.key].expected, rates[last.key].submitted, rates[last.key].on_time) == (3, 1, 0)
    assert (rates[this_month.key].expected, rates[this_month.key].submitted, rates[this_month.key].on_time) == (1, 1, 1)
    # a province official sees their province only
    jatim = completeness.overall_rate(
        actor=world.user("pemda_jatim"), form=monthly, periods=[last, this_month], now=now
    )
    assert (jatim.expected, jatim.submitted, jatim.on_time) == (3, 2, 1)
    assert jatim.completeness == 2 / 3


def test_the_matrix_shows_each_cells_state_in_a_fixed_number_of_queries(
    world, monthly, this_month, reports, django_assert_max_num_queries
):
    _fill(world, reports["malang"])
    submission_transition(actor=world.user("pengelola_malang"), submission_id=reports["malang"].pk, step_name="submit")
    admin = world.user("admin")
    periods = [previous_period(this_month), this_month]
    with django_assert_max_num_queries(4):
        rows = completeness.completeness_matrix(actor=admin, form=monthly, periods=periods, region={"province": "35"})
    states = {row.center.name: [state for state, _pk, _late in row.cells] for row in rows}
    assert states == {world.malang.name: ["not-expected", "on-time"], world.kota_malang.name: ["not-expected", "open"]}
    for _ in range(10):
        CenterFactory(regency_id="35.07")
    schedule.schedule_period(monthly, this_month)
    with django_assert_max_num_queries(4):
        rows = completeness.completeness_matrix(actor=admin, form=monthly, periods=periods, region={"province": "35"})
    assert len(rows) == 12
