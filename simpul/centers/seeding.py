"""Synthetic registry data: centres spread over real regencies, with their people and facilities."""

from __future__ import annotations

import csv
import datetime as dt
import time
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from simple_history.utils import bulk_create_with_history

from simpul.core import fake
from simpul.core.seeding import BATCH_SIZE, SeedContext, seeder
from simpul.regions.models import District, Regency

from .models import (
    Center,
    CenterStatus,
    Condition,
    ContactPerson,
    DevelopmentClass,
    Facility,
    FacilityKind,
    HostType,
    Instructor,
    SubVocation,
    TechnicalUnit,
    Vocation,
)

NATIONAL_CENTERS = 5000
# Grant years and how many centres each added (2,127 by 2020, 3,757 by 2022,
# 4,282 by 2023, about 4,700 by 2024; DESIGN.md).
COHORT_SIZES = {2017: 50, 2018: 75, 2019: 1000, 2020: 1002, 2021: 630, 2022: 1000, 2023: 525, 2024: 418, 2025: 300}
HOST_TYPE_WEIGHTS = {
    HostType.PONDOK_PESANTREN: 80,
    HostType.SEMINARI: 4,
    HostType.DHAMMASEKHA: 2,
    HostType.PASRAMAN: 3,
    HostType.RELIGIOUS_OTHER: 5,
    HostType.UNION: 6,
}
HOST_PREFIX = {
    HostType.PONDOK_PESANTREN: ("Pondok Pesantren", fake.PESANTREN_NAMES),
    HostType.SEMINARI: ("Seminari", fake.SEMINARI_NAMES),
    HostType.DHAMMASEKHA: ("Dhammasekha", fake.DHAMMASEKHA_NAMES),
    HostType.PASRAMAN: ("Pasraman", fake.PASRAMAN_NAMES),
    HostType.RELIGIOUS_OTHER: ("", fake.RELIGIOUS_OTHER_NAMES),
    HostType.UNION: ("Serikat Pekerja", fake.UNION_NAMES),
}
DEMO_REGENCY = "35.07"  # Kabupaten Malang, Jawa Timur: home of the demo accounts
DEMO_HOST = "Pondok Pesantren Darul Hikmah"


def _synthetic_provinces() -> dict[str, dict[str, float]]:
    path = Path(__file__).resolve().parent / "data" / "synthetic_provinces.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["code"]: {k: float(v) for k, v in row.items() if k != "code"} for row in csv.DictReader(handle)}


def _weighted(rng: Any, weights: Mapping[Any, float]) -> Any:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


class _Builder:
    def __init__(self, context: SeedContext) -> None:
        self.rng = context.rng
        self.provinces = _synthetic_provinces()
        self.regencies: dict[str, list[str]] = defaultdict(list)
        self.place_names: dict[str, str] = {}
        for code, province, name in Regency.objects.filter(is_active=True).values_list("code", "province_id", "name"):
            self.regencies[province].append(code)
            self.place_names[code] = name.removeprefix("Kabupaten ").removeprefix("Kota ")
        self.districts: dict[str, list[str]] = defaultdict(list)
        for code, regency in District.objects.filter(is_active=True).values_list("code", "regency_id"):
            self.districts[regency].append(code)
        self.provinces = {c: p for c, p in self.provinces.items() if self.regencies.get(c)}
        self.units = list(TechnicalUnit.objects.values_list("pk", flat=True))
        self.vocations = list(Vocation.objects.values_list("pk", flat=True))
        self.subs: dict[int, list[int]] = defaultdict(list)
        for pk, vocation in SubVocation.objects.values_list("pk", "vocation_id"):
            self.subs[vocation].append(pk)

    def center(self, index: int, regency: str | None = None, host: str | None = None) -> Center:
        rng = self.rng
        province = regency[:2] if regency else _weighted(rng, {c: p["weight"] for c, p in self.provinces.items()})
        regency = regency or rng.choice(self.regencies[province])
        host_type = _weighted(rng, HOST_TYPE_WEIGHTS)
        prefix, names = HOST_PREFIX[host_type]
        host_name = f"{prefix} {rng.choice(names)}".strip()
        if host is not None:
            host_type, host_name = HostType.PONDOK_PESANTREN, host
        elif rng.random() < 0.5:
            # Many hosts share a name; the place tells them apart, as in real life.
            host_name += " " + self.place_names[regency]
        cohort = _weighted(rng, COHORT_SIZES)
        spot = self.provinces[province]
        age = 2026 - cohort
        development_class = _weighted(
            rng,
            {
                DevelopmentClass.TUMBUH: 60 - 5 * age,
                DevelopmentClass.BERKEMBANG: 25 + 3 * age,
                DevelopmentClass.MANDIRI: 5 + 2 * age,
            },
        )
        status = CenterStatus.ACTIVE
        roll = rng.random()
        if development_class != DevelopmentClass.TUMBUH and roll < 0.08:
            status = CenterStatus.INCUBATOR
        elif roll > 0.98 and cohort <= 2022:
            status = CenterStatus.INACTIVE
        permit_year = min(cohort + rng.randrange(0, 2), 2026)
        # Built in the grant year, training from a few months later.
        opened_on = dt.date(cohort, rng.randrange(6, 13), rng.randrange(1, 29))
        closed_on = opened_on + dt.timedelta(days=rng.randrange(400, 1200)) if status == CenterStatus.INACTIVE else None
        return Center(
            name=f"BLK Komunitas {host_name}",
            host_type=host_type,
            host_name=host_name,
            yayasan_name=f"Yayasan {host_name.split(' ', 1)[-1] if host_type != HostType.UNION else host_name}",
            npwp=fake.npwp(rng),
            address=fake.address(rng),
            province_id=province,
            regency_id=regency,
            district_id=rng.choice(self.districts[regency]),
            postal_code=f"{rng.randrange(20000, 99999)}",
            latitude=Decimal(f"{spot['latitude'] + rng.uniform(-spot['spread'], spot['spread']):.6f}"),
            longitude=Decimal(f"{spot['longitude'] + rng.uniform(-spot['spread'], spot['spread']):.6f}"),
            phone=fake.mobile_phone(rng),
            email=f"blk{index:05d}@simpul.test",
            cohort=cohort,
            vin=None if rng.random() < 0.15 else f"VIN-{regency.replace('.', '')}-{cohort}-{index:05d}",
            permit_number=f"{rng.randrange(1, 999):03d}/IZOP/BLKK/{permit_year}",
            permit_date=dt.date(permit_year, rng.randrange(1, 13), rng.randrange(1, 29)),
            technical_unit_id=rng.choice(self.units) if self.units else None,
            development_class=development_class,
            status=status,
            opened_on=opened_on,
            closed_on=closed_on,
        )

    def vocations_for(self) -> list[tuple[int, list[int]]]:
        chosen = self.rng.sample(self.vocations, k=self.rng.choice((1, 1, 2, 2, 3)))
        return [(v, self.rng.sample(self.subs[v], k=1) if self.subs[v] else []) for v in chosen]

    def children(self, center: Center) -> tuple[list[Instructor], list[Facility], list[ContactPerson]]:
        rng = self.rng
        instructors = [
            Instructor(
                center=center,
                full_name=fake.person_name(rng),
                vocation_id=rng.choice(self.vocations),
                phone=fake.mobile_phone(rng),
                certification="Sertifikat kompetensi BNSP" if rng.random() < 0.6 else "",
            )
            for _ in range(rng.randrange(2, 5))
        ]
        kinds = rng.sample(list(FacilityKind.values), k=rng.randrange(2, 5))
        facilities = [
            Facility(
                center=center,
                kind=kind,
                name=str(FacilityKind(kind).label),
                quantity=rng.randrange(1, 4),
                condition=_weighted(rng, {Condition.GOOD: 80, Condition.MINOR_DAMAGE: 15, Condition.MAJOR_DAMAGE: 5}),
            )
            for kind in kinds
        ]
        contacts = [
            ContactPerson(
                center=center,
                full_name=fake.person_name(rng),
                position=position,
                phone=fake.mobile_phone(rng),
                is_primary=position == "Kepala BLK",
            )
            for position in ("Kepala BLK", "Ketua Yayasan")[: rng.randrange(1, 3)]
        ]
        return instructors, facilities, contacts


@seeder(order=20)
def seed_centers(context: SeedContext) -> None:
    builder = _Builder(context)
    total = context.count(NATIONAL_CENTERS, minimum=4)
    started = time.monotonic()
    # The demo centre and three neighbours in the demo regency come first, so
    # the demo accounts (accounts/seeding.py) always have data in scope.
    centers = [builder.center(0, regency=DEMO_REGENCY, host=DEMO_HOST)]
    centers += [builder.center(i, regency=DEMO_REGENCY) for i in range(1, 4)]
    centers += [builder.center(i) for i in range(4, total)]
    centers[0].status = CenterStatus.INCUBATOR
    centers[0].development_class = DevelopmentClass.BERKEMBANG
    created: list[Center] = []
    for start in range(0, len(centers), BATCH_SIZE):
        created += bulk_create_with_history(centers[start : start + BATCH_SIZE], Center, default_change_reason="seed")
        context.progress("BLK", len(created), total, started)
    if created and created[0].pk is None:  # databases that do not return keys
        created = list(Center.objects.order_by("pk"))

    links_vocation, links_sub = [], []
    instructors: list[Instructor] = []
    facilities: list[Facility] = []
    contacts: list[ContactPerson] = []
    for center in created:
        for vocation, subs in builder.vocations_for():
            links_vocation.append(Center.vocations.through(center_id=center.pk, vocation_id=vocation))
            links_sub += [Center.sub_vocations.through(center_id=center.pk, subvocation_id=s) for s in subs]
        people, rooms, contact = builder.children(center)
        instructors += people
        facilities += rooms
        contacts += contact
    Center.vocations.through.objects.bulk_create(links_vocation, batch_size=BATCH_SIZE)
    Center.sub_vocations.through.objects.bulk_create(links_sub, batch_size=BATCH_SIZE)
    for model, rows in ((Instructor, instructors), (Facility, facilities), (ContactPerson, contacts)):
        bulk_create_with_history(rows, model, batch_size=BATCH_SIZE, default_change_reason="seed")
        context.progress(str(model._meta.verbose_name_plural), len(rows), len(rows), started)
    context.shared["demo_center"] = created[0]
