"""A tenant's monthly business figures: entered by the entrepreneur (on a phone) or the incubator.

One row per tenant and month (the first day stands for the month). A
revenue far from the tenant's own history (more than 3× or less than a third
of the median of the previous 6 months, judged once there are 3 of them)
needs a written explanation, as a centre's report does for an unusual value:
a typo is caught, a real jump is explained once, for everyone who reads it.
"""

from __future__ import annotations

import datetime as dt
import statistics
from decimal import Decimal
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from phonenumbers.geodata.locale import LOCALE_DATA

from simpul.accounts import policy
from simpul.accounts.policy import Action
from simpul.core import changes
from simpul.core.formats import format_date, format_rupiah
from simpul.training.services.tracing import add_months

from ..models import BusinessFigure, MarketReach, Tenant

FIGURE_FIELDS = (
    "revenue",
    "costs",
    "paid_workers",
    "family_workers",
    "products",
    "market_reach",
    "export_country",
    "financing",
    "financing_source",
    "explanation",
)
NOT_NEGATIVE = ("revenue", "costs", "paid_workers", "family_workers", "products", "financing")
OUTLIER_FACTOR = 3
HISTORY_MONTHS = 6
HISTORY_MIN_MONTHS = 3
EARLIEST_MONTH = dt.date(2017, 1, 1)  # the programme began in 2017


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_label(month: dt.date) -> str:
    """date(2026, 10, 1) -> 'Oktober 2026' (month name in the active language)."""
    return formats.date_format(month, "F Y")


def center_today(tenant: Tenant) -> dt.date:
    """Today where the tenant's incubator is (WIB, WITA or WIT)."""
    zone = tenant.incubator.center.province.timezone or "Asia/Jakarta"
    return timezone.localdate(timezone=ZoneInfo(zone))


def reporting_month(tenant: Tenant) -> dt.date:
    """The month a tenant is asked about now: the last full month."""
    return add_months(first_of_month(center_today(tenant)), -1)


@cache
def _country_names(language: str) -> tuple[tuple[str, str], ...]:
    def name(code: str) -> str:
        names = LOCALE_DATA[code]
        value = names.get(language) or names.get("aa") or code
        while value.startswith("*"):
            value = names.get(value[1:]) or code
        return value

    pairs = [(code, name(code)) for code in LOCALE_DATA if len(code) == 2 and code.isalpha() and code != "ID"]
    return tuple(sorted(pairs, key=lambda pair: pair[1]))


def export_countries() -> tuple[tuple[str, str], ...]:
    """(ISO 3166 code, name in the active language) of every export destination, sorted by name."""
    return _country_names((get_language() or "id")[:2])


def country_name(code: str) -> str:
    return dict(_country_names((get_language() or "id")[:2])).get(code, code)


def revenue_median(tenant: Tenant, month: dt.date) -> Decimal | None:
    """Median revenue of the tenant's previous 6 months, when at least 3 of them were entered."""
    past = list(
        BusinessFigure.objects.filter(
            tenant=tenant, month__gte=add_months(month, -HISTORY_MONTHS), month__lt=month
        ).values_list("revenue", flat=True)
    )
    if len(past) < HISTORY_MIN_MONTHS:
        return None
    return Decimal(str(statistics.median(past)))


def is_outlier(revenue: Decimal | None, median: Decimal | None) -> bool:
    if revenue is None or median is None or median <= 0:
        return False
    return revenue > OUTLIER_FACTOR * median or revenue * OUTLIER_FACTOR < median


def _check_month(tenant: Tenant, month: dt.date) -> None:
    if month > first_of_month(center_today(tenant)):
        raise ValidationError({"month": _("Angka bulan yang belum tiba belum dapat diisi.")})
    if month < EARLIEST_MONTH or month < first_of_month(tenant.business_started_on):
        raise ValidationError(
            {
                "month": _("Usaha ini baru dimulai %(day)s: isi bulan sesudahnya.")
                % {"day": format_date(tenant.business_started_on)}
            }
        )
    if tenant.left_on and tenant.graduated_on is None and month > first_of_month(tenant.left_on):
        raise ValidationError(
            {
                "month": _("Tenant ini keluar dari inkubator pada %(day)s: angka sesudahnya tidak dicatat.")
                % {"day": format_date(tenant.left_on)}
            }
        )


def _apply(figure: BusinessFigure, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(FIGURE_FIELDS)
    if unknown:
        raise ValueError(f"unknown figure fields: {sorted(unknown)}")
    for name, value in fields.items():
        if name in ("export_country", "financing_source", "explanation"):
            value = (value or "").strip()
        elif name in ("family_workers", "products", "financing") and value is None:
            value = 0
        setattr(figure, name, value)
    errors: dict[str, str] = {}
    for name in NOT_NEGATIVE:
        value = getattr(figure, name)
        if value is not None and value < 0:
            errors[name] = _("Tidak boleh negatif.")
    if figure.revenue is None:
        errors["revenue"] = _("Isi omzet bulan ini (0 bila tidak ada penjualan).")
    if figure.paid_workers is None:
        errors["paid_workers"] = _("Isi jumlah pekerja dibayar (0 bila tidak ada).")
    if figure.market_reach not in MarketReach.values:
        errors["market_reach"] = _("Pilih jangkauan pasar terjauh.")
    figure.export_country = figure.export_country.upper()
    if figure.market_reach == MarketReach.EXPORT and figure.export_country not in dict(export_countries()):
        errors["export_country"] = _("Pilih negara tujuan ekspor.")
    if errors:
        raise ValidationError(errors)


def figure_save(*, actor: Any, tenant_id: Any, month: dt.date, **fields: Any) -> BusinessFigure:
    """Enter (or correct) one month of a tenant's business."""
    month = first_of_month(month)
    with transaction.atomic():
        tenant = policy.get_or_404(
            actor, Tenant.objects.select_related("incubator__center__province"), Action.VIEW, pk=tenant_id
        )
        figure = BusinessFigure.objects.select_for_update().filter(tenant=tenant, month=month).first()
        action = Action.CHANGE if figure else Action.CREATE
        figure = figure or BusinessFigure(tenant=tenant, month=month)
        policy.require(actor, action, figure)
        _check_month(tenant, month)
        _apply(figure, fields)
        median = revenue_median(tenant, month)
        if is_outlier(figure.revenue, median) and not figure.explanation:
            raise ValidationError(
                {
                    "explanation": _(
                        "Omzet %(revenue)s jauh dari biasanya (median 6 bulan sebelumnya %(median)s): "
                        "tulis penjelasan singkat, atau periksa lagi angkanya."
                    )
                    % {"revenue": format_rupiah(figure.revenue), "median": format_rupiah(median)}
                }
            )
        figure.entered_by = actor
        figure.full_clean()
        figure._history_user = actor  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                figure.save()
        except IntegrityError:  # the same month entered in another tab a moment ago
            raise ValidationError(
                {"month": _("Angka usaha bulan ini baru saja tercatat: buka lagi dan ubah.")}
            ) from None
        changes.centre_months_changed(tenant.incubator.center_id, [month])
    return figure
