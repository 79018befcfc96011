"""Early warnings and rankings of the centres of a scope.

Every function takes a Scope from scope.py (already checked against the actor
by `scope_get`), so whatever it returns the actor may see. The figures come
from the aggregates (CentreMonth) and a few grouped queries on the records:
the number of queries is the same for one centre and for five thousand.

The rules, as the ministry reads them. "Month" means a calendar month; the
"last whole months" end with the month before today's. A centre that is
nonaktif or has closed (closed_on) gets no warning.

- INACTIVE (tidak ada kegiatan): in each of the last 3 whole months the centre
  trained nobody and taught no hours (participants_m + participants_f +
  training_hours = 0) and no monthly report of those months was sent or
  approved (reports_submitted + reports_approved = 0). A month without a
  CentreMonth row counts as a month without activity. Centres that began
  operating (opened_on) after the first of those months are left alone.
  "Since": the month after the last month with any of that activity.
- LATE_REPORTS (laporan terlambat dua kali berturut-turut): the last two
  closed months were both owed a monthly report (reports_expected ≥ 1) and
  neither was on time (reports_on_time = 0: sent late or not at all). A month
  is closed when its LAPBUL deadline (the form's due_days after the month's
  end, 10 days today) has passed.
- FALLING_GRADUATION (kelulusan turun): graduates ÷ participants of the last 3
  whole months is at least 10 percentage points below that of the 3 months
  before, and each of the two windows has at least 16 participants (one
  training package), so a handful of people cannot raise the alarm.
- OVERDUE_LPJ (LPJ terlambat): an LPJ obligation whose submission is still
  owed (draft or returned) after its due time, the rule of reporting's
  `overdue_lpjs`. "Since": the earliest such due date.
- FEW_TENANTS (tenant jauh di bawah target): an incubator established 12
  months ago or more that has fewer than half of its target
  (incubation.TENANT_TARGET = 10, so fewer than 5) tenants who have not left.
  "Since": the incubator's first anniversary.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db import models, transaction
from django.db.models import Case, Count, F, Max, Min, Q, Sum, Value, When
from django.http import HttpRequest
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy

from simpul.centers.models import Center, CenterStatus
from simpul.core.audit import audit_event_record
from simpul.core.formats import format_date, format_number, format_percent
from simpul.core.models import AuditAction
from simpul.incubation.models import TENANT_TARGET, Incubator
from simpul.reporting.models import LpjObligation, ReportForm
from simpul.reporting.models.submissions import OPEN_STATUSES

from .measures import INDICATOR_BY_KEY, Indicator
from .models import CentreMonth
from .scope import CENTER, PROVINCE, REGENCY, Scope
from .selectors import Figure, Filters, add_months, figure

INACTIVE_MONTHS = 3
GRADUATION_WINDOW_MONTHS = 3
GRADUATION_DROP = Decimal("0.10")  # ten percentage points
GRADUATION_MIN_PARTICIPANTS = 16  # one training package
INCUBATOR_GRACE_MONTHS = 12
MONTHLY_FORM = "LAPBUL"
DEFAULT_DUE_DAYS = 10
RANKING_SIZE = 10
# Indicators where less is better: the shortest wait for a first job ranks first.
LOWER_IS_BETTER = frozenset({"waiting_weeks"})


class WarningKind(models.TextChoices):
    INACTIVE = "tidak_aktif", gettext_lazy("Tidak ada kegiatan 3 bulan")
    LATE_REPORTS = "laporan_terlambat", gettext_lazy("Laporan bulanan terlambat 2 kali berturut-turut")
    FALLING_GRADUATION = "kelulusan_turun", gettext_lazy("Tingkat kelulusan turun")
    OVERDUE_LPJ = "lpj_terlambat", gettext_lazy("LPJ melewati batas waktu")
    FEW_TENANTS = "tenant_kurang", gettext_lazy("Tenant inkubator jauh di bawah target")


@dataclass(frozen=True)
class EarlyWarning:
    kind: str
    center_id: int
    center_name: str
    regency_name: str
    province_name: str
    # A plain sentence with the figures, written when read: a national list holds thousands of
    # warnings, of which a page shows a hundred per kind and the dashboard only counts them.
    template: Any = field(repr=False, compare=False)
    params: dict[str, Any] = field(repr=False, compare=False)
    since: dt.date | None

    @property
    def reason(self) -> str:
        return str(self.template) % self.params

    @property
    def kind_label(self) -> str:
        return str(WarningKind(self.kind).label)


@dataclass(frozen=True)
class WarningGroup:
    kind: str
    label: str
    warnings: list[EarlyWarning]

    @property
    def count(self) -> int:
        return len(self.warnings)


# --- months --------------------------------------------------------------------------------------


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _month_end(month: dt.date) -> dt.date:
    return add_months(month, 1) - dt.timedelta(days=1)


def _month_label(month: dt.date) -> str:
    # A national list names the same few months thousands of times: format each once per language.
    return _month_label_in(month, translation.get_language())


@lru_cache(maxsize=256)
def _month_label_in(month: dt.date, language: str | None) -> str:
    return formats.date_format(month, "F Y")


def _closed_months(today: dt.date, due_days: int) -> tuple[dt.date, dt.date]:
    """The two latest months whose monthly-report deadline has passed, latest first."""
    month = add_months(_month_start(today), -1)
    if _month_end(month) + dt.timedelta(days=due_days) >= today:
        month = add_months(month, -1)
    return month, add_months(month, -1)


# --- scope filters -------------------------------------------------------------------------------


def _scope_filter(scope: Scope, prefix: str = "") -> Q:
    """The centres of the scope, seen from a model whose path to its centre is `prefix`."""
    if scope.level == CENTER and scope.center is not None:
        return Q(**{f"{prefix}pk": scope.center.pk})
    if scope.level == REGENCY and scope.regency is not None:
        return Q(**{f"{prefix}regency_id": scope.regency.pk})
    if scope.level == PROVINCE and scope.province is not None:
        return Q(**{f"{prefix}province_id": scope.province.pk})
    return Q()


def _month_rows_filter(scope: Scope) -> Q:
    """CentreMonth rows of the scope (the row carries its centre, regency and province)."""
    if scope.level == CENTER and scope.center is not None:
        return Q(center_id=scope.center.pk)
    return _scope_filter(scope)


def _watched_centres(scope: Scope, today: dt.date) -> dict[int, dict[str, Any]]:
    centres = (
        Center.objects.filter(_scope_filter(scope))
        .exclude(status=CenterStatus.INACTIVE)
        .exclude(closed_on__lte=today)
        .values("pk", "name", "opened_on", "regency__name", "province__name")
    )
    return {row["pk"]: dict(row) for row in centres}


# --- warnings ------------------------------------------------------------------------------------


def _activity() -> Any:
    return (
        F("participants_m") + F("participants_f") + F("training_hours") + F("reports_submitted") + F("reports_approved")
    )


def _late() -> Any:
    return Case(When(reports_expected__gte=1, reports_on_time=0, then=Value(1)), default=Value(0))


def early_warnings(scope: Scope, *, today: dt.date | None = None) -> list[EarlyWarning]:
    """Every warning of the centres of the scope, by kind then centre name."""
    today = today or timezone.localdate()
    centres = _watched_centres(scope, today)
    if not centres:
        return []
    this_month = _month_start(today)
    recent_from = add_months(this_month, -INACTIVE_MONTHS)
    graduation_from = add_months(this_month, -GRADUATION_WINDOW_MONTHS)
    previous_from = add_months(this_month, -2 * GRADUATION_WINDOW_MONTHS)
    due_days = (
        ReportForm.objects.filter(code=MONTHLY_FORM).values_list("due_days", flat=True).first() or DEFAULT_DUE_DAYS
    )
    last_closed, before_closed = _closed_months(today, due_days)
    window_from = min(previous_from, before_closed, recent_from)

    participants = F("participants_m") + F("participants_f")
    graduates = F("graduates_m") + F("graduates_f")
    recent = Q(month__gte=recent_from, month__lt=this_month)
    grad_recent = Q(month__gte=graduation_from, month__lt=this_month)
    grad_previous = Q(month__gte=previous_from, month__lt=graduation_from)
    figures = {
        row["center_id"]: row
        for row in CentreMonth.objects.filter(_month_rows_filter(scope), month__gte=window_from, month__lt=this_month)
        .values("center_id")
        .annotate(
            activity=Sum(_activity(), filter=recent, default=0),
            participants_recent=Sum(participants, filter=grad_recent, default=0),
            graduates_recent=Sum(graduates, filter=grad_recent, default=0),
            participants_previous=Sum(participants, filter=grad_previous, default=0),
            graduates_previous=Sum(graduates, filter=grad_previous, default=0),
            late_last=Sum(_late(), filter=Q(month=last_closed), default=0),
            late_before=Sum(_late(), filter=Q(month=before_closed), default=0),
        )
        .order_by()
    }
    # When the idle centres were last active: asked only for them (a national scan of every older
    # month took most of this function's time), in one query.
    idle = [
        center_id
        for center_id, centre in centres.items()
        if not figures.get(center_id, {}).get("activity")
        and (centre["opened_on"] is None or centre["opened_on"] <= recent_from)
    ]
    last_active = (
        dict(
            CentreMonth.objects.filter(center_id__in=idle, month__lt=recent_from)
            .annotate(activity=_activity())
            .filter(activity__gt=0)
            .values("center_id")
            .annotate(last=Max("month"))
            .order_by()
            .values_list("center_id", "last")
        )
        if idle
        else {}
    )

    found: list[EarlyWarning] = []

    def warn(kind: str, center_id: int, reason: tuple[Any, dict[str, Any]], since: dt.date | None) -> None:
        centre = centres[center_id]
        found.append(
            EarlyWarning(
                kind=kind,
                center_id=center_id,
                center_name=centre["name"],
                regency_name=centre["regency__name"] or "",
                province_name=centre["province__name"] or "",
                template=reason[0],
                params=reason[1],
                since=since,
            )
        )

    last_whole = add_months(this_month, -1)
    for center_id, centre in centres.items():
        row = figures.get(center_id, {})
        # (a) no activity in the last 3 whole months
        opened = centre["opened_on"]
        if not row.get("activity") and (opened is None or opened <= recent_from):
            last = last_active.get(center_id)
            period = {"from": _month_label(recent_from), "to": _month_label(last_whole)}
            if last is not None:
                reason = (
                    gettext_lazy(
                        "Tidak ada peserta, jam pelatihan, maupun laporan bulanan yang masuk selama "
                        "%(from)s sampai %(to)s. Kegiatan terakhir tercatat pada %(last)s."
                    ),
                    {**period, "last": _month_label(last)},
                )
            else:
                reason = (
                    gettext_lazy(
                        "Tidak ada peserta, jam pelatihan, maupun laporan bulanan yang masuk selama "
                        "%(from)s sampai %(to)s, dan belum pernah ada kegiatan yang tercatat."
                    ),
                    period,
                )
            warn(WarningKind.INACTIVE, center_id, reason, add_months(last, 1) if last else recent_from)
        # (b) the last two closed monthly reports both late (or missing)
        if row.get("late_last") and row.get("late_before"):
            reason = (
                gettext_lazy(
                    "Laporan bulanan %(first)s dan %(second)s tidak masuk tepat waktu (terlambat atau belum dikirim)."
                ),
                {"first": _month_label(before_closed), "second": _month_label(last_closed)},
            )
            warn(WarningKind.LATE_REPORTS, center_id, reason, before_closed)
        # (c) graduation rate down by 10 points or more, on enough participants
        p0, g0 = row.get("participants_previous", 0), row.get("graduates_previous", 0)
        p1, g1 = row.get("participants_recent", 0), row.get("graduates_recent", 0)
        if p0 >= GRADUATION_MIN_PARTICIPANTS and p1 >= GRADUATION_MIN_PARTICIPANTS:
            before, after = Decimal(g0) / Decimal(p0), Decimal(g1) / Decimal(p1)
            if before - after >= GRADUATION_DROP:
                reason = (
                    gettext_lazy(
                        "Tingkat kelulusan turun dari %(before)s (%(g0)s lulus dari %(p0)s peserta, %(from0)s sampai "
                        "%(to0)s) menjadi %(after)s (%(g1)s lulus dari %(p1)s peserta, %(from1)s sampai %(to1)s)."
                    ),
                    {
                        "before": format_percent(before),
                        "after": format_percent(after),
                        "g0": format_number(g0),
                        "p0": format_number(p0),
                        "g1": format_number(g1),
                        "p1": format_number(p1),
                        "from0": _month_label(previous_from),
                        "to0": _month_label(add_months(graduation_from, -1)),
                        "from1": _month_label(graduation_from),
                        "to1": _month_label(last_whole),
                    },
                )
                warn(WarningKind.FALLING_GRADUATION, center_id, reason, graduation_from)

    # (d) LPJ past due and still owed
    now = timezone.now()
    overdue = (
        LpjObligation.objects.filter(
            _scope_filter(scope, "grant__center__"),
            submission__status__in=OPEN_STATUSES,
            submission__due_at__lt=now,
        )
        .values("grant__center_id")
        .annotate(lpjs=Count("pk"), earliest=Min("due_date"), amount=Sum("grant__amount"))
        .order_by()
    )
    for row in overdue:
        center_id = row["grant__center_id"]
        if center_id not in centres:
            continue
        reason = (
            gettext_lazy(
                "%(count)s LPJ bantuan belum dikirim padahal sudah melewati batas waktu; "
                "yang paling lama jatuh tempo %(date)s."
            ),
            {"count": format_number(row["lpjs"]), "date": format_date(row["earliest"])},
        )
        warn(WarningKind.OVERDUE_LPJ, center_id, reason, row["earliest"])

    # (e) incubators of a year or more far below their tenant target
    grace_cutoff = _years_ago(today, INCUBATOR_GRACE_MONTHS // 12)
    incubators = (
        Incubator.objects.filter(_scope_filter(scope, "center__"), established_on__lte=grace_cutoff)
        .annotate(active=Count("tenants", filter=Q(tenants__left_on__isnull=True)))
        .filter(active__lt=TENANT_TARGET / 2)
        .values("center_id", "established_on", "active")
        .order_by()
    )
    for row in incubators:
        if row["center_id"] not in centres:
            continue
        reason = (
            gettext_lazy(
                "Inkubator ini baru membina %(tenants)s tenant aktif dari target %(target)s, padahal sudah "
                "berjalan sejak %(date)s."
            ),
            {
                "tenants": format_number(row["active"]),
                "target": format_number(TENANT_TARGET),
                "date": format_date(row["established_on"]),
            },
        )
        warn(WarningKind.FEW_TENANTS, row["center_id"], reason, _years_ago(row["established_on"], -1))

    order = {kind: index for index, kind in enumerate(WarningKind.values)}
    found.sort(key=lambda w: (order[w.kind], w.center_name.lower(), w.center_id))
    return found


def _years_ago(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def warning_groups(warnings: Iterable[EarlyWarning]) -> list[WarningGroup]:
    """Every kind, in the order of WarningKind, with its warnings (possibly none)."""
    by_kind: dict[str, list[EarlyWarning]] = {kind: [] for kind in WarningKind.values}
    for warning in warnings:
        by_kind[warning.kind].append(warning)
    return [WarningGroup(kind, str(WarningKind(kind).label), items) for kind, items in by_kind.items()]


# --- rankings ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankRow:
    rank: int
    center_id: int
    center_name: str
    regency_name: str
    figure: Figure


@dataclass(frozen=True)
class Ranking:
    indicator: Indicator
    rows: list[RankRow]  # every ranked centre, best first

    @property
    def top(self) -> list[RankRow]:
        return self.rows[:RANKING_SIZE]

    @property
    def bottom(self) -> list[RankRow]:
        """The last ten, worst first (none while every ranked centre fits in the top ten)."""
        return list(reversed(self.rows[RANKING_SIZE:][-RANKING_SIZE:]))


def indicator_for(key: str | None) -> Indicator:
    """The indicator asked for; the graduation rate when none or an unknown one is asked."""
    return INDICATOR_BY_KEY.get(key or "", INDICATOR_BY_KEY["graduation_rate"])


def ranking(scope: Scope, filters: Filters, indicator: Indicator) -> Ranking:
    """The centres of the scope ranked by the indicator over the filtered months, best first.

    Values are computed as the dashboard computes them (selectors.figure). Flow
    indicators add up the months of the range; stock ones take its last month.
    A rate or an average needs something to divide by: a centre without it is
    not ranked. Equal values share a rank (1, 2, 2, 4); then by name.
    """
    rows = CentreMonth.objects.filter(_month_rows_filter(scope), month__lte=filters.month_to)
    rows = rows.filter(month=filters.month_to) if indicator.stock else rows.filter(month__gte=filters.month_from)
    if filters.cohort is not None:
        rows = rows.filter(cohort=filters.cohort)
    if filters.development_class:
        rows = rows.filter(development_class=filters.development_class)
    measures = (*indicator.numerator, *indicator.denominator)
    grouped = (
        rows.values("center_id", "center__name", "center__regency__name")
        .annotate(**{name: Sum(name, default=0) for name in measures})
        .order_by()
    )
    valued: list[tuple[Figure, Decimal, dict[str, Any]]] = []
    for row in grouped:
        result = figure(indicator, {name: row[name] for name in measures})
        if result.value is not None:
            valued.append((result, Decimal(result.value), row))
    lower_first = indicator.key in LOWER_IS_BETTER
    valued.sort(key=lambda item: (item[1] if lower_first else -item[1], item[2]["center__name"].lower()))
    ranked: list[RankRow] = []
    for position, (result, _value, row) in enumerate(valued, start=1):
        same = ranked and ranked[-1].figure.value == result.value
        ranked.append(
            RankRow(
                rank=ranked[-1].rank if same else position,
                center_id=row["center_id"],
                center_name=row["center__name"],
                regency_name=row["center__regency__name"] or "",
                figure=result,
            )
        )
    return Ranking(indicator=indicator, rows=ranked)


# --- the audit of monitoring's exports -----------------------------------------------------------


def monitoring_export_record(
    *, actor: Any, what: str, fmt: str, scope: Scope, rows: int, request: HttpRequest, detail: dict[str, Any]
) -> None:
    """Note an export of monitoring figures in the audit log (what, which scope, how many rows)."""
    with transaction.atomic():
        audit_event_record(
            action=AuditAction.EXPORT,
            actor=actor,
            request=request,
            detail={"what": what, "format": fmt, "rows": rows, "scope": scope.query(), **detail},
        )
