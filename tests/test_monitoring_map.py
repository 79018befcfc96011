"""The monitoring map (/pantauan/peta/): who sees which centres, the values it carries, its cost."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from simpul.monitoring.map_data import map_data
from simpul.monitoring.measures import INDICATOR_BY_KEY
from simpul.monitoring.scope import NATIONAL, Scope
from simpul.monitoring.selectors import Filters, add_months

from .conftest import VISIBLE_CENTERS
from .factories import CenterFactory
from .reports import EMPTY_MONTH, approve_monthly_report


def last_whole_month() -> dt.date:
    today = timezone.localdate()
    return add_months(dt.date(today.year, today.month, 1), -1)


def _names(response) -> set[str]:
    return {c["name"] for c in response.json()["centres"]}


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
    expected = {getattr(world, name).name for name in VISIBLE_CENTERS[key]}
    assert _names(data) == expected


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


def test_the_page_lists_every_centre_in_a_table_and_names_those_without_coordinates(client, world):
    world.malang.latitude, world.malang.longitude = Decimal("-8.1"), Decimal("112.6")
    world.malang.save()
    client.force_login(world.user("admin"))
    html = client.get(reverse("monitoring:map"), {"indicator": "graduation_rate"}).content.decode()
    assert 'id="map-table"' in html
    for centre in (world.malang, world.kota_malang, world.semarang):
        assert f'data-centre="{centre.pk}"' in html
    unlocated = html.split('id="map-unlocated"', 1)[1].split("</p>", 1)[0]
    assert world.kota_malang.name in unlocated
    assert world.malang.name not in unlocated
    assert 'data-map-url="/pantauan/peta/data.json?' in html
    assert "indicator=graduation_rate" in html


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


def test_each_centre_links_to_its_dashboard_and_its_registry_page(client, world):
    client.force_login(world.user("admin"))
    centres = client.get(reverse("monitoring:map-data")).json()["centres"]
    malang = next(c for c in centres if c["id"] == world.malang.pk)
    urls = [link["url"] for link in malang["links"]]
    assert urls[0].endswith(f"?level=center&code={world.malang.pk}")
    assert urls[1] == reverse("centers:detail", args=[world.malang.pk])


# --- the values (need the aggregate engine: monitoring/facts.py) ------------------------------


def test_the_values_agree_with_the_approved_reports(client, world):
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
    client.force_login(world.user("admin"))
    params = {"from": f"{earlier:%Y-%m}", "to": f"{month:%Y-%m}"}
    participants = {c["id"]: c["value"] for c in client.get(reverse("monitoring:map-data"), params).json()["centres"]}
    assert participants == {world.malang.pk: 26, world.kota_malang.pk: 0, world.semarang.pk: 4}
    rates = client.get(reverse("monitoring:map-data"), {**params, "indicator": "graduation_rate"}).json()
    by_id = {c["id"]: c for c in rates["centres"]}
    assert by_id[world.malang.pk]["value"] == pytest.approx(24 / 26 * 100, abs=0.05)
    assert by_id[world.semarang.pk]["value"] == pytest.approx(50.0)
    assert by_id[world.kota_malang.pk]["value"] is None  # nothing to divide by
    assert by_id[world.kota_malang.pk]["colour"] == rates["no_value_colour"]
    assert len(rates["classes"]) == 5
    # the month before the range is left out
    only_last = client.get(reverse("monitoring:map-data"), {"from": f"{month:%Y-%m}", "to": f"{month:%Y-%m}"})
    assert {c["id"]: c["value"] for c in only_last.json()["centres"]}[world.malang.pk] == 20


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
    (centre,) = data["centres"]
    assert centre["value"] == 32
    assert centre["colour"] == data["classes"][0]["colour"]


# --- cost ------------------------------------------------------------------------------------


def _queries(indicator: str) -> int:
    month = last_whole_month()
    filters = Filters(add_months(month, -11), month)
    with CaptureQueriesContext(connection) as queries:
        map_data(Scope(NATIONAL), filters, INDICATOR_BY_KEY[indicator])
    return len(queries)


@pytest.mark.parametrize("indicator", ["participants", "placement_rate", "tenant_workers"])
def test_the_map_costs_the_same_queries_for_one_centre_or_many(db, indicator):
    CenterFactory()
    one = _queries(indicator)
    for _ in range(12):
        CenterFactory(regency_id="33.74")
    assert _queries(indicator) == one == 2
