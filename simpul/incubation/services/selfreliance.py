"""The yearly self-reliance (kemandirian) assessment of a centre, computed from its own records.

Five indicators, each turned into 0-100 points by the bands below, weighted into one score
(0-100), and the score into a class: tumbuh, berkembang or mandiri. Everything is computed
from what the centre already reported or recorded, never typed in for the assessment:

- own revenue against operating costs (30): the year's LAPMAN, pendapatan_mandiri divided by
  biaya_operasional (or the persen_biaya_mandiri it reports);
- funding partners (20): LAPMAN's mitra_pendanaan, or the distinct partners that funded the
  year's packages when those are more;
- training without government aid (20): the share of the year's packages funded by the centre
  itself or a partner;
- alumni businesses (15): graduates of the last three years who run their own business (tracer);
- reporting discipline (15): the year's reports due so far, mean of completeness and timeliness.

Only reports the centre has sent count (submitted, verified or approved): a draft is not a
figure the centre stands behind. A missing figure scores 0 points and says so in the facts.

Every figure behind every score is stored in `Assessment.facts`, with the points and the
weight it had, so the page can explain the score and an old assessment keeps its meaning when
the table changes. Running a year again updates the year's rows in place (history keeps the
earlier versions) and leaves unchanged rows alone, so the yearly job is safe to run twice.

The computed class is a proposal ("kelas usulan"): the centre's registered class changes only
when Admin Pusat applies it (`assessment_class_apply`), through the registry's own service.

See docs/self-reliance.md for the reasoning behind the thresholds.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from simpul.accounts import policy
from simpul.accounts.policy import Action
from simpul.centers.models import FIRST_COHORT, Center, DevelopmentClass
from simpul.centers.services import center_update
from simpul.reporting.models import DONE_STATUSES, Submission, SubmissionValue
from simpul.reporting.periods import PeriodType
from simpul.reporting.selectors.completeness import DONE, ON_TIME, expected_by
from simpul.training.models import Enrolment, Funding, Outcome, OutcomeStatus, Package, PackageStatus, Result

from ..models import Assessment

# --- the rules: one table --------------------------------------------------------------------

PERCENT, COUNT = "persen", "jumlah"


@dataclass(frozen=True)
class IndicatorRule:
    code: str
    label: Promise
    weight: int
    unit: str
    # (lowest value, points), ascending: a value earns the points of the highest band it reaches.
    bands: tuple[tuple[Decimal, int], ...]
    source: Promise

    def points(self, value: Decimal | None) -> int:
        if value is None:
            return 0
        earned = 0
        for minimum, points in self.bands:
            if value >= minimum:
                earned = points
        return earned


OWN_REVENUE = "pendapatan_sendiri"
PARTNERS = "mitra_pendanaan"
UNAIDED_TRAINING = "pelatihan_tanpa_bantuan"
ALUMNI_BUSINESSES = "usaha_alumni"
DISCIPLINE = "disiplin_laporan"

INDICATORS: tuple[IndicatorRule, ...] = (
    IndicatorRule(
        OWN_REVENUE,
        gettext_lazy("Pendapatan sendiri terhadap biaya operasional"),
        30,
        PERCENT,
        ((Decimal(0), 0), (Decimal(10), 25), (Decimal(25), 50), (Decimal(40), 75), (Decimal(60), 100)),
        gettext_lazy("Laporan tahunan (LAPMAN): pendapatan mandiri dibagi biaya operasional."),
    ),
    IndicatorRule(
        PARTNERS,
        gettext_lazy("Mitra pendanaan"),
        20,
        COUNT,
        ((Decimal(0), 0), (Decimal(1), 40), (Decimal(2), 70), (Decimal(3), 100)),
        gettext_lazy("Jumlah mitra di LAPMAN, atau mitra yang mendanai paket tahun itu bila lebih banyak."),
    ),
    IndicatorRule(
        UNAIDED_TRAINING,
        gettext_lazy("Paket pelatihan tanpa bantuan pemerintah"),
        20,
        PERCENT,
        ((Decimal(0), 0), (Decimal("0.1"), 25), (Decimal(20), 50), (Decimal(40), 75), (Decimal(60), 100)),
        gettext_lazy("Paket yang berjalan tahun itu dengan dana BLK sendiri atau mitra, dari semua paket."),
    ),
    IndicatorRule(
        ALUMNI_BUSINESSES,
        gettext_lazy("Alumni berwirausaha"),
        15,
        PERCENT,
        ((Decimal(0), 0), (Decimal(5), 25), (Decimal(10), 50), (Decimal(15), 75), (Decimal(25), 100)),
        gettext_lazy("Lulusan tiga tahun terakhir yang tercatat berwirausaha dalam penelusuran alumni."),
    ),
    IndicatorRule(
        DISCIPLINE,
        gettext_lazy("Disiplin pelaporan"),
        15,
        PERCENT,
        ((Decimal(0), 0), (Decimal(50), 25), (Decimal(70), 50), (Decimal(85), 75), (Decimal(95), 100)),
        gettext_lazy("Laporan tahun itu yang jatuh tempo: rata-rata kelengkapan dan ketepatan waktu."),
    ),
)
RULES = {rule.code: rule for rule in INDICATORS}

# Score → class: the lowest score of each class, highest first.
CLASS_THRESHOLDS: tuple[tuple[Decimal, str], ...] = (
    (Decimal(75), DevelopmentClass.MANDIRI),
    (Decimal(50), DevelopmentClass.BERKEMBANG),
    (Decimal(0), DevelopmentClass.TUMBUH),
)

YEARLY_FORM = "LAPMAN"
MONTHLY_FORM = "LAPBUL"
ALUMNI_YEARS = 3  # graduates of the assessed year and the two before it
SCORE_PLACES = Decimal("0.1")


def classify(score: Decimal) -> str:
    for minimum, development_class in CLASS_THRESHOLDS:
        if score >= minimum:
            return str(development_class)
    return str(DevelopmentClass.TUMBUH)


def score_of(indicators: dict[str, dict[str, Any]]) -> Decimal:
    total = sum(Decimal(item["points"]) * item["weight"] for item in indicators.values())
    return (Decimal(total) / 100).quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


# --- the facts --------------------------------------------------------------------------------


def _percent(part: Decimal | int, whole: Decimal | int) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


def _json_number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _indicator(code: str, value: Decimal | None, data: dict[str, Any]) -> dict[str, Any]:
    rule = RULES[code]
    return {"value": _json_number(value), "points": rule.points(value), "weight": rule.weight, "data": data}


@dataclass
class _Raw:
    """What the queries found for one centre."""

    yearly_status: str | None = None
    yearly: dict[str, Decimal | None] | None = None
    production_revenue: Decimal | None = None
    production_months: int = 0
    packages: dict[str, int] | None = None
    partners: set[str] | None = None
    graduates: int = 0
    self_employed: int = 0
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    by_form: dict[str, list[int]] | None = None


def collect_facts(year: int, centers: QuerySet[Center], now: dt.datetime | None = None) -> dict[int, dict[str, Any]]:
    """Each centre's indicators for the year: {centre id: {indicator: {value, points, weight, data}}}.

    A fixed number of grouped queries, whatever the number of centres.
    """
    now = now or timezone.now()
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    ids = centers.values("pk")
    raw: dict[int, _Raw] = defaultdict(_Raw)

    yearly = Submission.objects.filter(form__code=YEARLY_FORM, period_key=str(year), center_id__in=ids)
    for center_id, status in yearly.values_list("center_id", "status"):
        raw[center_id].yearly_status = status
    wanted = ("pendapatan_mandiri", "biaya_operasional", "persen_biaya_mandiri", "mitra_pendanaan")
    values = SubmissionValue.objects.filter(
        submission__form__code=YEARLY_FORM,
        submission__period_key=str(year),
        submission__center_id__in=ids,
        submission__status__in=DONE_STATUSES,
        indicator__code__in=wanted,
    )
    for center_id, code, number in values.values_list("submission__center_id", "indicator__code", "number"):
        found = raw[center_id]
        found.yearly = found.yearly or {}
        found.yearly[code] = number

    production = (
        SubmissionValue.objects.filter(
            submission__form__code=MONTHLY_FORM,
            submission__period_start__range=(start, end),
            submission__center_id__in=ids,
            submission__status__in=DONE_STATUSES,
            indicator__code="omzet_unit_produksi",
            number__isnull=False,
        )
        .values("submission__center_id")
        .annotate(total=Sum("number"), months=Count("id"))
        .order_by()
    )
    for row in production:
        found = raw[row["submission__center_id"]]
        found.production_revenue, found.production_months = row["total"], row["months"]

    packages = (
        Package.objects.filter(center_id__in=ids, start_date__range=(start, end))
        .exclude(status=PackageStatus.PLANNED)
        .values_list("center_id", "funding", "funding_partner")
    )
    for center_id, funding, partner in packages:
        found = raw[center_id]
        found.packages = found.packages or dict.fromkeys(Funding.values, 0)
        found.packages[funding] = found.packages.get(funding, 0) + 1
        found.partners = found.partners or set()
        if funding == Funding.PARTNER and partner.strip():
            found.partners.add(partner.strip())

    alumni_since = dt.date(year - ALUMNI_YEARS + 1, 1, 1)
    graduates = (
        Enrolment.objects.filter(
            package__center_id__in=ids, result=Result.PASSED, graduated_on__range=(alumni_since, end)
        )
        .values("package__center_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in graduates:
        raw[row["package__center_id"]].graduates = row["n"]
    # Counted from the outcomes side: each graduate once, however many waves said "berwirausaha".
    businesses = (
        Outcome.objects.filter(
            status=OutcomeStatus.SELF_EMPLOYED,
            started_on__lte=end,
            enrolment__result=Result.PASSED,
            enrolment__graduated_on__range=(alumni_since, end),
            enrolment__package__center_id__in=ids,
        )
        .values("enrolment__package__center_id")
        .annotate(n=Count("enrolment_id", distinct=True))
        .order_by()
    )
    for row in businesses:
        raw[row["enrolment__package__center_id"]].self_employed = row["n"]

    reports = (
        Submission.objects.filter(expected_by(now), center_id__in=ids, period_start__range=(start, end))
        .exclude(form__period_type=PeriodType.EVENT)
        .values("center_id", "form__code")
        .annotate(expected=Count("id"), submitted=Count("id", filter=DONE), timely=Count("id", filter=ON_TIME))
        .order_by()
    )
    for row in reports:
        found = raw[row["center_id"]]
        found.expected += row["expected"]
        found.submitted += row["submitted"]
        found.on_time += row["timely"]
        found.by_form = found.by_form or {}
        found.by_form[row["form__code"]] = [row["expected"], row["submitted"], row["timely"]]

    return {center_id: _indicators(found) for center_id, found in raw.items()}


def _indicators(found: _Raw) -> dict[str, Any]:
    yearly = found.yearly or {}
    revenue, costs = yearly.get("pendapatan_mandiri"), yearly.get("biaya_operasional")
    reported_share = yearly.get("persen_biaya_mandiri")
    share: Decimal | None = None
    if revenue is not None and costs:
        share = _percent(revenue, costs)
    elif reported_share is not None:
        share = Decimal(reported_share).quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)
    own_revenue = _indicator(
        OWN_REVENUE,
        share,
        {
            "report_status": found.yearly_status,
            "own_revenue": _json_number(revenue),
            "operating_costs": _json_number(costs),
            "reported_share": _json_number(reported_share),
            "production_revenue": _json_number(found.production_revenue),
            "production_months": found.production_months,
        },
    )

    reported_partners = yearly.get("mitra_pendanaan")
    names = sorted(found.partners or ())
    partners: Decimal | None = None
    if reported_partners is not None or names:
        partners = Decimal(max(int(reported_partners or 0), len(names)))
    partnership = _indicator(
        PARTNERS,
        partners,
        {
            "report_status": found.yearly_status,
            "reported": _json_number(reported_partners),
            "package_partners": names,
        },
    )

    packages = found.packages or {}
    total = sum(packages.values())
    unaided = packages.get(Funding.OWN, 0) + packages.get(Funding.PARTNER, 0)
    training = _indicator(
        UNAIDED_TRAINING,
        _percent(unaided, total) if total else None,
        {
            "packages": total,
            "government": packages.get(Funding.GOVERNMENT, 0),
            "own": packages.get(Funding.OWN, 0),
            "partner": packages.get(Funding.PARTNER, 0),
        },
    )

    alumni = _indicator(
        ALUMNI_BUSINESSES,
        _percent(found.self_employed, found.graduates) if found.graduates else None,
        {"graduates": found.graduates, "self_employed": found.self_employed, "years": ALUMNI_YEARS},
    )

    completeness = _percent(found.submitted, found.expected) if found.expected else None
    timeliness = _percent(found.on_time, found.expected) if found.expected else None
    discipline = _indicator(
        DISCIPLINE,
        ((completeness + timeliness) / 2).quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)
        if completeness is not None and timeliness is not None
        else None,
        {
            "expected": found.expected,
            "submitted": found.submitted,
            "on_time": found.on_time,
            "completeness": _json_number(completeness),
            "timeliness": _json_number(timeliness),
            "forms": dict(sorted((found.by_form or {}).items())),
        },
    )
    return {
        OWN_REVENUE: own_revenue,
        PARTNERS: partnership,
        UNAIDED_TRAINING: training,
        ALUMNI_BUSINESSES: alumni,
        DISCIPLINE: discipline,
    }


def _empty_indicators() -> dict[str, Any]:
    return _indicators(_Raw())


# --- writes -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunResult:
    year: int
    created: int
    updated: int
    unchanged: int

    @property
    def assessed(self) -> int:
        return self.created + self.updated + self.unchanged


def check_year(year: int, today: dt.date | None = None) -> None:
    today = today or timezone.localdate()
    if not FIRST_COHORT <= year <= today.year:
        raise ValidationError(
            {"year": _("Tahun penilaian antara %(first)s dan %(last)s.") % {"first": FIRST_COHORT, "last": today.year}}
        )


def assessable_centers(year: int, centers: QuerySet[Center] | None = None) -> QuerySet[Center]:
    """Centres open for at least part of the year."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    centers = centers if centers is not None else Center.objects.all()
    return centers.filter(opened_on__lte=end).filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))


def assessment_run(*, actor: Any, year: int, center_ids: Iterable[int] | None = None) -> RunResult:
    """Assess every centre in the actor's scope (or the given ones) for the year. Admin Pusat only."""
    if not (policy.allowed(actor, Action.CREATE, Assessment) and policy.allowed(actor, Action.CHANGE, Assessment)):
        raise Http404
    check_year(year)
    with transaction.atomic():
        centers = policy.scope_queryset(actor, Center.objects.all(), Action.VIEW)
        return _assess(year=year, centers=centers, center_ids=center_ids, user=actor)


def assessment_run_scheduled(*, year: int, center_ids: Iterable[int] | None = None) -> RunResult:
    """The yearly job (`manage.py selfreliance_assess`, seeding): no person, so `assessed_by` stays empty."""
    check_year(year)
    with transaction.atomic():
        return _assess(year=year, centers=Center.objects.all(), center_ids=center_ids, user=None)


def _assess(*, year: int, centers: QuerySet[Center], center_ids: Iterable[int] | None, user: Any) -> RunResult:
    centers = assessable_centers(year, centers)
    if center_ids is not None:
        centers = centers.filter(pk__in=list(center_ids))
    now = timezone.now()
    facts = collect_facts(year, centers, now)
    existing = {a.center_id: a for a in Assessment.objects.filter(year=year, center_id__in=centers.values("pk"))}
    created: list[Assessment] = []
    changed: list[Assessment] = []
    unchanged = 0
    for center_id in centers.order_by("pk").values_list("pk", flat=True):
        indicators = facts.get(center_id) or _empty_indicators()
        score = score_of(indicators)
        development_class = classify(score)
        current = existing.get(center_id)
        if current is None:
            created.append(
                Assessment(
                    center_id=center_id,
                    year=year,
                    facts=indicators,
                    score=score,
                    development_class=development_class,
                    assessed_by=user,
                    assessed_at=now,
                )
            )
        elif current.facts == indicators and current.score == score and current.development_class == development_class:
            unchanged += 1
        else:
            current.facts, current.score, current.development_class = indicators, score, development_class
            current.assessed_by, current.assessed_at = user, now
            changed.append(current)
    if created:
        bulk_create_with_history(created, Assessment, batch_size=1000, default_user=user)
    if changed:
        bulk_update_with_history(
            changed,
            Assessment,
            ["facts", "score", "development_class", "assessed_by", "assessed_at"],
            batch_size=1000,
            default_user=user,
        )
    return RunResult(year=year, created=len(created), updated=len(changed), unchanged=unchanged)


def assessment_class_apply(*, actor: Any, assessment_id: Any, expected_class: str) -> Center:
    """Make the latest assessment's proposed class the centre's class (Admin Pusat; kept in the centre's history)."""
    with transaction.atomic():
        assessment = policy.get_or_404(actor, Assessment.objects.all(), Action.VIEW, pk=assessment_id)
        center = policy.get_or_404(actor, Center.objects.all(), Action.MANAGE, pk=assessment.center_id)
        latest = Assessment.objects.filter(center=center).order_by("-year").values_list("pk", "year").first()
        if latest is None or latest[0] != assessment.pk:
            raise ValidationError(
                _("Hanya kelas usulan dari penilaian terbaru (%(year)s) yang dapat diterapkan.")
                % {"year": latest[1] if latest else assessment.year}
            )
        if assessment.development_class != expected_class:
            raise ValidationError(_("Penilaian ini berubah sejak halaman dibuka. Periksa kelas usulannya lagi."))
        if center.development_class == assessment.development_class:
            raise ValidationError(
                _("Klasifikasi BLK ini sudah %(class)s.")
                % {"class": DevelopmentClass(assessment.development_class).label}
            )
        return center_update(actor=actor, center_id=center.pk, development_class=assessment.development_class)
