"""The public portal: directory, figures and open data, without a login and without personal data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from frictionless import validate

from simpul.centers.models import CenterStatus, Vocation
from simpul.core.formats import format_phone
from simpul.portal import figures
from simpul.portal.figures import PRIMARY, SECONDARY, Cell, rate_cell, suppress, suppress_column

from .factories import CenterFactory, ContactPersonFactory, InstructorFactory, PersonFactory, make_nik
from .reports import EMPTY_MONTH, approve_monthly_report
from .test_monitoring_map import last_whole_month

# --- the directory ---------------------------------------------------------------------------


def test_the_public_pages_need_no_login(client, world):
    for url in (
        reverse("portal:directory"),
        reverse("portal:directory-map"),
        reverse("portal:directory-centre", args=[world.malang.pk]),
        reverse("portal:figures"),
        reverse("portal:open-data"),
        reverse("portal:open-data-package"),
        reverse("portal:open-data-csv", args=["angka-periode"]),
        reverse("portal:open-data-zip"),
    ):
        assert client.get(url).status_code == 200, url


def _listed(client, **params) -> list[str]:
    response = client.get(reverse("portal:directory"), params)
    return [c.name for c in response.context["page"].object_list]


def test_the_directory_searches_name_host_and_regency_and_filters_by_province(client, world):
    world.semarang.host_name = "Seminari Santo Petrus"
    world.semarang.save()
    assert _listed(client, q="darul ulum") == [world.malang.name]
    assert _listed(client, q="santo petrus") == [world.semarang.name]
    assert set(_listed(client, q="malang")) == {world.malang.name, world.kota_malang.name}  # regency names
    assert set(_listed(client, provinsi="35")) == {world.malang.name, world.kota_malang.name}
    assert _listed(client, provinsi="33", q="darul") == []
    assert "Tidak ada BLK yang cocok" in client.get(reverse("portal:directory"), {"q": "zzz"}).content.decode()


def test_the_map_data_follows_the_same_search(client, world):
    data = client.get(reverse("portal:directory-map"), {"provinsi": "33"}).json()
    assert [c["name"] for c in data["centres"]] == [world.semarang.name]
    assert data["centres"][0]["links"][0]["url"] == reverse("portal:directory-centre", args=[world.semarang.pk])


def test_the_directory_is_paginated(client, db):
    for n in range(25):
        CenterFactory(name=f"BLK Komunitas Halaman {n:02d}")
    first = client.get(reverse("portal:directory"))
    second = client.get(reverse("portal:directory"), {"page": 2})
    assert len(first.context["page"].object_list) == 20
    assert len(second.context["page"].object_list) == 5
    assert 'rel="next"' in first.content.decode()


def test_a_closed_centre_is_not_in_the_directory(client, world):
    world.semarang.status = CenterStatus.INACTIVE
    world.semarang.closed_on = dt.date(2025, 1, 1)
    world.semarang.save()
    assert world.semarang.name not in _listed(client)
    assert client.get(reverse("portal:directory-centre", args=[world.semarang.pk])).status_code == 404
    assert world.semarang.name not in client.get(reverse("portal:directory-map")).content.decode()


def test_a_centres_public_page_shows_its_host_region_and_vocations(client, world):
    world.malang.vocations.set(Vocation.objects.order_by("code")[:2])
    html = client.get(reverse("portal:directory-centre", args=[world.malang.pk])).content.decode()
    assert world.malang.name in html
    assert world.malang.host_name in html
    assert "Kabupaten Malang" in html.title() or world.malang.regency.name in html
    for vocation in Vocation.objects.order_by("code")[:2]:
        assert vocation.name in html


# --- no personal data ------------------------------------------------------------------------

SECRET_NIK = make_nik(dt.date(1999, 3, 14), female=True, serial=4321)


@pytest.fixture
def private_world(world):
    """The world with everything a public page must never show."""
    malang = world.malang
    malang.phone = "+6281211112222"
    malang.email = "blk.darululum@contoh.id"
    malang.address = "Jl. Kenanga Rahasia No. 17"
    malang.npwp = "0123456789012345"
    malang.latitude, malang.longitude = Decimal("-8.1"), Decimal("112.6")
    malang.save()
    ContactPersonFactory(
        center=malang, full_name="Siti Rahmawati Narahubung", phone="+6281298765432", email="siti@contoh.id"
    )
    InstructorFactory(center=malang, full_name="Agus Pratama Instruktur", phone="+6281377778888")
    manager = world.user("pengelola_malang")
    manager.full_name = "Bambang Wijaya Pengelola"
    manager.save()
    PersonFactory(full_name="Dewi Lestari Peserta", nik=SECRET_NIK)
    return world


def _secrets(world) -> list[str]:
    strings = [
        "Siti Rahmawati Narahubung",
        "Agus Pratama Instruktur",
        "Bambang Wijaya Pengelola",
        "Dewi Lestari Peserta",
        "siti@contoh.id",
        "blk.darululum@contoh.id",
        "pengelola@simpul.test",
        "Kenanga Rahasia",
        "0123456789012345",
        SECRET_NIK,
    ]
    for phone in ("+6281211112222", "+6281298765432", "+6281377778888"):
        strings += [phone, "0" + phone[3:], phone[3:], format_phone(phone)]
    return strings


def _public_responses(client, world) -> dict[str, bytes]:
    urls = [
        reverse("portal:home"),
        reverse("portal:showcase"),
        reverse("portal:directory"),
        reverse("portal:directory") + "?q=darul",
        reverse("portal:directory") + "?provinsi=35",
        reverse("portal:directory-map"),
        reverse("portal:directory-map") + f"?id={world.malang.pk}",
        reverse("portal:figures"),
        reverse("portal:open-data"),
        reverse("portal:open-data-package"),
    ]
    urls += [reverse("portal:directory-centre", args=[c.pk]) for c in (world.malang, world.kota_malang, world.semarang)]
    urls += [
        reverse("portal:open-data-csv", args=[name]) for name in ("angka-periode", "keadaan-saat-ini", "direktori-blk")
    ]
    bodies = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        bodies[url] = response.content
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("portal:open-data-zip")).content))
    for name in archive.namelist():
        bodies[f"zip:{name}"] = archive.read(name)
    return bodies


def test_no_public_response_carries_personal_data(client, private_world):
    world = private_world
    approve_monthly_report(
        world,
        world.malang,
        month=last_whole_month(),
        values={**EMPTY_MONTH, "peserta_l": "12", "lulus_l": "11"},
        staff="admin",
        verifier="fkn_national",
    )
    bodies = _public_responses(client, world)
    assert len(bodies) >= 17
    for url, body in bodies.items():
        text = body.decode("utf-8")
        for secret in _secrets(world):
            assert secret not in text, f"{secret!r} in {url}"


def test_the_public_centre_record_is_a_whitelist(client, private_world):
    record = client.get(reverse("portal:directory-map") + f"?id={private_world.malang.pk}").json()["centres"][0]
    assert set(record) == {
        "id", "name", "host_type", "host_name", "regency", "province", "status", "cohort", "lat", "lng",
        "vocations", "links",
    }  # fmt: skip


# --- no small counts -------------------------------------------------------------------------


def test_a_count_of_people_from_1_to_4_is_hidden_and_0_is_shown():
    assert suppress(3, people=True) == Cell(None, PRIMARY)
    assert suppress(3, people=True).text == "<5"
    assert suppress(0, people=True).text == "0"
    assert suppress(5, people=True).text == "5"
    assert suppress(3, people=False).text == "3"  # centres are public registry facts


def test_a_single_hidden_province_takes_another_with_it_so_the_total_gives_nothing_away():
    national, cells = suppress_column(27, {"33": 3, "35": 9, "31": 15, "94": 0}, people=True)
    assert national.text == "27"
    assert (cells["33"].reason, cells["35"].reason, cells["31"].reason) == (PRIMARY, SECONDARY, "")
    assert cells["94"].text == "0"
    # two hidden already protect each other
    _, cells = suppress_column(30, {"33": 3, "35": 2, "31": 25}, people=True)
    assert [cells[c].reason for c in ("33", "35", "31")] == [PRIMARY, PRIMARY, ""]


def test_a_rate_is_shown_only_when_both_its_parts_are():
    assert rate_cell(Cell(None, PRIMARY), Cell(20)).suppressed
    assert rate_cell(Cell(9), Cell(None, SECONDARY)).suppressed
    assert rate_cell(Cell(9), Cell(12)).value == Decimal("75.0")
    assert rate_cell(Cell(0), Cell(0)).text == "–"


@pytest.fixture
def small_province(world):
    """Central Java trains 3 people (all graduate); East Java trains 20 (18 graduate), last month."""
    month = last_whole_month()
    approve_monthly_report(
        world,
        world.semarang,
        month=month,
        values={**EMPTY_MONTH, "peserta_l": "3", "lulus_l": "3", "sertifikat_l": "3"},
        staff="admin",
        verifier="fkn_national",
    )
    approve_monthly_report(
        world,
        world.malang,
        month=month,
        values={
            **EMPTY_MONTH,
            "peserta_l": "12",
            "peserta_p": "8",
            "lulus_l": "10",
            "lulus_p": "8",
            "sertifikat_l": "9",
        },
        staff="admin",
        verifier="fkn_national",
    )
    return world


def _cell_text(html: str, table: str, area: str, figure: str) -> str:
    section = html.split(f'id="figures-{table}"', 1)[1].split("</section>", 1)[0]
    row = section.split(f'data-area="{area}"', 1)[1].split("</tr>", 1)[0]
    return row.split(f'data-figure="{figure}"', 1)[1].split(">", 1)[1].split("<", 1)[0]


def test_the_figures_page_shows_a_small_province_as_under_5(client, small_province):
    html = client.get(reverse("portal:figures")).content.decode()
    assert _cell_text(html, "12-bulan", "33", "graduates") == "&lt;5"
    assert _cell_text(html, "12-bulan", "33", "participants") == "&lt;5"
    assert _cell_text(html, "12-bulan", "35", "graduates") == "&lt;5"  # secondary: 21 - 18 would give it away
    assert _cell_text(html, "12-bulan", "nasional", "graduates") == "21"
    assert _cell_text(html, "12-bulan", "nasional", "participants") == "23"
    assert _cell_text(html, "12-bulan", "33", "graduation_rate") == "&lt;5"  # no rate of a hidden count
    assert _cell_text(html, "12-bulan", "33", "certified") == "&lt;5"
    assert _cell_text(html, "12-bulan", "nasional", "certified") == "12"
    assert _cell_text(html, "12-bulan", "nasional", "placed") == "0"


def _csv_rows(client, name: str) -> list[dict[str, str]]:
    body = client.get(reverse("portal:open-data-csv", args=[name])).content.decode("utf-8")
    return list(csv.DictReader(io.StringIO(body)))


def test_the_csv_leaves_a_small_count_empty_with_a_flag(client, small_province):
    rows = _csv_rows(client, "angka-periode")
    cell = {(r["periode"], r["kode_wilayah"], r["indikator"]): r for r in rows}
    small = cell[("12-bulan", "33", "graduates")]
    assert (small["nilai"], small["disembunyikan"], small["alasan"]) == ("", "true", "kurang_dari_5")
    assert cell[("12-bulan", "35", "graduates")]["alasan"] == "sekunder"
    assert cell[("12-bulan", "", "graduates")]["nilai"] == "21"
    assert cell[("12-bulan", "", "graduates")]["disembunyikan"] == "false"


PEOPLE = {f.key for f in figures.PERIOD_FIGURES + figures.CURRENT_FIGURES if f.people}


def test_no_public_figure_or_csv_holds_a_count_of_people_from_1_to_4(client, small_province):
    for name in ("angka-periode", "keadaan-saat-ini"):
        for row in _csv_rows(client, name):
            if row["indikator"] in PEOPLE and row["nilai"]:
                assert not 0 < Decimal(row["nilai"]) < 5, row
    html = client.get(reverse("portal:figures")).content.decode()
    for key in PEOPLE:
        for chunk in html.split(f'data-figure="{key}"')[1:]:
            text = chunk.split(">", 1)[1].split("<", 1)[0]
            assert text not in {"1", "2", "3", "4"}, (key, text)


# --- the data package ------------------------------------------------------------------------


def _unpack(client, tmp_path):
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("portal:open-data-zip")).content))
    archive.extractall(tmp_path)
    return tmp_path / "datapackage.json"


def test_the_data_package_is_valid_frictionless_data(client, small_province, tmp_path):
    descriptor = _unpack(client, tmp_path)
    report = validate(str(descriptor))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert {r["path"] for r in package["resources"]} == {
        "angka-periode.csv",
        "keadaan-saat-ini.csv",
        "direktori-blk.csv",
    }
    # the site serves the same descriptor and the same files
    served = client.get(reverse("portal:open-data-package")).json()
    assert [r["schema"] for r in served["resources"]] == [r["schema"] for r in package["resources"]]
    assert (tmp_path / "angka-periode.csv").read_bytes() == client.get(
        reverse("portal:open-data-csv", args=["angka-periode"])
    ).content


def test_a_tampered_csv_fails_validation(client, small_province, tmp_path):
    descriptor = _unpack(client, tmp_path)
    path = tmp_path / "angka-periode.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    broken = next(i for i, line in enumerate(lines[1:], 1) if line.split(",")[header.index("nilai")])
    cells = lines[broken].split(",")
    cells[header.index("nilai")] = "banyak"
    lines[broken] = ",".join(cells)
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    assert not validate(str(descriptor)).valid


def test_an_unknown_csv_is_not_found(client, db):
    assert client.get(reverse("portal:open-data-csv", args=["pengguna"])).status_code == 404


def test_the_landing_page_links_the_public_pages(client, db):
    html = client.get(reverse("portal:home")).content.decode()
    for name in ("portal:directory", "portal:figures", "portal:open-data", "portal:showcase"):
        assert f'href="{reverse(name)}"' in html


def _public_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["portal:directory", "portal:directory-map", "portal:figures"])
def test_public_pages_cost_the_same_queries_for_few_or_many_centres(client, world, name):
    url = reverse(name)
    few = _public_queries(client, url)
    for n in range(15):
        centre = CenterFactory(name=f"BLK Komunitas Tambahan {n}", regency_id="33.74")
        centre.vocations.set(Vocation.objects.order_by("code")[:2])
    assert _public_queries(client, url) == few
