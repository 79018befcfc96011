"""Real Chromium: an official drills from the nation down to an incubator's tenants and back to the training
package a founder came from; Admin Pusat assesses a year and applies a proposed class; 360 px phones fit."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from simpul.centers.models import Center
from simpul.incubation.models import Assessment

from ..test_incubation_jobs import LAST_MONTH, add_figure, make_alumnus_tenant, make_incubator, make_outsider_tenant
from ..test_incubation_jobs import make_package as make_jobs_package
from ..test_incubation_selfreliance import YEAR, graduates, monthly_reports, package, yearly_report
from .conftest import horizontal_overflow, login, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def incubators(live_world):
    admin = live_world.user("admin")
    malang = make_incubator(live_world.malang)
    semarang = make_incubator(live_world.semarang)
    sewing = make_jobs_package(live_world.malang, name="Menjahit Angkatan 1", vocation_code="GAR")
    siti = make_alumnus_tenant(malang, sewing, name="Siti Aminah", business="Konveksi Siti", enrolled_by=admin)
    budi = make_outsider_tenant(malang, name="Budi Santoso", business="Toko Budi")
    made = make_outsider_tenant(semarang, name="Made Wirawan", business="Kerajinan Made")
    add_figure(siti, LAST_MONTH, paid=3, family=1, entered_by=admin)
    add_figure(budi, LAST_MONTH, paid=2, entered_by=admin)
    add_figure(made, LAST_MONTH, paid=6, family=1, entered_by=admin)
    return {"sewing": sewing}


def test_an_official_follows_the_jobs_from_the_nation_to_the_training_package(
    live_world, live_server, incubators, page: Page
):
    base = live_server.url
    login(page, base, "fkn")
    page.goto(f"{base}/kemandirian/")
    page.click("#jobs-link")
    expect(page.locator("#total-workers")).to_have_text("13")
    page.locator("#jobs-table").get_by_role("link", name="Jawa Timur").click()
    expect(page.locator("#total-workers")).to_have_text("6")
    page.locator("#jobs-table").get_by_role("link", name="Kabupaten Malang").click()
    page.locator("#jobs-table").get_by_role("link", name=live_world.malang.name).click()
    expect(page.locator("h1")).to_contain_text(live_world.malang.name)
    row = page.locator("#chain-table tr", has_text="Siti Aminah")
    expect(row).to_contain_text("Menjahit Angkatan 1")
    expect(row).to_contain_text("Konveksi Siti")
    expect(row).to_contain_text("4")
    expect(page.locator("#chain-table tr", has_text="Budi Santoso")).to_contain_text("Bukan alumni BLK")
    screenshot(page, "incubation-jobs-chain")
    row.locator("a.package-link").click()
    expect(page.locator("h1")).to_contain_text("Menjahit Angkatan 1")
    assert page.url.endswith(f"/pelatihan/{incubators['sewing'].pk}/")
    # and back up the breadcrumb to the nation
    page.go_back()
    page.locator("#jobs-breadcrumb").get_by_role("link", name="Nasional").click()
    expect(page.locator("#total-workers")).to_have_text("13")


def test_admin_pusat_assesses_a_year_and_applies_a_proposed_class(live_world, live_server, page: Page):
    admin = live_world.user("admin")
    yearly_report(live_world.malang, pendapatan_mandiri=45_000_000, biaya_operasional=100_000_000, mitra_pendanaan=2)
    monthly_reports(live_world.malang, sent=12, on_time=12)
    first = package(live_world.malang, funding="mitra", partner="Baznas Kabupaten")
    package(live_world.malang, funding="mandiri")
    package(live_world.malang)
    graduates(first, 10, self_employed=2, enrolled_by=admin)

    base = live_server.url
    login(page, base, "admin")
    page.goto(f"{base}/kemandirian/")
    expect(page.locator("body")).to_contain_text("Belum ada penilaian kemandirian")
    page.select_option("#id_year", str(YEAR))
    page.click("#run-assessment-button")
    expect(page.locator(".messages")).to_contain_text(f"Penilaian kemandirian {YEAR} selesai: 3 BLK dinilai")
    expect(page.locator("#count-mandiri")).to_have_text("1")
    page.locator("#assessment-table").get_by_role("link", name=live_world.malang.name).click()
    expect(page.locator("#proposed-class")).to_have_text("Mandiri")
    expect(page.locator("#current-class")).to_have_text("Tumbuh")
    expect(page.locator("#indicator-pendapatan_sendiri")).to_contain_text("Rp45.000.000")
    screenshot(page, "incubation-self-reliance-centre")
    page.click("#apply-class-button")
    expect(page.locator(".messages")).to_contain_text("kini Mandiri")
    expect(page.locator("#current-class")).to_have_text("Mandiri")
    expect(page.locator("#apply-class")).to_have_count(0)
    assert Center.objects.get(pk=live_world.malang.pk).development_class == "mandiri"
    latest = Center.history.filter(id=live_world.malang.pk).latest("history_date")
    assert latest.history_user_id == admin.pk

    # Running the year again changes nothing.
    page.goto(f"{base}/kemandirian/")
    page.select_option("#id_year", str(YEAR))
    page.click("#run-assessment-button")
    expect(page.locator(".messages")).to_contain_text("(0 baru, 0 berubah, 3 tetap)")
    assert Assessment.objects.count() == 3


def test_the_self_reliance_pages_fit_a_360_pixel_phone(live_world, live_server, incubators, phone: Page):
    Assessment.objects.create(center=live_world.malang, year=YEAR - 1, facts={}, score=48, development_class="tumbuh")
    Assessment.objects.create(center=live_world.malang, year=YEAR, facts={}, score=57, development_class="berkembang")
    Center.objects.filter(pk=live_world.semarang.pk).update(cohort=2018)
    base = live_server.url
    login(phone, base, "admin")
    for path in (
        "/kemandirian/",
        "/kemandirian/disapih/",
        f"/kemandirian/blk/{live_world.malang.pk}/",
        "/kemandirian/lapangan-kerja/",
        "/kemandirian/lapangan-kerja/provinsi/35/",
        "/kemandirian/lapangan-kerja/kabupaten/35.07/",
        f"/kemandirian/lapangan-kerja/blk/{live_world.malang.pk}/",
    ):
        phone.goto(f"{base}{path}")
        assert horizontal_overflow(phone) == 0, path
    screenshot(phone, "incubation-jobs-chain-360")
    phone.goto(f"{base}/kemandirian/blk/{live_world.malang.pk}/")
    expect(phone.locator("#apply-class-button")).to_be_visible()
    screenshot(phone, "incubation-self-reliance-centre-360")
