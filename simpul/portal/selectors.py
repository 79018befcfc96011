"""Public aggregate figures: counts only, never a person."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from simpul.centers.models import Center, CenterStatus, Vocation
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


# --- The public directory of centres ----------------------------------------------------------
#
# Only what a centre shows the world: its name, host institution, regency and
# province, status, grant year, vocations and where it is on a map. Never its
# contact persons, phone, e-mail, street address, managers or instructors.

PUBLIC_CENTRE_FIELDS = (
    "id",
    "name",
    "host_type",
    "host_name",
    "status",
    "cohort",
    "latitude",
    "longitude",
    "province__name",
    "regency__name",
)


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    province: str = ""

    @classmethod
    def from_params(cls, params: Any) -> DirectoryFilters:
        province = (params.get("provinsi") or "").strip()
        return cls(q=(params.get("q") or "").strip()[:100], province=province if province.isdigit() else "")


def public_centres(filters: DirectoryFilters | None = None) -> QuerySet[Center]:
    """Centres on the public directory (every centre not closed), searchable by name, host and regency."""
    filters = filters or DirectoryFilters()
    centres = Center.objects.exclude(status=CenterStatus.INACTIVE)
    if filters.q:
        centres = centres.filter(
            Q(name__icontains=filters.q) | Q(host_name__icontains=filters.q) | Q(regency__name__icontains=filters.q)
        )
    if filters.province:
        centres = centres.filter(province_id=filters.province)
    return (
        centres.select_related("province", "regency")
        .only(*PUBLIC_CENTRE_FIELDS)
        .prefetch_related(Prefetch("vocations", queryset=Vocation.objects.order_by("name").only("id", "name")))
        .order_by("province__name", "regency__name", "name", "id")
    )


def public_centre(pk: int) -> Center:
    """One centre's public page; a closed centre is not found, like one that never existed."""
    return get_object_or_404(public_centres(), pk=pk)


def directory_provinces() -> list[tuple[str, str]]:
    """The provinces that have a centre on the directory, for the filter."""
    return list(
        Province.objects.filter(centers__in=Center.objects.exclude(status=CenterStatus.INACTIVE))
        .distinct()
        .order_by("name")
        .values_list("code", "name")
    )


def public_centre_record(centre: Center) -> dict[str, Any]:
    """What the public JSON and the open data say about a centre: a whitelist, never the whole record."""
    return {
        "id": centre.pk,
        "name": centre.name,
        "host_type": str(centre.get_host_type_display()),
        "host_name": centre.host_name,
        "regency": centre.regency.name,
        "province": centre.province.name,
        "status": str(centre.get_status_display()),
        "cohort": centre.cohort,
        "lat": float(centre.latitude) if centre.latitude is not None else None,
        "lng": float(centre.longitude) if centre.longitude is not None else None,
        "vocations": [v.name for v in centre.vocations.all()],
    }
