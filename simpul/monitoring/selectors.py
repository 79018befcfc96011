"""Monitoring's reads: figures for a scope, from the aggregates (models.py), never from raw values.

Every function takes a Scope from scope.py (already checked against the
actor by `scope_get`, so whatever it returns the actor may see) and Filters.
The number of queries is fixed: it does not grow with the data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .measures import Indicator
from .scope import Scope


@dataclass(frozen=True)
class Filters:
    month_from: dt.date  # first day of a month
    month_to: dt.date  # first day of a month, inclusive
    cohort: int | None = None
    development_class: str = ""
    vocation: str = ""  # centers.Vocation code: narrows the training-record panels


@dataclass(frozen=True)
class Figure:
    indicator: Indicator
    value: Decimal | int | None  # None: nothing to divide by / no data
    numerator: int = 0
    denominator: int = 0


@dataclass
class Row:
    key: str  # the dimension value: area code, centre pk, cohort year, class, "L"/"P", month "2026-03"
    label: str
    figures: dict[str, Figure] = field(default_factory=dict)
    scope: Scope | None = None  # where a click drills down to (a child area or a centre), when there is one


def filters_from_params(params: Any, *, today: dt.date | None = None) -> Filters:
    """Filters from a query string; defaults to the last 12 whole months. Bad values fall back to defaults."""
    raise NotImplementedError


def headline(scope: Scope, filters: Filters) -> dict[str, Figure]:
    """Every indicator of measures.INDICATORS over the filtered months (stock ones: the last month)."""
    raise NotImplementedError


def trend(scope: Scope, filters: Filters) -> list[Row]:
    """One Row per month of the range (key "YYYY-MM"), every indicator."""
    raise NotImplementedError


def breakdown(scope: Scope, filters: Filters, dim: str) -> list[Row]:
    """Rows split by dim: "area" (child areas, or the centres of a regency), "cohort", "class", "sex"."""
    raise NotImplementedError


def vocation_breakdown(scope: Scope, filters: Filters) -> list[Row]:
    """Training records per kejuruan (participants by sex, graduates, certified)."""
    raise NotImplementedError


@dataclass(frozen=True)
class IncubationFigures:
    incubators: int
    tenants: int  # active tenants (not left)
    target: int  # 10 per incubator
    below_half: int  # incubators with fewer than 5 tenants


def incubation_figures(scope: Scope) -> IncubationFigures:
    raise NotImplementedError


@dataclass(frozen=True)
class AidFigures:
    granted: int  # rupiah of grants whose year is in the range
    paid: int  # rupiah paid in the range
    lpj_outstanding: int  # LPJ obligations past due and not yet submitted, today
    lpj_due_soon: int  # due within 30 days, not yet submitted


def aid_figures(scope: Scope, filters: Filters) -> AidFigures:
    raise NotImplementedError
