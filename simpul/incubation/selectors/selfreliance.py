"""Reads of the self-reliance assessments, scoped by the access policy.

- the latest assessments of a year, with filters and each centre's trend (a fixed number of queries);
- the centres of the first cohorts (2017-2019) that must stand alone ("disapih"), each with its
  latest score, class, trend and readiness;
- one centre's assessments, with every indicator explained from the stored facts.

**Readiness** (one rule, written once, in `readiness_expression`): a centre is ready to stand
alone when its latest assessment classes it *mandiri*, or *berkembang* with a rising trend: a
score at least `RISING_STEP` points above its previous assessment. Everything else is not ready
yet; a centre never assessed is "belum dinilai".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Case, CharField, Count, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from simpul.accounts import policy
from simpul.accounts.policy import Action
from simpul.centers.models import Center, CenterStatus, DevelopmentClass
from simpul.centers.selectors import center_get
from simpul.core.formats import format_number, format_percent, format_rupiah
from simpul.regions.models import Province

from ..models import Assessment
from ..services.selfreliance import (
    ALUMNI_BUSINESSES,
    CLASS_THRESHOLDS,
    COUNT,
    DISCIPLINE,
    INDICATORS,
    OWN_REVENUE,
    PARTNERS,
    SCORE_PLACES,
    UNAIDED_TRAINING,
    IndicatorRule,
)

RISING_STEP = Decimal(5)  # points between two assessments that make a trend "naik" (or "turun")
# The centres built 2017-2019 must become self-reliant (DESIGN.md, "disapih").
STAND_ALONE_COHORTS = (2017, 2018, 2019)


class Readiness:
    READY = "siap"
    NOT_READY = "belum"
    NOT_ASSESSED = "belum_dinilai"

    LABELS = {
        READY: gettext_lazy("Siap mandiri"),
        NOT_READY: gettext_lazy("Belum siap"),
        NOT_ASSESSED: gettext_lazy("Belum dinilai"),
    }


class Direction:
    UP = "naik"
    DOWN = "turun"
    FLAT = "stabil"

    LABELS = {UP: gettext_lazy("naik"), DOWN: gettext_lazy("turun"), FLAT: gettext_lazy("stabil")}


def class_label(value: str | None) -> str:
    """A class's name in the active language (assessments store the bare value)."""
    return str(DevelopmentClass(value).label) if value in DevelopmentClass.values else (value or "")


def direction_of(change: Decimal | None) -> str | None:
    if change is None:
        return None
    if change >= RISING_STEP:
        return Direction.UP
    if change <= -RISING_STEP:
        return Direction.DOWN
    return Direction.FLAT


def can_read(actor: Any) -> bool:
    """Who has the self-reliance pages at all: officials and centre managers (each in their scope)."""
    return policy.allowed(actor, Action.VIEW, Assessment)


def _require_reader(actor: Any) -> None:
    if not can_read(actor):
        raise Http404


# --- trends -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    year: int
    score: Decimal
    development_class: str


@dataclass
class Trend:
    points: list[TrendPoint] = field(default_factory=list)

    @property
    def latest(self) -> TrendPoint | None:
        return self.points[-1] if self.points else None

    @property
    def change(self) -> Decimal | None:
        if len(self.points) < 2:
            return None
        return self.points[-1].score - self.points[-2].score

    @property
    def direction(self) -> str | None:
        return direction_of(self.change)

    @property
    def direction_label(self) -> str:
        return str(Direction.LABELS[self.direction]) if self.direction else ""

    def until(self, year: int) -> Trend:
        return Trend([p for p in self.points if p.year <= year])


def assessment_trends(*, actor: Any, center_ids: list[int]) -> dict[int, Trend]:
    """Every assessed year of each centre, oldest first: one query for a whole page."""
    trends: dict[int, Trend] = {pk: Trend() for pk in center_ids}
    rows = (
        policy.scope_queryset(actor, Assessment.objects.filter(center_id__in=center_ids))
        .order_by("center_id", "year")
        .values_list("center_id", "year", "score", "development_class")
    )
    for center_id, year, score, development_class in rows:
        trends[center_id].points.append(TrendPoint(year, score, development_class))
    return trends


# --- the latest assessments of a year --------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentFilters:
    year: int | None = None
    province: str = ""
    development_class: str = ""
    differs: bool = False  # the proposed class is not the registered one
    q: str = ""


def assessment_years(*, actor: Any) -> list[int]:
    _require_reader(actor)
    years = policy.scope_queryset(actor, Assessment.objects.all()).values_list("year", flat=True)
    return sorted(set(years.distinct().order_by()), reverse=True)


def visible_provinces(*, actor: Any) -> QuerySet[Province]:
    """Provinces that hold a centre the actor sees (for the filter)."""
    centers = policy.scope_queryset(actor, Center.objects.all())
    return Province.objects.filter(pk__in=centers.values("province_id")).order_by("name")


def _scoped_year(actor: Any, year: int, filters: AssessmentFilters) -> QuerySet[Assessment]:
    assessments = policy.scope_queryset(actor, Assessment.objects.all()).filter(year=year)
    if filters.province:
        assessments = assessments.filter(center__province_id=filters.province)
    if filters.q:
        assessments = assessments.filter(
            Q(center__name__icontains=filters.q) | Q(center__regency__name__icontains=filters.q)
        )
    if filters.differs:
        assessments = assessments.exclude(development_class=F("center__development_class"))
    return assessments


def assessment_list(*, actor: Any, filters: AssessmentFilters) -> QuerySet[Assessment]:
    _require_reader(actor)
    if filters.year is None:
        return Assessment.objects.none()
    assessments = _scoped_year(actor, filters.year, filters)
    if filters.development_class:
        assessments = assessments.filter(development_class=filters.development_class)
    return assessments.select_related("center__province", "center__regency").order_by("-score", "center__name", "pk")


def class_counts(*, actor: Any, filters: AssessmentFilters) -> dict[str, int]:
    """How many centres the year's assessments put in each class (the other filters applied)."""
    _require_reader(actor)
    counts = dict.fromkeys(DevelopmentClass.values, 0)
    if filters.year is None:
        return counts
    rows = _scoped_year(actor, filters.year, filters).values("development_class").annotate(n=Count("id")).order_by()
    counts.update({row["development_class"]: row["n"] for row in rows})
    return counts


# --- the centres that must stand alone ------------------------------------------------------------


def readiness_expression() -> Case:
    """The readiness rule (see the module docstring), on centres annotated by `_with_latest`."""
    return Case(
        When(latest_year__isnull=True, then=Value(Readiness.NOT_ASSESSED)),
        When(latest_class=DevelopmentClass.MANDIRI, then=Value(Readiness.READY)),
        When(
            latest_class=DevelopmentClass.BERKEMBANG,
            previous_score__isnull=False,
            latest_score__gte=F("previous_score") + Value(RISING_STEP),
            then=Value(Readiness.READY),
        ),
        default=Value(Readiness.NOT_READY),
        output_field=CharField(),
    )


def _with_latest(centers: QuerySet[Center]) -> QuerySet[Center]:
    newest_first = Assessment.objects.filter(center=OuterRef("pk")).order_by("-year")
    return centers.annotate(
        latest_year=Subquery(newest_first.values("year")[:1]),
        latest_score=Subquery(newest_first.values("score")[:1]),
        latest_class=Subquery(newest_first.values("development_class")[:1]),
        previous_score=Subquery(newest_first.values("score")[1:2]),
    ).annotate(readiness=readiness_expression())


@dataclass(frozen=True)
class StandAloneFilters:
    province: str = ""
    readiness: str = ""
    q: str = ""


def _stand_alone_centers(actor: Any, filters: StandAloneFilters) -> QuerySet[Center]:
    centers = policy.scope_queryset(actor, Center.objects.all()).filter(cohort__in=STAND_ALONE_COHORTS)
    centers = centers.exclude(status=CenterStatus.INACTIVE)
    if filters.province:
        centers = centers.filter(province_id=filters.province)
    if filters.q:
        centers = centers.filter(Q(name__icontains=filters.q) | Q(regency__name__icontains=filters.q))
    return _with_latest(centers)


def stand_alone_list(*, actor: Any, filters: StandAloneFilters) -> QuerySet[Center]:
    """Centres of cohorts 2017-2019 still open, each annotated with its latest assessment and readiness."""
    _require_reader(actor)
    centers = _stand_alone_centers(actor, filters)
    if filters.readiness:
        centers = centers.filter(readiness=filters.readiness)  # type: ignore[misc]  # annotated by _with_latest
    return centers.select_related("province", "regency").order_by(
        Case(
            When(readiness=Readiness.READY, then=Value(0)),
            When(readiness=Readiness.NOT_READY, then=Value(1)),
            default=Value(2),
        ),
        Coalesce("latest_score", Value(Decimal(-1))).desc(),
        "name",
        "pk",
    )


def stand_alone_counts(*, actor: Any, filters: StandAloneFilters) -> dict[str, int]:
    _require_reader(actor)
    counts = {Readiness.READY: 0, Readiness.NOT_READY: 0, Readiness.NOT_ASSESSED: 0}
    rows = (
        _stand_alone_centers(actor, filters)
        .values("readiness")  # type: ignore[misc]  # annotated by _with_latest
        .annotate(n=Count("id"))
        .order_by()
    )
    counts.update({row["readiness"]: row["n"] for row in rows})
    return counts


# --- one centre -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Explained:
    """One indicator of one assessment, in words."""

    rule: IndicatorRule
    value: str
    details: list[str]
    points: int
    weight: int

    @property
    def contribution(self) -> Decimal:
        return Decimal(self.points * self.weight) / 100

    @property
    def bands(self) -> str:
        return band_text(self.rule)


def band_text(rule: IndicatorRule) -> str:
    """The thresholds of an indicator in words: '≥ 10%: 25 · ≥ 25%: 50 · …'."""
    unit = "" if rule.unit == COUNT else "%"

    def bound(minimum: Decimal) -> str:
        # "any at all" is stored as a small positive minimum; people read it as "> 0".
        return f"> 0{unit}" if 0 < minimum < 1 else f"≥ {format_number(minimum)}{unit}"

    return " · ".join(f"{bound(minimum)}: {points}" for minimum, points in rule.bands if points)


def class_ranges() -> list[tuple[str, str, str]]:
    """(class, label, score range in words) from the thresholds, highest class first."""
    ranges = []
    upper: Decimal | None = None
    for minimum, development_class in CLASS_THRESHOLDS:
        if upper is None:
            text = f"≥ {format_number(minimum)}"
        elif minimum:
            text = f"{format_number(minimum)}–{format_number(upper - SCORE_PLACES)}"
        else:
            text = f"< {format_number(upper)}"
        ranges.append((str(development_class), str(DevelopmentClass(development_class).label), text))
        upper = minimum
    return ranges


def rules_table() -> list[tuple[IndicatorRule, str]]:
    return [(rule, band_text(rule)) for rule in INDICATORS]


REPORT_STATUS_LABELS = {
    None: gettext_lazy("tidak dijadwalkan"),
    "draf": gettext_lazy("belum dikirim"),
    "dikembalikan": gettext_lazy("dikembalikan, belum dikirim ulang"),
    "dikirim": gettext_lazy("dikirim"),
    "diverifikasi": gettext_lazy("diverifikasi"),
    "disetujui": gettext_lazy("disetujui"),
}


def _value_text(rule: IndicatorRule, value: Any) -> str:
    if value is None:
        return str(_("tidak ada data"))
    if rule.unit == COUNT:
        return format_number(value)
    return format_percent(Decimal(str(value)) / 100)


def _details(code: str, data: dict[str, Any], year: int) -> list[str]:
    status = str(REPORT_STATUS_LABELS.get(data.get("report_status"), data.get("report_status") or ""))
    if code == OWN_REVENUE:
        lines = [_("LAPMAN %(year)s: %(status)s.") % {"year": year, "status": status}]
        if data.get("own_revenue") is not None and data.get("operating_costs"):
            lines.append(
                _("Pendapatan mandiri %(revenue)s dari biaya operasional %(costs)s.")
                % {"revenue": format_rupiah(data["own_revenue"]), "costs": format_rupiah(data["operating_costs"])}
            )
        elif data.get("reported_share") is not None:
            lines.append(
                _("Persentase yang dilaporkan: %(share)s%%.") % {"share": format_number(data["reported_share"])}
            )
        if data.get("production_months"):
            lines.append(
                _("Omzet unit produksi (LAPBUL, %(months)s bulan): %(revenue)s.")
                % {"months": data["production_months"], "revenue": format_rupiah(data["production_revenue"])}
            )
        return lines
    if code == PARTNERS:
        lines = [
            _("Mitra dilaporkan di LAPMAN %(year)s: %(count)s (%(status)s).")
            % {
                "year": year,
                "count": format_number(data["reported"]) if data.get("reported") is not None else "–",
                "status": status,
            }
        ]
        names = data.get("package_partners") or []
        if names:
            lines.append(_("Mitra yang mendanai paket: %(names)s.") % {"names": ", ".join(names)})
        return lines
    if code == UNAIDED_TRAINING:
        if not data.get("packages"):
            return [_("Tidak ada paket pelatihan yang berjalan tahun ini.")]
        return [
            _(
                "%(total)s paket berjalan: %(government)s bantuan pemerintah, "
                "%(own)s dana BLK sendiri, %(partner)s mitra."
            )
            % {
                "total": data["packages"],
                "government": data["government"],
                "own": data["own"],
                "partner": data["partner"],
            }
        ]
    if code == ALUMNI_BUSINESSES:
        return [
            _("%(self_employed)s dari %(graduates)s lulusan %(first)s–%(last)s tercatat berwirausaha.")
            % {
                "self_employed": format_number(data.get("self_employed", 0)),
                "graduates": format_number(data.get("graduates", 0)),
                "first": year - int(data.get("years", 3)) + 1,
                "last": year,
            }
        ]
    if code == DISCIPLINE:
        if not data.get("expected"):
            return [_("Tidak ada laporan yang jatuh tempo tahun ini.")]
        lines = [
            _("%(submitted)s dari %(expected)s laporan dikirim, %(on_time)s tepat waktu.")
            % {"submitted": data["submitted"], "expected": data["expected"], "on_time": data["on_time"]}
        ]
        forms = data.get("forms") or {}
        if forms:
            lines.append(
                " · ".join(
                    _("%(form)s %(submitted)s/%(expected)s") % {"form": form, "submitted": sent, "expected": expected}
                    for form, (expected, sent, _on_time) in forms.items()
                )
            )
        return lines
    return []


def explain(assessment: Assessment) -> list[Explained]:
    """The stored facts of an assessment, indicator by indicator, in the table's order."""
    rows = []
    facts = assessment.facts or {}
    for rule in INDICATORS:
        item = facts.get(rule.code)
        if item is None:
            continue
        rows.append(
            Explained(
                rule=rule,
                value=_value_text(rule, item.get("value")),
                details=_details(rule.code, item.get("data") or {}, assessment.year),
                points=int(item.get("points", 0)),
                weight=int(item.get("weight", rule.weight)),
            )
        )
    return rows


@dataclass
class CenterAssessments:
    center: Center
    assessments: list[Assessment]
    selected: Assessment | None
    rows: list[Explained]
    trend: Trend
    readiness: str | None
    stand_alone: bool
    revisions: int  # earlier versions of the selected year's assessment (re-runs that changed it)

    @property
    def latest(self) -> Assessment | None:
        return self.assessments[-1] if self.assessments else None

    @property
    def latest_label(self) -> str:
        return class_label(self.latest.development_class) if self.latest else ""

    @property
    def selected_label(self) -> str:
        return class_label(self.selected.development_class) if self.selected else ""

    @property
    def years(self) -> list[tuple[Assessment, str]]:
        """Newest first, each with its class's name."""
        return [(a, class_label(a.development_class)) for a in reversed(self.assessments)]

    @property
    def proposal_differs(self) -> bool:
        latest = self.latest
        return latest is not None and latest.development_class != self.center.development_class


def assessment_detail(*, actor: Any, center_id: Any, year: int | None = None) -> CenterAssessments:
    _require_reader(actor)
    center = center_get(actor=actor, pk=center_id)
    assessments = list(
        policy.scope_queryset(actor, Assessment.objects.filter(center=center))
        .select_related("assessed_by")
        .order_by("year")
    )
    selected = next((a for a in assessments if a.year == year), None) if year else None
    if year and selected is None:
        raise Http404
    selected = selected or (assessments[-1] if assessments else None)
    trend = Trend([TrendPoint(a.year, a.score, a.development_class) for a in assessments])
    stand_alone = center.cohort in STAND_ALONE_COHORTS
    readiness = None
    if stand_alone:
        latest = _with_latest(Center.objects.filter(pk=center.pk))
        readiness = latest.values_list("readiness", flat=True).first()  # type: ignore[misc]  # annotated by _with_latest
    revisions = 0
    if selected is not None:
        revisions = Assessment.history.filter(id=selected.pk, history_type="~").count()
    return CenterAssessments(
        center=center,
        assessments=assessments,
        selected=selected,
        rows=explain(selected) if selected else [],
        trend=trend,
        readiness=readiness,
        stand_alone=stand_alone,
        revisions=revisions,
    )
