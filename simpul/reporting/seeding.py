"""Synthetic reporting history: five years of reports with a realistic mix of on time, late,
missing and returned; grants with instalments and LPJ, some of them overdue.

Each centre gets a "diligence" so the completeness matrix looks like real
life (most centres steady, a few often late or silent).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from decimal import Decimal
from random import Random
from typing import Any

from django.utils import timezone

from simpul.accounts.models import Role, User
from simpul.centers.models import Center
from simpul.core.seeding import BATCH_SIZE, SeedContext, seeder
from simpul.messaging import services as messaging_services

from .models import (
    AidStream,
    Grant,
    Indicator,
    IndicatorType,
    Instalment,
    InstalmentCondition,
    LpjKind,
    LpjObligation,
    ReportForm,
    Status,
    Submission,
    SubmissionValue,
    Transition,
    ValueSource,
)
from .periods import PeriodType, due_at, periods_between
from .services.schedule import eligible_centers

YEARS_OF_HISTORY = 5
Values = dict[str, Any]


def _monthly(rng: Random, center_traits: dict[str, Any]) -> Values:
    packages = rng.choice((0, 1, 1, 1, 2, 2, 3)) if rng.random() > 0.1 else 0
    men = sum(rng.randrange(4, 12) for _ in range(packages))
    women = sum(rng.randrange(4, 12) for _ in range(packages))
    grad_m = max(0, men - rng.randrange(0, 3)) if packages else 0
    grad_w = max(0, women - rng.randrange(0, 3)) if packages else 0
    active = center_traits["production"]
    return {
        "tidak_ada_kegiatan": packages == 0,
        "paket_berjalan": packages,
        "jam_pelatihan": packages * rng.randrange(120, 241),
        "peserta_l": men,
        "peserta_p": women,
        "lulus_l": grad_m,
        "lulus_p": grad_w,
        "sertifikat_l": round(grad_m * rng.uniform(0.3, 0.9)),
        "sertifikat_p": round(grad_w * rng.uniform(0.3, 0.9)),
        "bekerja_l": rng.randrange(0, 6),
        "bekerja_p": rng.randrange(0, 6),
        "wirausaha_l": rng.randrange(0, 3),
        "wirausaha_p": rng.randrange(0, 4),
        "unit_produksi_aktif": active,
        "omzet_unit_produksi": rng.randrange(2, 60) * 250_000 if active else None,
        "produk_utama": center_traits["product"] if active else "",
    }


def _quarterly(rng: Random, center_traits: dict[str, Any]) -> Values:
    pre, inc, post = rng.randrange(0, 6), rng.randrange(2, 8), rng.randrange(0, 5)
    reach = rng.choice(("lokal", "lokal", "regional", "nasional", "ritel_modern", "ekspor"))
    return {
        "tenant_pra": pre,
        "tenant_inkubasi": inc,
        "tenant_pasca": post,
        "tenant_baru": min(pre + inc + post, rng.randrange(0, 4)),
        "sesi_mentoring": rng.randrange(2, 25),
        "jam_mentoring": Decimal(rng.randrange(4, 80)),
        "omzet_tenant": rng.randrange(10, 400) * 1_000_000,
        "tenaga_kerja_tenant": rng.randrange(3, 60),
        "produk_baru": rng.randrange(0, 6),
        "pasar_terjauh": reach,
        "negara_ekspor": rng.choice(("Malaysia", "Singapura", "Jepang", "Arab Saudi")) if reach == "ekspor" else "",
    }


def _yearly(rng: Random, center_traits: dict[str, Any]) -> Values:
    instructors = rng.randrange(2, 7)
    costs = rng.randrange(40, 300) * 1_000_000
    own = int(costs * rng.uniform(0.05, 0.9))
    return {
        "instruktur_aktif": instructors,
        "instruktur_bersertifikat": rng.randrange(0, instructors + 1),
        "fasilitas_baik": rng.randrange(2, 12),
        "fasilitas_rusak": rng.randrange(0, 4),
        "punya_unit_produksi": center_traits["production"],
        "mitra_pendanaan": rng.randrange(0, 5),
        "pendapatan_mandiri": own,
        "biaya_operasional": costs,
        "persen_biaya_mandiri": Decimal(round(own * 100 / costs)),
        "klasifikasi_usulan": rng.choice(("tumbuh", "berkembang", "mandiri")),
        "rencana_tahun_depan": "Menambah paket pelatihan dan memperluas pemasaran produk unit produksi.",
    }


GENERATORS: dict[str, Callable[[Random, dict[str, Any]], Values]] = {
    "LAPBUL": _monthly,
    "LAPINK": _quarterly,
    "LAPMAN": _yearly,
}
PRODUCTS = ("Kue kering", "Konveksi seragam", "Servis motor", "Kerajinan anyaman", "Kopi bubuk", "Sablon kaos")


def _value_row(indicator: Indicator, value: Any) -> SubmissionValue | None:
    if value is None or indicator.type == IndicatorType.FILE:
        return None
    row = SubmissionValue(indicator=indicator, source=ValueSource.ENTERED)
    if indicator.type == IndicatorType.YES_NO:
        row.boolean = bool(value)
    elif indicator.type in (IndicatorType.TEXT, IndicatorType.CHOICE):
        if not value:
            return None
        row.text = str(value)
    elif indicator.type == IndicatorType.DATE:
        row.date = value
    else:
        row.number = Decimal(value)
    return row


class _Reviewers:
    """Who signs the synthetic review steps: the demo accounts where they exist."""

    def __init__(self) -> None:
        users = {u.username: u for u in User.objects.filter(role__in=[Role.ADMIN_PUSAT, Role.PEMDA, Role.FKN])}
        self.admin = users.get("admin.pusat") or next(u for u in users.values() if u.role == Role.ADMIN_PUSAT)
        self.by_province = {
            u.scope_province_id: u for u in users.values() if u.role == Role.PEMDA and u.scope_province_id
        }
        self.national = users.get("fkn.nasional") or self.admin
        self.managers = dict(User.objects.filter(role=Role.PENGELOLA).values_list("scope_center_id", "pk"))

    def verifier(self, center: Center) -> Any:
        return self.by_province.get(center.province_id, self.national)


def _outcome(rng: Random, diligence: float, due: dt.datetime, now: dt.datetime) -> tuple[str, dt.datetime | None]:
    """(status, first_submitted_at) of a report whose period has ended."""
    if due > now and rng.random() < 0.6:
        return Status.DRAFT, None
    if rng.random() > diligence:
        return Status.DRAFT, None  # missing
    late = rng.random() > diligence * 0.9
    sent = due + dt.timedelta(days=rng.randrange(1, 40)) if late else due - dt.timedelta(days=rng.randrange(0, 10))
    sent = min(sent, now - dt.timedelta(hours=1))
    age = (now - sent).days
    roll = rng.random()
    if roll < 0.03:
        return Status.RETURNED, sent
    if age > 60:
        return (Status.APPROVED if roll < 0.9 else Status.VERIFIED), sent
    if age > 20:
        return (Status.APPROVED if roll < 0.5 else Status.VERIFIED if roll < 0.8 else Status.SUBMITTED), sent
    return (Status.VERIFIED if roll < 0.3 else Status.SUBMITTED), sent


@seeder(order=40)
def seed_reports(context: SeedContext) -> None:
    rng = context.rng
    now = timezone.now()
    today = timezone.localdate()
    first = dt.date(today.year - YEARS_OF_HISTORY, today.month, 1)
    reviewers = _Reviewers()
    centers = {c.pk: c for c in Center.objects.select_related("province")}
    traits: dict[int, dict[str, Any]] = {
        pk: {
            "diligence": rng.choice((0.98, 0.95, 0.9, 0.9, 0.85, 0.75, 0.5)),
            "production": rng.random() < 0.4,
            "product": rng.choice(PRODUCTS),
        }
        for pk in centers
    }
    started = time.monotonic()
    total_submissions = total_values = 0
    for form in ReportForm.objects.exclude(period_type=PeriodType.EVENT).order_by("code"):
        version = form.current_version()
        if version is None:
            continue
        indicators = list(version.indicators.all())
        generate = GENERATORS.get(form.code)
        for period in periods_between(form.period_type, first, today):
            pool = [centers[pk] for pk in eligible_centers(form, period).values_list("pk", flat=True)]
            rows, values_by_row, transitions_by_row = [], [], []
            for center in pool:
                due = due_at(period.end, form.due_days, center.province.timezone)
                ended = period.end < today
                status, sent = (
                    _outcome(rng, traits[center.pk]["diligence"], due, now) if ended else (Status.DRAFT, None)
                )
                row = Submission(
                    form=form,
                    version=version,
                    center=center,
                    period_key=period.key,
                    period_start=period.start,
                    period_end=period.end,
                    due_at=due,
                    status=status,
                    first_submitted_at=sent,
                    submitted_at=sent,
                    reviewed_at=sent + dt.timedelta(days=3) if sent and status != Status.SUBMITTED else None,
                )
                rows.append(row)
                filled = generate and (sent is not None or (ended and rng.random() < 0.3))
                values_by_row.append(generate(rng, traits[center.pk]) if filled and generate else {})
                transitions_by_row.append(_transitions(status, sent, center, reviewers))
            Submission.objects.bulk_create(rows, batch_size=BATCH_SIZE)
            value_rows, transition_rows = [], []
            for row, values, steps in zip(rows, values_by_row, transitions_by_row, strict=True):
                for indicator in indicators:
                    value = _value_row(indicator, values.get(indicator.code))
                    if value is not None:
                        value.submission_id = row.pk
                        value_rows.append(value)
                for from_status, to_status, actor_id, at, comment in steps:
                    transition_rows.append(
                        Transition(
                            submission_id=row.pk,
                            from_status=from_status,
                            to_status=to_status,
                            actor_id=actor_id,
                            comment=comment,
                            at=at,
                        )
                    )
            SubmissionValue.objects.bulk_create(value_rows, batch_size=BATCH_SIZE)
            _bulk_transitions(transition_rows)
            total_submissions += len(rows)
            total_values += len(value_rows)
        context.progress(f"laporan {form.code}", total_submissions, total_submissions, started)
    context.out.write(f"  laporan: {total_submissions:,}, nilai: {total_values:,}\n")
    _seed_grants(context, centers, reviewers, now)


def _transitions(status: str, sent: dt.datetime | None, center: Center, reviewers: _Reviewers) -> list[tuple]:
    if sent is None:
        return []
    manager = reviewers.managers.get(center.pk, reviewers.admin.pk)
    steps = [(Status.DRAFT, Status.SUBMITTED, manager, sent, "")]
    verifier = reviewers.verifier(center).pk
    if status in (Status.VERIFIED, Status.APPROVED):
        steps.append((Status.SUBMITTED, Status.VERIFIED, verifier, sent + dt.timedelta(days=2), ""))
    if status == Status.APPROVED:
        steps.append((Status.VERIFIED, Status.APPROVED, reviewers.admin.pk, sent + dt.timedelta(days=3), ""))
    if status == Status.RETURNED:
        steps.append(
            (
                Status.SUBMITTED,
                Status.RETURNED,
                verifier,
                sent + dt.timedelta(days=2),
                "Jumlah lulusan tidak sesuai daftar hadir; mohon diperiksa.",
            )
        )
    return steps


def _bulk_transitions(rows: list[Transition]) -> None:
    Transition.objects.bulk_create(rows, batch_size=BATCH_SIZE)


def _seed_grants(context: SeedContext, centers: dict[int, Center], reviewers: _Reviewers, now: dt.datetime) -> None:
    from .services.aid import DEFAULT_INSTALMENTS, default_lpj_dues, lpj_event_label

    rng = context.rng
    lpj_form = ReportForm.objects.filter(code="LPJ").first()
    version = lpj_form.current_version() if lpj_form else None
    if version is None:
        context.out.write("  bantuan: formulir LPJ belum terbit, dilewati\n")
        return
    indicators = {i.code: i for i in version.indicators.all()} if version else {}
    today = now.date()
    grants: list[Grant] = []
    plans: list[tuple[Grant, float]] = []
    for number, center in enumerate(centers.values(), start=1):
        specs = [(AidStream.BUILDING, center.cohort)]
        if rng.random() < 0.4:
            specs.append((AidStream.TRAINING, min(today.year, center.cohort + rng.randrange(1, 4))))
        for index, (stream, year) in enumerate(specs):
            signed = dt.date(year, rng.randrange(2, 7), rng.randrange(1, 28))
            if signed > today:
                continue
            amount = Decimal(
                rng.randrange(5, 13) * 100_000_000 if stream == AidStream.BUILDING else rng.randrange(3, 9) * 50_000_000
            )
            grant = Grant(
                center=center,
                stream=stream,
                year=year,
                amount=amount,
                agreement_date=signed,
                agreement_number=f"{number:05d}/PKS/BLKK/{year}/{index + 1}",
            )
            grants.append(grant)
            plans.append((grant, rng.random()))
    Grant.objects.bulk_create(grants, batch_size=BATCH_SIZE)
    instalments, obligations, lpj_submissions, lpj_values, transitions = [], [], [], [], []
    for grant, luck in plans:
        dues = default_lpj_dues(grant.stream, grant.agreement_date)
        paid_total = Decimal(0)
        approved_kinds: set[str] = set()
        for kind, due_date in dues.items():
            due = due_at(due_date, 0, grant.center.province.timezone)
            done = due < now and luck < 0.93 if kind == LpjKind.PROGRESS else due < now and luck < 0.85
            sent = due - dt.timedelta(days=rng.randrange(0, 20)) if done else None
            status = Status.APPROVED if done else Status.DRAFT
            if done:
                approved_kinds.add(kind)
            submission = Submission(
                form=lpj_form,
                version=version,
                center=grant.center,
                period_key=f"bantuan-{grant.pk}-{kind}",
                period_start=grant.agreement_date,
                period_end=due_date,
                due_at=due,
                status=status,
                first_submitted_at=sent,
                submitted_at=sent,
                reviewed_at=sent,
                event_label=lpj_event_label(grant, kind),
            )
            lpj_submissions.append(submission)
            obligations.append((grant, kind, due_date, submission))
        for order, (percent, condition) in enumerate(DEFAULT_INSTALMENTS[grant.stream], start=1):
            eligible = condition == InstalmentCondition.AFTER_AGREEMENT or (
                condition == InstalmentCondition.PROGRESS_50 and LpjKind.PROGRESS in approved_kinds
            )
            amount = (grant.amount * percent / 100).quantize(Decimal(1))
            paid_on = grant.agreement_date + dt.timedelta(days=30 * order) if eligible else None
            if paid_on and paid_on > today:
                paid_on = None
            instalments.append(
                Instalment(
                    grant=grant,
                    order=order,
                    percent=percent,
                    condition=condition,
                    paid_on=paid_on,
                    paid_amount=amount if paid_on else None,
                )
            )
            paid_total += amount if paid_on else 0
        grant.physical_progress = 100 if LpjKind.FINAL in approved_kinds else (60 if approved_kinds else 20)
        grant._paid = paid_total  # type: ignore[attr-defined]
    Submission.objects.bulk_create(lpj_submissions, batch_size=BATCH_SIZE)
    Instalment.objects.bulk_create(instalments, batch_size=BATCH_SIZE)
    Grant.objects.bulk_update([g for g, _ in plans], ["physical_progress"], batch_size=BATCH_SIZE)
    admin = reviewers.admin
    LpjObligation.objects.bulk_create(
        [LpjObligation(grant=g, kind=k, due_date=d, submission=s, created_by=admin) for g, k, d, s in obligations],
        batch_size=BATCH_SIZE,
    )
    for grant, kind, _due, submission in obligations:
        if submission.status != Status.APPROVED:
            continue
        received = grant._paid  # type: ignore[attr-defined]
        used = (received * Decimal(rng.uniform(0.85, 1.0))).quantize(Decimal(1))
        for code, value in (
            ("dana_diterima", received),
            ("dana_terpakai", used),
            ("sisa_dana", received - used),
            ("progres_fisik", Decimal(50 if kind == LpjKind.PROGRESS else 100)),
            ("uraian_kegiatan", "Pembangunan gedung workshop dan pengadaan peralatan pelatihan."),
        ):
            row = _value_row(indicators[code], value)
            if row is not None:
                row.submission_id = submission.pk
                lpj_values.append(row)
        transitions.append(
            Transition(
                submission_id=submission.pk,
                from_status=Status.VERIFIED,
                to_status=Status.APPROVED,
                actor=admin,
                comment="",
                at=submission.first_submitted_at or now,
            )
        )
    SubmissionValue.objects.bulk_create(lpj_values, batch_size=BATCH_SIZE)
    _bulk_transitions(transitions)
    context.out.write(f"  bantuan: {len(grants):,}, LPJ: {len(obligations):,}\n")


@seeder(order=41)
def leave_demo_report_open(context: SeedContext) -> None:
    """The demo centre's latest monthly report is left unsent, so the demo can fill and send it."""
    demo = context.shared.get("demo_center")
    if demo is None:
        return
    latest = (
        Submission.objects.filter(center=demo, form__code="LAPBUL", period_end__lt=timezone.localdate())
        .order_by("-period_start")
        .first()
    )
    if latest is None:
        return
    latest.values.all().delete()
    latest.transitions.all().delete()
    Submission.objects.filter(pk=latest.pk).update(
        status=Status.DRAFT, first_submitted_at=None, submitted_at=None, reviewed_at=None
    )


@seeder(order=42)
def seed_report_comment(context: SeedContext) -> None:
    """A region official's comment on the demo centre's latest returned report, mentioning its manager."""
    demo = context.shared.get("demo_center")
    official = User.objects.filter(username="pemda.malang").first()
    if demo is None or official is None or not User.objects.filter(username="pengelola.demo").exists():
        return
    returned = Submission.objects.filter(center=demo, status=Status.RETURNED).order_by("-period_start").first()
    if returned is not None:
        messaging_services.comment_post(
            actor=official,
            target=returned,
            body="@pengelola.demo angka lulusan melebihi peserta terdaftar; mohon diperiksa lagi.",
        )
