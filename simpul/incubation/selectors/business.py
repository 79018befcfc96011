"""Reads of business figures, scoped by the policy."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from simpul.accounts import policy
from simpul.accounts.policy import Action
from simpul.training.services.tracing import add_months

from ..models import BusinessFigure, Tenant
from ..services.business import (
    HISTORY_MIN_MONTHS,
    HISTORY_MONTHS,
    country_name,
    first_of_month,
    is_outlier,
    reporting_month,
    revenue_median,
)


def figure_list(*, actor: Any, tenant: Tenant) -> QuerySet[BusinessFigure]:
    """The tenant's months the actor may read, newest first."""
    return policy.scope_queryset(actor, BusinessFigure.objects.filter(tenant=tenant), Action.VIEW).order_by("-month")


def figure_for_month(*, actor: Any, tenant: Tenant, month: dt.date) -> BusinessFigure | None:
    return figure_list(actor=actor, tenant=tenant).filter(month=month).first()


@dataclass(frozen=True)
class FigureRow:
    figure: BusinessFigure
    outlier: bool
    country: str = ""  # the export destination's name


def figure_rows(figures: list[BusinessFigure]) -> list[FigureRow]:
    """Months newest first, each marked when its revenue was far from the six months before it."""
    chronological = sorted(figures, key=lambda f: f.month)
    rows = []
    for figure in chronological:
        since = add_months(figure.month, -HISTORY_MONTHS)
        earlier = [f.revenue for f in chronological if since <= f.month < figure.month]
        median = Decimal(str(statistics.median(earlier))) if len(earlier) >= HISTORY_MIN_MONTHS else None
        country = country_name(figure.export_country) if figure.export_country else ""
        rows.append(FigureRow(figure, is_outlier(figure.revenue, median), country))
    return list(reversed(rows))


@dataclass(frozen=True)
class FigureSummary:
    latest: BusinessFigure | None
    due_month: dt.date
    due_missing: bool
    median: Decimal | None


def figure_summary(*, actor: Any, tenant: Tenant) -> FigureSummary:
    due = reporting_month(tenant)
    figures = figure_list(actor=actor, tenant=tenant)
    return FigureSummary(
        latest=figures.first(),
        due_month=due,
        due_missing=tenant.left_on is None
        and due >= first_of_month(tenant.business_started_on)
        and not figures.filter(month=due).exists(),
        median=revenue_median(tenant, due),
    )
