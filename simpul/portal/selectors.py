"""Public aggregate figures: counts only, never a person."""

from __future__ import annotations

from django.db.models import Count

from simpul.centers.models import Center, CenterStatus
from simpul.regions.models import Province


def public_summary() -> dict[str, int]:
    active = Center.objects.exclude(status=CenterStatus.INACTIVE)
    totals = active.aggregate(
        centers=Count("id"),
        provinces=Count("province", distinct=True),
        regencies=Count("regency", distinct=True),
    )
    totals["incubators"] = active.filter(status=CenterStatus.INCUBATOR).count()
    totals["all_provinces"] = Province.objects.filter(is_active=True).count()
    return totals
