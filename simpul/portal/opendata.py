"""Open data: the public figures as a Frictionless Data Package (v1): datapackage.json + CSV files.

Every number comes from figures.py, already suppressed: a hidden count is an
empty cell with `disembunyikan` true and the reason. The centre list carries
the directory's public fields only. The metadata is written in Indonesian and
not translated per request, so the same URL always gives the same package.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from simpul.core.exports import csv_cell

from .figures import FigureTable, current_table, period_tables
from .selectors import public_centre_record, public_centres

PACKAGE_NAME = "simpul-blk-komunitas"
LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
SUPPRESSION_NOTE = (
    "Jumlah orang 1 sampai 4 disembunyikan (nilai kosong, disembunyikan=true, alasan=kurang_dari_5) agar tidak "
    "ada orang yang dapat dikenali; bila hanya satu provinsi tersembunyi dalam satu kolom, satu provinsi lain "
    "ikut disembunyikan (alasan=sekunder) supaya tidak dapat dihitung dari jumlah nasional. Persentase hanya "
    "diisi bila pembilang dan penyebutnya ditampilkan."
)


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: str
    constraints: dict[str, Any] | None = None

    def descriptor(self) -> dict[str, Any]:
        descriptor: dict[str, Any] = {"name": self.name, "type": self.type, "description": self.description}
        if self.constraints:
            descriptor["constraints"] = self.constraints
        return descriptor


AREA_FIELDS = (
    Field("kode_wilayah", "string", "Kode wilayah Kemendagri (kosong untuk nasional)."),
    Field("nama_wilayah", "string", "Nama wilayah.", {"required": True}),
    Field("tingkat", "string", "Tingkat wilayah.", {"required": True, "enum": ["nasional", "provinsi"]}),
)
VALUE_FIELDS = (
    Field("indikator", "string", "Kode indikator (lihat kolom nama_indikator).", {"required": True}),
    Field("nama_indikator", "string", "Nama indikator."),
    Field("nilai", "number", "Nilai; kosong bila disembunyikan atau tidak dapat dihitung.", {"minimum": 0}),
    Field("disembunyikan", "boolean", "true bila nilai disembunyikan untuk melindungi orang.", {"required": True}),
    Field("alasan", "string", "Alasan nilai kosong.", {"enum": ["", "kurang_dari_5", "sekunder", "n/a"]}),
)


@dataclass(frozen=True)
class Resource:
    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()

    @property
    def path(self) -> str:
        return f"{self.name}.csv"


RESOURCES = (
    Resource(
        "angka-periode",
        "Angka pelatihan dan penempatan per periode",
        "Peserta, lulusan, bersertifikat, alumni bekerja/berwirausaha dan lapangan kerja wirausaha binaan, "
        "nasional dan per provinsi, untuk 12 bulan terakhir dan tiap tahun kalender. " + SUPPRESSION_NOTE,
        (
            Field("periode", "string", "Kode periode: 12-bulan atau tahun.", {"required": True}),
            Field("bulan_awal", "yearmonth", "Bulan pertama periode.", {"required": True}),
            Field("bulan_akhir", "yearmonth", "Bulan terakhir periode (bulan penuh).", {"required": True}),
            *AREA_FIELDS,
            *VALUE_FIELDS,
        ),
        ("periode", "tingkat", "kode_wilayah", "indikator"),
    ),
    Resource(
        "keadaan-saat-ini",
        "BLK Komunitas, inkubator dan wirausaha binaan saat ini",
        "Jumlah BLK Komunitas aktif, inkubator wirausaha dan wirausaha binaan, nasional dan per provinsi, "
        "pada tanggal data dibuat. " + SUPPRESSION_NOTE,
        (
            Field("tanggal", "date", "Tanggal data dibuat.", {"required": True}),
            *AREA_FIELDS,
            *VALUE_FIELDS,
        ),
        ("tingkat", "kode_wilayah", "indikator"),
    ),
    Resource(
        "direktori-blk",
        "Direktori BLK Komunitas",
        "BLK Komunitas yang beroperasi: nama, lembaga, kabupaten/kota, provinsi, status, tahun bantuan, "
        "koordinat dan kejuruan. Tanpa data pribadi.",
        (
            Field("id", "integer", "Nomor BLK di Simpul.", {"required": True, "unique": True}),
            Field("nama", "string", "Nama BLK Komunitas.", {"required": True}),
            Field("jenis_lembaga", "string", "Jenis lembaga pengelola."),
            Field("nama_lembaga", "string", "Nama lembaga pengelola."),
            Field("kabupaten_kota", "string", "Kabupaten/kota."),
            Field("provinsi", "string", "Provinsi."),
            Field("status", "string", "Status BLK."),
            Field("tahun_bantuan", "integer", "Tahun bantuan (angkatan)."),
            Field("lintang", "number", "Lintang (WGS 84).", {"minimum": -90, "maximum": 90}),
            Field("bujur", "number", "Bujur (WGS 84).", {"minimum": -180, "maximum": 180}),
            Field("kejuruan", "string", "Kejuruan, dipisah titik koma."),
        ),
        ("id",),
    ),
)
RESOURCE_BY_NAME = {r.name: r for r in RESOURCES}


def datapackage(base_url: str = "") -> dict[str, Any]:
    """The datapackage.json descriptor; paths are relative so the zip and the site read the same."""
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": "Simpul: angka publik BLK Komunitas",
        "description": (
            "Angka agregat program BLK Komunitas Kementerian Ketenagakerjaan dari Simpul. Tidak memuat data "
            "pribadi. " + SUPPRESSION_NOTE
        ),
        "homepage": f"{base_url}/data-terbuka/" if base_url else "/data-terbuka/",
        "licenses": [LICENSE],
        "created": timezone.now().replace(microsecond=0).isoformat(),
        "keywords": ["BLK Komunitas", "pelatihan vokasi", "Kemnaker", "ketenagakerjaan"],
        "resources": [
            {
                "name": r.name,
                "path": r.path,
                "title": r.title,
                "description": r.description,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "licenses": [LICENSE],
                "schema": {
                    "fields": [f.descriptor() for f in r.fields],
                    "missingValues": [""],
                    **({"primaryKey": list(r.primary_key)} if r.primary_key else {}),
                },
            }
            for r in RESOURCES
        ],
    }


def _value_rows(table: FigureTable) -> Iterator[list[Any]]:
    for area in table.areas:
        for key, label in table.columns:
            cell = area.cells[key]
            yield [
                area.code,
                area.name,
                area.level,
                key,
                str(label),
                cell.published,
                "true" if cell.suppressed else "false",
                cell.reason,
            ]


def resource_rows(name: str) -> Iterator[list[Any]]:
    if name == "angka-periode":
        for table in period_tables():
            start, end = f"{table.month_from:%Y-%m}", f"{table.month_to:%Y-%m}"  # period tables always have months
            for row in _value_rows(table):
                yield [table.key, start, end, *row]
    elif name == "keadaan-saat-ini":
        today = timezone.localdate().isoformat()
        for row in _value_rows(current_table()):
            yield [today, *row]
    elif name == "direktori-blk":
        for centre in public_centres().order_by("id"):
            record = public_centre_record(centre)
            yield [
                record["id"],
                record["name"],
                record["host_type"],
                record["host_name"],
                record["regency"],
                record["province"],
                record["status"],
                record["cohort"],
                record["lat"],
                record["lng"],
                "; ".join(record["vocations"]),
            ]
    else:
        raise KeyError(name)


def _csv(header: Sequence[str], rows: Iterator[list[Any]]) -> bytes:
    # Plain UTF-8 without a byte-order mark, as the Data Package spec expects; text that a
    # spreadsheet would read as a formula still gets its apostrophe.
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(v) if isinstance(v, str) else ("" if v is None else v) for v in row])
    return buffer.getvalue().encode("utf-8")


def resource_csv(name: str) -> bytes:
    resource = RESOURCE_BY_NAME[name]
    return _csv([f.name for f in resource.fields], resource_rows(name))


def package_zip(base_url: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(datapackage(base_url), ensure_ascii=False, indent=2))
        for resource in RESOURCES:
            archive.writestr(resource.path, resource_csv(resource.name))
    return buffer.getvalue()
