"""Real Chromium: an instructor runs a package from enrolment to results; a graduate answers the tracer
through their link; the centre's monthly report shows the figures prefilled; a 360 px phone works."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from simpul.reporting.models import ReportForm, Submission
from simpul.reporting.periods import PeriodType, period_containing
from simpul.reporting.services import schedule
from simpul.training.models import Enrolment, Outcome, OutcomeSource, PackageStatus
from simpul.training.services import packages, tracing
from simpul.training.services.areas import person_areas_refresh

from ..factories import PackageFactory, PersonFactory, make_nik
from .conftest import horizontal_overflow, login, screenshot

pytestmark = pytest.mark.browser
TODAY = timezone.localdate()


def test_an_instructor_runs_a_package_and_the_monthly_report_is_prefilled(live_world, live_server, page: Page):
    month = period_containing(PeriodType.MONTHLY, TODAY)
    package = PackageFactory(
        center=live_world.malang,
        name="Menjahit Angkatan 1",
        start_date=month.start,
        end_date=TODAY,
        hours=120,
        status=PackageStatus.PLANNED,
    )
    login(page, live_server.url, "instruktur")
    page.goto(f"{live_server.url}/pelatihan/{package.pk}/")
    for serial, (name, sex, born) in enumerate(
        [("Siti Aminah", "P", dt.date(2001, 3, 9)), ("Budi Santoso", "L", dt.date(1999, 12, 1))], start=1
    ):
        page.click("#enrol")
        page.fill("#id_nik", make_nik(born, female=sex == "P", serial=serial))
        page.fill("#id_full_name", name)
        page.check(f"input[name=sex][value={sex}]")
        page.fill("#id_birth_date", born.isoformat())
        page.select_option("#id_education", "sma")
        page.click("#save-enrolment")
        expect(page.locator(".messages")).to_contain_text(f"{name} terdaftar")
    # A birth date that disagrees with the NIK: a clear message, nothing saved.
    page.click("#enrol")
    page.fill("#id_nik", make_nik(dt.date(2000, 1, 1), serial=3))
    page.fill("#id_full_name", "Salah Tanggal")
    page.check("input[name=sex][value=L]")
    page.fill("#id_birth_date", "2000-01-02")
    page.select_option("#id_education", "sma")
    page.click("#save-enrolment")
    expect(page.locator("#field-birth_date .errorlist")).to_contain_text("tidak sama dengan yang tertulis di NIK")
    assert Enrolment.objects.count() == 2
    page.goto(f"{live_server.url}/pelatihan/{package.pk}/")
    expect(page.locator("#enrolment-table")).to_contain_text("3507••••••••0001")
    page.click("#start-package")
    expect(page.locator("#package-status")).to_have_text("Berjalan")
    page.click("#take-attendance")
    page.fill("#id_day", month.start.isoformat())
    page.check("text=Siti Aminah")
    page.click("#save-attendance")
    expect(page.locator(".messages")).to_contain_text("1 dari 2 peserta hadir")
    page.click("#record-results")
    siti, budi = (Enrolment.objects.get(person__full_name=n) for n in ("Siti Aminah", "Budi Santoso"))
    page.check(f"input[name=result_{siti.pk}][value=lulus]")
    page.fill(f"input[name=certificate_{siti.pk}]", "SP/MLG/2026/001")
    page.check(f"input[name=result_{budi.pk}][value=tidak_lulus]")
    page.click("#save-results")
    page.click("#finish-package")
    expect(page.locator("#package-status")).to_have_text("Selesai")
    screenshot(page, "training-package-finished")

    # The centre manager opens this month's report: the training figures are there, with their source.
    form = ReportForm.objects.get(code="LAPBUL")
    schedule.schedule_period(form, month, centers=[live_world.malang])
    report = Submission.objects.get(form=form, center=live_world.malang, period_key=month.key)
    page.context.clear_cookies()
    login(page, live_server.url, "pengelola")
    page.goto(f"{live_server.url}/laporan/{report.pk}/")
    expect(page.locator("#v_lulus_p")).to_have_value("1")
    expect(page.locator("#v_peserta_l")).to_have_value("1")
    expect(page.locator("#v_jam_pelatihan")).to_have_value("120")
    expect(page.locator("body")).to_contain_text("catatan pelatihan: lulusan")
    screenshot(page, "training-report-prefilled")


def test_a_graduate_answers_the_six_month_tracer_through_the_link(live_world, live_server, page: Page, phone: Page):
    manager = live_world.user("pengelola_malang")
    package = PackageFactory(
        center=live_world.malang,
        start_date=tracing.add_months(TODAY, -8),
        end_date=tracing.add_months(TODAY, -7),
        status=PackageStatus.PLANNED,
    )
    born = dt.date(2001, 3, 9)
    person = {
        "nik": make_nik(born, female=True),
        "full_name": "Siti Aminah",
        "sex": "P",
        "birth_date": born,
        "education": "sma",
    }
    enrolment = packages.enrolment_create(
        actor=manager, package_id=package.pk, person=person, consent_given_on=TODAY
    ).enrolment
    packages.package_start(actor=manager, package_id=package.pk)
    packages.results_record(actor=manager, package_id=package.pk, results={enrolment.pk: ("lulus", "")})

    login(page, live_server.url, "pengelola")
    page.goto(f"{live_server.url}/penelusuran/")
    row = page.locator("#worklist tr", has_text="Siti Aminah")
    expect(row).to_contain_text("6 bulan")
    row.locator("text=Buat tautan").click()
    url = page.locator("#tracer-url").inner_text()
    assert "/kabar-alumni/" in url

    # The graduate, on a phone, with no account.
    phone.goto(url)
    expect(phone.locator("h1")).to_contain_text("Siti Aminah")
    assert horizontal_overflow(phone) == 0
    phone.check("input[name=status][value=wirausaha]")
    phone.fill("#id_business_name", "Jahit Siti")
    phone.select_option("#id_business_sector", "C")
    phone.fill("#id_started_on", (TODAY - dt.timedelta(days=30)).isoformat())
    screenshot(phone, "training-tracer-answer-360")
    phone.click("#send-answer")
    expect(phone.locator("#thanks")).to_be_visible()
    outcome = Outcome.objects.get(enrolment=enrolment, wave=6)
    assert outcome.source == OutcomeSource.SELF
    phone.goto(url)
    expect(phone.locator("#reason")).to_contain_text("sudah dipakai")

    page.goto(f"{live_server.url}/penelusuran/")
    expect(page.locator("body")).to_contain_text("Tidak ada alumni yang perlu ditelusuri")

    # Her answer is in the monthly report of the month her business began, prefilled with its source.
    started = period_containing(PeriodType.MONTHLY, TODAY - dt.timedelta(days=30))
    form = ReportForm.objects.get(code="LAPBUL")
    schedule.schedule_period(form, started, centers=[live_world.malang])
    report = Submission.objects.get(form=form, center=live_world.malang, period_key=started.key)
    page.goto(f"{live_server.url}/laporan/{report.pk}/")
    expect(page.locator("#v_wirausaha_p")).to_have_value("1")
    expect(page.locator("#v_wirausaha_l")).to_have_value("0")
    expect(page.locator("#v_bekerja_p")).to_have_value("0")
    expect(page.locator("body")).to_contain_text("penelusuran alumni: mulai berwirausaha")
    screenshot(page, "training-report-tracer-prefilled")


def test_the_training_pages_fit_a_360_pixel_phone(live_world, live_server, phone: Page):
    package = PackageFactory(center=live_world.malang, start_date=TODAY, end_date=TODAY + dt.timedelta(days=30))
    login(phone, live_server.url, "pengelola")
    for path in (
        "/pelatihan/",
        f"/pelatihan/{package.pk}/",
        f"/pelatihan/{package.pk}/peserta/tambah/",
        "/peserta/",
        "/penelusuran/",
    ):
        phone.goto(f"{live_server.url}{path}")
        assert horizontal_overflow(phone) == 0, path
    screenshot(phone, "training-enrol-360")


def test_the_centre_imports_participants_from_excel_and_gets_the_failed_rows_back(
    live_world, live_server, page: Page, tmp_path
):
    package = PackageFactory(
        center=live_world.malang, start_date=TODAY, end_date=TODAY + dt.timedelta(days=30), status=PackageStatus.PLANNED
    )
    login(page, live_server.url, "pengelola")
    page.goto(f"{live_server.url}/pelatihan/{package.pk}/")
    page.click("#import")
    with page.expect_download() as download:
        page.click("#download-template")
    template = tmp_path / "templat.xlsx"
    download.value.save_as(template)

    workbook = load_workbook(template)
    sheet = workbook["Peserta"] if "Peserta" in workbook.sheetnames else workbook.worksheets[0]
    codes = [cell.value for cell in sheet[2]]
    rows = [
        {
            "nik": make_nik(dt.date(2001, 3, 9), female=True, serial=1),
            "nama": "Siti Aminah",
            "jenis_kelamin": "P",
            "tanggal_lahir": "09/03/2001",
        },
        {
            "nik": make_nik(dt.date(1999, 12, 1), serial=2),
            "nama": "Budi Santoso",
            "jenis_kelamin": "L",
            "tanggal_lahir": "01/12/1999",
        },
        # The birth date disagrees with the NIK: this row fails, with its row and column.
        {
            "nik": make_nik(dt.date(2000, 1, 1), serial=3),
            "nama": "Salah Tanggal",
            "jenis_kelamin": "L",
            "tanggal_lahir": "02/01/2000",
        },
    ]
    for offset, row in enumerate(rows):
        values = {**row, "pendidikan": "SMA/SMK/sederajat", "tanggal_persetujuan": TODAY.strftime("%d/%m/%Y")}
        for column, code in enumerate(codes, start=1):
            if code in values:
                sheet.cell(row=3 + offset, column=column, value=values[code])
    filled = tmp_path / "peserta.xlsx"
    workbook.save(filled)

    page.set_input_files("#file", str(filled))
    page.check("input[name=mode][value=sebagian]")
    page.click("#upload-participants")
    expect(page.locator("#import-saved")).to_have_text("2")
    expect(page.locator("#import-failed")).to_have_text("1")
    expect(page.locator("#import-error-table")).to_contain_text("tidak sama dengan yang tertulis di NIK")
    screenshot(page, "training-import-result")
    with page.expect_download() as failed:
        page.click("#download-failed")
    back = tmp_path / "gagal.xlsx"
    failed.value.save_as(back)
    names = [row for row in load_workbook(back).worksheets[0].iter_rows(min_row=3, values_only=True) if any(row)]
    assert len(names) == 1
    assert "Salah Tanggal" in names[0]
    assert Enrolment.objects.filter(package=package).count() == 2


def test_a_province_official_pages_through_the_people_on_a_phone(live_world, live_server, phone: Page, settings):
    settings.SIMPUL_PAGE_SIZE = 2
    package = PackageFactory(center=live_world.malang)
    names = ["Ahmad Fauzi", "Budi Santoso", "Dewi Lestari", "Rina Wati", "Siti Aminah"]
    for name in names:
        Enrolment.objects.create(
            package=package, person=PersonFactory(full_name=name), enrolled_by=live_world.user("pengelola_malang")
        )
    person_areas_refresh(Enrolment.objects.values_list("person_id", flat=True))  # as the enrolment service does
    login(phone, live_server.url, live_world.user("pemda_jatim").username)
    phone.goto(f"{live_server.url}/peserta/")
    table = phone.locator("#person-table")
    expect(table).to_contain_text("Ahmad Fauzi")
    phone.click("a[rel=next]")
    expect(table).to_contain_text("Dewi Lestari")
    phone.click("a[rel=next]")
    expect(table).to_contain_text("Siti Aminah")
    expect(phone.locator(".pagination")).to_contain_text("Halaman 3")
    expect(phone.locator("a[rel=next]")).to_have_count(0)
    assert "Aminah" not in phone.url  # the address carries an id, never a name
    assert "Siti" not in phone.url
    assert horizontal_overflow(phone) == 0
    screenshot(phone, "training-people-pages-360")
    phone.click("a[rel=prev]")
    expect(table).to_contain_text("Rina Wati")
    expect(table).not_to_contain_text("Siti Aminah")
    expect(phone.locator(".pagination")).to_contain_text("Halaman 2")
    phone.click("a[rel=prev]")
    expect(table).to_contain_text("Ahmad Fauzi")
    expect(phone.locator(".pagination")).to_contain_text("Halaman 1")
