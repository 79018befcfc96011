"""Real Chromium: each role logs in and sees exactly its scope; a manager edits their centre."""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from simpul.accounts import policy
from simpul.accounts.models import User
from simpul.accounts.seeding import DEMO_PASSWORD
from simpul.centers.models import Center

from ..conftest import VISIBLE_CENTERS
from ..test_i18n import _english
from .conftest import horizontal_overflow, login, screenshot

pytestmark = pytest.mark.browser


def _listed_centres(page: Page) -> set[str]:
    rows = page.locator("#center-table tbody tr td:first-child a")
    return set(rows.all_inner_texts())


@pytest.mark.parametrize("user_key", sorted(VISIBLE_CENTERS))
def test_each_role_logs_in_and_the_registry_shows_exactly_its_scope(live_world, live_server, page, user_key):
    user = live_world.user(user_key)
    login(page, live_server.url, user.username)
    expect(page.locator("h1")).to_contain_text("Selamat datang")
    expect(page.locator("main")).to_contain_text(str(user.get_role_display()))
    page.click("nav.nav-wide >> text=BLK Komunitas")
    # Read the list once it has arrived: read at once, a loaded machine still shows the home page (no rows).
    page.wait_for_url(f"{live_server.url}/blk/")
    expected = {getattr(live_world, key).name for key in VISIBLE_CENTERS[user_key]}
    expect(page.locator("#center-table tbody tr")).to_have_count(len(expected))
    assert _listed_centres(page) == expected
    screenshot(page, f"registry-{user_key}")


def test_a_manager_edits_their_own_centre_and_gets_404_on_another(live_world, live_server, page):
    manager = live_world.user("pengelola_malang")
    login(page, live_server.url, manager.username)
    page.goto(f"{live_server.url}/blk/{live_world.malang.pk}/")
    page.click("#edit-center")
    page.fill("#id_phone", "0341 551234")
    page.fill("#id_address", "Jl. Raya Pesantren No. 17")
    page.click("form.stacked button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("tersimpan")
    expect(page.locator("main")).to_contain_text("(0341) 551234")
    expect(page.locator("#history")).to_contain_text("Jl. Raya Pesantren No. 17")
    screenshot(page, "manager-edited-centre")
    # Another centre's edit page, typed by hand, is simply not there.
    response = page.goto(f"{live_server.url}/blk/{live_world.semarang.pk}/ubah/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Halaman tidak ditemukan")
    assert Center.objects.get(pk=live_world.semarang.pk).address == live_world.semarang.address


def test_a_province_official_sees_every_centre_of_the_province_and_none_elsewhere(live_world, live_server, page):
    official = live_world.user("pemda_jatim")
    login(page, live_server.url, official.username)
    page.goto(f"{live_server.url}/blk/")
    assert _listed_centres(page) == {live_world.malang.name, live_world.kota_malang.name}
    # Filtering to another province finds nothing (HTMX swaps the results in place).
    page.click("details.more-filters summary")
    page.select_option("#id_province", "33")
    expect(page.locator("#center-empty")).to_be_visible()
    assert page.url.endswith("province=33") or "province=33" in page.url
    # Filtering to a regency of the own province narrows the list.
    page.select_option("#id_province", "35")
    expect(page.locator("#id_regency option[value='35.73']")).to_have_count(1)
    page.select_option("#id_regency", "35.73")
    expect(page.locator("#center-table tbody tr")).to_have_count(1)
    assert _listed_centres(page) == {live_world.kota_malang.name}
    response = page.goto(f"{live_server.url}/blk/{live_world.semarang.pk}/")
    assert response.status == 404


def test_the_region_pickers_follow_each_other(live_world, live_server, page):
    login(page, live_server.url, live_world.user("admin").username)
    page.goto(f"{live_server.url}/blk/{live_world.malang.pk}/ubah/")
    page.select_option("#id_province", "33")
    expect(page.locator("#id_regency option[value='33.74']")).to_have_count(1)
    expect(page.locator("#id_regency option[value='35.07']")).to_have_count(0)
    # the district list was cleared: a district of the old regency cannot stay chosen
    expect(page.locator("#id_district option")).to_have_count(1)
    page.select_option("#id_regency", "33.74")
    expect(page.locator("#id_district option")).not_to_have_count(1)


def test_everything_fits_a_360_pixel_phone(live_world, live_server, phone):
    login(phone, live_server.url, live_world.user("pengelola_malang").username)
    for path, name in [
        ("/", "phone-home"),
        ("/blk/", "phone-list"),
        (f"/blk/{live_world.malang.pk}/", "phone-detail"),
        (f"/blk/{live_world.malang.pk}/ubah/", "phone-edit"),
        ("/akun/", "phone-account"),
    ]:
        phone.goto(live_server.url + path)
        assert horizontal_overflow(phone) == 0, path
        screenshot(phone, name)
    # The menu opens from its button and leads on.
    phone.click("details.nav-mobile summary")
    phone.click(".nav-panel a:text-is('BLK Komunitas')")
    expect(phone.locator("h1")).to_have_text("BLK Komunitas")


def test_indonesian_is_the_default_and_english_can_be_chosen(live_world, live_server, page):
    # The browser asks for English (locale en-US), as many phones here do: Indonesian anyway.
    login(page, live_server.url, live_world.user("admin").username)
    expect(page.locator("nav.nav-wide")).to_contain_text("Pengguna")
    page.select_option("#language", "en")
    page.click("footer button[type=submit]")
    expect(page.locator("nav.nav-wide")).to_contain_text(_english("Pengguna"))
    expect(page.locator("h1")).to_contain_text(_english("Selamat datang, %(name)s").split("%")[0].strip(", "))
    screenshot(page, "english-home")


def test_the_demo_accounts_of_the_readme_log_in_and_see_their_scope(transactional_db, live_server, page):
    from ..conftest import load_reference_data

    load_reference_data()
    call_command("seed", scale=0.004, stdout=open(os.devnull, "w"))  # noqa: SIM115
    for username in ["admin.pusat", "fkn.jatim", "pemda.malang", "pengelola.demo", "wirausaha.demo"]:
        user = User.objects.get(username=username)
        login(page, live_server.url, username, DEMO_PASSWORD)
        expect(page.locator(".demo-banner")).to_be_visible()
        page.goto(f"{live_server.url}/blk/")
        expected = policy.scope_queryset(user, Center.objects.all()).count()
        expect(page.locator("#center-table caption")).to_contain_text(f"{expected} BLK")
        page.click("header .user-menu button[type=submit]")
        page.wait_for_url(f"{live_server.url}/masuk/")
