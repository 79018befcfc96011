"""Real Chromium: the monthly report from the centre through verification and approval into the
completeness matrix; a return with a reason; autosave surviving a dropped connection; reminders; LPJ."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from simpul.accounts.models import Role
from simpul.messaging.models import Notification
from simpul.reporting.models import AidStream, LpjKind, ReportForm, Status, Submission, SubmissionValue
from simpul.reporting.periods import PeriodType, period_containing, previous_period
from simpul.reporting.services import aid, schedule
from simpul.reporting.services import submissions as services
from simpul.reporting.services.workflow import submission_transition

from ..factories import UserFactory
from ..reports import approve_submission
from .conftest import login, screenshot

pytestmark = pytest.mark.browser

FIGURES = {
    "tidak_ada_kegiatan": "tidak",
    "paket_berjalan": "2",
    "jam_pelatihan": "320",
    "peserta_l": "14",
    "peserta_p": "18",
    "lulus_l": "13",
    "lulus_p": "18",
    "sertifikat_l": "10",
    "sertifikat_p": "12",
    "bekerja_l": "3",
    "bekerja_p": "2",
    "wirausaha_l": "1",
    "wirausaha_p": "2",
    "omzet_unit_produksi": "4.500.000",
}


@pytest.fixture
def monthly_reports(live_world):
    """Last month's report (approved, with a production unit) and this month's, for every centre."""
    form = ReportForm.objects.get(code="LAPBUL")
    this_month = period_containing(PeriodType.MONTHLY, timezone.localdate())
    last_month = previous_period(this_month)
    schedule.schedule_period(form, last_month)
    schedule.schedule_period(form, this_month)
    earlier = Submission.objects.get(form=form, center=live_world.malang, period_key=last_month.key)
    approve_submission(
        live_world,
        earlier,
        values={**FIGURES, "unit_produksi_aktif": "ya", "produk_utama": "Kue kering"},
        staff="pengelola_malang",
        verifier="pemda_jatim",
    )
    return {
        "form": form,
        "current": Submission.objects.get(form=form, center=live_world.malang, period_key=this_month.key),
        "late_other": Submission.objects.get(form=form, center=live_world.kota_malang, period_key=last_month.key),
        "this_month": this_month,
    }


def _fill_and_wait(page: Page, code: str, value: str) -> None:
    box = page.locator(f"#v_{code}")
    if box.evaluate("el => el.tagName") == "SELECT":
        box.select_option(value)
    else:
        box.fill(value)
        box.press("Tab")
    expect(page.locator(f"#ind-{code}[data-saved='true']")).to_have_count(1)
    expect(page.locator("#save-status")).not_to_have_text("Menyimpan…")


def _step(page: Page, name: str, comment: str = "") -> None:
    if comment:
        page.fill(f"#comment-{name}", comment)
    page.click(f"#step-{name}")
    expect(page.locator(".messages")).to_be_visible()


def test_monthly_report_from_the_centre_to_approval_and_on_time_in_the_matrix(
    live_world, live_server, page, monthly_reports
):
    report = monthly_reports["current"]
    # The centre manager finds the report waiting, sees what was prefilled, fills the rest.
    login(page, live_server.url, live_world.user("pengelola_malang").username)
    page.click("nav.nav-wide >> text=Laporan")
    page.click("text=Menunggu saya")
    page.click(f"#submission-table a[href='/laporan/{report.pk}/']")
    expect(page.locator("#ind-unit_produksi_aktif")).to_contain_text("terisi otomatis dari laporan periode sebelumnya")
    expect(page.locator("#v_produk_utama")).to_have_value("Kue kering")
    for code, value in FIGURES.items():
        _fill_and_wait(page, code, value)
    page.reload()  # everything typed is on the server
    expect(page.locator("#v_peserta_p")).to_have_value("18")
    expect(page.locator("#findings")).to_contain_text("Aturan pemeriksaan terpenuhi")
    screenshot(page, "report-filled")
    _step(page, "submit")
    expect(page.locator(".page-head .badge").first).to_have_text("Dikirim")

    # The province official verifies it from their queue.
    page.click("header .user-menu button[type=submit]")
    login(page, live_server.url, live_world.user("pemda_jatim").username)
    page.goto(f"{live_server.url}/laporan/antrean/")
    page.click(f"#submission-table a[href='/laporan/{report.pk}/']")
    expect(page.locator("#v_peserta_p")).to_have_count(0)  # reviewers read, they do not type
    _step(page, "verify", "Sesuai daftar hadir.")
    page.click("header .user-menu button[type=submit]")

    # Kemnaker approves.
    login(page, live_server.url, live_world.user("admin").username)
    page.goto(f"{live_server.url}/laporan/antrean/")
    page.click(f"#submission-table a[href='/laporan/{report.pk}/']")
    _step(page, "approve")
    expect(page.locator("#riwayat")).to_contain_text("Sesuai daftar hadir.")
    assert Submission.objects.get(pk=report.pk).status == Status.APPROVED

    # The matrix of East Java shows it approved, and it counted as on time.
    page.goto(f"{live_server.url}/laporan/kelengkapan/?province=35&periods=3")
    cell = page.locator(f"table.matrix a[href='/laporan/{report.pk}/']")
    expect(cell).to_have_attribute("data-state", "approved")
    this_month_row = page.locator("#rates-by-period tbody tr").last
    expect(this_month_row.locator("td").nth(3)).to_have_text("1")  # on time
    screenshot(page, "completeness-matrix")


def test_a_returned_report_carries_its_reason_back_to_the_centre(live_world, live_server, page, monthly_reports):
    report = monthly_reports["current"]
    services.submission_save_values(
        actor=live_world.user("pengelola_malang"),
        submission_id=report.pk,
        raw_values={**FIGURES, "unit_produksi_aktif": "ya"},
    )
    submission_transition(actor=live_world.user("pengelola_malang"), submission_id=report.pk, step_name="submit")

    login(page, live_server.url, live_world.user("pemda_malang").username)
    page.goto(f"{live_server.url}/laporan/{report.pk}/")
    page.click("#step-return")  # without a reason the browser asks for one (required field)
    expect(page.locator("#comment-return:invalid")).to_have_count(1)
    _step(page, "return", "Lulusan perempuan tidak sesuai daftar hadir.")
    page.click("header .user-menu button[type=submit]")

    manager = live_world.user("pengelola_malang")
    login(page, live_server.url, manager.username)
    unread = Notification.objects.filter(recipient=manager, read_at__isnull=True).count()
    expect(page.locator(".bell-count")).to_have_text(str(unread))  # last month's approval and this return
    page.click("a.bell")
    expect(page.locator(".notification-list")).to_contain_text("Dikembalikan untuk diperbaiki")
    page.click(".notification-list a >> text=Dikembalikan")
    expect(page.locator("#riwayat")).to_contain_text("Lulusan perempuan tidak sesuai daftar hadir.")
    _fill_and_wait(page, "lulus_p", "17")
    _step(page, "submit")
    assert Submission.objects.get(pk=report.pk).status == Status.SUBMITTED
    assert SubmissionValue.objects.get(submission=report, indicator__code="lulus_p").number == 17


def test_nothing_typed_is_lost_when_the_connection_drops(live_world, live_server, page, monthly_reports):
    report = monthly_reports["current"]
    login(page, live_server.url, live_world.user("pengelola_malang").username)
    page.goto(f"{live_server.url}/laporan/{report.pk}/")
    page.context.set_offline(True)
    page.fill("#v_jam_pelatihan", "240")
    page.press("#v_jam_pelatihan", "Tab")
    expect(page.locator("#save-status")).to_contain_text("Tidak tersambung")
    # Opening the report prefilled the hours from the training records (none here: 0); offline, nothing changed.
    assert SubmissionValue.objects.get(submission=report, indicator__code="jam_pelatihan").number == 0
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#save-status")).to_have_text("Tersimpan.")
    assert SubmissionValue.objects.get(submission=report, indicator__code="jam_pelatihan").number == 240


def test_a_late_centre_gets_its_reminder_in_the_app_and_by_mail(live_world, live_server, page, monthly_reports):
    late = monthly_reports["late_other"]
    manager = UserFactory(username="pengelola.kotamalang", role=Role.PENGELOLA, scope_center=live_world.kota_malang)
    call_command("reporting_daily", now=True, stdout=io.StringIO())
    reminder = Notification.objects.get(recipient=manager, kind="reminder_terlambat")
    assert not [m for m in mail.outbox if m.to == [manager.email]]  # a reminder waits for the daily digest
    call_command("messaging_daily", now=True, stdout=io.StringIO())
    digest = [m for m in mail.outbox if m.to == [manager.email]]
    assert len(digest) == 1
    assert "Ringkasan harian" in digest[0].subject
    assert reminder.title in digest[0].body
    assert "Terlambat" in reminder.title
    login(page, live_server.url, manager.username)
    page.click("a.bell")
    expect(page.locator(".notification-list")).to_contain_text("Terlambat")
    page.click(".notification-list a >> text=Terlambat")
    expect(page).to_have_url(f"{live_server.url}/laporan/{late.pk}/")
    expect(page.locator(".page-head")).to_contain_text("lewat tenggat")


def test_an_overdue_lpj_shows_in_the_national_list(live_world, live_server, page):
    admin = live_world.user("admin")
    grant = aid.grant_create(
        actor=admin,
        center_id=live_world.semarang.pk,
        stream=AidStream.BUILDING,
        year=2025,
        amount=Decimal(800_000_000),
        agreement_number="045/PKS/BLKK/2025",
        agreement_date=dt.date(2025, 3, 3),
        lpj_dues={LpjKind.PROGRESS: dt.date(2025, 7, 1), LpjKind.FINAL: dt.date(2025, 11, 30)},
    )
    aid.instalment_record_payment(
        actor=admin, instalment_id=grant.instalments.get(order=1).pk, paid_on=dt.date(2025, 4, 1)
    )
    login(page, live_server.url, admin.username)
    page.click("nav.nav-wide >> text=Bantuan & LPJ")
    page.click("text=LPJ terlambat")
    expect(page.locator("#held-amount")).to_have_text("Rp560.000.000")
    expect(page.locator("#overdue-by-province")).to_contain_text("Jawa Tengah")
    expect(page.locator("#overdue-list")).to_contain_text(live_world.semarang.name)
    screenshot(page, "lpj-overdue")


def test_the_reporting_pages_fit_a_360_pixel_phone(live_world, live_server, phone, monthly_reports):
    from .conftest import horizontal_overflow

    report = monthly_reports["current"]
    login(phone, live_server.url, live_world.user("pengelola_malang").username)
    for path, name in [
        ("/laporan/", "phone-reports"),
        (f"/laporan/{report.pk}/", "phone-report-form"),
        ("/laporan/kelengkapan/?province=35&periods=12", "phone-completeness"),
        ("/bantuan/", "phone-grants"),
    ]:
        phone.goto(live_server.url + path)
        assert horizontal_overflow(phone) == 0, path
        screenshot(phone, name)
