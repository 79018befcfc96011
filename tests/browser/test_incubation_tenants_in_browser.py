"""Real Chromium, issue 5 end to end: a selection round chooses a centre; its incubator takes an alumna as
tenant, a mentor logs two sessions, the entrepreneur enters three months of figures on a 360 px phone and a
product that appears in the public showcase; a province official follows the jobs she created from the nation
down to the training package she came from."""

from __future__ import annotations

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from simpul.centers.models import Center, CenterStatus
from simpul.incubation.models import (
    Assignment,
    BusinessFigure,
    Incubator,
    MentoringSession,
    Product,
    RoundStatus,
    SelectionRound,
    Stage,
    Tenant,
)
from simpul.incubation.selectors import selection as selection_selectors
from simpul.incubation.services import reviewing
from simpul.incubation.services.business import month_label

from ..test_incubation_selection import _report_history, build_round, make_reviewers, score_everything
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


def _choose_in_a_selection_round(world, chosen: Center) -> SelectionRound:
    """A round through the real services (its pages are driven in test_incubation_selection_in_browser.py):
    the long-list from the data, three reviewers of whom one declares a conflict and is replaced, every score
    sent, and Admin Pusat deciding for the top of the ranking."""
    admin = world.user("admin")
    _report_history(world.malang, months=6, sent=6)
    _report_history(world.semarang, months=6, sent=3)
    reviewers = make_reviewers()
    rnd = build_round(world, quota=1, reviewers=reviewers)
    assert set(rnd.candidates.values_list("center", flat=True)) == {
        world.malang.pk,
        world.kota_malang.pk,
        world.semarang.pk,
    }
    conflicted = Assignment.objects.filter(candidate__round=rnd, reviewer=reviewers[1]).order_by("pk").first()
    replacement = reviewing.conflict_declare(
        actor=reviewers[1], assignment_id=conflicted.pk, reason="Saya pengurus yayasan pengelola BLK ini"
    )
    assert replacement is not None
    assert replacement.reviewer != reviewers[1]
    score_everything(rnd, values={(chosen.name, reviewer.pk): 5 for reviewer in reviewers})
    ranking = selection_selectors.round_ranking(actor=admin, rnd=rnd)
    assert ranking[0].candidate.center == chosen
    return reviewing.round_decide(actor=admin, round_id=rnd.pk, candidate_ids=[ranking[0].candidate.pk])


def test_a_chosen_centre_incubates_an_alumna_whose_jobs_trace_back_to_her_training_package(
    live_world, live_server, page: Page, phone: Page
):
    base = live_server.url
    malang = live_world.malang

    # Malang becomes an incubator because the selection round chose it.
    rnd = _choose_in_a_selection_round(live_world, malang)
    assert rnd.status == RoundStatus.DECIDED
    assert list(rnd.candidates.filter(chosen=True).values_list("center", flat=True)) == [malang.pk]
    assert Center.objects.get(pk=malang.pk).status == CenterStatus.INCUBATOR
    incubator = Incubator.objects.get(center=malang)
    assert incubator.selection_round == rnd
    alumna = make_alumnus(malang, "Siti Aminah", manager=live_world.user("pengelola_malang"), business="Jahit Siti")
    make_mentor(live_world.user("mentor_malang"), organisation="UIN Malang")

    # The published decision names the centre; Admin Pusat completes the profile the decision created.
    page.goto(f"{base}/seleksi/{rnd.pk}/keputusan/")
    expect(page.locator("#chosen")).to_contain_text(malang.name)
    login(page, base, "admin")
    page.goto(f"{base}/blk/{malang.pk}/")
    expect(page.locator(".page-head .badge").first).to_have_text("Inkubator wirausaha")
    page.click("#inkubator >> text=Buka inkubator")
    # The incubator's profile points back to the decision that made it one.
    expect(page.locator("#selection-decision")).to_have_attribute("href", f"/seleksi/{rnd.pk}/keputusan/")
    page.click("#edit-incubator")
    page.fill("#id_manager_name", "Ustadz Hasan")
    page.check("#id_manager_full_time")
    page.click("#save-incubator")
    expect(page.locator(".messages")).to_contain_text("Profil inkubator tersimpan")
    expect(page.locator("#profile")).to_contain_text("Ustadz Hasan (penuh waktu)")
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

    # A province official follows the jobs from the nation down to the incubator and the training package.
    latest = BusinessFigure.objects.filter(tenant=tenant).latest("month")
    assert (latest.month, latest.paid_workers, latest.family_workers) == (months_ago(1), 2, 1)
    package = alumna.package
    _switch(page, base, "pemda.jatim")
    page.goto(f"{base}/kemandirian/")
    page.click("#jobs-link")
    expect(page.locator("#total-workers")).to_have_text("3")
    page.locator("#jobs-table").get_by_role("link", name="Jawa Timur").click()
    page.locator("#jobs-table").get_by_role("link", name="Kabupaten Malang").click()
    expect(page.locator("#total-incubators")).to_have_text("1")
    page.locator("#jobs-table").get_by_role("link", name=malang.name).click()
    expect(page.locator("h1")).to_contain_text(malang.name)
    row = page.locator(f"#chain-table #tenant-{tenant.pk}")
    expect(row.locator("a.package-link")).to_have_text(package.name)
    expect(row).to_contain_text("Siti Aminah")
    expect(row).to_contain_text("Jahit Siti")
    with translation.override("id"):
        expect(row).to_contain_text(month_label(latest.month))
    expect(row.locator("td.num")).to_have_text(["2", "1", "3"])  # paid, family, together
    by_package = page.locator("#by-package tbody tr", has_text=package.name)
    expect(by_package.locator("td.num")).to_have_text(["1", "2", "3"])  # tenants, paid, paid + family
    expect(page.locator("#total-workers")).to_have_text("3")
    screenshot(page, "incubation-chain-jobs-trace")
    row.locator("a.package-link").click()
    expect(page).to_have_url(f"{base}/pelatihan/{package.pk}/")
    expect(page.locator("h1")).to_have_text(package.name)
    expect(page.locator("#enrolment-table")).to_contain_text("Siti Aminah")


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
