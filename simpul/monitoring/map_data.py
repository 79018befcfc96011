"""The map of a scope's centres: where each one is and its value of one indicator.

Values come from the centre-month aggregates (CentreMonth) over the filter
range, never from the raw records, in two queries whatever the number of
centres: the centres, then one grouped sum. The colour classes are computed
here, so the map, its legend and the table beside it say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from simpul.centers.models import Center
from simpul.core.formats import format_number, format_rupiah

from .measures import INDICATOR_BY_KEY, INDICATORS, Indicator, Kind
from .models import CentreMonth
from .scope import CENTER, PROVINCE, REGENCY, Scope
from .selectors import Filters, figure

CLASS_COUNT = 5
# Sequential, colour-blind safe and readable in greyscale (ColorBrewer YlGnBu, 5 classes).
CLASS_COLOURS = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
NO_VALUE_COLOUR = "#9ca3af"
DEFAULT_INDICATOR = "participants"
# Rates are classed on fixed steps, so a colour means the same on every map.
RATE_BREAKS = (Decimal(20), Decimal(40), Decimal(60), Decimal(80))  # percent, as selectors.figure gives rates


def indicator_from_params(params: Any) -> Indicator:
    """The indicator asked for (?indicator=graduation_rate); an unknown key falls back to the default."""
    return INDICATOR_BY_KEY.get(params.get("indicator") or "", INDICATOR_BY_KEY[DEFAULT_INDICATOR])


@dataclass(frozen=True)
class MapClass:
    index: int
    colour: str
    low: Decimal | int
    high: Decimal | int
    label: str


@dataclass(frozen=True)
class MapPoint:
    pk: int
    name: str
    host_name: str
    regency: str
    province: str
    latitude: float | None
    longitude: float | None
    value: Decimal | int | None  # None: nothing to divide by
    value_text: str
    class_index: int | None

    @property
    def colour(self) -> str:
        return NO_VALUE_COLOUR if self.class_index is None else CLASS_COLOURS[self.class_index]

    @property
    def located(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True)
class MapData:
    scope: Scope
    indicator: Indicator
    filters: Filters
    points: list[MapPoint]
    classes: list[MapClass]

    @property
    def located(self) -> list[MapPoint]:
        return [p for p in self.points if p.located]

    @property
    def unlocated(self) -> list[MapPoint]:
        return [p for p in self.points if not p.located]


def format_value(indicator: Indicator, value: Decimal | int | None) -> str:
    if value is None:
        return "–"
    if indicator.kind == Kind.RATE:
        return format_number(value, 1) + "%"
    if indicator.kind == Kind.RUPIAH:
        return format_rupiah(value)
    if indicator.kind == Kind.WEEKS:
        return _("%(weeks)s minggu") % {"weeks": format_number(value, 1)}
    return format_number(value)


def _scope_filter(scope: Scope, centre_field: str = "center_id") -> Q:
    if scope.level == CENTER and scope.center is not None:
        return Q(**{centre_field: scope.center.pk})
    if scope.level == REGENCY and scope.regency is not None:
        return Q(regency_id=scope.regency.pk)
    if scope.level == PROVINCE and scope.province is not None:
        return Q(province_id=scope.province.pk)
    return Q()


def _centres(scope: Scope, filters: Filters) -> list[Center]:
    centres = Center.objects.filter(_scope_filter(scope, centre_field="pk"))
    if filters.cohort:
        centres = centres.filter(cohort=filters.cohort)
    if filters.development_class:
        centres = centres.filter(development_class=filters.development_class)
    return list(
        centres.select_related("province", "regency")
        .only("id", "name", "host_name", "latitude", "longitude", "province__name", "regency__name", "status")
        .order_by("province_id", "regency_id", "name", "id")
    )


def _sums(scope: Scope, filters: Filters, indicator: Indicator) -> dict[int, dict[str, int]]:
    """Per centre: the sum of every measure the indicator needs over the range.

    A stock indicator (tenant jobs) takes each centre's last month with data, as the headline does.
    """
    rows = CentreMonth.objects.filter(_scope_filter(scope), month__gte=filters.month_from, month__lte=filters.month_to)
    if filters.cohort:
        rows = rows.filter(cohort=filters.cohort)
    if filters.development_class:
        rows = rows.filter(development_class=filters.development_class)
    names = list(dict.fromkeys(indicator.numerator + indicator.denominator))
    annotations = {f"s_{name}": Sum(name) for name in names}
    sums: dict[int, dict[str, int]] = {}
    if not indicator.stock:
        for row in rows.values("center_id").annotate(**annotations).order_by():
            sums[row["center_id"]] = {name: int(row[f"s_{name}"] or 0) for name in names}
        return sums
    for row in rows.values("center_id", "month").annotate(**annotations).order_by("center_id", "month"):
        sums[row["center_id"]] = {name: int(row[f"s_{name}"] or 0) for name in names}  # later months overwrite
    return sums


def _breaks(indicator: Indicator, values: list[Decimal | int]) -> list[Decimal | int]:
    """Up to four upper bounds splitting the values into up to five classes."""
    if indicator.kind == Kind.RATE:
        return list(RATE_BREAKS)
    ordered = sorted(values)
    if not ordered:
        return []
    # Quantiles of the values shown: each colour holds about a fifth of the centres. Equal quantiles
    # (few centres, many equal values) make one class, never an empty "32 s.d. < 32".
    quantiles = {ordered[min(len(ordered) - 1, (len(ordered) * k) // CLASS_COUNT)] for k in range(1, CLASS_COUNT)}
    return sorted(bound for bound in quantiles if bound > ordered[0])


def _class_of(value: Decimal | int | None, breaks: list[Decimal | int]) -> int | None:
    if value is None:
        return None
    for index, bound in enumerate(breaks):
        if value < bound:
            return index
    return len(breaks)


def _classes(indicator: Indicator, breaks: list[Decimal | int], values: list[Decimal | int]) -> list[MapClass]:
    if not values:
        return []
    low_end: Decimal | int = Decimal(0) if indicator.kind == Kind.RATE else min(values)
    high_end: Decimal | int = Decimal(100) if indicator.kind == Kind.RATE else max(values)
    bounds = [low_end, *breaks, high_end]
    count = len(breaks) + 1
    classes = []
    for index in range(count):
        low, high = bounds[index], bounds[index + 1]
        if count == 1 and low == high:
            label = format_value(indicator, low)
        elif index < count - 1:
            label = _("%(low)s s.d. < %(high)s") % {
                "low": format_value(indicator, low),
                "high": format_value(indicator, high),
            }
        else:
            label = _("≥ %(low)s") % {"low": format_value(indicator, low)}
        classes.append(MapClass(index, CLASS_COLOURS[index], low, high, label))
    return classes


def map_data(scope: Scope, filters: Filters, indicator: Indicator) -> MapData:
    """The scope's centres with their value of the indicator. Two queries, whatever the number of centres."""
    centres = _centres(scope, filters)
    sums = _sums(scope, filters, indicator)
    values = {c.pk: figure(indicator, sums.get(c.pk, {})).value for c in centres}
    present = [v for v in values.values() if v is not None]
    breaks = _breaks(indicator, present)
    points = [
        MapPoint(
            pk=c.pk,
            name=c.name,
            host_name=c.host_name,
            regency=c.regency.name,
            province=c.province.name,
            latitude=float(c.latitude) if c.latitude is not None else None,
            longitude=float(c.longitude) if c.longitude is not None else None,
            value=values[c.pk],
            value_text=format_value(indicator, values[c.pk]),
            class_index=_class_of(values[c.pk], breaks),
        )
        for c in centres
    ]
    return MapData(
        scope=scope, indicator=indicator, filters=filters, points=points, classes=_classes(indicator, breaks, present)
    )


def indicator_choices() -> list[tuple[str, str]]:
    return [(i.key, str(i.label)) for i in INDICATORS]
