"""Real Chromium: the dashboards open on each person's own scope, every panel fills in on its own,
a click drills down from the nation to a centre, a phone sees it without sideways scrolling, and a
newly approved report changes the national figure."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from simpul.monitoring.dashboard_tables import PANELS
from simpul.regions.models import Province, Regency

from ..reports import MONTHLY_COMPLETE, approve_monthly_report
from .conftest import horizontal_overflow, login, screenshot

pytestmark = pytest.mark.browser


SMALLER_REPORT = {
    **MONTHLY_COMPLETE,
    **{"peserta_l": "10", "peserta_p": "6", "lulus_l": "9", "lulus_p": "6", "sertifikat_l": "5"},
    **{"sertifikat_p": "4", "bekerja_l": "1", "bekerja_p": "1", "wirausaha_l": "0", "wirausaha_p": "1"},
}


@pytest.fixture
def reported(live_world):
    """Last month's monthly report of the Malang centre, approved: 32 participants."""
    approve_monthly_report(live_world, live_world.malang, staff="pengelola_malang", every_centre=True)
    return live_world


def _open(page: Page, base_url: str, query: str = "") -> None:
    page.goto(f"{base_url}/pantauan/{'?' + query if query else ''}")
    _all_panels_loaded(page)


def _all_panels_loaded(page: Page) -> None:
    panels = page.locator("section.dash-panel[data-table-panel]")
    count = panels.count()
    assert count >= len(PANELS) - 1  # a centre has no area split
    expect(page.locator(".dash-panel .dash-loading")).to_have_count(0)
    expect(page.locator("section[data-table-panel] table caption")).to_have_count(count)
    # The early warnings and the map load beside the tables.
    expect(page.locator("#panel-warnings a[href*='/pantauan/peringatan/']").first).to_be_visible()
    expect(page.locator("#panel-map .leaflet-container")).to_have_count(1)


def _participants(page: Page):
    card = page.locator(".dash-card", has_text="Peserta dilatih")
    return card.locator(".figure")


def _name(code: str) -> str:
    return Regency.objects.get(pk=code).name if "." in code else Province.objects.get(pk=code).name


def test_admin_pusat_sees_the_nation_and_drills_down_to_a_centre(reported, live_server, page: Page):
    login(page, live_server.url, "admin")
    _open(page, live_server.url)
    expect(page.locator("h1")).to_contain_text("Nasional")
    expect(_participants(page)).to_have_text("32")
    # Charts are drawn from the tables beside them.
    expect(page.locator("#panel-trend .dash-split[data-drawn='true']")).to_have_count(1)
    expect(page.locator("#panel-area .dash-split[data-drawn='true']")).to_have_count(1)
    screenshot(page, "monitoring-national-desktop")
    # The trend shows another indicator when asked, in place.
    page.select_option("#trend-indicator", "graduation_rate")
    expect(page.locator("#panel-trend caption")).to_contain_text("Tingkat kelulusan")
    expect(page.locator("#panel-trend tbody tr").last).to_contain_text("96,9%")

    page.locator("#panel-area tbody a", has_text=_name("35")).click()
    page.wait_for_url("**level=province&code=35**")
    _all_panels_loaded(page)
    expect(page.locator("h1")).to_contain_text(_name("35"))
    expect(_participants(page)).to_have_text("32")

    page.locator("#panel-area tbody a", has_text=_name("35.07")).click()
    page.wait_for_url("**level=regency&code=35.07**")
    _all_panels_loaded(page)
    expect(page.locator("h1")).to_contain_text(_name("35.07"))

    page.locator("#panel-area tbody a", has_text=reported.malang.name).click()
    page.wait_for_url(f"**level=center&code={reported.malang.pk}**")
    _all_panels_loaded(page)
    expect(page.locator("h1")).to_contain_text(reported.malang.name)
    expect(_participants(page)).to_have_text("32")
    # The breadcrumbs lead back up.
    expect(page.locator("nav.breadcrumb a")).to_have_count(3)


def test_a_province_official_opens_on_their_province_and_sees_its_figures(reported, live_server, page: Page):
    login(page, live_server.url, "pemda.jatim")
    _open(page, live_server.url)
    expect(page.locator("h1")).to_contain_text(_name("35"))
    expect(_participants(page)).to_have_text("32")
    expect(page.locator("#f-province")).to_have_count(0)
    # The figure opens the approved reports behind it.
    _participants(page).locator("a").click()
    page.wait_for_url("**/laporan/**")
    expect(page.locator("body")).to_contain_text(reported.malang.name)


def test_a_centre_manager_sees_their_centre_on_a_phone_without_sideways_scrolling(reported, live_server, phone: Page):
    login(phone, live_server.url, "pengelola")
    _open(phone, live_server.url)
    expect(phone.locator("h1")).to_contain_text(reported.malang.name)
    expect(_participants(phone)).to_have_text("32")
    phone.wait_for_timeout(300)  # the charts settle to the phone's width
    assert horizontal_overflow(phone) == 0
    screenshot(phone, "monitoring-centre-phone")


def test_a_newly_approved_report_changes_the_national_figure_on_reload(reported, live_server, page: Page):
    login(page, live_server.url, "admin")
    _open(page, live_server.url)
    expect(_participants(page)).to_have_text("32")
    # sent by a new manager of the Semarang centre, verified by Kemnaker
    approve_monthly_report(reported, reported.semarang, values=SMALLER_REPORT, every_centre=True)
    page.reload()
    _all_panels_loaded(page)
    expect(_participants(page)).to_have_text("48")
