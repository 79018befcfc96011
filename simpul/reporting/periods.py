"""Reporting periods: monthly, quarterly, half-year, yearly; and due dates in the centre's time zone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class PeriodType(models.TextChoices):
    MONTHLY = "bulanan", gettext_lazy("Bulanan")
    QUARTERLY = "triwulanan", gettext_lazy("Triwulanan")
    HALF_YEAR = "semesteran", gettext_lazy("Semesteran")
    YEARLY = "tahunan", gettext_lazy("Tahunan")
    EVENT = "peristiwa", gettext_lazy("Berdasarkan peristiwa (mis. tahap bantuan)")


MONTHS_IN: dict[str, int] = {
    PeriodType.MONTHLY: 1,
    PeriodType.QUARTERLY: 3,
    PeriodType.HALF_YEAR: 6,
    PeriodType.YEARLY: 12,
}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date
    kind: str
    key: str

    @property
    def label(self) -> str:
        if self.kind == PeriodType.MONTHLY:
            return formats.date_format(self.start, "F Y")
        if self.kind == PeriodType.QUARTERLY:
            return _("Triwulan %(n)s %(year)s") % {"n": ROMAN[(self.start.month - 1) // 3 + 1], "year": self.start.year}
        if self.kind == PeriodType.HALF_YEAR:
            return _("Semester %(n)s %(year)s") % {"n": ROMAN[(self.start.month - 1) // 6 + 1], "year": self.start.year}
        if self.kind == PeriodType.YEARLY:
            return str(self.start.year)
        return self.key

    @property
    def short_label(self) -> str:
        if self.kind == PeriodType.MONTHLY:
            return formats.date_format(self.start, "M y")
        return self.label


def _month_add(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _key(kind: str, start: dt.date) -> str:
    if kind == PeriodType.MONTHLY:
        return f"{start:%Y-%m}"
    if kind == PeriodType.QUARTERLY:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if kind == PeriodType.HALF_YEAR:
        return f"{start.year}-H{(start.month - 1) // 6 + 1}"
    return f"{start.year}"


def period_containing(kind: str, day: dt.date) -> Period:
    if kind not in MONTHS_IN:
        raise ValueError(f"{kind} has no calendar periods")
    length = MONTHS_IN[kind]
    first_month = (day.month - 1) // length * length + 1
    start = dt.date(day.year, first_month, 1)
    end = _month_add(start, length) - dt.timedelta(days=1)
    return Period(start=start, end=end, kind=kind, key=_key(kind, start))


def period_from_key(kind: str, key: str) -> Period:
    """'2026-10', '2026-Q3', '2026-H2' or '2026' back to its period; ValueError if malformed."""
    try:
        if kind == PeriodType.MONTHLY:
            year, month = key.split("-")
            start = dt.date(int(year), int(month), 1)
        elif kind == PeriodType.QUARTERLY:
            year, quarter = key.split("-Q")
            if not 1 <= int(quarter) <= 4:
                raise ValueError(key)
            start = dt.date(int(year), (int(quarter) - 1) * 3 + 1, 1)
        elif kind == PeriodType.HALF_YEAR:
            year, half = key.split("-H")
            if int(half) not in (1, 2):
                raise ValueError(key)
            start = dt.date(int(year), (int(half) - 1) * 6 + 1, 1)
        elif kind == PeriodType.YEARLY:
            start = dt.date(int(key), 1, 1)
        else:
            raise ValueError(kind)
    except (TypeError, ValueError) as error:
        raise ValueError(f"not a {kind} period: {key!r}") from error
    period = period_containing(kind, start)
    if period.key != key:
        raise ValueError(f"not a {kind} period: {key!r}")
    return period


def next_period(period: Period) -> Period:
    return period_containing(period.kind, period.end + dt.timedelta(days=1))


def previous_period(period: Period) -> Period:
    return period_containing(period.kind, period.start - dt.timedelta(days=1))


def periods_between(kind: str, first: dt.date, last: dt.date) -> list[Period]:
    """The periods that touch [first, last], oldest first."""
    periods = []
    period = period_containing(kind, first)
    while period.start <= last:
        periods.append(period)
        period = next_period(period)
    return periods


def last_periods(kind: str, count: int, today: dt.date) -> list[Period]:
    """The `count` periods ending with the last one that has already ended, oldest first."""
    period = previous_period(period_containing(kind, today))
    result = [period]
    while len(result) < count:
        period = previous_period(period)
        result.append(period)
    return list(reversed(result))


def due_at(last_day: dt.date, days_after: int, tz_name: str) -> dt.datetime:
    """The end (23:59:59) of the `days_after`-th day after `last_day`, in the given time zone.

    "Due the 10th day after the period ends": October's report is due at the
    end of 10 November, local time of the centre (WIB, WITA or WIT).
    """
    day = last_day + dt.timedelta(days=days_after)
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=ZoneInfo(tz_name))
