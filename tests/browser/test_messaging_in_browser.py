"""Real Chromium: the communication space as its users meet it.

A province official comments on a centre's returned report; the centre's
manager sees the bell count rise without reloading, gets the e-mail, opens
the notification and answers in the same thread; an official of another
province sees none of it. An announcement reaches every role.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from simpul.accounts.models import Role
from simpul.messaging.models import Comment, Notification
from simpul.reporting.models import ReportForm, Status, Submission
from simpul.reporting.periods import PeriodType, period_containing
from simpul.reporting.services import schedule
from simpul.reporting.services import submissions as submission_services
from simpul.reporting.services.workflow import submission_transition

from ..factories import UserFactory
from ..reports import MONTHLY_COMPLETE
from .conftest import horizontal_overflow, login, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def returned_report(live_world):
    """This month's report of the Malang centre, sent and returned by the province's Pemda with a reason."""
    form = ReportForm.objects.get(code="LAPBUL")
    this_month = period_containing(PeriodType.MONTHLY, timezone.localdate())
    schedule.schedule_period(form, this_month)
    report = Submission.objects.get(form=form, center=live_world.malang, period_key=this_month.key)
    manager = live_world.user("pengelola_malang")
    submission_services.submission_save_values(actor=manager, submission_id=report.pk, raw_values=MONTHLY_COMPLETE)
    submission_transition(actor=manager, submission_id=report.pk, step_name="submit")
    submission_transition(
        actor=live_world.user("pemda_jatim"),
        submission_id=report.pk,
        step_name="return",
        comment="Lulusan perempuan tidak sesuai daftar hadir.",
    )
    report.refresh_from_db()
    assert report.status == Status.RETURNED
    return report


def _new_page(browser: Browser, width: int = 1280) -> Page:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID")
    context.set_default_timeout(15_000)
    return context.new_page()


def _post(page: Page, text: str) -> None:
    form = page.locator("form.message-form")
    form.locator("textarea[name=body]").fill(text)
    form.locator("button[type=submit]").click()


def test_a_province_official_comments_on_a_returned_report_and_the_centre_answers(
    live_world, live_server, browser, settings, returned_report
):
    settings.BELL_POLL_SECONDS = 1  # the bell asks every second here (every 30 in use)
    report = returned_report
    manager = live_world.user("pengelola_malang")
    official = live_world.user("pemda_jatim")
    other_province = UserFactory(username="pemda.jateng", role=Role.PEMDA, scope_province_id="33")
    mail.outbox.clear()

    # The manager is on the dashboard, on a phone, with the return already counted on the bell.
    phone = _new_page(browser, width=360)
    login(phone, live_server.url, manager.username)
    before = Notification.objects.filter(recipient=manager, read_at__isnull=True).count()
    expect(phone.locator(".bell-count")).to_have_text(str(before))

    # The province official writes on the report's page, mentioning the manager.
    desk = _new_page(browser)
    login(desk, live_server.url, official.username)
    desk.goto(f"{live_server.url}/laporan/{report.pk}/")
    _post(desk, f"@{manager.username} Mohon **periksa lagi** lulusan perempuan; daftar hadir mencatat 17.")
    expect(desk.locator("#komentar .message")).to_contain_text("Mohon periksa lagi lulusan perempuan")
    expect(desk.locator("#komentar .message-body strong")).to_have_text("periksa lagi")
    expect(desk.locator("#komentar .message-body .mention")).to_have_text(f"@{manager.username}")

    # Without a reload, the manager's bell counts it; the e-mail is out (sent by the task after the commit).
    expect(phone.locator(".bell-count")).to_have_text(str(before + 1), timeout=10_000)
    mention = mail.outbox[-1]
    assert mention.to == [manager.email]
    assert "menyebut Anda" in mention.subject
    assert f"/laporan/{report.pk}/" in mention.body

    # The manager opens the notification and answers in the same thread.
    phone.click("a.bell")
    phone.click(".notification-list a >> text=menyebut Anda")
    expect(phone.locator("#komentar")).to_contain_text("daftar hadir mencatat 17")
    _post(phone, "Sudah kami perbaiki menjadi 17 dan kami kirim ulang.")
    expect(phone.locator("#komentar .message").last).to_contain_text("Sudah kami perbaiki")
    assert horizontal_overflow(phone) == 0
    screenshot(phone, "report-thread-phone")
    # The official hears of the answer in the app (the digest will carry it by e-mail).
    assert Notification.objects.filter(recipient=official, kind="message", url__contains=f"/laporan/{report.pk}/")

    # An official of another province: the report is 404, search finds nothing, no notification.
    outsider = _new_page(browser)
    login(outsider, live_server.url, other_province.username)
    response = outsider.goto(f"{live_server.url}/laporan/{report.pk}/")
    assert response is not None
    assert response.status == 404
    outsider.goto(f"{live_server.url}/komunikasi/cari/?q=daftar+hadir")
    expect(outsider.locator("body")).not_to_contain_text("mencatat 17")
    outsider.goto(f"{live_server.url}/komunikasi/")
    expect(outsider.locator("body")).not_to_contain_text(live_world.malang.name)
    assert not Notification.objects.filter(recipient=other_province).exists()
    assert all(other_province.email not in m.to for m in mail.outbox)
    assert Comment.objects.filter(thread__key__startswith="record:").count() == 2


def test_an_announcement_reaches_every_role(live_world, live_server, browser, django_capture_on_commit_callbacks):
    admin = live_world.user("admin")
    page = _new_page(browser)
    login(page, live_server.url, admin.username)
    page.goto(f"{live_server.url}/komunikasi/pengumuman/")
    _post(page, "Mulai bulan depan laporan bulanan dikirim **hanya** lewat Simpul.")
    expect(page.locator(".message").last).to_contain_text("laporan bulanan dikirim hanya lewat Simpul")

    for key, user in live_world.users.items():
        if key == "admin":
            continue
        reader = _new_page(browser, width=360)
        login(reader, live_server.url, user.username)
        expect(reader.locator(".bell-count")).to_have_text("1")
        reader.click("a.bell")
        reader.click(".notification-list a >> text=Pengumuman dari")
        expect(reader.locator(".message").last).to_contain_text("laporan bulanan dikirim hanya lewat Simpul")
        # Readers read; only national Admin Pusat and FKN write announcements.
        expect(reader.locator("form.message-form")).to_have_count(1 if key == "fkn_national" else 0)
        assert horizontal_overflow(reader) == 0
        reader.context.close()
