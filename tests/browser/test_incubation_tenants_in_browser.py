"""Real Chromium: a chosen centre's incubator takes an alumnus as tenant, a mentor logs two sessions, the
entrepreneur enters three months of figures on a 360 px phone and a product that appears in the public showcase."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from simpul.centers.models import CenterStatus
from simpul.incubation.models import BusinessFigure, Incubator, MentoringSession, Product, Stage, Tenant

from ..test_incubation_tenants import (  # noqa: F401  (the media fixture is autouse)
    _media,
    image_bytes,
    make_alumnus,
    make_mentor,
    months_ago,
)
from .conftest import horizontal_overflow, login, screenshot

pytestmark = pytest.mark.browser


def _switch(page: Page, base_url: str, username: str) -> None:
    page.context.clear_cookies()
    login(page, base_url, username)


def test_an_incubator_takes_an_alumnus_who_is_mentored_and_reports_from_a_phone(
    live_world, live_server, page: Page, phone: Page
):
    base = live_server.url
    malang = live_world.malang
    malang.status = CenterStatus.INCUBATOR  # chosen in the selection round
    malang.save(update_fields=["status"])
    make_alumnus(malang, "Siti Aminah", manager=live_world.user("pengelola_malang"), business="Jahit Siti")
    make_mentor(live_world.user("mentor_malang"), organisation="UIN Malang")

    # Admin Pusat makes the incubator profile from the centre's page.
    login(page, base, "admin")
    page.goto(f"{base}/blk/{malang.pk}/")
    page.click("#inkubator >> text=Buat profil inkubator")
    page.fill("#id_established_on", months_ago(1).isoformat())
    page.fill("#id_manager_name", "Ustadz Hasan")
    page.check("#id_manager_full_time")
    page.click("#save-incubator")
    expect(page.locator(".messages")).to_contain_text("kini tercatat sebagai inkubator")
    incubator = Incubator.objects.get(center=malang)
    expect(page.locator("#unmet")).to_contain_text("ruang pelatihan")
    expect(page.locator("#target-count")).to_have_text("0 / 10")

    # The centre's manager takes the self-employed alumna in, from the pool.
    _switch(page, base, "pengelola")
    page.goto(f"{base}/inkubator/{incubator.pk}/")
    page.click("#add-tenant")
    page.locator("#pool-table tr", has_text="Siti Aminah").locator("text=Jadikan tenant").click()
    expect(page.locator("#alumnus")).to_contain_text("Siti Aminah")
    expect(page.locator("#id_business_name")).to_have_value("Jahit Siti")
    page.fill("#id_criteria", "Sudah berjualan 10 bulan, punya pelanggan tetap")
    owner = live_world.user("wirausaha_malang")
    page.select_option("#id_user", label=f"{owner.full_name} ({owner.username})")
    page.click("#save-tenant")
    expect(page.locator(".messages")).to_contain_text("Siti Aminah diterima sebagai tenant")
    tenant = Tenant.objects.get()
    assert tenant.source_enrolment.package.center == malang

    # A step out of order is refused in words and changes nothing; the next step is taken.
    page.select_option("#id_stage", "pasca")
    page.fill("#id_criteria", "Langsung lulus")
    page.click("#advance-stage")
    expect(page.locator("#stage-form .errorlist")).to_contain_text("Tahap harus berurutan")
    tenant.refresh_from_db()
    assert tenant.stage == Stage.PRE
    page.select_option("#id_stage", "inkubasi")
    page.fill("#id_criteria", "Rencana usaha dan pembukuan dasar lengkap")
    page.click("#advance-stage")
    expect(page.locator("#tenant-stage")).to_have_text("Inkubasi")
    page.check("#mentor-form >> text=UIN Malang")
    page.click("#save-mentors")
    expect(page.locator("#tenant-mentors")).to_contain_text("UIN Malang")
    page.goto(f"{base}/inkubator/{incubator.pk}/")
    expect(page.locator("#target-count")).to_have_text("1 / 10")
    screenshot(page, "incubation-incubator")

    # The mentor logs two sessions; the second opens with the first one's notes and follow-ups.
    _switch(page, base, "mentor")
    page.goto(f"{base}/inkubator/")
    for topic, notes, follow_up in (
        ("Harga pokok produksi", "Menghitung HPP kemeja", "Catat semua bahan 2 minggu"),
        ("Pemasaran daring", "Membuat katalog di WhatsApp", "Unggah 10 foto produk"),
    ):
        page.goto(f"{base}/inkubator/")
        page.locator("#my-tenants tr", has_text="Jahit Siti").locator("text=Catat sesi").click()
        if topic == "Pemasaran daring":
            expect(page.locator("#earlier-sessions")).to_contain_text("Catat semua bahan 2 minggu")
        page.fill("#id_minutes", "90")
        page.fill("#id_topic", topic)
        page.fill("#id_notes", notes)
        page.fill("#id_follow_ups", follow_up)
        page.click("#save-session")
        expect(page.locator(".messages")).to_contain_text("Sesi pendampingan tercatat")
    assert MentoringSession.objects.filter(tenant=tenant).count() == 2
    expect(page.locator("#sesi")).to_contain_text("Unggah 10 foto produk")
    screenshot(page, "incubation-sessions")

    # The entrepreneur, on a 360 px phone, enters three months of figures.
    login(phone, base, "wirausaha")
    phone.goto(f"{base}/inkubator/usaha-saya/")
    assert horizontal_overflow(phone) == 0
    phone.click("#enter-figures")
    assert horizontal_overflow(phone) == 0
    phone.fill("#id_revenue", "-5.000")  # a typo: refused in words, nothing saved
    phone.fill("#id_paid_workers", "1")
    phone.check("input[name=market_reach][value=lokal]")
    phone.click("#save-figures")
    expect(phone.locator("#id_revenue_error")).to_contain_text("Tidak boleh negatif")
    assert not BusinessFigure.objects.exists()
    screenshot(phone, "incubation-figures-error-360")
    for months, revenue, workers in ((1, "4.750.000", "2"), (2, "4.200.000", "2"), (3, "3.900.000", "1")):
        phone.goto(f"{base}/inkubator/usaha-saya/")
        phone.fill("#bulan", f"{months_ago(months):%Y-%m}")
        phone.click("#pick-month")
        phone.fill("#id_revenue", revenue)
        phone.fill("#id_paid_workers", workers)
        phone.fill("#id_family_workers", "1")
        phone.check("input[name=market_reach][value=regional]")
        assert horizontal_overflow(phone) == 0
        phone.click("#save-figures")
        expect(phone.locator(".messages")).to_contain_text("tersimpan")
    assert sorted(BusinessFigure.objects.values_list("month", flat=True)) == [months_ago(n) for n in (3, 2, 1)]
    expect(phone.locator("#figure-table")).to_contain_text("Rp4.750.000")
    expect(phone.locator("#figures-due")).to_have_count(0)
    screenshot(phone, "incubation-my-business-360")

    # ... and a product with its photo, which the public showcase then shows without her name.
    phone.click("#add-product")
    phone.fill("#id_name", "Kemeja Batik Siti")
    phone.select_option("#id_category", "busana")
    phone.fill("#id_price", "185.000")
    phone.fill("#id_where_sold", "Pasar Besar Malang")
    phone.click("#save-product")
    phone.set_input_files("#id_image", {"name": "batik.png", "mimeType": "image/png", "buffer": image_bytes()})
    phone.click("#upload-photo")
    expect(phone.locator("#photos img")).to_have_count(1)
    assert horizontal_overflow(phone) == 0
    product = Product.objects.get()
    assert product.photos.count() == 1

    page.context.clear_cookies()
    page.goto(f"{base}/etalase/?kategori=busana")
    card = page.locator("#showcase .showcase-item", has_text="Kemeja Batik Siti")
    expect(card).to_contain_text("Rp185.000")
    expect(card).to_contain_text("BLK Komunitas Darul Ulum Malang")
    expect(page.locator("#showcase")).not_to_contain_text("Siti Aminah")
    assert card.locator("img").evaluate("img => img.naturalWidth") > 0
    screenshot(page, "incubation-showcase")


def test_the_incubator_pages_fit_a_360_pixel_phone(live_world, live_server, phone: Page):
    from ..test_incubation_tenants import make_figure, make_incubator, make_tenant

    incubator = make_incubator(live_world.malang)
    tenant = make_tenant(incubator, "Rina", user=live_world.user("wirausaha_malang"))
    make_figure(
        tenant, months_ago(2), 1_250_000, by=live_world.user("admin"), market_reach="ekspor", export_country="MY"
    )
    login(phone, live_server.url, "pengelola")
    for path in (
        "/inkubator/",
        f"/inkubator/{incubator.pk}/",
        f"/inkubator/{incubator.pk}/tenant/tambah/",
        f"/inkubator/tenant/{tenant.pk}/",
        f"/inkubator/tenant/{tenant.pk}/angka/",
        f"/inkubator/tenant/{tenant.pk}/produk/baru/",
        "/etalase/",
    ):
        phone.goto(f"{live_server.url}{path}")
        assert horizontal_overflow(phone) == 0, path
    screenshot(phone, "incubation-tenant-360")
