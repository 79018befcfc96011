"""The map of a scope, drilled down the way the dashboards are: one marker per child area.

The nation shows its provinces, a province its regencies, a regency its
centres and a centre itself (scope.CHILD_LEVEL). An area's marker sits at the
mean position of its centres that have coordinates and carries the value the
dashboard's area breakdown gives it (selectors.breakdown, from the rollups);
a centre's value comes from the centre-month aggregates (CentreMonth). Either
way the number of queries is fixed, whatever the number of centres or areas.
The colour classes are computed here, so the map, its legend and the table
beside it say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, Sum
from django.utils.translation import gettext as _

from simpul.centers.models import Center
from simpul.core.formats import format_number, format_rupiah

from .measures import INDICATOR_BY_KEY, INDICATORS, Indicator, Kind
from .models import CentreMonth
from .scope import CENTER, PROVINCE, REGENCY, Scope
from .selectors import Filters, breakdown, figure

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
    """One marker: a centre, or a child area at the mean position of its centres."""

    key: str  # the centre's pk, or the area's code
    name: str
    latitude: float | None
    longitude: float | None
    value: Decimal | int | None  # None: nothing to divide by
    value_text: str
    class_index: int | None
    host_name: str = ""  # centres only
    regency: str = ""  # centres only
    province: str = ""  # centres only
    centres: int = 1  # how many centres the marker stands for
    scope: Scope | None = None  # an area's scope, where its marker drills down to

    @property
    def pk(self) -> int:
        return int(self.key)

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
    level: str = CENTER  # what the markers are: PROVINCE, REGENCY (areas) or CENTER

    @property
    def areas(self) -> bool:
        return self.level != CENTER

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
    if not values and indicator.kind != Kind.RATE:
        return []  # a rate's classes are fixed steps: its legend shows even before there are values
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


def marker_level(scope: Scope) -> str:
    """What the map of a scope shows: its child areas, or centres from a regency down."""
    return scope.child_level or CENTER  # scope.CHILD_LEVEL: province, regency, centre; a centre shows itself


def _with_classes(
    scope: Scope, filters: Filters, indicator: Indicator, level: str, points: list[dict[str, Any]]
) -> MapData:
    present = [p["value"] for p in points if p["value"] is not None]
    breaks = _breaks(indicator, present)
    markers = [
        MapPoint(**p, value_text=format_value(indicator, p["value"]), class_index=_class_of(p["value"], breaks))
        for p in points
    ]
    return MapData(scope, indicator, filters, markers, _classes(indicator, breaks, present), level)


def _centre_map(scope: Scope, filters: Filters, indicator: Indicator) -> MapData:
    centres = _centres(scope, filters)
    sums = _sums(scope, filters, indicator)
    points = [
        {
            "key": str(c.pk),
            "name": c.name,
            "host_name": c.host_name,
            "regency": c.regency.name,
            "province": c.province.name,
            "latitude": float(c.latitude) if c.latitude is not None else None,
            "longitude": float(c.longitude) if c.longitude is not None else None,
            "value": figure(indicator, sums.get(c.pk, {})).value,
        }
        for c in centres
    ]
    return _with_classes(scope, filters, indicator, CENTER, points)


def _area_positions(scope: Scope, filters: Filters, group: str) -> dict[str, dict[str, Any]]:
    """Per child area (grouped on `group`): its centres and the mean position of those with coordinates."""
    centres = Center.objects.filter(_scope_filter(scope, centre_field="pk"))
    if filters.cohort:
        centres = centres.filter(cohort=filters.cohort)
    if filters.development_class:
        centres = centres.filter(development_class=filters.development_class)
    located = Q(latitude__isnull=False, longitude__isnull=False)
    rows = (
        centres.values(group)
        .annotate(n=Count("pk"), lat=Avg("latitude", filter=located), lng=Avg("longitude", filter=located))
        .order_by()
    )
    return {str(row[group]): row for row in rows}


def _area_map(scope: Scope, filters: Filters, indicator: Indicator, level: str) -> MapData:
    positions = _area_positions(scope, filters, "province_id" if level == PROVINCE else "regency_id")
    points = []
    for row in breakdown(scope, filters, "area"):
        where = positions.get(row.key, {})
        lat, lng = where.get("lat"), where.get("lng")
        points.append(
            {
                "key": row.key,
                "name": row.label,
                "latitude": None if lat is None else round(float(lat), 4),
                "longitude": None if lng is None else round(float(lng), 4),
                "value": row.figures[indicator.key].value,
                "centres": int(where.get("n") or 0),
                "scope": row.scope,
            }
        )
    return _with_classes(scope, filters, indicator, level, points)


def map_data(scope: Scope, filters: Filters, indicator: Indicator) -> MapData:
    """The scope's markers with their value of the indicator, in a fixed number of queries.

    The nation and a province: one marker per child area (three queries: the areas and their figures,
    from selectors.breakdown, and the centres' positions). A regency or a centre: one per centre (two).
    """
    level = marker_level(scope)
    if level == CENTER:
        return _centre_map(scope, filters, indicator)
    return _area_map(scope, filters, indicator, level)


def indicator_choices() -> list[tuple[str, str]]:
    return [(i.key, str(i.label)) for i in INDICATORS]
