"""The monitoring map (/pantauan/peta/): who sees which areas and centres, the values it carries, its cost."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from simpul.monitoring.map_data import map_data
from simpul.monitoring.measures import INDICATOR_BY_KEY
from simpul.monitoring.scope import CENTER, NATIONAL, PROVINCE, REGENCY, Scope
from simpul.monitoring.selectors import Filters, add_months
from simpul.regions.models import Province, Regency

from .conftest import VISIBLE_CENTERS
from .factories import CenterFactory
from .reports import EMPTY_MONTH, approve_monthly_report


def last_whole_month() -> dt.date:
    today = timezone.localdate()
    return add_months(dt.date(today.year, today.month, 1), -1)


def _markers(response) -> list[dict]:
    return response.json()["markers"]


def _names(response) -> set[str]:
    return {m["name"] for m in _markers(response)}


def _by_name(response) -> dict[str, dict]:
    return {m["name"]: m for m in _markers(response)}


def _approve_three_months(world) -> dict[str, str]:
    """Malang 20 + 6 participants (24 graduates), Semarang 4 (2 graduates); the range both months."""
    month = last_whole_month()
    approve_monthly_report(
        world,
        world.malang,
        month=month,
        values={**EMPTY_MONTH, "peserta_l": "10", "peserta_p": "10", "lulus_l": "9", "lulus_p": "9"},
        staff="admin",
        verifier="fkn_national",
    )
    approve_monthly_report(
        world,
        world.semarang,
        month=month,
        values={**EMPTY_MONTH, "peserta_l": "4", "lulus_l": "2"},
        staff="admin",
        verifier="fkn_national",
    )
    earlier = add_months(month, -1)
    approve_monthly_report(
        world,
        world.malang,
        month=earlier,
        values={**EMPTY_MONTH, "peserta_l": "6", "lulus_l": "6"},
        staff="admin",
        verifier="fkn_national",
    )
    return {"from": f"{earlier:%Y-%m}", "to": f"{month:%Y-%m}"}


# --- who sees what ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(VISIBLE_CENTERS))
def test_each_role_sees_the_centres_of_its_own_scope_or_nothing(client, world, key):
    client.force_login(world.user(key))
    page = client.get(reverse("monitoring:map"))
    data = client.get(reverse("monitoring:map-data"))
    if key in ("mentor_malang", "wirausaha_malang"):  # no dashboards for them
        assert (page.status_code, data.status_code) == (404, 404)
        return
    assert (page.status_code, data.status_code) == (200, 200)
    expected = [getattr(world, name) for name in VISIBLE_CENTERS[key]]
    level = data.json()["level"]
    if level == CENTER:
        assert _names(data) == {c.name for c in expected}
        return
    # Above a regency the markers are areas: those holding centres are exactly the visible ones' areas.
    area_of = {PROVINCE: lambda c: c.province.name, REGENCY: lambda c: c.regency.name}[level]
    counts = {m["name"]: m["n"] for m in _markers(data) if m["n"]}
    assert counts == dict(Counter(area_of(c) for c in expected))


def test_the_nation_shows_provinces_a_province_its_regencies_a_regency_its_centres(client, world):
    client.force_login(world.user("admin"))
    url = reverse("monitoring:map-data")
    national = client.get(url).json()
    assert national["level"] == PROVINCE
    assert {m["name"] for m in national["markers"]} == set(
        Province.objects.filter(is_active=True).values_list("name", flat=True)
    )
    province = client.get(url, {"level": "province", "code": "35"}).json()
    assert province["level"] == REGENCY
    assert {m["name"] for m in province["markers"]} == set(
        Regency.objects.filter(province_id="35", is_active=True).values_list("name", flat=True)
    )
    regency = client.get(url, {"level": "regency", "code": "35.73"}).json()
    assert regency["level"] == CENTER
    assert [m["name"] for m in regency["markers"]] == [world.kota_malang.name]
    centre = client.get(url, {"level": "center", "code": world.malang.pk}).json()
    assert [m["name"] for m in centre["markers"]] == [world.malang.name]


def test_an_area_marker_sits_at_the_mean_of_its_located_centres_and_carries_only_what_the_popup_shows(client, world):
    world.malang.latitude, world.malang.longitude = Decimal("-8.2"), Decimal("112.6")
    world.malang.save()
    world.kota_malang.latitude, world.kota_malang.longitude = Decimal("-7.9"), Decimal("112.7")
    world.kota_malang.save()
    client.force_login(world.user("admin"))
    provinces = _by_name(client.get(reverse("monitoring:map-data")))
    east_java = provinces[world.malang.province.name]
    assert (east_java["lat"], east_java["lng"], east_java["n"]) == (
        pytest.approx(-8.05),
        pytest.approx(112.65),
        2,
    )
    assert set(east_java) == {"name", "lat", "lng", "value_text", "colour", "n", "links"}
    central_java = provinces[world.semarang.province.name]  # a centre, but no coordinates
    assert (central_java["lat"], central_java["lng"], central_java["n"]) == (None, None, 1)


@pytest.mark.parametrize(
    ("key", "params"),
    [
        ("pemda_jatim", {"level": "province", "code": "33"}),
        ("pemda_malang", {"level": "regency", "code": "35.73"}),
        ("pemda_malang", {"level": "national"}),
        ("fkn_jatim", {"level": "province", "code": "99"}),
    ],
)
def test_a_scope_outside_ones_own_is_not_found(client, world, key, params):
    client.force_login(world.user(key))
    assert client.get(reverse("monitoring:map-data"), params).status_code == 404
    assert client.get(reverse("monitoring:map"), params).status_code == 404


def test_a_centre_manager_sees_only_their_centre_and_not_a_neighbour(client, world):
    client.force_login(world.user("pengelola_malang"))
    own = client.get(reverse("monitoring:map-data"), {"level": "center", "code": world.malang.pk})
    other = client.get(reverse("monitoring:map-data"), {"level": "center", "code": world.kota_malang.pk})
    assert _names(own) == {world.malang.name}
    assert other.status_code == 404


def test_the_map_needs_a_login(client, world):
    response = client.get(reverse("monitoring:map-data"))
    assert response.status_code == 302
    assert "/masuk/" in response["Location"]


def test_the_national_page_lists_the_provinces_and_names_those_without_located_centres(client, world):
    world.malang.latitude, world.malang.longitude = Decimal("-8.1"), Decimal("112.6")
    world.malang.save()
    client.force_login(world.user("admin"))
    html = client.get(reverse("monitoring:map"), {"indicator": "graduation_rate"}).content.decode()
    assert 'id="map-table"' in html
    for code in ("31", "33", "35", "94"):
        assert f'data-area="{code}"' in html
    assert "data-centre=" not in html
    assert "/pantauan/peta/?level=province&amp;code=35&amp;indicator=graduation_rate" in html
    unlocated = html.split('id="map-unlocated"', 1)[1].split("</p>", 1)[0]
    assert world.semarang.province.name in unlocated  # a centre, without coordinates
    assert Province.objects.get(code="94").name in unlocated  # no centre at all
    assert world.malang.province.name not in unlocated
    assert 'data-map-url="/pantauan/peta/data.json?' in html
    assert "indicator=graduation_rate" in html


def test_a_regency_page_lists_its_centres_and_names_those_without_coordinates(client, world):
    extra = CenterFactory(name="BLK Komunitas Tanpa Titik", regency_id="35.07")
    world.malang.latitude, world.malang.longitude = Decimal("-8.1"), Decimal("112.6")
    world.malang.save()
    client.force_login(world.user("pemda_malang"))
    html = client.get(reverse("monitoring:map")).content.decode()
    for centre in (world.malang, extra):
        assert f'data-centre="{centre.pk}"' in html
    assert f'data-centre="{world.kota_malang.pk}"' not in html
    unlocated = html.split('id="map-unlocated"', 1)[1].split("</p>", 1)[0]
    assert extra.name in unlocated
    assert world.malang.name not in unlocated


def test_no_tile_server_is_named_unless_configured(client, world, settings):
    client.force_login(world.user("admin"))
    assert "data-tile-url" not in client.get(reverse("monitoring:map")).content.decode()
    settings.MAP_TILE_URL = "https://tiles.example.id/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "© Peta Contoh"
    html = client.get(reverse("monitoring:map")).content.decode()
    assert 'data-tile-url="https://tiles.example.id/{z}/{x}/{y}.png"' in html
    assert "© Peta Contoh" in html


def test_an_unknown_indicator_falls_back_to_participants(client, world):
    client.force_login(world.user("admin"))
    data = client.get(reverse("monitoring:map-data"), {"indicator": "nope"}).json()
    assert data["indicator"]["key"] == "participants"


def test_an_area_links_to_its_own_map_and_dashboard_keeping_the_indicator_and_filters(client, world):
    client.force_login(world.user("admin"))
    params = {"indicator": "placement_rate", "from": "2025-01", "to": "2025-06", "class": "mandiri"}
    provinces = _by_name(client.get(reverse("monitoring:map-data"), params))
    map_url, dashboard_url = (link["url"] for link in provinces[world.malang.province.name]["links"])
    assert (
        map_url
        == "/pantauan/peta/?level=province&code=35&indicator=placement_rate&from=2025-01&to=2025-06&class=mandiri"
    )
    assert dashboard_url == "/pantauan/?level=province&code=35&from=2025-01&to=2025-06&class=mandiri"
    assert client.get(dashboard_url).status_code == 200
    assert client.get(map_url).status_code == 200
    data_url = map_url.replace("/pantauan/peta/?", "/pantauan/peta/data.json?")
    regencies = _by_name(client.get(data_url))
    regency_map = regencies[world.malang.regency.name]["links"][0]["url"]
    assert regency_map.startswith("/pantauan/peta/?level=regency&code=35.07&indicator=placement_rate&from=2025-01")
    centres = client.get(regency_map.replace("/pantauan/peta/?", "/pantauan/peta/data.json?")).json()
    assert centres["level"] == CENTER


def test_each_centre_links_to_its_dashboard_and_its_registry_page(client, world):
    client.force_login(world.user("admin"))
    centres = _by_name(client.get(reverse("monitoring:map-data"), {"level": "regency", "code": "35.07"}))
    urls = [link["url"] for link in centres[world.malang.name]["links"]]
    assert urls[0].endswith(f"?level=center&code={world.malang.pk}")
    assert urls[1] == reverse("centers:detail", args=[world.malang.pk])


# --- the values (need the aggregate engine: monitoring/facts.py) ------------------------------


def test_the_national_map_gives_each_province_the_value_of_the_approved_reports(client, world):
    params = _approve_three_months(world)
    client.force_login(world.user("admin"))
    url = reverse("monitoring:map-data")
    east, central = world.malang.province.name, world.semarang.province.name
    participants = {m["name"]: m["value_text"] for m in _markers(client.get(url, params))}
    assert (participants[east], participants[central]) == ("26", "4")
    assert participants[Province.objects.get(code="31").name] == "0"
    rates = client.get(url, {**params, "indicator": "graduation_rate"}).json()
    by_name = {m["name"]: m for m in rates["markers"]}
    assert by_name[east]["value_text"] == "92,3%"  # 24 / 26
    assert by_name[central]["value_text"] == "50,0%"
    jakarta = by_name[Province.objects.get(code="31").name]
    assert jakarta["colour"] == rates["no_value_colour"]  # nothing to divide by
    assert len(rates["classes"]) == 5
    # the same figures the map_data layer gives, from the dashboards' area breakdown
    filters = Filters(dt.date.fromisoformat(params["from"] + "-01"), dt.date.fromisoformat(params["to"] + "-01"))
    values = {p.name: p.value for p in map_data(Scope(NATIONAL), filters, INDICATOR_BY_KEY["graduation_rate"]).points}
    assert values[east] == pytest.approx(Decimal("92.3"))
    assert values[central] == Decimal("50.0")
    # the month before the range is left out
    month = params["to"]
    only_last = _by_name(client.get(url, {"from": month, "to": month}))
    assert only_last[east]["value_text"] == "20"


def test_a_province_map_gives_each_regency_its_value_and_a_regency_map_each_centre(client, world):
    params = _approve_three_months(world)
    client.force_login(world.user("admin"))
    url = reverse("monitoring:map-data")
    regencies = _by_name(client.get(url, {**params, "level": "province", "code": "35"}))
    assert regencies[world.malang.regency.name]["value_text"] == "26"
    assert regencies[world.kota_malang.regency.name]["value_text"] == "0"
    assert regencies[world.malang.regency.name]["n"] == 1
    centres = client.get(url, {**params, "level": "regency", "code": "35.07", "indicator": "graduation_rate"}).json()
    (centre,) = centres["markers"]
    assert (centre["name"], centre["value_text"]) == (world.malang.name, "92,3%")
    assert "n" not in centre


def test_equal_values_make_one_legend_class_not_empty_ranges(client, world):
    approve_monthly_report(
        world,
        world.malang,
        month=last_whole_month(),
        values={**EMPTY_MONTH, "peserta_l": "16", "peserta_p": "16"},
        staff="admin",
        verifier="fkn_national",
    )
    client.force_login(world.user("pengelola_malang"))
    data = client.get(reverse("monitoring:map-data"), {"level": "center", "code": world.malang.pk}).json()
    assert [c["label"] for c in data["classes"]] == ["32"]
    (centre,) = data["markers"]
    assert centre["value_text"] == "32"
    assert centre["colour"] == data["classes"][0]["colour"]


# --- cost ------------------------------------------------------------------------------------


def _queries(scope: Scope, indicator: str) -> int:
    month = last_whole_month()
    filters = Filters(add_months(month, -11), month)
    with CaptureQueriesContext(connection) as queries:
        map_data(scope, filters, INDICATOR_BY_KEY[indicator])
    return len(queries)


@pytest.mark.parametrize("indicator", ["participants", "placement_rate", "tenant_workers"])
def test_the_map_costs_the_same_queries_for_one_centre_or_many(db, indicator):
    CenterFactory(regency_id="35.07")
    east_java = Scope(PROVINCE, province=Province.objects.get(code="35"))
    malang = Regency.objects.select_related("province").get(code="35.07")
    scopes = {
        "national": (Scope(NATIONAL), 3),  # the provinces, their figures, their centres' positions
        "province": (east_java, 3),
        "regency": (Scope(REGENCY, province=malang.province, regency=malang), 2),  # the centres, their sums
    }
    one = {name: _queries(scope, indicator) for name, (scope, _) in scopes.items()}
    for regency in ("33.74", "35.07", "35.73", "31.71"):
        for _ in range(4):
            CenterFactory(regency_id=regency, latitude=Decimal("-7.5"), longitude=Decimal("110.5"))
    many = {name: _queries(scope, indicator) for name, (scope, _) in scopes.items()}
    assert many == one == {name: count for name, (_, count) in scopes.items()}
