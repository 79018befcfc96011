"""Loading a version of the published area data set (idn-area-data).

Idempotent: loading the same version again writes nothing. Versioned: each
version is recorded; codes that are new in it are marked as introduced by it,
codes that it no longer has are retired (kept for the records that point to
them, hidden from new choices), names that changed are updated, and every one
of these changes is kept in the areas' history.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .models import District, Province, Regency, RegionDataset, province_timezone

DATA_ROOT = Path(__file__).resolve().parent / "data" / "idn-area-data"
SOURCE = "idn-area-data"
BATCH_SIZE = 2000


class RegionLoadError(Exception):
    pass


def available_versions() -> list[str]:
    versions = [p.name for p in DATA_ROOT.iterdir() if (p / "provinces.csv").exists()]
    return sorted(versions, key=_version_key)


def latest_version() -> str:
    return available_versions()[-1]


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split(".") if part.isdigit())


@dataclass
class LoadReport:
    version: str
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    retired: dict[str, int] = field(default_factory=dict)

    @property
    def unchanged(self) -> bool:
        return not any(self.created.values()) and not any(self.updated.values()) and not any(self.retired.values())

    def summary(self) -> str:
        parts = []
        for level in ("provinsi", "kabupaten/kota", "kecamatan"):
            parts.append(
                f"{level}: +{self.created.get(level, 0)} baru, "
                f"{self.updated.get(level, 0)} berubah, {self.retired.get(level, 0)} dihapus dari daftar"
            )
        return f"Data wilayah {SOURCE} {self.version}: " + "; ".join(parts)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def load_regions(
    *,
    version: str | None = None,
    directory: Path | None = None,
    only_provinces: Collection[str] | None = None,
) -> LoadReport:
    """Load a data set version. `only_provinces` loads a subset (for tests) and retires nothing."""
    version = version or (directory.name if directory else latest_version())
    directory = directory or DATA_ROOT / version
    files = [directory / name for name in ("provinces.csv", "regencies.csv", "districts.csv")]
    for path in files:
        if not path.exists():
            raise RegionLoadError(f"Berkas {path} tidak ada.")
    checksum = hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()

    provinces = _read(files[0])
    regencies = _read(files[1])
    districts = _read(files[2])
    wanted = set(only_provinces) if only_provinces else None
    if wanted is not None:
        provinces = [r for r in provinces if r["code"] in wanted]
        regencies = [r for r in regencies if r["province_code"] in wanted]
        districts = [r for r in districts if r["regency_code"][:2] in wanted]

    incoming: list[tuple[str, type[models.Model], dict[str, dict[str, Any]]]] = [
        (
            "provinsi",
            Province,
            {r["code"]: {"name": r["name"], "timezone": province_timezone(r["code"])} for r in provinces},
        ),
        (
            "kabupaten/kota",
            Regency,
            {r["code"]: {"name": r["name"], "province_id": r["province_code"]} for r in regencies},
        ),
        ("kecamatan", District, {r["code"]: {"name": r["name"], "regency_id": r["regency_code"]} for r in districts}),
    ]
    report = LoadReport(version=version)
    with transaction.atomic():
        dataset = _dataset_for(version, checksum)
        reason = f"{SOURCE} {version}"
        for level, model, rows in incoming:
            _apply_level(level, model, rows, dataset, reason, report, retire=wanted is None)
        if wanted is None:
            RegionDataset.objects.filter(pk=dataset.pk).update(
                province_count=len(provinces), regency_count=len(regencies), district_count=len(districts)
            )
    return report


def _dataset_for(version: str, checksum: str) -> RegionDataset:
    latest = RegionDataset.objects.order_by("-loaded_at", "-id").first()
    if latest and latest.version != version and _version_key(version) < _version_key(latest.version):
        raise RegionLoadError(f"Versi {version} lebih lama dari versi yang sudah dimuat ({latest.version}).")
    dataset, created = RegionDataset.objects.get_or_create(
        version=version, defaults={"source": SOURCE, "checksum": checksum}
    )
    if not created and dataset.checksum != checksum:
        raise RegionLoadError(f"Isi berkas versi {version} berbeda dari yang dulu dimuat; beri nomor versi baru.")
    return dataset


def _apply_level(
    level: str,
    model: type[models.Model],
    rows: dict[str, dict[str, Any]],
    dataset: RegionDataset,
    reason: str,
    report: LoadReport,
    *,
    retire: bool,
) -> None:
    existing: dict[str, Any] = {obj.pk: obj for obj in model._default_manager.all()}
    to_create: list[Any] = []
    to_update: list[Any] = []
    to_retire: list[Any] = []
    for code, values in rows.items():
        obj = existing.get(code)
        if obj is None:
            to_create.append(model(code=code, is_active=True, introduced_in=dataset, **values))
            continue
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed or not obj.is_active:
            for name, value in values.items():
                setattr(obj, name, value)
            obj.is_active = True
            obj.retired_in = None
            to_update.append(obj)
    if retire:
        for code, obj in existing.items():
            if code not in rows and obj.is_active:
                obj.is_active = False
                obj.retired_in = dataset
                to_retire.append(obj)
    if to_create:
        bulk_create_with_history(to_create, model, batch_size=BATCH_SIZE, default_change_reason=reason)
    changed_objects = to_update + to_retire
    if changed_objects:
        fields = [f for f in ("name", "timezone", "province", "regency") if _has_field(model, f)]
        bulk_update_with_history(
            changed_objects,
            model,
            fields=[*fields, "is_active", "retired_in"],
            batch_size=BATCH_SIZE,
            default_change_reason=reason,
        )
    report.created[level] = len(to_create)
    report.updated[level] = len(to_update)
    report.retired[level] = len(to_retire)


def _has_field(model: type[models.Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())
