"""Real Chromium: an anonymous visitor finds a centre in the directory and on its map, all from our own server."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from .conftest import horizontal_overflow, login, screenshot

pytestmark = pytest.mark.browser

PLACES = {  # real places, so the markers land where the centres are
    "malang": (Decimal("-8.1630"), Decimal("112.5680")),
    "kota_malang": (Decimal("-7.9666"), Decimal("112.6326")),
    "semarang": (Decimal("-6.9932"), Decimal("110.4203")),
}


@pytest.fixture
def located_world(live_world):
    for key, (latitude, longitude) in PLACES.items():
        centre = getattr(live_world, key)
        centre.latitude, centre.longitude = latitude, longitude
        centre.save()
    return live_world


def _record_hosts(page: Page) -> set[str]:
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))
    return hosts


def _markers(page: Page):
    expect(page.locator(".map-panel[data-ready='1']")).to_have_count(1)
    return page.locator(".map-panel path.centre-marker")


def test_a_visitor_searches_the_directory_sees_the_centre_on_the_map_and_opens_its_page(
    located_world, live_server, page
):
    hosts = _record_hosts(page)
    page.goto(f"{live_server.url}/")
    page.click("#to-directory")
    expect(_markers(page)).to_have_count(3)
    page.fill("#q", "Darul Ulum")
    page.click("#directory-search")
    expect(page.locator("#directory-results li")).to_have_count(1)
    expect(page.locator("#directory-results")).to_contain_text(located_world.malang.name)
    markers = _markers(page)
    expect(markers).to_have_count(1)
    markers.first.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text(located_world.malang.name)
    expect(popup).to_contain_text(located_world.malang.regency.name)
    screenshot(page, "portal-directory-search")
    popup.locator("a").click()
    expect(page.locator("h1")).to_have_text(located_world.malang.name)
    expect(_markers(page)).to_have_count(1)
    assert hosts == {urlparse(live_server.url).netloc}, hosts


def test_the_directory_and_figures_fit_a_360_px_phone(located_world, live_server, phone):
    hosts = _record_hosts(phone)
    phone.goto(f"{live_server.url}/direktori/")
    expect(_markers(phone)).to_have_count(3)
    assert horizontal_overflow(phone) == 0
    screenshot(phone, "portal-directory-phone")
    phone.goto(f"{live_server.url}/angka/")
    expect(phone.locator("#figures-saat-ini")).to_be_visible()
    assert horizontal_overflow(phone) == 0
    screenshot(phone, "portal-figures-phone")
    phone.goto(f"{live_server.url}/")
    assert horizontal_overflow(phone) == 0
    assert hosts == {urlparse(live_server.url).netloc}, hosts


def test_an_official_opens_the_monitoring_map_on_a_phone(located_world, live_server, phone):
    hosts = _record_hosts(phone)
    login(phone, live_server.url, located_world.user("pemda_jatim").username)
    phone.goto(f"{live_server.url}/pantauan/peta/?indicator=graduation_rate")
    # East Java's map shows its regencies: the two holding a centre have a marker, not Semarang's
    expect(phone.locator(".map-panel[data-ready='1']")).to_have_count(1)
    expect(phone.locator(".map-panel path.area-marker")).to_have_count(2)
    expect(phone.locator(".map-panel path.centre-marker")).to_have_count(0)
    expect(phone.locator(".map-legend li")).to_have_count(6)  # rates: five fixed classes, and "no value"
    for regency in (located_world.malang.regency, located_world.kota_malang.regency):
        expect(phone.locator(f"#map-table tbody tr[data-area='{regency.code}']")).to_have_count(1)
    expect(phone.locator(f"#map-table tbody tr[data-area='{located_world.semarang.regency.code}']")).to_have_count(0)
    assert horizontal_overflow(phone) == 0
    screenshot(phone, "monitoring-map-phone")
    assert hosts == {urlparse(live_server.url).netloc}, hosts
