"""The public aggregate figures (/angka/ and the open data): national and per province.

Counts of people under 5 are never published: `suppress` is the one place that
decides, and the page, the CSV files and the data package all read its cells.

- Primary suppression: a count of people from 1 to 4 is hidden ("<5" on the
  page, an empty cell with a flag in the files). 0 is shown: it singles no one
  out. Counts of institutions (centres, incubators) are public registry facts
  and are never hidden.
- Secondary suppression: the national figure is the sum of the provinces, so a
  single hidden province in a column could be worked out by subtraction. When
  exactly one province of a column is hidden, the smallest other non-zero
  province is hidden too ("sekunder").
- A rate is shown only when its numerator and its denominator are both shown;
  otherwise the rate and the published count together would reveal the hidden one.

Not covered: differences between overlapping periods (the last 12 months and
the calendar years) could narrow a hidden cell down; the periods are kept to
whole years and one rolling year to keep this small.

Flows (participants, graduates, ...) come from monitoring's national rollups
(AreaMonth, scope N, dimension total and province); the current state (centres,
incubators, tenants) is counted from the registry and the incubation records.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from simpul.centers.models import Center, CenterStatus
from simpul.core.formats import format_date, format_number
from simpul.incubation.models import Incubator, Tenant
from simpul.incubation.services.tenants import counts_toward_target
from simpul.monitoring.models import AreaMonth, Dimension, ScopeLevel
from simpul.monitoring.selectors import add_months
from simpul.regions.models import Province

THRESHOLD = 5  # counts of people from 1 to THRESHOLD - 1 are hidden

PRIMARY = "kurang_dari_5"
SECONDARY = "sekunder"


@dataclass(frozen=True)
class PublicFigure:
    key: str
    label: Any
    people: bool  # a count of people: suppressed under THRESHOLD
    measures: tuple[str, ...] = ()  # AreaMonth measures summed (empty: counted live)
    stock: bool = False  # the last month with data, not the sum


@dataclass(frozen=True)
class PublicRate:
    key: str
    label: Any
    numerator: str  # a PublicFigure key
    denominator: str


CURRENT_FIGURES: tuple[PublicFigure, ...] = (
    PublicFigure("centres", gettext_lazy("BLK Komunitas aktif"), people=False),
    PublicFigure("incubators", gettext_lazy("Inkubator wirausaha"), people=False),
    PublicFigure("tenants", gettext_lazy("Wirausaha binaan"), people=True),
)
PERIOD_FIGURES: tuple[PublicFigure, ...] = (
    PublicFigure("participants", gettext_lazy("Peserta dilatih"), True, ("participants_m", "participants_f")),
    PublicFigure("graduates", gettext_lazy("Lulus"), True, ("graduates_m", "graduates_f")),
    PublicFigure("certified", gettext_lazy("Bersertifikat"), True, ("certified_m", "certified_f")),
    PublicFigure(
        "placed",
        gettext_lazy("Alumni bekerja atau berwirausaha"),
        True,
        ("employed_m", "employed_f", "self_employed_m", "self_employed_f"),
    ),
    PublicFigure(
        "tenant_jobs", gettext_lazy("Lapangan kerja di usaha wirausaha binaan"), True, ("tenant_workers",), True
    ),
)
PERIOD_RATES: tuple[PublicRate, ...] = (
    PublicRate("graduation_rate", gettext_lazy("Tingkat kelulusan (%)"), "graduates", "participants"),
    PublicRate("certification_rate", gettext_lazy("Tingkat sertifikasi (%)"), "certified", "graduates"),
    PublicRate("placement_rate", gettext_lazy("Tingkat penempatan (%)"), "placed", "graduates"),
)
PERIOD_MEASURES = tuple(dict.fromkeys(m for f in PERIOD_FIGURES for m in f.measures))


@dataclass(frozen=True)
class Cell:
    """One published number: its value, or why it is hidden."""

    value: int | Decimal | None
    reason: str = ""  # "" shown; PRIMARY or SECONDARY hidden; "n/a" a rate with nothing to divide by

    @property
    def suppressed(self) -> bool:
        return self.reason in (PRIMARY, SECONDARY)

    @property
    def published(self) -> int | Decimal | None:
        """The value a file may carry: None when hidden."""
        return None if self.suppressed else self.value

    @property
    def text(self) -> str:
        if self.suppressed:
            return "<5"
        return format_number(self.value, 1 if isinstance(self.value, Decimal) else None)


def suppress(value: int, *, people: bool) -> Cell:
    """The one rule for every public count: people from 1 to 4 are hidden."""
    if people and 0 < value < THRESHOLD:
        return Cell(None, PRIMARY)
    return Cell(value)


def suppress_column(national: int, provinces: dict[str, int], *, people: bool) -> tuple[Cell, dict[str, Cell]]:
    """A column of a table (the nation and every province) with primary and secondary suppression."""
    national_cell = suppress(national, people=people)
    cells = {code: suppress(value, people=people) for code, value in provinces.items()}
    hidden = [code for code, cell in cells.items() if cell.suppressed]
    if len(hidden) == 1 and not national_cell.suppressed:
        # The nation minus the shown provinces would give the hidden one: hide the next smallest too.
        candidates = sorted((value, code) for code, value in provinces.items() if code not in hidden and value > 0)
        if candidates:
            cells[candidates[0][1]] = Cell(None, SECONDARY)
    return national_cell, cells


def rate_cell(numerator: Cell, denominator: Cell) -> Cell:
    """A rate in percent, shown only when both its parts are shown."""
    if numerator.suppressed or denominator.suppressed:
        return Cell(None, SECONDARY)
    if not denominator.value:
        return Cell(None, "n/a")
    percent = Decimal(int(numerator.value or 0) * 100) / Decimal(int(denominator.value))
    return Cell(percent.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@dataclass
class Area:
    code: str  # "" for the nation
    name: str
    cells: dict[str, Cell] = field(default_factory=dict)

    @property
    def level(self) -> str:
        return "nasional" if not self.code else "provinsi"


@dataclass
class FigureTable:
    key: str  # "12-bulan", "2025", "saat-ini"
    label: str
    month_from: dt.date | None
    month_to: dt.date | None
    figures: tuple[PublicFigure, ...]
    rates: tuple[PublicRate, ...]
    national: Area
    provinces: list[Area]

    @property
    def columns(self) -> list[tuple[str, Any]]:
        return [(f.key, f.label) for f in self.figures] + [(r.key, r.label) for r in self.rates]

    @property
    def areas(self) -> list[Area]:
        return [self.national, *self.provinces]

    @property
    def rows(self) -> list[tuple[Area, list[tuple[str, Any, Cell]]]]:
        """Each area with its (key, label, cell) in column order, for the page."""
        return [(area, [(key, label, area.cells[key]) for key, label in self.columns]) for area in self.areas]


def _provinces() -> list[tuple[str, str]]:
    return list(Province.objects.filter(is_active=True).order_by("code").values_list("code", "name"))


def _table(
    key: str,
    label: str,
    period: tuple[dt.date | None, dt.date | None],
    figures: tuple[PublicFigure, ...],
    rates: tuple[PublicRate, ...],
    national_values: dict[str, int],
    province_values: dict[str, dict[str, int]],
    provinces: list[tuple[str, str]],
) -> FigureTable:
    national = Area("", _("Indonesia"))
    areas = {code: Area(code, name) for code, name in provinces}
    for fig in figures:
        column = {code: int(province_values.get(code, {}).get(fig.key, 0)) for code in areas}
        national.cells[fig.key], cells = suppress_column(
            int(national_values.get(fig.key, 0)), column, people=fig.people
        )
        for code, cell in cells.items():
            areas[code].cells[fig.key] = cell
    for rate in rates:
        for area in [national, *areas.values()]:
            area.cells[rate.key] = rate_cell(area.cells[rate.numerator], area.cells[rate.denominator])
    return FigureTable(key, label, period[0], period[1], figures, rates, national, list(areas.values()))


def last_whole_month(today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    return add_months(dt.date(today.year, today.month, 1), -1)


def _fold(by_month: dict[dt.date, dict[str, int]], months: Iterable[dt.date]) -> dict[str, int]:
    """Flows summed over the months; a stock figure takes the last month with data."""
    totals: dict[str, int] = defaultdict(int)
    in_range = {m: by_month[m] for m in months if m in by_month}
    for fig in PERIOD_FIGURES:
        if fig.stock:
            last = max(in_range) if in_range else None
            totals[fig.key] = sum(in_range[last].get(m, 0) for m in fig.measures) if last else 0
        else:
            totals[fig.key] = sum(values.get(m, 0) for values in in_range.values() for m in fig.measures)
    return totals


def period_tables(today: dt.date | None = None) -> list[FigureTable]:
    """The last 12 whole months, then each calendar year with data (newest first). Two queries."""
    last = last_whole_month(today)
    rows = (
        AreaMonth.objects.filter(
            scope_level=ScopeLevel.NATIONAL,
            scope_code="",
            dim__in=[Dimension.TOTAL, Dimension.AREA],
            month__lte=last,
        )
        .values("dim", "dim_value", "month", *PERIOD_MEASURES)
        .order_by()
    )
    national: dict[dt.date, dict[str, int]] = {}
    by_province: dict[str, dict[dt.date, dict[str, int]]] = defaultdict(dict)
    for row in rows:
        values = {m: int(row[m] or 0) for m in PERIOD_MEASURES}
        if row["dim"] == Dimension.TOTAL:
            national[row["month"]] = values
        else:
            by_province[row["dim_value"]][row["month"]] = values
    provinces = _provinces()

    def table(key: str, label: str, first: dt.date, final: dt.date) -> FigureTable:
        months = []
        month = first
        while month <= final:
            months.append(month)
            month = add_months(month, 1)
        return _table(
            key,
            label,
            (first, final),
            PERIOD_FIGURES,
            PERIOD_RATES,
            _fold(national, months),
            {code: _fold(data, months) for code, data in by_province.items()},
            provinces,
        )

    first_of_twelve = add_months(last, -11)
    tables = [
        table(
            "12-bulan",
            _("12 bulan terakhir (%(start)s – %(end)s)")
            % {"start": _month_label(first_of_twelve), "end": _month_label(last)},
            first_of_twelve,
            last,
        )
    ]
    years = sorted({m.year for m in national} | {m.year for data in by_province.values() for m in data}, reverse=True)
    for year in years:
        final = min(dt.date(year, 12, 1), last)
        label = (
            str(year)
            if final.month == 12
            else _("%(year)s (s.d. %(month)s)")
            % {
                "year": year,
                "month": _month_label(final),
            }
        )
        tables.append(table(str(year), label, dt.date(year, 1, 1), final))
    return tables


def _month_label(month: dt.date) -> str:
    return format_date(month).split(" ", 1)[1]  # "1 Maret 2026" -> "Maret 2026"


def current_table(today: dt.date | None = None) -> FigureTable:
    """Centres, incubators and tenants today, per province. Three queries."""
    today = today or timezone.localdate()
    centres = dict(
        Center.objects.exclude(status=CenterStatus.INACTIVE)
        .values("province_id")
        .annotate(n=Count("id"))
        .values_list("province_id", "n")
    )
    incubators = dict(
        Incubator.objects.exclude(center__status=CenterStatus.INACTIVE)
        .values("center__province_id")
        .annotate(n=Count("id"))
        .values_list("center__province_id", "n")
    )
    tenants = dict(
        Tenant.objects.filter(counts_toward_target())
        .values("incubator__center__province_id")
        .annotate(n=Count("id"))
        .values_list("incubator__center__province_id", "n")
    )
    per_province: dict[str, dict[str, int]] = defaultdict(dict)
    for key, counts in (("centres", centres), ("incubators", incubators), ("tenants", tenants)):
        for code, n in counts.items():
            per_province[code][key] = n
    national = {
        "centres": sum(centres.values()),
        "incubators": sum(incubators.values()),
        "tenants": sum(tenants.values()),
    }
    return _table(
        "saat-ini",
        _("Keadaan per %(date)s") % {"date": format_date(today)},
        (None, None),
        CURRENT_FIGURES,
        (),
        national,
        per_province,
        _provinces(),
    )


def has_any(table: FigureTable) -> bool:
    return any(cell.value for cell in table.national.cells.values())
