"""Loading the Kemendagri areas from the shipped idn-area-data files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from simpul.regions.loader import DATA_ROOT, RegionLoadError, latest_version, load_regions
from simpul.regions.models import District, Province, Regency, RegionDataset, TimeZone, province_timezone


@pytest.fixture
def no_regions(db):
    """Start from empty area tables (the session's subset is restored by the rollback)."""
    for model in (District, Regency, Province):
        model.objects.all().delete()
        model.history.all().delete()
    RegionDataset.objects.all().delete()


def test_the_full_data_set_has_every_province_regency_and_district(no_regions):
    report = load_regions()
    assert Province.objects.filter(is_active=True).count() == 38
    assert Regency.objects.filter(is_active=True).count() == 514
    assert District.objects.filter(is_active=True).count() == 7285
    assert report.version == latest_version()
    dataset = RegionDataset.objects.get(version=report.version)
    assert (dataset.province_count, dataset.regency_count, dataset.district_count) == (38, 514, 7285)
    # The new Papua provinces of 2022 are there.
    assert set(Province.objects.filter(code__in=["93", "94", "95", "96"]).values_list("name", flat=True)) == {
        "Papua Selatan",
        "Papua Tengah",
        "Papua Pegunungan",
        "Papua Barat Daya",
    }


def test_loading_the_same_version_twice_changes_nothing(no_regions):
    load_regions()
    history_rows = District.history.count()
    second = load_regions()
    assert second.unchanged
    assert District.history.count() == history_rows
    assert RegionDataset.objects.count() == 1


def test_the_command_says_when_there_is_nothing_to_do(no_regions, capsys):
    call_command("load_regions")
    call_command("load_regions")
    assert "tidak ada perubahan" in capsys.readouterr().out


def _older_version(tmp_path: Path) -> Path:
    """A plausible earlier version: before provinces 93-96 were carved out of Papua,
    with a regency that was later renamed."""
    source = DATA_ROOT / latest_version()
    target = tmp_path / "3.9.0"
    target.mkdir()
    for name in ("provinces.csv", "regencies.csv", "districts.csv"):
        lines = (source / name).read_text(encoding="utf-8").splitlines()
        header, rows = lines[0], lines[1:]
        kept = [r for r in rows if not r.split(",")[0].startswith(("93", "94", "95", "96"))]
        if name == "regencies.csv":
            kept = [r.replace("Kota Malang", "Kotamadya Malang") if r.startswith("35.73,") else r for r in kept]
            kept.append("91.99,91,Kabupaten Lama Dihapus")
        (target / name).write_text("\n".join([header, *kept]) + "\n", encoding="utf-8")
    return target


def test_a_newer_version_adds_codes_renames_and_retires_without_deleting(no_regions, tmp_path):
    # given an earlier version of the data set was loaded
    load_regions(directory=_older_version(tmp_path))
    assert not Province.objects.filter(code="94").exists()
    assert Regency.objects.get(code="35.73").name == "Kotamadya Malang"
    # when the current version is loaded
    report = load_regions()
    # then new provinces arrive, names follow, and a vanished code is retired but kept
    new = RegionDataset.objects.get(version=latest_version())
    assert Province.objects.get(code="94").introduced_in == new
    assert Regency.objects.get(code="35.73").name == "Kota Malang"
    retired = Regency.objects.get(code="91.99")
    assert not retired.is_active
    assert retired.retired_in == new
    assert report.created["provinsi"] == 4
    assert report.retired["kabupaten/kota"] == 1
    # and the rename is in the history
    names = list(Regency.history.filter(code="35.73").order_by("history_date").values_list("name", flat=True))
    assert names == ["Kotamadya Malang", "Kota Malang"]


def test_an_older_version_cannot_overwrite_a_newer_one(no_regions, tmp_path):
    load_regions()
    with pytest.raises(RegionLoadError):
        load_regions(directory=_older_version(tmp_path))


def test_changed_files_under_an_old_version_number_are_refused(no_regions, tmp_path):
    target = tmp_path / latest_version()
    shutil.copytree(DATA_ROOT / latest_version(), target)
    load_regions(directory=target)
    with (target / "provinces.csv").open("a", encoding="utf-8") as handle:
        handle.write("97,Provinsi Baru\n")
    with pytest.raises(RegionLoadError):
        load_regions(directory=target)


@pytest.mark.parametrize(
    ("code", "zone"),
    [
        ("11", TimeZone.WIB),  # Aceh
        ("31", TimeZone.WIB),  # Jakarta
        ("36", TimeZone.WIB),  # Banten
        ("61", TimeZone.WIB_PONTIANAK),  # Kalimantan Barat
        ("62", TimeZone.WIB_PONTIANAK),  # Kalimantan Tengah
        ("63", TimeZone.WITA),  # Kalimantan Selatan
        ("51", TimeZone.WITA),  # Bali
        ("53", TimeZone.WITA),  # Nusa Tenggara Timur
        ("73", TimeZone.WITA),  # Sulawesi Selatan
        ("81", TimeZone.WIT),  # Maluku
        ("94", TimeZone.WIT),  # Papua Tengah
        ("96", TimeZone.WIT),  # Papua Barat Daya
    ],
)
def test_each_province_knows_its_time_zone(code, zone):
    assert province_timezone(code) == zone


def test_every_loaded_province_has_a_time_zone(no_regions):
    load_regions()
    assert not Province.objects.filter(timezone="").exists()
    assert Province.objects.filter(timezone=TimeZone.WIT).count() == 8


def test_regency_options_follow_the_chosen_province(client, world):
    client.force_login(world.user("admin"))
    html = client.get("/wilayah/kabupaten/", {"province": "35"}).content.decode()
    assert "Kabupaten Malang" in html
    assert "Kota Semarang" not in html
    html = client.get("/wilayah/kecamatan/", {"regency": "35.07"}).content.decode()
    assert District.objects.filter(regency_id="35.07").first().name in html


def test_the_odbl_licence_ships_next_to_the_data_it_covers():
    # Every shipped version of the data carries the licence text and the notice naming it.
    versions = [p for p in DATA_ROOT.iterdir() if (p / "provinces.csv").exists()]
    assert versions
    for version in versions:
        licence = (version / "LICENSE.md").read_text(encoding="utf-8")
        assert "Open Database License" in licence
        notice = (version / "README.md").read_text(encoding="utf-8")
        assert "ODbL" in notice
        assert "idn-area-data" in notice
        assert "LICENSE.md" in notice


@pytest.mark.parametrize("url_name", ["portal:home", "accounts:login", "portal:directory"])
def test_every_page_footer_credits_the_region_data_and_its_licence(client, db, url_name):
    page = client.get(reverse(url_name)).content.decode()
    footer = page[page.index("<footer") : page.index("</footer>")]
    assert "idn-area-data" in footer
    assert "ODbL" in footer
    assert "Kemendagri" in footer


def test_a_signed_in_page_credits_the_region_data_too(client, world):
    client.force_login(world.user("pengelola_malang"))
    page = client.get(reverse("centers:detail", args=[world.malang.pk])).content.decode()
    footer = page[page.index("<footer") : page.index("</footer>")]
    assert "idn-area-data (ODbL)" in footer
