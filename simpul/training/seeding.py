"""Synthetic training records: packages, participants with valid NIKs, consent, attendance, results,
BNSP competency certificates and alumni tracer outcomes.

Every centre open in the last five years runs 4-6 packages a year of about 15 people (16 is the
quota, a few packages take one more with a recorded reason), with statuses that follow the dates
(finished, running, planned). About one enrolment in fifteen is a person trained before at
another package of the same province, so the NIK deduplication is visible. At national scale
(5,000 centres) that is about 1.6 million enrolments of about 1.5 million people; the default
demo scale (0.02) makes about 30,000.

Speed: rows are built in Python as plain tuples with their primary keys assigned here (so
children point at parents without a round trip), and written with one prepared INSERT run per
row (`executemany`, SQLite) or COPY (PostgreSQL), then PostgreSQL's sequences are moved past
them. Django's `bulk_create` spends about 60 µs per row preparing model instances and field
values, about ten minutes for the 7.5 million rows of the national data set; the plain insert is
five times faster (a demo at scale 0.02 in about 3 s, the national set in about 3 minutes). The demo
centre's rows go through `bulk_create_with_history` instead, so its records have their
django-simple-history entries; nobody else's do: for 1.5 million people and their enrolments
history would double the largest tables and the seeding time, and nobody reads the creation entry
of a generated record. Attendance (tens of millions of rows at national scale) is generated for
the demo centre's recent packages only.

The demo centre (ctx.shared["demo_center"]) always gets, whatever its cohort: finished packages
in the last 14 months whose graduates are due for the 3-, 6- and 12-month tracer waves (some left
unanswered, so the tracing worklist has people), one package running today with 16 people and a
few days of attendance, one planned package not yet full, and BNSP certificates expiring in the
next 90 days when it has graduates old enough.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from itertools import accumulate
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.color import no_style
from django.db import connection
from django.utils import timezone

from simpul.accounts.models import Role, User
from simpul.centers.models import Center, Instructor, SubVocation, Vocation
from simpul.core import fake
from simpul.core.seeding import RowTable, SeedContext, seeder
from simpul.regions.models import District, Regency

from .models import (
    DEFAULT_CAPACITY,
    VALIDITY_YEARS,
    WAVES,
    Attendance,
    CompetencyTest,
    Consent,
    ConsentPurpose,
    Disability,
    Education,
    Enrolment,
    EnrolmentSource,
    Formality,
    Funding,
    Outcome,
    OutcomeSource,
    OutcomeStatus,
    Package,
    PackageStatus,
    Person,
    Result,
    Sex,
    TestResult,
    WageBand,
    add_years,
)
from .services.areas import person_areas_rebuild
from .services.tracing import add_months, wave_due

YEARS_OF_HISTORY = 5
PACKAGES_PER_YEAR = (4, 5, 5, 6, 6)  # per centre, drawn once
ENROLMENT_WEIGHTS = {12: 5, 13: 10, 14: 20, 15: 25, 16: 37, 17: 3}  # 17 = one over the quota, with a reason
OVER_CAPACITY_REASONS = (
    "Peserta pengganti dari daftar tunggu, disetujui kepala BLK.",
    "Tambahan satu peserta atas permintaan pemerintah desa.",
    "Peserta disabilitas didampingi; kursi tambahan tersedia.",
)
RETURNING_SHARE = 0.075  # enrolments that try to take a person trained before in the province
RETURNING_POOL = 60  # people remembered per province for that
PASS_RATE = 0.9
TESTED_SHARE = 0.4  # graduates who sit a BNSP competency test
COMPETENT_RATE = 0.85
# How reachable a graduate is for tracing: the chance of an answer at each due wave
# (one in five never answers, so the tracing worklist is never empty).
REACH = (1.0, 0.85, 0.7, 0.5, 0.0)
SELF_REPORTED_SHARE = 0.2
ATTENDANCE_DAYS = 120  # the demo centre's packages that ended this recently have attendance
FLUSH_ENROLMENTS = 20_000

FUNDING_WEIGHTS = {Funding.GOVERNMENT: 70, Funding.OWN: 15, Funding.PARTNER: 15}
PARTNERS = (
    "Baznas Kabupaten",
    "Dinas Koperasi dan UKM",
    "Pemerintah Desa",
    "Bank BPD (CSR)",
    "PT Perkebunan Nusantara (CSR)",
    "Lazismu",
    "Kadin Kabupaten",
    "Asosiasi Pengusaha Garmen",
)
SEX_FEMALE_SHARE = 0.45
EDUCATION_WEIGHTS = {
    Education.NONE: 2,
    Education.SD: 10,
    Education.SMP: 26,
    Education.SMA: 50,
    Education.DIPLOMA: 4,
    Education.S1: 7,
    Education.S2: 1,
}
DISABILITY_SHARE = 0.03
DISABILITY_WEIGHTS = {
    Disability.PHYSICAL: 45,
    Disability.SENSORY: 30,
    Disability.INTELLECTUAL: 10,
    Disability.MENTAL: 5,
    Disability.MULTIPLE: 10,
}
# What a graduate ends up doing within the year, and the mean weeks until it starts (masa tunggu).
PATHS = {
    OutcomeStatus.EMPLOYED: 45,
    OutcomeStatus.SELF_EMPLOYED: 22,
    OutcomeStatus.STUDYING: 5,
    OutcomeStatus.NOT_YET: 28,
}
MEAN_WAITING_WEEKS = {OutcomeStatus.EMPLOYED: 10, OutcomeStatus.SELF_EMPLOYED: 14}
WAGES = {
    Formality.FORMAL: {
        WageBand.UNDER_1M: 3,
        WageBand.FROM_1M: 20,
        WageBand.FROM_2M: 40,
        WageBand.FROM_3M: 30,
        WageBand.OVER_5M: 7,
    },
    Formality.INFORMAL: {
        WageBand.UNDER_1M: 25,
        WageBand.FROM_1M: 45,
        WageBand.FROM_2M: 22,
        WageBand.FROM_3M: 7,
        WageBand.OVER_5M: 1,
    },
}
COMPANY_WORDS = ("Sinar", "Maju", "Jaya", "Abadi", "Sejahtera", "Makmur", "Sentosa", "Karya", "Bersama", "Prima")
COMPANY_WORDS_2 = ("Utama", "Nusantara", "Mandiri", "Sumber", "Cahaya", "Lestari", "Gemilang", "Berkah")
P3_LSP = ("LSP Teknologi Digital", "LSP Otomotif Indonesia", "LSP Garmen Indonesia", "LSP Pariwisata Nusantara")


@dataclass(frozen=True)
class Trade:
    """What a vocation's graduates do: KBLI section, KBJI 2014 occupations, employers, own businesses."""

    kbli: str
    occupations: tuple[tuple[str, str], ...]
    employer_words: tuple[str, ...]
    businesses: tuple[str, ...]


TRADES: dict[str, Trade] = {
    "TIK": Trade(
        "J",
        (
            ("4132", "Operator entri data"),
            ("3512", "Teknisi dukungan TIK"),
            ("2166", "Desainer grafis"),
            ("3513", "Teknisi jaringan komputer"),
            ("2431", "Staf pemasaran digital"),
        ),
        ("Digital", "Teknologi", "Data"),
        ("Jasa Desain dan Pengetikan", "Servis Komputer", "Percetakan Digital"),
    ),
    "OTO": Trade(
        "G",
        (("7231", "Mekanik sepeda motor"), ("7231", "Mekanik mobil")),
        ("Motor", "Otomotif"),
        ("Bengkel Motor", "Bengkel Mobil"),
    ),
    "LAS": Trade("C", (("7212", "Juru las"),), ("Teknik", "Baja"), ("Bengkel Las",)),
    "LIS": Trade(
        "F",
        (("7411", "Teknisi instalasi listrik"), ("7411", "Teknisi panel surya")),
        ("Elektrik", "Energi"),
        ("Jasa Instalasi Listrik",),
    ),
    "ELK": Trade(
        "S",
        (("7421", "Teknisi elektronika"), ("7422", "Teknisi telepon seluler")),
        ("Elektronik", "Seluler"),
        ("Servis HP", "Servis Elektronik"),
    ),
    "REF": Trade("S", (("7127", "Teknisi AC"),), ("Teknik Pendingin",), ("Servis AC",)),
    "MNF": Trade(
        "C",
        (("7223", "Operator mesin bubut"), ("7214", "Pekerja fabrikasi logam")),
        ("Manufaktur", "Presisi"),
        ("Bengkel Bubut",),
    ),
    "KON": Trade(
        "F",
        (("7112", "Tukang batu"), ("7115", "Tukang kayu"), ("7126", "Tukang pipa")),
        ("Konstruksi", "Bangun"),
        ("Jasa Renovasi Rumah", "Mebel"),
    ),
    "GAR": Trade(
        "C",
        (("7531", "Penjahit"), ("7533", "Pekerja bordir"), ("8153", "Operator mesin jahit")),
        ("Garmen", "Konveksi", "Tekstil"),
        ("Konveksi", "Jahit", "Bordir"),
    ),
    "KEC": Trade("S", (("5142", "Perias wajah"), ("5141", "Penata rambut")), ("Salon",), ("Salon", "Rias Pengantin")),
    "PAR": Trade(
        "I",
        (("5151", "Petugas tata graha"), ("5113", "Pemandu wisata")),
        ("Hotel", "Wisata"),
        ("Homestay", "Jasa Wisata"),
    ),
    "BOG": Trade(
        "I",
        (("5120", "Juru masak"), ("7512", "Pembuat roti dan kue"), ("5132", "Barista")),
        ("Katering", "Bakery", "Kuliner"),
        ("Warung Makan", "Kue", "Kedai Kopi", "Katering"),
    ),
    "BIS": Trade(
        "M",
        (("4110", "Staf administrasi"), ("4311", "Staf pembukuan")),
        ("Niaga",),
        ("Jasa Pembukuan", "Toko Kelontong"),
    ),
    "PHP": Trade(
        "C",
        (("7514", "Pengolah hasil pertanian"), ("8160", "Operator mesin pengolahan pangan")),
        ("Pangan", "Food"),
        ("Keripik", "Kopi Bubuk", "Olahan Pangan"),
    ),
    "PER": Trade(
        "A",
        (("6111", "Petani hortikultura"), ("6113", "Petani hidroponik")),
        ("Agro", "Tani"),
        ("Kebun Sayur", "Hidroponik"),
    ),
    "PRK": Trade(
        "A",
        (("6221", "Pembudidaya ikan"), ("7511", "Pengolah hasil perikanan")),
        ("Perikanan", "Mina"),
        ("Kolam Ikan", "Olahan Ikan"),
    ),
    "PTK": Trade(
        "A",
        (("6121", "Peternak ruminansia"), ("6122", "Peternak unggas")),
        ("Ternak", "Farm"),
        ("Peternakan Kambing", "Peternakan Ayam"),
    ),
    "KRJ": Trade("C", (("7317", "Perajin anyaman"), ("7318", "Pembatik")), ("Kriya",), ("Kerajinan", "Batik")),
    "BHS": Trade(
        "P", (("4222", "Staf layanan pelanggan"), ("2643", "Penerjemah")), ("Global", "Edukasi"), ("Kursus Bahasa",)
    ),
    "IKR": Trade("M", (("3431", "Fotografer"), ("2166", "Animator")), ("Kreatif", "Media"), ("Studio Foto",)),
    "LOG": Trade(
        "H", (("4321", "Staf gudang"), ("8344", "Operator forklift")), ("Logistik", "Ekspres"), ("Jasa Kirim",)
    ),
    "KES": Trade(
        "Q",
        (("5322", "Pendamping lansia"), ("5311", "Pengasuh anak")),
        ("Medika", "Husada"),
        ("Jasa Pengasuhan Anak",),
    ),
    "MAR": Trade(
        "A",
        (("6222", "Nelayan"), ("7233", "Mekanik mesin kapal")),
        ("Bahari", "Samudra"),
        ("Perahu Nelayan", "Bengkel Mesin Kapal"),
    ),
    "TRN": Trade("H", (("8322", "Pengemudi angkutan"), ("8332", "Pengemudi truk")), ("Transport",), ("Jasa Angkutan",)),
}
OTHER_TRADE = Trade(
    "G", (("5223", "Pramuniaga"), ("9329", "Pekerja industri pengolahan")), ("Niaga",), ("Toko Kelontong",)
)


PERSON_COLUMNS = (
    "id",
    "nik",
    "full_name",
    "sex",
    "birth_date",
    "education",
    "disability",
    "address",
    "province_id",
    "regency_id",
    "district_id",
    "phone",
    "email",
    "created_at",
)
CONSENT_COLUMNS = (
    "id",
    "person_id",
    "purpose",
    "given_on",
    "recorded_by_id",
    "recorded_at",
    "center_id",
    "withdrawn_on",
)
PACKAGE_COLUMNS = (
    "id",
    "center_id",
    "name",
    "vocation_id",
    "sub_vocation_id",
    "start_date",
    "end_date",
    "hours",
    "funding",
    "funding_partner",
    "capacity",
    "status",
    "created_at",
)
INSTRUCTOR_COLUMNS = ("id", "package_id", "instructor_id")
ENROLMENT_COLUMNS = (
    "id",
    "package_id",
    "person_id",
    "enrolled_at",
    "enrolled_by_id",
    "source",
    "over_capacity_reason",
    "result",
    "certificate_number",
    "graduated_on",
)
ATTENDANCE_COLUMNS = ("id", "enrolment_id", "day", "present", "recorded_by_id", "recorded_at")
TEST_COLUMNS = (
    "id",
    "enrolment_id",
    "lsp",
    "scheme",
    "tested_on",
    "result",
    "certificate_number",
    "issued_on",
    "valid_until",
)
OUTCOME_COLUMNS = (
    "id",
    "enrolment_id",
    "wave",
    "status",
    "employer",
    "occupation_code",
    "occupation",
    "formality",
    "wage_band",
    "business_name",
    "business_sector",
    "started_on",
    "source",
    "recorded_by_id",
    "recorded_at",
)


class _Weights:
    """Keys and their cumulative weights, for a quick weighted choice."""

    def __init__(self, weights: Mapping[Any, float]) -> None:
        self.keys = [k.value if isinstance(k, Enum) else k for k in weights]
        self.cumulative = list(accumulate(weights.values()))

    def pick(self, rng: Any) -> Any:
        return rng.choices(self.keys, cum_weights=self.cumulative)[0]


def _monday_on_or_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


def _weekdays(first: dt.date, last: dt.date) -> list[dt.date]:
    days = (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    return [d for d in days if d.weekday() < 5]


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


@dataclass
class _Centre:
    pk: int
    province: str
    regency: str
    opened_on: dt.date
    closed_on: dt.date | None
    unit: str
    vocations: list[int] = field(default_factory=list)
    subs: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    instructors: list[tuple[int, int | None]] = field(default_factory=list)
    manager: int = 0


@dataclass
class _Alumnus:
    """Someone trained, who may enrol again elsewhere in the province."""

    person: int
    first_name: str
    birth_date: dt.date
    free_from: dt.date
    centres: set[int]


PASSED, FAILED = Result.PASSED.value, Result.FAILED.value
COMPETENT, NOT_YET_COMPETENT = TestResult.COMPETENT.value, TestResult.NOT_YET.value
EMPLOYED, SELF_EMPLOYED = OutcomeStatus.EMPLOYED.value, OutcomeStatus.SELF_EMPLOYED.value
STUDYING, NOT_YET = OutcomeStatus.STUDYING.value, OutcomeStatus.NOT_YET.value
FORMAL, INFORMAL = Formality.FORMAL.value, Formality.INFORMAL.value


class _Generator:
    def __init__(self, context: SeedContext) -> None:
        self.context = context
        self.rng = context.rng
        self.today = timezone.localdate()
        # Every auto_now(_add) column gets this (the instance path sets its own).
        self.stamp = connection.ops.adapt_datetimefield_value(timezone.now())
        self.people = RowTable(Person, PERSON_COLUMNS)
        self.consents = RowTable(Consent, CONSENT_COLUMNS)
        self.packages = RowTable(Package, PACKAGE_COLUMNS)
        self.package_instructors = RowTable(Package.instructors.through, INSTRUCTOR_COLUMNS, "instruktur paket")
        self.enrolments = RowTable(Enrolment, ENROLMENT_COLUMNS)
        self.attendance = RowTable(Attendance, ATTENDANCE_COLUMNS)
        self.tests = RowTable(CompetencyTest, TEST_COLUMNS)
        self.outcomes = RowTable(Outcome, OUTCOME_COLUMNS)
        self.tables = (
            self.people,
            self.consents,
            self.packages,
            self.package_instructors,
            self.enrolments,
            self.attendance,
            self.tests,
            self.outcomes,
        )
        self.education = _Weights(EDUCATION_WEIGHTS)
        self.disability = _Weights(DISABILITY_WEIGHTS)
        self.sizes = _Weights(ENROLMENT_WEIGHTS)
        self.funding = _Weights(FUNDING_WEIGHTS)
        self.paths = _Weights(PATHS)
        self.wages = {k.value: _Weights(v) for k, v in WAGES.items()}
        self.serials: dict[tuple[str, int], int] = {}
        self.batch_numbers: dict[tuple[int, str], int] = defaultdict(int)
        self.certificates: dict[tuple[int, int], int] = defaultdict(int)
        self.bnsp_serial = 0
        self.pool: dict[str, list[_Alumnus]] = defaultdict(list)
        self.returning = 0
        # The demo centre's graduates without a test, and its certificates: (enrolment, graduated, vocation).
        self.demo_untested: list[tuple[int, dt.date, int]] = []
        self.demo_expiries: list[dt.date] = []
        self._load()

    # --- reference data -------------------------------------------------------------------

    def _load(self) -> None:
        self.vocations = {pk: (code, name) for pk, code, name in Vocation.objects.values_list("pk", "code", "name")}
        self.sub_names = dict(SubVocation.objects.values_list("pk", "name"))
        self.districts: dict[str, list[str]] = defaultdict(list)
        self.province_districts: dict[str, list[str]] = defaultdict(list)
        for code, regency in District.objects.filter(is_active=True).order_by("code").values_list("code", "regency_id"):
            self.districts[regency].append(code)
            self.province_districts[regency[:2]].append(code)
        self.place_names = {
            code: name.removeprefix("Kabupaten ").removeprefix("Kota ")
            for code, name in Regency.objects.values_list("code", "name")
        }
        users = User.objects.filter(is_active=True).order_by("pk")
        admin = users.filter(role=Role.ADMIN_PUSAT).first() or users.first()
        if admin is None:
            raise ImproperlyConfigured("training seeding needs a user to record enrolments and consent")
        self.admin: int = admin.pk  # records what a centre without a manager account did
        managers: dict[int, int] = {}
        for center_id, pk in users.filter(role=Role.PENGELOLA, scope_center__isnull=False).values_list(
            "scope_center_id", "pk"
        ):
            managers.setdefault(center_id, pk)
        centres: dict[int, _Centre] = {}
        for pk, province, regency, opened, closed, unit in Center.objects.order_by("pk").values_list(
            "pk", "province_id", "regency_id", "opened_on", "closed_on", "technical_unit__name"
        ):
            centres[pk] = _Centre(pk, province, regency, opened, closed, unit or "", manager=managers.get(pk, 0))
        through = Center.vocations.through.objects.order_by("pk")
        for center_id, vocation_id in through.values_list("center_id", "vocation_id"):
            centres[center_id].vocations.append(vocation_id)
        subs = Center.sub_vocations.through.objects.order_by("pk")
        for center_id, sub_id, vocation_id in subs.values_list("center_id", "subvocation_id", "subvocation__vocation"):
            centres[center_id].subs[vocation_id].append(sub_id)
        instructors = Instructor.objects.filter(is_active=True).order_by("pk")
        for pk, center_id, vocation_id in instructors.values_list("pk", "center_id", "vocation_id"):
            centres[center_id].instructors.append((pk, vocation_id))
        self.centres = centres
        demo = self.context.shared.get("demo_center")
        self.demo_pk = demo.pk if demo is not None and demo.pk in centres else None
        self.demo_manager = users.filter(pk=centres[self.demo_pk].manager).first() if self.demo_pk else None
        instructor = users.filter(role=Role.INSTRUKTUR, scope_center_id=self.demo_pk).first()
        self.demo_instructor = instructor.pk if instructor else None

    # --- people ---------------------------------------------------------------------------

    def _new_person(self, centre: _Centre, start: dt.date, end: dt.date) -> _Alumnus:
        rng = self.rng
        female = rng.random() < SEX_FEMALE_SHARE
        sex = Sex.FEMALE.value if female else Sex.MALE.value
        birth = start - dt.timedelta(days=int(365.25 * rng.triangular(16.02, 45.98, 19.5)))
        district = rng.choice(self.districts[centre.regency])
        # The NIK names the district of first registration: mostly where the person lives,
        # sometimes elsewhere in the province (they moved).
        registered = district if rng.random() < 0.85 else rng.choice(self.province_districts[centre.province])
        prefix = registered.replace(".", "")
        # One serial counter per district and birth year keeps every NIK unique (Dukcapil's serial
        # is unique per district and birth date) with a small memory footprint at national scale.
        key = (prefix, birth.year % 100)
        serial = self.serials[key] = self.serials.get(key, 0) + 1
        if serial > 9999:
            raise RuntimeError(f"NIK serials exhausted for {prefix} ({birth.year})")
        day = birth.day + (40 if female else 0)
        name = fake.person_name(rng, sex)
        email = ""
        if rng.random() < 0.3:
            email = f"{re.sub(r'[^a-z]', '', name.lower())}{rng.randrange(1, 1000)}@simpul.test"
        address = ""
        if rng.random() < 0.9:
            address = f"{fake.address(rng)}, RT {rng.randrange(1, 16):03d}/RW {rng.randrange(1, 10):03d}"
        pk = self.people.add(
            f"{prefix}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}",
            name,
            sex,
            birth,
            self.education.pick(rng),
            self.disability.pick(rng) if rng.random() < DISABILITY_SHARE else Disability.NONE.value,
            address,
            centre.province,
            centre.regency,
            district,
            fake.mobile_phone(rng) if rng.random() < 0.88 else "",  # E.164 already
            email,
            self.stamp,
        )
        return _Alumnus(pk, name.split()[0], birth, end, set())

    def _returning(self, centre: _Centre, start: dt.date) -> _Alumnus | None:
        """Someone trained before in the province and free to start now; preferably at another centre."""
        pool = self.pool[centre.province]
        if not pool:
            return None
        fallback = None
        for alumnus in self.rng.choices(pool, k=3):
            if alumnus.free_from + dt.timedelta(days=14) > start or not 16 <= _age(alumnus.birth_date, start) <= 45:
                continue
            if centre.pk not in alumnus.centres:
                return alumnus
            fallback = fallback or alumnus
        return fallback

    def _remember(self, centre: _Centre, alumnus: _Alumnus) -> None:
        pool = self.pool[centre.province]
        if len(pool) < RETURNING_POOL:
            pool.append(alumnus)
        else:
            pool[self.rng.randrange(RETURNING_POOL)] = alumnus

    # --- packages -------------------------------------------------------------------------

    def _schedule(self, centre: _Centre, until: dt.date) -> list[tuple[dt.date, int]]:
        """(start Monday, weeks) of a centre's packages that start before `until`."""
        rng = self.rng
        rate = rng.choice(PACKAGES_PER_YEAR)
        window = self.today - dt.timedelta(days=round(365.25 * YEARS_OF_HISTORY) - rng.randrange(60))
        day = max(centre.opened_on + dt.timedelta(days=rng.randrange(14, 75)), window)
        plan: list[tuple[dt.date, int]] = []
        while True:
            start = _monday_on_or_after(day)
            weeks = rng.randrange(4, 9)
            if start >= until or (centre.closed_on and start + dt.timedelta(weeks=weeks) > centre.closed_on):
                return plan
            plan.append((start, weeks))
            day = start + dt.timedelta(days=int(365 / rate * rng.uniform(0.6, 1.4)))

    def _package(
        self, centre: _Centre, start: dt.date, weeks: int, *, size: int | None = None, one_silent: bool = False
    ) -> None:
        """A package with its people; `one_silent`: its first graduate never answers the tracer."""
        rng, today = self.rng, self.today
        vocation = rng.choice(centre.vocations) if centre.vocations else rng.choice(list(self.vocations))
        subs = centre.subs.get(vocation)
        sub = rng.choice(subs) if subs and rng.random() < 0.8 else None
        label = self.sub_names[sub] if sub else self.vocations[vocation][1]
        self.batch_numbers[(centre.pk, label)] += 1
        end = start + dt.timedelta(days=weeks * 7 - 3)  # Monday to Friday
        if start > today:
            status = PackageStatus.PLANNED.value
        else:
            status = PackageStatus.RUNNING.value if end >= today else PackageStatus.FINISHED.value
        funding = self.funding.pick(rng)
        package = self.packages.add(
            centre.pk,
            f"{label} Angkatan {self.batch_numbers[(centre.pk, label)]}",
            vocation,
            sub,
            start,
            end,
            weeks * 40,
            funding,
            rng.choice(PARTNERS) if funding == Funding.PARTNER else "",
            DEFAULT_CAPACITY,
            status,
            self.stamp,
        )
        same_trade = [pk for pk, v in centre.instructors if v == vocation]
        candidates = same_trade or [pk for pk, _ in centre.instructors]
        for instructor in rng.sample(candidates, k=min(len(candidates), rng.choice((1, 1, 2)))):
            self.package_instructors.add(package, instructor)

        if size is None:
            size = rng.randrange(4, DEFAULT_CAPACITY) if status == PackageStatus.PLANNED else self.sizes.pick(rng)
        manager = centre.manager or self.admin
        trade = TRADES.get(self.vocations[vocation][0], OTHER_TRADE)
        demo = centre.pk == self.demo_pk
        finished = status == PackageStatus.FINISHED
        enrolled: list[tuple[int, _Alumnus]] = []
        silent = one_silent
        for slot in range(size):
            alumnus = self._returning(centre, start) if rng.random() < RETURNING_SHARE else None
            if alumnus is None:
                alumnus = self._new_person(centre, start, end)
            else:
                self.returning += 1
            alumnus.free_from = end  # not twice in this package, nor in one that overlaps it
            if centre.pk not in alumnus.centres:
                alumnus.centres.add(centre.pk)
                given = min(start - dt.timedelta(days=rng.randrange(3, 30)), today)
                self.consents.add(
                    alumnus.person, ConsentPurpose.TRAINING.value, given, manager, self.stamp, centre.pk, None
                )
            source = EnrolmentSource.IMPORT.value if rng.random() < 0.3 else EnrolmentSource.FORM.value
            reason = rng.choice(OVER_CAPACITY_REASONS) if slot >= DEFAULT_CAPACITY else ""
            result, certificate, graduated = "", "", None
            if finished:
                if rng.random() < PASS_RATE:
                    self.certificates[(centre.pk, end.year)] += 1
                    result, graduated = PASSED, end
                    certificate = f"SP/BLK-{centre.pk}/{end.year}/{self.certificates[(centre.pk, end.year)]:04d}"
                else:
                    result = FAILED
            enrolment = self.enrolments.add(
                package, alumnus.person, self.stamp, manager, source, reason, result, certificate, graduated
            )
            if result == PASSED:
                self._certification(centre, enrolment, end, vocation, sub, demo)
                self._tracing(enrolment, alumnus.first_name, end, trade, manager, silent=silent)
                silent = False
            enrolled.append((enrolment, alumnus))
        if finished:
            for _, alumnus in enrolled:
                self._remember(centre, alumnus)
        if demo and start <= today and end >= today - dt.timedelta(days=ATTENDANCE_DAYS):
            self._attendance(start, end, [e for e, _ in enrolled], manager)

    def _attendance(self, start: dt.date, end: dt.date, enrolments: list[int], manager: int) -> None:
        # Up to yesterday: today's register is left for the demo to fill in.
        days = _weekdays(start, min(end, self.today - dt.timedelta(days=1)))
        recorder = self.demo_instructor or manager
        for enrolment in enrolments:
            diligence = self.rng.choice((0.98, 0.95, 0.9, 0.9, 0.8, 0.6))
            for day in days:
                self.attendance.add(enrolment, day, self.rng.random() < diligence, recorder, self.stamp)

    # --- after graduation -----------------------------------------------------------------

    def _lsp(self, centre: _Centre) -> str:
        roll = self.rng.random()
        if roll < 0.5:
            return f"LSP P1 BLK {self.place_names.get(centre.regency, centre.regency)}"
        if roll < 0.8 and centre.unit:
            return f"LSP P1 {centre.unit}"
        return self.rng.choice(P3_LSP)

    def _certificate(self, vocation: int, issued: dt.date) -> str:
        self.bnsp_serial += 1
        return f"BNSP-{self.vocations[vocation][0]}-{issued.year}-{self.bnsp_serial:07d}"

    def _certification(
        self, centre: _Centre, enrolment: int, graduated: dt.date, vocation: int, sub: int | None, demo: bool
    ) -> None:
        rng = self.rng
        tested = graduated + dt.timedelta(days=rng.randrange(3, 46))
        if rng.random() >= TESTED_SHARE or tested > self.today:
            if demo:
                self.demo_untested.append((enrolment, graduated, vocation))
            return
        scheme = f"Okupasi {self.sub_names[sub]}" if sub else f"Klaster {self.vocations[vocation][1]}"
        if rng.random() < COMPETENT_RATE:
            issued = min(tested + dt.timedelta(days=rng.randrange(7, 31)), self.today)
            valid_until = add_years(issued, VALIDITY_YEARS)
            number = self._certificate(vocation, issued)
            self.tests.add(enrolment, self._lsp(centre), scheme, tested, COMPETENT, number, issued, valid_until)
            if demo:
                self.demo_expiries.append(valid_until)
        else:
            self.tests.add(enrolment, self._lsp(centre), scheme, tested, NOT_YET_COMPETENT, "", None, None)

    def _tracing(
        self, enrolment: int, first_name: str, graduated: dt.date, trade: Trade, manager: int, *, silent: bool = False
    ) -> None:
        rng, today = self.rng, self.today
        due = [wave for wave in WAVES if wave_due(graduated, wave) <= today]
        if not due:
            return
        reach = 0.0 if silent else rng.choice(REACH)
        path = self.paths.pick(rng)
        started = None
        details: tuple[str, ...] = ("",) * 7  # employer, code, occupation, formality, wage, business, sector
        if path in (EMPLOYED, SELF_EMPLOYED):
            weeks = min(rng.expovariate(1 / MEAN_WAITING_WEEKS[path]), 60)
            started = graduated + dt.timedelta(days=int(weeks * 7))
            if path == EMPLOYED:
                code, occupation = rng.choice(trade.occupations)
                if rng.random() < 0.65:
                    kind = rng.choice(("PT", "PT", "CV", "UD"))
                    employer = f"{kind} {rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_WORDS_2)}"
                    employer += f" {rng.choice(trade.employer_words)}"
                    formality = FORMAL if kind == "PT" or rng.random() < 0.6 else INFORMAL
                else:
                    employer = f"{rng.choice(trade.businesses)} {rng.choice(fake.FAMILY_NAMES)}"
                    formality = INFORMAL
                details = (employer, code, occupation, formality, self.wages[formality].pick(rng), "", "")
            else:
                details = ("", "", "", "", "", f"{rng.choice(trade.businesses)} {first_name}", trade.kbli)
        for wave in due:
            if rng.random() >= reach:
                continue
            self_reported = rng.random() < SELF_REPORTED_SHARE
            source = OutcomeSource.SELF.value if self_reported else OutcomeSource.STAFF.value
            recorder = None if self_reported else manager
            if started is not None and started <= wave_due(graduated, wave):
                self.outcomes.add(enrolment, wave, path, *details, started, source, recorder, self.stamp)
            else:
                status = STUDYING if path == STUDYING else NOT_YET
                self.outcomes.add(enrolment, wave, status, *("",) * 7, None, source, recorder, self.stamp)

    # --- the demo centre --------------------------------------------------------------------

    def _demo(self, centre: _Centre) -> None:
        """Recent history shaped for the demo: every tracer wave due, one running, one planned."""
        today, rng = self.today, self.rng
        # Finished packages whose graduates are now due for the 12-, 6- and 3-month waves, and
        # one too recent for any: (months since it ended, weeks long). One graduate of each never
        # answers, so the tracing worklist always has someone for every wave.
        finished = [(13, 8), (10, 6), (7, 6), (4, 6), (1, 5)]
        cutoff = add_months(today, -finished[0][0]) - dt.timedelta(weeks=finished[0][1] + 1)
        for start, weeks in self._schedule(centre, until=cutoff):
            if start + dt.timedelta(weeks=weeks) < cutoff:
                self._package(centre, start, weeks)
        for months, weeks in finished:
            end = add_months(today, -months)
            start = end - dt.timedelta(days=end.weekday()) - dt.timedelta(weeks=weeks - 1)
            if start >= centre.opened_on:
                self._package(centre, start, weeks, one_silent=True)
        # Started this week or last, so a few session days are recorded and today's is open.
        monday = today - dt.timedelta(days=today.weekday())
        running = monday if today.weekday() >= 3 else monday - dt.timedelta(weeks=1)
        self._package(centre, running, 6, size=DEFAULT_CAPACITY)
        self._package(centre, monday + dt.timedelta(weeks=3), 6, size=rng.randrange(8, 13))
        self._expiring_soon(centre)

    def _expiring_soon(self, centre: _Centre) -> None:
        """Make sure a few of the demo centre's BNSP certificates run out in the next 90 days."""
        today, rng = self.today, self.rng
        last = today + dt.timedelta(days=85)
        if any(today <= valid <= last for valid in self.demo_expiries):
            return
        latest_issue = add_years(last, -VALIDITY_YEARS)
        candidates = [item for item in self.demo_untested if item[1] <= latest_issue]
        for enrolment, graduated, vocation in candidates[:4]:
            issued = add_years(today + dt.timedelta(days=rng.randrange(5, 85)), -VALIDITY_YEARS)
            tested = max(issued - dt.timedelta(days=rng.randrange(7, 21)), graduated)
            issued = max(issued, tested)
            valid_until = add_years(issued, VALIDITY_YEARS)
            number = self._certificate(vocation, issued)
            scheme = f"Klaster {self.vocations[vocation][1]}"
            self.tests.add(enrolment, self._lsp(centre), scheme, tested, COMPETENT, number, issued, valid_until)

    # --- writing ----------------------------------------------------------------------------

    def flush(self, history: bool = False) -> None:
        for table in self.tables:  # parents first
            table.write(history=history, user=self.demo_manager)

    def run(self) -> None:
        context = self.context
        started = time.monotonic()
        horizon = self.today + dt.timedelta(days=60)  # planned packages up to two months ahead
        if self.demo_pk:
            self._demo(self.centres[self.demo_pk])
            self.flush(history=True)
        others = [c for pk, c in self.centres.items() if pk != self.demo_pk and c.opened_on <= self.today]
        step = max(1, len(others) // 10)
        for number, centre in enumerate(others, start=1):
            for start, weeks in self._schedule(centre, until=horizon):
                self._package(centre, start, weeks)
            if len(self.enrolments.rows) >= FLUSH_ENROLMENTS:
                self.flush()
            if number % step == 0 or number == len(others):
                context.progress("BLK dengan paket", number, len(others), started)
        self.flush()
        # Primary keys were given here: move PostgreSQL's sequences past them (nothing to do on SQLite).
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [t.model for t in self.tables]):
                cursor.execute(sql)
        listed = time.monotonic()
        areas = person_areas_rebuild()
        context.out.write(f"  daftar peserta per wilayah: {areas:,} baris ({time.monotonic() - listed:.1f} s)\n")
        writing = sum(t.seconds for t in self.tables)
        context.out.write(f"  menyusun baris (Python): {time.monotonic() - started - writing:.1f} s\n")
        for table in self.tables:
            context.out.write(f"  {table.label}: {table.count:,} ({table.seconds:.1f} s)\n")
        context.out.write(f"  pendaftaran orang yang pernah ikut paket lain: {self.returning:,}\n")
        context.out.flush()


# After the registry (20) and the accounts (30), before reporting (40), which prefills
# the monthly reports from these records.
@seeder(order=35)
def seed_training(context: SeedContext) -> None:
    if not Center.objects.exists() or not User.objects.exists():
        context.out.write("  pelatihan: belum ada BLK atau pengguna, dilewati\n")
        return
    _Generator(context).run()
