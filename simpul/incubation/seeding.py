"""Synthetic incubation data: selection rounds, incubators, tenants, mentors and their sessions,
monthly business figures, products, and the yearly self-reliance assessments.

The programme's shape (DESIGN.md): 25 incubators chosen of about 40 candidates in 2021, 142 by
2024, and at national scale 500 incubators (round(500 × scale), at least 3) with about ten
tenants each. Each past year has a decided selection round with criteria, candidates (data facts
frozen at listing), two reviewers per candidate (a few declared a conflict and were replaced),
scores on the 1-5 rubric and a decision that follows the round's own ranking
(`incubation.ranking`); the chosen centres become incubators. This year's round is open for
scoring, with the demo FKN accounts as reviewers who have not scored yet.

Tenants come first from the centre's own self-employed alumni (their business from the tracer
outcome, `source_enrolment` set: the chain training → alumnus → tenant → jobs), then outsiders.
Their stages follow the dates; a few left. Business figures run monthly from the business's start
(at most five years back; the books a tenant brings are entered at intake) to last month, growing
with seasonal peaks around Lebaran and never so far from the tenant's recent months that the
figure form would ask for an explanation.

The demo centre (ctx.shared["demo_center"]) is an incubator with 8 tenants (below the target of
10); `mentor.demo` mentors some of them, `wirausaha.demo` owns one (its last month is left for
the demo to enter), its products have photos (small PNGs in the default storage, the demo centre
only), and its rows carry history. Everyone else's rows are written with plain inserts, as the
training records are (see training/seeding.py), so national scale stays quick.

Last, every centre is assessed for the last four complete years with the real assessment service.
"""

from __future__ import annotations

import datetime as dt
import io
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.management.color import no_style
from django.db import connection
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from simpul.accounts.models import Role, User
from simpul.accounts.seeding import DEMO_PROVINCE
from simpul.centers.models import Center, CenterStatus, DevelopmentClass
from simpul.core import fake
from simpul.core.seeding import BATCH_SIZE, RowTable, SeedContext, seeder
from simpul.training.models import Outcome, OutcomeStatus, Person, Result
from simpul.training.seeding import OTHER_TRADE, TRADES, Trade
from simpul.training.services.tracing import add_months

from .models import (
    Assignment,
    BusinessFigure,
    Candidate,
    Criterion,
    CurriculumTopic,
    DataSource,
    Incubator,
    MarketReach,
    Mentor,
    MentoringSession,
    MentorKind,
    Product,
    ProductCategory,
    ProductPhoto,
    RoundStatus,
    Score,
    SelectionRound,
    Stage,
    Tenant,
)
from .ranking import CandidateSpec, CriterionSpec, ScoreSpec, data_points, rank
from .selectors.selection import (
    CLASS_POINTS,
    FACT_GRADUATES_24,
    FACT_LISTED_ON,
    FACT_REPORTS_DUE,
    FACT_REPORTS_SENT,
    FACT_WORKING,
    centre_facts,
)
from .services.selfreliance import assessment_run_scheduled

NATIONAL_INCUBATORS = 500
FIRST_ROUND = 2021
# Incubators chosen by the end of each year, as a share of all of them (25 in 2021, 142 by 2024);
# the years after 2024 reach the whole number step by step.
CUMULATIVE_SHARE = {2021: 25 / 500, 2022: 60 / 500, 2023: 100 / 500, 2024: 142 / 500}
CANDIDATES_PER_PLACE = 1.6  # 25 chosen of about 40
REVIEWERS_PER_CANDIDATE = 2
DEMO_QUEUE = 6  # candidates of this year's open round in the demo reviewers' queues
CONFLICT_SHARE = 0.04
TRACK_RECORD_DAYS = 365  # a candidate has trained for at least a year
NATIONAL_REVIEWERS = 15
TENANT_DRAW = (7, 8, 9, 10, 10, 10, 11, 12, 13)
DEMO_TENANTS = 8  # below the target of 10, on purpose
ALUMNI_SHARE = 0.75  # tenants drawn from the centre's self-employed alumni, when there are enough
LEFT_SHARE = 0.06
FIGURE_YEARS = 5
MISSING_LAST_MONTH = 0.15  # tenants who have not entered last month yet (the reminders have work)
ASSESSED_YEARS = 4  # complete years with five years of reports and training behind them

CRITERIA: tuple[tuple[str, str, Decimal, str, dict[str, str]], ...] = (
    (
        "kinerja_pelatihan",
        "Kinerja pelatihan",
        Decimal(20),
        DataSource.GRADUATES,
        {
            "1": "Hampir tidak ada lulusan dalam setahun.",
            "2": "Lulusan sedikit, paket tidak rutin.",
            "3": "Paket rutin dengan lulusan sesuai kuota.",
            "4": "Paket rutin, banyak lulusan bersertifikat.",
            "5": "Paket rutin, hampir semua lulusan bersertifikat kompetensi.",
        },
    ),
    (
        "penempatan",
        "Penempatan dan wirausaha alumni",
        Decimal(25),
        DataSource.PLACEMENT,
        {
            "1": "Alumni tidak ditelusuri.",
            "2": "Sedikit alumni bekerja atau berwirausaha.",
            "3": "Sekitar separuh alumni bekerja atau berwirausaha.",
            "4": "Sebagian besar alumni bekerja atau berwirausaha.",
            "5": "Hampir semua alumni bekerja, banyak yang berwirausaha.",
        },
    ),
    (
        "disiplin",
        "Disiplin pelaporan",
        Decimal(15),
        DataSource.COMPLETENESS,
        {
            "1": "Laporan jarang dikirim.",
            "2": "Banyak laporan terlambat atau kosong.",
            "3": "Sebagian besar laporan dikirim.",
            "4": "Hampir semua laporan dikirim tepat waktu.",
            "5": "Semua laporan lengkap dan tepat waktu.",
        },
    ),
    (
        "kelembagaan",
        "Kelembagaan dan klasifikasi",
        Decimal(15),
        DataSource.CLASS,
        {
            "1": "Pengelola dan yayasan belum tertata.",
            "2": "Pengelola ada, belum ada mitra.",
            "3": "Kelas berkembang, ada mitra pendanaan.",
            "4": "Kelas berkembang dengan unit produksi.",
            "5": "Kelas mandiri, membiayai diri dan berproduksi.",
        },
    ),
    (
        "rencana_inkubasi",
        "Rencana inkubasi dan kemitraan",
        Decimal(25),
        DataSource.NONE,
        {
            "1": "Belum ada rencana inkubasi.",
            "2": "Rencana umum tanpa calon tenant.",
            "3": "Rencana dengan calon tenant dan ruang.",
            "4": "Rencana rinci dengan mentor dan mitra usaha.",
            "5": "Rencana rinci, mentor perguruan tinggi dan pasar yang jelas.",
        },
    ),
)

UNIVERSITIES = (
    "IPB University",
    "Universitas Brawijaya",
    "UIN Maulana Malik Ibrahim Malang",
    "Universitas Gadjah Mada",
    "Universitas Airlangga",
    "Universitas Padjadjaran",
    "Universitas Hasanuddin",
    "Universitas Sumatera Utara",
    "Universitas Udayana",
    "Politeknik Negeri Malang",
    "UIN Sunan Kalijaga",
    "Universitas Diponegoro",
)
BUSINESSES = (
    "Rumah BUMN",
    "Koperasi Syariah Berkah",
    "Asosiasi UMKM Indonesia",
    "CV Maju Bersama",
    "Kadin Kabupaten",
    "PT Pos Indonesia (Persero)",
)
EXPERTISE = (
    "Pemasaran digital",
    "Pembukuan dan keuangan UMKM",
    "Legalitas dan perizinan usaha",
    "Desain kemasan dan merek",
    "Akses permodalan",
    "Manajemen produksi dan mutu",
    "Ekspor dan jaringan ritel",
)
TOPICS = (
    (
        "Penyusunan rencana usaha",
        "Menyusun rencana usaha satu tahun: produk, pasar, modal.",
        "Lengkapi target bulanan.",
    ),
    ("Pembukuan sederhana", "Memisahkan uang usaha dan rumah tangga; buku kas harian.", "Catat kas setiap hari."),
    ("Pengurusan NIB lewat OSS", "Mendaftar Nomor Induk Berusaha di OSS bersama-sama.", "Unggah KTP dan foto usaha."),
    ("Sertifikasi halal", "Syarat sertifikasi halal gratis (SEHATI) dan alur pendaftarannya.", "Siapkan daftar bahan."),
    (
        "Desain kemasan dan label",
        "Contoh kemasan pesaing; label dengan komposisi dan tanggal.",
        "Buat dua contoh label.",
    ),
    ("Pemasaran di marketplace", "Membuka toko di marketplace, foto produk dan deskripsi.", "Unggah lima produk."),
    ("Penetapan harga jual", "Menghitung HPP dan margin; harga grosir dan eceran.", "Hitung ulang HPP."),
    ("Akses KUR", "Syarat Kredit Usaha Rakyat dan dokumen yang dibutuhkan.", "Kumpulkan laporan 6 bulan."),
    ("Persiapan pameran produk", "Memilih produk unggulan dan menyiapkan stan pameran.", "Siapkan katalog."),
    ("Standar mutu produksi", "Kebersihan tempat produksi dan konsistensi hasil.", "Buat SOP produksi."),
    ("Manajemen stok bahan baku", "Mencatat stok dan mencari pemasok tetap.", "Bandingkan tiga pemasok."),
    ("Rekrutmen pekerja pertama", "Kapan menambah pekerja, upah dan pembagian tugas.", "Tulis uraian tugas."),
)
FOOD_WORDS = ("Warung", "Kue", "Kopi", "Katering", "Keripik", "Olahan", "Kedai", "Bakery")
SOLD_AT = ("toko sendiri", "pasar desa", "Shopee", "Tokopedia", "koperasi pesantren", "toko oleh-oleh", "Indomaret")
EXPORT_TO = ("MY", "SG", "SA", "JP", "AE", "NL", "AU")
FINANCING = ("KUR BRI", "KUR BSI", "Koperasi simpan pinjam", "Dana bergulir LPDB", "Hibah pemerintah daerah")
CURRICULUM = tuple(CurriculumTopic.values)
PRODUCT_ITEMS = {
    ProductCategory.FOOD: ("Kue kering", "Keripik pedas", "Kopi bubuk", "Sambal kemasan", "Roti manis"),
    ProductCategory.FASHION: ("Kemeja batik", "Gamis", "Seragam sekolah", "Mukena bordir"),
    ProductCategory.CRAFT: ("Tas anyaman", "Vas bambu", "Batik tulis", "Tempat tisu rotan"),
    ProductCategory.AGRI: ("Sayur hidroponik", "Lele segar", "Telur ayam kampung", "Bibit cabai"),
    ProductCategory.SERVICE: ("Servis berkala", "Paket perbaikan", "Jasa pemasangan", "Paket perawatan"),
    ProductCategory.DIGITAL: ("Desain logo", "Cetak undangan", "Pembuatan situs UMKM", "Foto produk"),
}
PHOTO_SIZE = (320, 240)

SESSION_COLUMNS = (
    "id",
    "tenant_id",
    "mentor_id",
    "held_on",
    "minutes",
    "topic",
    "notes",
    "follow_ups",
    "attachment",
    "created_at",
)
FIGURE_COLUMNS = (
    "id",
    "tenant_id",
    "month",
    "revenue",
    "costs",
    "paid_workers",
    "family_workers",
    "products",
    "market_reach",
    "export_country",
    "financing",
    "financing_source",
    "explanation",
    "entered_by_id",
    "entered_at",
)
PRODUCT_COLUMNS = (
    "id",
    "tenant_id",
    "name",
    "category",
    "description",
    "price",
    "certifications",
    "where_sold",
    "public",
    "created_at",
)
MENTOR_TENANT_COLUMNS = ("id", "mentor_id", "tenant_id")


@dataclass
class _Centre:
    pk: int
    name: str
    province: str
    regency: str
    cohort: int
    opened_on: dt.date
    closed_on: dt.date | None
    development_class: str
    status: str
    trades: list[Trade] = field(default_factory=list)


@dataclass
class _Alumnus:
    enrolment: int
    person: int
    name: str
    sex: str
    business: str
    sector: str
    started_on: dt.date
    graduated_on: dt.date


def _first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _day_between(rng: Any, first: dt.date, last: dt.date) -> dt.date:
    if last <= first:
        return first
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def _png(label: str, colour: tuple[int, int, int]) -> bytes:
    """A small product photo: a coloured card with the product's initials (Pillow)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", PHOTO_SIZE, colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((16, 16, 303, 223), outline=(255, 255, 255), width=4)
    initials = "".join(word[0] for word in label.split()[:3]).upper()
    draw.text((140, 110), initials, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


class _Generator:
    def __init__(self, context: SeedContext) -> None:
        self.context = context
        self.rng = context.rng
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.stamp = connection.ops.adapt_datetimefield_value(self.now)
        self.started = time.monotonic()
        self.timings: dict[str, float] = {}
        self._load()

    # --- reference data -------------------------------------------------------------------

    def _load(self) -> None:
        users = User.objects.filter(is_active=True).order_by("pk")
        admin = users.filter(username="admin.pusat").first() or users.filter(role=Role.ADMIN_PUSAT).first()
        if admin is None:
            raise ImproperlyConfigured("incubation seeding needs an Admin Pusat to own the selection rounds")
        self.admin: User = admin
        self.demo_users = {u.username: u for u in users.filter(username__endswith=".demo")}
        self.demo_users.update({u.username: u for u in users.filter(username__in=("fkn.nasional", "fkn.jatim"))})
        self.managers: dict[int, int] = {}
        for center_id, pk in users.filter(role=Role.PENGELOLA, scope_center__isnull=False).values_list(
            "scope_center_id", "pk"
        ):
            self.managers.setdefault(center_id, pk)
        self.centres: dict[int, _Centre] = {
            row[0]: _Centre(*row)
            for row in Center.objects.order_by("pk").values_list(
                "pk",
                "name",
                "province_id",
                "regency_id",
                "cohort",
                "opened_on",
                "closed_on",
                "development_class",
                "status",
            )
        }
        for center_id, code in Center.vocations.through.objects.order_by("pk").values_list(
            "center_id", "vocation__code"
        ):
            self.centres[center_id].trades.append(TRADES.get(code, OTHER_TRADE))
        demo = self.context.shared.get("demo_center")
        self.demo_pk: int | None = demo.pk if demo is not None and demo.pk in self.centres else None
        manager = self.managers.get(self.demo_pk) if self.demo_pk is not None else None
        self.demo_manager = users.filter(pk=manager).first() if manager is not None else None

    def _tick(self, label: str, since: float) -> float:
        now = time.monotonic()
        self.timings[label] = now - since
        return now

    # --- the programme's timeline ------------------------------------------------------------

    def _targets(self) -> dict[int, int]:
        """How many incubators each decided round adds (rounds 2021 … last year)."""
        total = self.context.count(NATIONAL_INCUBATORS, minimum=3)
        years = list(range(FIRST_ROUND, self.today.year))
        shares: dict[int, float] = {}
        known = [y for y in years if y in CUMULATIVE_SHARE]
        for year in known:
            shares[year] = CUMULATIVE_SHARE[year]
        later = [y for y in years if y not in CUMULATIVE_SHARE]
        base = shares[known[-1]] if known else 0.0
        for index, year in enumerate(later, start=1):
            shares[year] = base + (1 - base) * index / len(later)
        if years:
            shares[years[-1]] = 1.0
        added, cumulative = {}, 0
        for year in years:
            target = max(cumulative + (1 if year == FIRST_ROUND else 0), round(total * shares[year]))
            added[year] = target - cumulative
            cumulative = target
        return added

    def _eligible(self, centre: _Centre, decided_on: dt.date) -> bool:
        return (
            centre.opened_on <= decided_on - dt.timedelta(days=TRACK_RECORD_DAYS)
            and centre.closed_on is None
            and centre.development_class != DevelopmentClass.TUMBUH
        )

    # --- selection rounds ----------------------------------------------------------------------

    def _reviewers(self) -> list[User]:
        count = self.context.count(NATIONAL_REVIEWERS, minimum=3)
        unusable = make_password(None)
        rng = self.rng
        people = [
            User(
                username=f"fkn.reviewer{number:03d}",
                full_name=fake.person_name(rng),
                email=f"fkn.reviewer{number:03d}@simpul.test",
                role=Role.FKN,
                password=unusable,
            )
            for number in range(1, count + 1)
        ]
        return list(bulk_create_with_history(people, User, batch_size=BATCH_SIZE, default_change_reason="seed"))

    def _facts(self, centre: _Centre, quality: float, listed_on: dt.date) -> dict[str, Any]:
        """A candidate's facts as the long-list froze them (historical rounds: drawn, not recomputed)."""
        rng = self.rng
        due = rng.choice((12, 13, 13, 13))
        sent = min(due, max(0, round(due * min(1.0, 0.5 + 0.5 * quality + rng.uniform(-0.15, 0.1)))))
        graduates_24 = rng.randrange(40, 180)
        working = round(graduates_24 * min(0.95, 0.25 + 0.5 * quality + rng.uniform(-0.1, 0.1)))
        return {
            DataSource.COMPLETENESS.value: round(sent / due, 4),
            DataSource.GRADUATES.value: round(graduates_24 * rng.uniform(0.4, 0.6)),
            DataSource.PLACEMENT.value: round(working / graduates_24, 4),
            DataSource.CLASS.value: CLASS_POINTS[DevelopmentClass(centre.development_class)],
            FACT_REPORTS_DUE: due,
            FACT_REPORTS_SENT: sent,
            FACT_GRADUATES_24: graduates_24,
            FACT_WORKING: working,
            FACT_LISTED_ON: listed_on.isoformat(),
        }

    def _data_scores(self, facts: dict[int, dict[str, Any]]) -> dict[int, Decimal]:
        """The weighted mean of each candidate's 1-5 data points (as the selection service computes it)."""
        weights: dict[str, Decimal] = defaultdict(Decimal)
        for _code, _name, weight, source, _rubric in CRITERIA:
            if source:
                weights[source] += weight
        total = sum(weights.values(), Decimal(0))
        points = {
            source: data_points(
                {pk: (float(f[source]) if isinstance(f.get(source), int | float) else None) for pk, f in facts.items()}
            )
            for source in weights
        }
        return {
            pk: (sum((weights[s] * points[s][pk] for s in weights), Decimal(0)) / total).quantize(Decimal("0.001"))
            for pk in facts
        }

    def _round(self, year: int, *, status: str, quota: int, decided_on: dt.date | None) -> SelectionRound:
        rnd = SelectionRound.objects.create(
            name=f"Seleksi Inkubator Wirausaha BLK Komunitas {year}",
            year=year,
            quota=quota,
            reviewers_per_candidate=REVIEWERS_PER_CANDIDATE,
            normalise=year >= 2023,
            status=status,
            owner=self.admin,
            decided_at=(
                dt.datetime.combine(decided_on, dt.time(10), tzinfo=dt.UTC) if decided_on is not None else None
            ),
            decided_by=self.admin if decided_on is not None else None,
            decision_note=(
                f"Ditetapkan {quota} BLK Komunitas sebagai inkubator wirausaha {year}, sesuai peringkat penilaian."
                if decided_on is not None
                else ""
            ),
        )
        if rnd.decided_at is not None:
            SelectionRound.objects.filter(pk=rnd.pk).update(created_at=rnd.decided_at - dt.timedelta(days=75))
        Criterion.objects.bulk_create(
            [
                Criterion(
                    round=rnd, code=code, name=name, weight=weight, rubric=rubric, data_source=source, order=order
                )
                for order, (code, name, weight, source, rubric) in enumerate(CRITERIA, start=1)
            ]
        )
        return rnd

    def _scores(
        self,
        rnd: SelectionRound,
        candidates: list[Candidate],
        quality: dict[int, float],
        reviewers: list[User],
        submitted_by: dt.datetime,
    ) -> list[ScoreSpec]:
        """Assign reviewers (a few declare a conflict and are replaced); the others score and send."""
        rng = self.rng
        criteria = list(rnd.criteria.order_by("order"))
        leniency = {r.pk: rng.choice((-0.5, 0.0, 0.0, 0.5)) for r in reviewers}
        load: dict[int, int] = defaultdict(int)
        assignments: list[tuple[Assignment, bool]] = []
        for candidate in candidates:
            chosen_reviewers: list[User] = []
            pool = sorted(reviewers, key=lambda r: (load[r.pk], rng.random()))
            for reviewer in pool:
                if len(chosen_reviewers) == REVIEWERS_PER_CANDIDATE:
                    break
                conflicted = rng.random() < CONFLICT_SHARE
                assignment = Assignment(
                    candidate=candidate,
                    reviewer=reviewer,
                    conflict=conflicted,
                    conflict_reason="Pernah menjadi pengurus yayasan BLK ini." if conflicted else "",
                )
                assignments.append((assignment, conflicted))
                load[reviewer.pk] += 1
                if not conflicted:
                    chosen_reviewers.append(reviewer)
        scores: list[Score] = []
        specs: list[ScoreSpec] = []
        for assignment, conflicted in assignments:
            if conflicted:
                continue
            assignment.submitted_at = submitted_by - dt.timedelta(days=rng.randrange(2, 30), hours=rng.randrange(9))
        Assignment.objects.bulk_create([a for a, _ in assignments], batch_size=BATCH_SIZE)
        for assignment, _conflicted in assignments:
            if assignment.submitted_at is None:
                continue
            q = quality[assignment.candidate_id]
            for criterion in criteria:
                if q >= 1.0:
                    value = 5
                else:
                    raw = 1 + 4 * q + leniency[assignment.reviewer_id] + rng.gauss(0, 0.6)
                    value = min(5, max(1, round(raw)))
                scores.append(
                    Score(assignment=assignment, criterion=criterion, value=value, comment=criterion.rubric[str(value)])
                )
                specs.append(ScoreSpec(assignment.candidate_id, assignment.reviewer_id, criterion.code, value))
        Score.objects.bulk_create(scores, batch_size=BATCH_SIZE)
        return specs

    def seed_selection(self) -> list[tuple[_Centre, SelectionRound, dt.date]]:
        """Decided rounds up to last year and this year's open round; returns (centre, round, decided on) chosen."""
        rng = self.rng
        reviewers = self._reviewers()
        taken: set[int] = set()
        chosen: list[tuple[_Centre, SelectionRound, dt.date]] = []
        existing = {pk for pk, c in self.centres.items() if c.status == CenterStatus.INCUBATOR}
        demo_placed = self.demo_pk is None
        targets = self._targets()
        last_year = max(targets) if targets else None
        for year, quota in targets.items():
            if quota <= 0:
                continue
            decided_on = dt.date(year, 8, 15) + dt.timedelta(days=rng.randrange(40))
            pool = [c for pk, c in self.centres.items() if pk not in taken and self._eligible(c, decided_on)]
            if not pool:
                continue
            rng.shuffle(pool)

            def priority(centre: _Centre) -> tuple[int, int]:
                if centre.pk == self.demo_pk:
                    return (0, 0)
                first = 1 if centre.pk in existing else 2
                return (first, 0 if centre.development_class == DevelopmentClass.MANDIRI else 1)

            pool.sort(key=priority)
            demo_here = not demo_placed and any(c.pk == self.demo_pk for c in pool)
            if not demo_placed and year == last_year and not demo_here and self.demo_pk is not None:
                pool.insert(0, self.centres[self.demo_pk])
                demo_here = True
            quota = min(quota, len(pool))
            intended = pool[:quota]
            others = pool[quota : quota + max(1, round(quota * (CANDIDATES_PER_PLACE - 1)))]
            quality = {}
            listed_on = decided_on - dt.timedelta(days=60)
            rnd = self._round(year, status=RoundStatus.DECIDED, quota=quota, decided_on=decided_on)
            facts: dict[int, dict[str, Any]] = {}
            rows = []
            for centre in [*intended, *others]:
                q = (
                    1.0
                    if centre.pk == self.demo_pk
                    else (rng.uniform(0.55, 0.95) if centre in intended else rng.uniform(0.1, 0.65))
                )
                facts[centre.pk] = self._facts(centre, q, listed_on)
                rows.append(Candidate(round=rnd, center_id=centre.pk, facts=facts[centre.pk]))
                quality[centre.pk] = q
            scores_by_centre = self._data_scores(facts)
            for row in rows:
                row.data_score = scores_by_centre[row.center_id]
            Candidate.objects.bulk_create(rows, batch_size=BATCH_SIZE)
            by_pk = {row.pk: row for row in rows}
            quality_by_candidate = {row.pk: quality[row.center_id] for row in rows}
            specs = self._scores(
                rnd, rows, quality_by_candidate, reviewers, dt.datetime.combine(decided_on, dt.time(9), tzinfo=dt.UTC)
            )
            ranked = rank(
                [CriterionSpec(code, name, weight, source) for code, name, weight, source, _r in CRITERIA],
                [CandidateSpec(row.pk, self.centres[row.center_id].name, row.facts, row.data_score) for row in rows],
                specs,
                normalised=rnd.normalise,
            )
            winners = [by_pk[r.candidate.key] for r in ranked[:quota]]
            # The demo centre scores 5 everywhere, so it leads its round; should a tie ever push it
            # out, the demo still needs its incubator.
            if demo_here and all(w.center_id != self.demo_pk for w in winners):
                demo_row = next(row for row in rows if row.center_id == self.demo_pk)
                winners[-1] = demo_row
            Candidate.objects.filter(pk__in=[w.pk for w in winners]).update(chosen=True)
            for winner in winners:
                taken.add(winner.center_id)
                chosen.append((self.centres[winner.center_id], rnd, decided_on))
                if winner.center_id == self.demo_pk:
                    demo_placed = True
        self._open_round(reviewers, taken)
        return chosen

    def _open_round(self, reviewers: list[User], taken: set[int]) -> None:
        """This year's round, open for scoring: the demo FKN accounts have not scored yet."""
        rng = self.rng
        year = self.today.year
        incubators = len(taken)
        quota = max(2, round(incubators * 0.1))
        pool = [
            c
            for pk, c in self.centres.items()
            if pk not in taken
            and c.closed_on is None
            and c.development_class != DevelopmentClass.TUMBUH
            and c.opened_on <= self.today - dt.timedelta(days=TRACK_RECORD_DAYS)
        ]
        if not pool:
            return
        rng.shuffle(pool)
        # Two from the demo province first, so the demo reviewer from East Java has nearby centres.
        nearby = [c for c in pool if c.province == DEMO_PROVINCE][:2]
        listed = [*nearby, *(c for c in pool if c not in nearby)][: max(4, round(quota * CANDIDATES_PER_PLACE))]
        rnd = self._round(year, status=RoundStatus.DRAFT, quota=quota, decided_on=None)
        facts = centre_facts([c.pk for c in listed], today=self.today - dt.timedelta(days=21))
        scores = self._data_scores(facts)
        rows = [Candidate(round=rnd, center_id=c.pk, facts=facts[c.pk], data_score=scores[c.pk]) for c in listed]
        Candidate.objects.bulk_create(rows)
        demo_reviewers = [self.demo_users[name] for name in ("fkn.nasional", "fkn.jatim") if name in self.demo_users]
        pending = {u.pk for u in demo_reviewers}
        assignments = []
        for index, row in enumerate(rows):
            # The demo reviewers get a queue of a few; the generated reviewers share the rest.
            mine = demo_reviewers[: 1 + (index % 2)] if index < DEMO_QUEUE else []
            generated = [reviewers[(index + k) % len(reviewers)] for k in range(len(reviewers))] if reviewers else []
            people = list(dict.fromkeys([*mine, *generated]))[:REVIEWERS_PER_CANDIDATE]
            assignments += [Assignment(candidate=row, reviewer=person) for person in people]
        bulk_create_with_history(assignments, Assignment, default_user=self.admin, default_change_reason="seed")
        # The generated reviewers have sent theirs; the demo reviewers' queues are waiting.
        criteria = list(rnd.criteria.order_by("order"))
        sent_at = self.now - dt.timedelta(days=3)
        scored = [a for a in assignments if a.reviewer_id not in pending]
        score_rows = []
        for assignment in scored:
            assignment.submitted_at = sent_at
            for criterion in criteria:
                value = rng.randrange(2, 6)
                score_rows.append(
                    Score(assignment=assignment, criterion=criterion, value=value, comment=criterion.rubric[str(value)])
                )
        Assignment.objects.bulk_update(scored, ["submitted_at"])
        Score.objects.bulk_create(score_rows)
        SelectionRound.objects.filter(pk=rnd.pk).update(status=RoundStatus.SCORING)
        self.context.out.write(
            f"  seleksi {year} dibuka: {len(rows)} calon, kuota {quota}, "
            f"reviewer demo: {', '.join(u.username for u in demo_reviewers) or '-'}\n"
        )

    # --- incubators, mentors, tenants ------------------------------------------------------------

    def _incubator(self, centre: _Centre, rnd: SelectionRound, decided_on: dt.date) -> Incubator:
        rng = self.rng
        demo = centre.pk == self.demo_pk
        curriculum = list(CURRICULUM)
        if demo:
            curriculum.remove(CurriculumTopic.MATCHING)
        elif rng.random() > 0.65:
            for topic in rng.sample(curriculum, k=rng.randrange(1, 4)):
                curriculum.remove(topic)
        return Incubator(
            center_id=centre.pk,
            selection_round=rnd,
            established_on=min(decided_on + dt.timedelta(days=rng.randrange(7, 45)), self.today),
            manager_name=fake.person_name(rng),
            manager_full_time=demo or rng.random() < 0.75,
            has_tenant_room=demo or rng.random() < 0.9,
            has_training_room=demo or rng.random() < 0.85,
            has_meeting_room=demo or rng.random() < 0.8,
            curriculum=curriculum,
            sop=(
                "Seleksi calon tenant, pra-inkubasi 3 bulan, inkubasi dengan pendampingan bulanan, "
                "evaluasi tiap triwulan, kelulusan bila omzet stabil dan legalitas lengkap."
            )
            if demo or rng.random() < 0.8
            else "",
        )

    def _mentors(self, incubators: list[Incubator]) -> dict[int, list[Mentor]]:
        rng = self.rng
        unusable = make_password(None)
        users: list[User] = []
        plans: list[tuple[Incubator, str, str, str]] = []
        for number, incubator in enumerate(incubators, start=1):
            count = 1 + (rng.random() < 0.7) + (rng.random() < 0.3)
            if incubator.center_id == self.demo_pk:
                count = 1  # with mentor.demo, two
            for k in range(1, count + 1):
                university = rng.random() < 0.6
                organisation = rng.choice(UNIVERSITIES if university else BUSINESSES)
                title = "Dr. " if university and rng.random() < 0.5 else ""
                users.append(
                    User(
                        username=f"mentor.ink{number:04d}.{k}",
                        full_name=f"{title}{fake.person_name(rng)}",
                        email=f"mentor.ink{number:04d}.{k}@simpul.test",
                        role=Role.MENTOR,
                        scope_center_id=incubator.center_id,
                        password=unusable,
                    )
                )
                plans.append(
                    (
                        incubator,
                        organisation,
                        MentorKind.UNIVERSITY if university else MentorKind.BUSINESS,
                        rng.choice(EXPERTISE),
                    )
                )
        created = bulk_create_with_history(users, User, batch_size=BATCH_SIZE, default_change_reason="seed")
        demo_rows: list[Mentor] = []
        rows: list[Mentor] = []
        for user, (incubator, organisation, kind, expertise) in zip(created, plans, strict=True):
            mentor = Mentor(user=user, organisation=organisation, kind=kind, expertise=expertise)
            (demo_rows if incubator.center_id == self.demo_pk else rows).append(mentor)
        demo_mentor = self.demo_users.get("mentor.demo")
        if demo_mentor is not None and self.demo_pk is not None:
            demo_rows.insert(
                0,
                Mentor(
                    user=demo_mentor,
                    organisation="IPB University",
                    kind=MentorKind.UNIVERSITY,
                    expertise="Pemasaran dan pengembangan produk pangan",
                ),
            )
        if demo_rows:
            bulk_create_with_history(demo_rows, Mentor, default_user=self.demo_manager, default_change_reason="seed")
        Mentor.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        by_incubator: dict[int, list[Mentor]] = defaultdict(list)
        by_centre = {i.center_id: i.pk for i in incubators}
        for mentor in [*demo_rows, *rows]:
            by_incubator[by_centre[mentor.user.scope_center_id]].append(mentor)  # type: ignore[index]
        return by_incubator

    def _alumni(self, centre_ids: list[int]) -> dict[int, list[_Alumnus]]:
        """Self-employed graduates of each centre (their first self-employed tracer answer), shuffled."""
        taken = set(Tenant.objects.filter(person__isnull=False).values_list("person_id", flat=True))
        rows = (
            Outcome.objects.filter(
                status=OutcomeStatus.SELF_EMPLOYED,
                enrolment__result=Result.PASSED,
                enrolment__package__center_id__in=centre_ids,
                started_on__isnull=False,
            )
            .order_by("enrolment_id", "wave")
            .values_list(
                "enrolment_id",
                "enrolment__person_id",
                "enrolment__person__full_name",
                "enrolment__person__sex",
                "business_name",
                "business_sector",
                "started_on",
                "enrolment__graduated_on",
                "enrolment__package__center_id",
            )
        )
        pool: dict[int, list[_Alumnus]] = defaultdict(list)
        seen: set[tuple[int, int]] = set()  # one entry per person and centre (some trained there twice)
        for enrolment, person, name, sex, business, sector, started, graduated, centre in rows:
            if (centre, person) in seen or person in taken or started is None or graduated is None:
                continue
            seen.add((centre, person))
            pool[centre].append(_Alumnus(enrolment, person, name, sex, business, sector, started, graduated))
        for alumni in pool.values():
            self.rng.shuffle(alumni)
        return pool

    def _stages(self, tenant: Tenant, demo: bool) -> None:
        rng, today = self.rng, self.today
        tenant.stage_criteria = {Stage.PRE.value: "Lulus seleksi calon tenant; punya produk dan rencana usaha."}
        incubation = tenant.pre_on + dt.timedelta(days=rng.randrange(60, 180))
        if incubation <= today:
            tenant.incubation_on = incubation
            tenant.stage = Stage.INCUBATION
            tenant.stage_criteria[Stage.INCUBATION.value] = (
                "Rencana usaha disetujui, pembukuan sederhana berjalan, produk siap dijual."
            )
            graduated = incubation + dt.timedelta(days=rng.randrange(300, 700))
            if graduated <= today and not (demo and rng.random() < 0.5):
                tenant.graduated_on = graduated
                tenant.stage = Stage.GRADUATED
                tenant.stage_criteria[Stage.GRADUATED.value] = (
                    "Omzet stabil enam bulan, NIB terbit, punya pekerja tetap dan pasar di luar desa."
                )
        latest_step = tenant.graduated_on or tenant.incubation_on or tenant.pre_on
        if not demo and rng.random() < LEFT_SHARE and (today - latest_step).days > 120:
            tenant.left_on = _day_between(rng, latest_step + dt.timedelta(days=60), today)
            tenant.stage_criteria["keluar"] = rng.choice(
                ("Pindah ke luar kota.", "Usaha berhenti; bekerja di pabrik.", "Tidak aktif mengikuti pendampingan.")
            )
        if rng.random() < (0.85 if tenant.stage == Stage.GRADUATED else 0.45):
            tenant.nib = f"{rng.randrange(10**12, 10**13)}"
        if any(word in tenant.business_name for word in FOOD_WORDS):
            if rng.random() < 0.6:
                tenant.pirt = f"{rng.randrange(10**14, 10**15)}"
            if rng.random() < 0.45:
                tenant.halal_certificate = f"ID{rng.randrange(10**13, 10**14)}"

    def _tenants(self, incubators: list[Incubator]) -> list[Tenant]:
        rng, today = self.rng, self.today
        pool = self._alumni([i.center_id for i in incubators])
        used_people: set[int] = set()
        tenants: list[Tenant] = []
        for incubator in incubators:
            centre = self.centres[incubator.center_id]
            demo = centre.pk == self.demo_pk
            months_open = max(0, (today - incubator.established_on).days // 30)
            count = DEMO_TENANTS if demo else min(rng.choice(TENANT_DRAW), 2 + months_open)
            alumni = [a for a in pool.get(centre.pk, []) if a.person not in used_people]
            from_alumni = min(len(alumni), round(count * ALUMNI_SHARE) if not demo else count - 2)
            latest_intake = today - dt.timedelta(days=10)
            for slot in range(count):
                alumnus = alumni[slot] if slot < from_alumni else None
                earliest = incubator.established_on
                if alumnus is not None:
                    earliest = max(earliest, alumnus.graduated_on + dt.timedelta(days=14))
                if earliest > latest_intake:
                    alumnus, earliest = None, incubator.established_on
                span = max(0, (latest_intake - earliest).days)
                pre_on = earliest + dt.timedelta(days=int(span * rng.random() ** 1.2))
                if demo and slot == count - 1:
                    pre_on = max(earliest, today - dt.timedelta(days=rng.randrange(14, 45)))  # still pra-inkubasi
                if alumnus is not None:
                    used_people.add(alumnus.person)
                    tenant = Tenant(
                        incubator=incubator,
                        person_id=alumnus.person,
                        source_enrolment_id=alumnus.enrolment,
                        full_name=alumnus.name,
                        business_name=alumnus.business,
                        sector=alumnus.sector,
                        business_started_on=min(alumnus.started_on, pre_on),
                        pre_on=pre_on,
                    )
                else:
                    trade = rng.choice(centre.trades or [OTHER_TRADE])
                    name = fake.person_name(rng)
                    tenant = Tenant(
                        incubator=incubator,
                        full_name=name,
                        business_name=f"{rng.choice(trade.businesses)} {name.split()[0]}",
                        sector=trade.kbli,
                        business_started_on=pre_on - dt.timedelta(days=rng.randrange(0, 1100)),
                        pre_on=pre_on,
                    )
                self._stages(tenant, demo)
                tenants.append(tenant)
        return tenants

    def _demo_owner(self, tenants: list[Tenant]) -> Tenant | None:
        """The demo entrepreneur's business: an alumna's, renamed after the demo account."""
        owner = self.demo_users.get("wirausaha.demo")
        demo = [t for t in tenants if t.incubator.center_id == self.demo_pk]
        if owner is None or not demo:
            return None
        alumni = [t for t in demo if t.person_id is not None]
        women = set(Person.objects.filter(pk__in=[t.person_id for t in alumni], sex="P").values_list("pk", flat=True))
        chosen = next((t for t in alumni if t.person_id in women), None) or (alumni or demo)[0]
        old_first = chosen.full_name.split()[0]
        chosen.full_name = owner.full_name
        chosen.business_name = chosen.business_name.replace(old_first, owner.full_name.split()[-1])
        chosen.user = owner
        chosen.left_on = None
        chosen.stage_criteria.pop("keluar", None)
        if chosen.person_id is not None:
            person = Person.objects.get(pk=chosen.person_id)
            person.full_name = owner.full_name
            person._history_user = self.demo_manager  # type: ignore[attr-defined]
            person.save(update_fields=["full_name"])
        return chosen

    # --- sessions, figures, products --------------------------------------------------------------

    def _sessions(self, table: RowTable, tenant: Tenant, mentors: list[Mentor]) -> None:
        rng, today = self.rng, self.today
        if not mentors:
            return
        day = tenant.pre_on + dt.timedelta(days=rng.randrange(7, 30))
        end = min(tenant.left_on or today, today - dt.timedelta(days=1))
        first = add_months(today, -12 * FIGURE_YEARS)
        while day <= end:
            graduated = tenant.graduated_on is not None and day > tenant.graduated_on
            if day >= first:
                topic, notes, follow_up = rng.choice(TOPICS)
                mentor = rng.choice(mentors)
                table.add(
                    tenant.pk,
                    mentor.pk,
                    day,
                    rng.choice((60, 90, 90, 120, 120, 180)),
                    topic,
                    notes,
                    follow_up if rng.random() < 0.8 else "",
                    "",
                    self.stamp,
                )
            day += dt.timedelta(days=rng.randrange(75, 120) if graduated else rng.randrange(21, 50))

    def _figures(self, table: RowTable, tenant: Tenant, entered_by: int, leave_last: bool) -> int:
        """Monthly figures from the business's start (at most five years back) to last month."""
        rng, today = self.rng, self.today
        last = add_months(_first_of_month(today), -1)
        if tenant.left_on:
            last = min(last, add_months(_first_of_month(tenant.left_on), -1))
        if leave_last:
            last = add_months(last, -1)
        # From the business's start: the incubator enters the books a tenant brings at intake.
        month = max(_first_of_month(tenant.business_started_on), add_months(_first_of_month(today), -12 * FIGURE_YEARS))
        food = any(word in tenant.business_name for word in FOOD_WORDS)
        revenue = Decimal(rng.randrange(15, 80) * 100_000)
        growth = rng.uniform(0.005, 0.035)
        records_costs = rng.random() < 0.65
        family = rng.choice((0, 1, 1, 2))
        paid = rng.choice((0, 0, 1))
        products = rng.randrange(1, 4)
        reach = 0
        reaches = (MarketReach.LOCAL, MarketReach.REGIONAL, MarketReach.NATIONAL, MarketReach.RETAIL)
        ceiling = rng.choice((0, 1, 1, 2, 2, 3)) if not tenant.graduated_on else rng.choice((1, 2, 3, 3, 4))
        exporter = ceiling == 4
        country = rng.choice(EXPORT_TO)
        count = 0
        while month <= last:
            trend = revenue * Decimal(1 + growth * (1 if count < 30 else 0.3))
            revenue = trend.quantize(Decimal(1000))
            # Lebaran: a peak for food and clothing, never beyond what the figure form accepts unexplained.
            season = Decimal("1.4") if month.month in (3, 4) and food else Decimal(1)
            value = (revenue * season * Decimal(str(rng.uniform(0.88, 1.12)))).quantize(Decimal(1000))
            if count and count % 9 == 0 and reach < ceiling:
                reach += 1
            if count % 6 == 5 and products < 12 and rng.random() < 0.5:
                products += 1
            target_paid = min(15, int(value // 4_500_000))
            if target_paid > paid and rng.random() < 0.3:
                paid += 1
            market = MarketReach.EXPORT if exporter and reach >= 3 and count > 24 else reaches[min(reach, 3)]
            financed = rng.random() < 0.03
            table.add(
                tenant.pk,
                month,
                int(value),
                int((value * Decimal(str(rng.uniform(0.55, 0.85)))).quantize(Decimal(1000))) if records_costs else None,
                paid,
                family,
                products,
                market.value,
                country if market == MarketReach.EXPORT else "",
                rng.randrange(10, 51) * 1_000_000 if financed else 0,
                rng.choice(FINANCING) if financed else "",
                "",
                entered_by,
                self.stamp,
            )
            count += 1
            month = add_months(month, 1)
        return count

    def _products(self, table: RowTable, tenant: Tenant) -> list[tuple[int, str]]:
        rng = self.rng
        made = []
        food = any(word in tenant.business_name for word in FOOD_WORDS)
        category = {
            "A": ProductCategory.AGRI,
            "I": ProductCategory.FOOD,
            "J": ProductCategory.DIGITAL,
        }.get(tenant.sector, ProductCategory.FOOD if food else ProductCategory.SERVICE)
        if tenant.sector == "C" and not food:
            category = rng.choice((ProductCategory.FASHION, ProductCategory.CRAFT))
        certifications = ", ".join(
            label for label, number in (("Halal", tenant.halal_certificate), ("P-IRT", tenant.pirt)) if number
        )
        brand = tenant.business_name.split()[-1]
        items = rng.sample(PRODUCT_ITEMS[category], k=min(len(PRODUCT_ITEMS[category]), rng.randrange(1, 4)))
        for item in items:
            name = f"{item} {brand}"
            pk = table.add(
                tenant.pk,
                name,
                category.value,
                f"{name} buatan {tenant.business_name}, dikerjakan sendiri dengan bahan pilihan.",
                rng.randrange(5, 300) * 1000 if category != ProductCategory.SERVICE else rng.randrange(50, 500) * 1000,
                certifications,
                ", ".join(rng.sample(SOLD_AT, k=rng.randrange(1, 4))),
                rng.random() < 0.9,
                self.stamp,
            )
            made.append((pk, name))
        return made

    def seed_incubators(self, chosen: list[tuple[_Centre, SelectionRound, dt.date]]) -> None:
        rng = self.rng
        incubators = [self._incubator(centre, rnd, decided_on) for centre, rnd, decided_on in chosen]
        demo_incubators = [i for i in incubators if i.center_id == self.demo_pk]
        others = [i for i in incubators if i.center_id != self.demo_pk]
        if demo_incubators:
            bulk_create_with_history(
                demo_incubators, Incubator, default_user=self.demo_manager, default_change_reason="seed"
            )
        Incubator.objects.bulk_create(others, batch_size=BATCH_SIZE)
        incubators = [*demo_incubators, *others]
        chosen_ids = {i.center_id for i in incubators}
        Center.objects.filter(pk__in=chosen_ids).exclude(status=CenterStatus.INCUBATOR).update(
            status=CenterStatus.INCUBATOR
        )
        demoted = [pk for pk, c in self.centres.items() if c.status == CenterStatus.INCUBATOR and pk not in chosen_ids]
        Center.objects.filter(pk__in=demoted).update(status=CenterStatus.ACTIVE)

        mentors = self._mentors(incubators)
        tenants = self._tenants(incubators)
        owner = self._demo_owner(tenants)
        demo_tenants = [t for t in tenants if t.incubator.center_id == self.demo_pk]
        if demo_tenants:
            bulk_create_with_history(demo_tenants, Tenant, default_user=self.demo_manager, default_change_reason="seed")
        rest = [t for t in tenants if t.incubator.center_id != self.demo_pk]
        Tenant.objects.bulk_create(rest, batch_size=BATCH_SIZE)

        links = RowTable(Mentor.tenants.through, MENTOR_TENANT_COLUMNS, "tenant dampingan mentor")
        sessions = RowTable(MentoringSession, SESSION_COLUMNS)
        figures = RowTable(BusinessFigure, FIGURE_COLUMNS)
        products = RowTable(Product, PRODUCT_COLUMNS)
        tables = (links, sessions, figures, products)
        demo_mentor = self.demo_users.get("mentor.demo")
        demo_products: list[tuple[int, str]] = []
        for group, history in ((demo_tenants, True), (rest, False)):
            for number, tenant in enumerate(group):
                own = mentors.get(tenant.incubator_id, [])
                if history and demo_mentor is not None:
                    # mentor.demo takes the odd ones and the demo entrepreneur; the other mentor the rest.
                    mine = [m for m in own if m.user_id == demo_mentor.pk]
                    theirs = [m for m in own if m.user_id != demo_mentor.pk]
                    assigned = mine if (number % 2 == 0 or tenant is owner) else theirs or mine
                else:
                    assigned = rng.sample(own, k=min(len(own), rng.choice((1, 1, 2)))) if own else []
                for mentor in assigned:
                    links.add(mentor.pk, tenant.pk)
                self._sessions(sessions, tenant, assigned)
                manager = self.managers.get(tenant.incubator.center_id, self.admin.pk)
                entered_by = tenant.user_id or manager
                leave_last = tenant is owner or (not history and rng.random() < MISSING_LAST_MONTH)
                self._figures(figures, tenant, entered_by, leave_last)
                if tenant.left_on is None:
                    made = self._products(products, tenant)
                    if history:
                        demo_products += made
            for table in tables:
                table.write(history=history, user=self.demo_manager)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [t.model for t in tables]):
                cursor.execute(sql)
        self._photos(demo_products)
        out = self.context.out
        out.write(
            f"  inkubator: {len(incubators):,} (demo: {len(demo_incubators)}), mentor: "
            f"{sum(len(m) for m in mentors.values()):,}, tenant: {len(tenants):,} "
            f"(alumni: {sum(1 for t in tenants if t.source_enrolment_id):,}; demo: {len(demo_tenants)})\n"
        )
        for table in tables:
            out.write(f"  {table.label}: {table.count:,} ({table.seconds:.1f} s)\n")

    def _photos(self, products: list[tuple[int, str]]) -> None:
        rng = self.rng
        palette = ((46, 125, 50), (21, 101, 192), (198, 40, 40), (239, 108, 0), (106, 27, 154), (0, 121, 107))
        for pk, name in products:
            for order in range(rng.randrange(1, 3)):
                photo = ProductPhoto(product_id=pk, order=order)
                photo.image.save(
                    f"produk-{pk}-{order + 1}.png", ContentFile(_png(name, rng.choice(palette))), save=False
                )
                photo.width, photo.height = PHOTO_SIZE  # known: we drew it
                photo.save()

    # --- self-reliance -------------------------------------------------------------------------

    def seed_assessments(self) -> None:
        for year in range(self.today.year - ASSESSED_YEARS, self.today.year):
            result = assessment_run_scheduled(year=year)
            self.context.out.write(f"  penilaian kemandirian {year}: {result.assessed:,} BLK\n")

    def run(self) -> None:
        step = time.monotonic()
        chosen = self.seed_selection()
        step = self._tick("seleksi", step)
        self.seed_incubators(chosen)
        step = self._tick("inkubator, tenant, angka usaha, produk", step)
        self.seed_assessments()
        self._tick("penilaian kemandirian", step)
        for label, seconds in self.timings.items():
            self.context.out.write(f"  {label}: {seconds:.1f} s\n")
        self.context.out.flush()


# After reporting (40, 41): the assessments read the reports, the tenants read the training records.
@seeder(order=50)
def seed_incubation(context: SeedContext) -> None:
    if not Center.objects.exists() or not User.objects.filter(role=Role.ADMIN_PUSAT).exists():
        context.out.write("  inkubasi: belum ada BLK atau Admin Pusat, dilewati\n")
        return
    _Generator(context).run()
