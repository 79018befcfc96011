"""Reads of the registry, always through the access policy."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from simpul.accounts import policy
from simpul.accounts.policy import Action
from simpul.core.exports import Column
from simpul.core.formats import format_date, format_phone
from simpul.core.history import HistoryEntry, HistorySource, history_entries

from .models import Center, CenterChild, ContactPerson, Facility, Instructor, SubVocation, Vocation


@dataclass(frozen=True)
class CenterFilters:
    q: str = ""
    province: str = ""
    regency: str = ""
    vocation: int | None = None
    cohort: int | None = None
    development_class: str = ""
    status: str = ""

    def apply(self, centers: QuerySet[Center]) -> QuerySet[Center]:
        if self.q:
            centers = centers.filter(
                Q(name__icontains=self.q)
                | Q(host_name__icontains=self.q)
                | Q(vin__icontains=self.q)
                | Q(regency__name__icontains=self.q)
            )
        if self.province:
            centers = centers.filter(province_id=self.province)
        if self.regency:
            centers = centers.filter(regency_id=self.regency)
        if self.vocation:
            centers = centers.filter(vocations=self.vocation)
        if self.cohort:
            centers = centers.filter(cohort=self.cohort)
        if self.development_class:
            centers = centers.filter(development_class=self.development_class)
        if self.status:
            centers = centers.filter(status=self.status)
        return centers


def center_list(*, actor: Any, filters: CenterFilters | None = None, action: Action = Action.VIEW) -> QuerySet[Center]:
    centers = policy.scope_queryset(actor, Center.objects.all(), action)
    centers = (filters or CenterFilters()).apply(centers)
    return centers.select_related("province", "regency").prefetch_related(
        Prefetch("vocations", queryset=Vocation.objects.order_by("name"))
    )


def center_get(*, actor: Any, pk: Any, action: Action = Action.VIEW) -> Center:
    return policy.get_or_404(actor, Center.objects.select_related("province", "regency", "district"), action, pk=pk)


def center_detail(*, actor: Any, pk: Any) -> Center:
    """A centre with everything its page shows, in a fixed number of queries."""
    queryset = Center.objects.select_related("province", "regency", "district", "technical_unit").prefetch_related(
        Prefetch("vocations", queryset=Vocation.objects.order_by("name")),
        Prefetch("sub_vocations", queryset=SubVocation.objects.select_related("vocation").order_by("name")),
        Prefetch("instructors", queryset=Instructor.objects.select_related("vocation")),
        "facilities",
        "contacts",
    )
    return policy.get_or_404(actor, queryset, Action.VIEW, pk=pk)


def center_child_get(*, actor: Any, model: type[CenterChild], center: Center, pk: Any, action: Action) -> CenterChild:
    return policy.get_or_404(actor, model._default_manager.select_related("center"), action, pk=pk, center=center)


def center_history(*, actor: Any, center: Center, limit: int | None = None) -> list[HistoryEntry]:
    """What changed in a centre's record and its instructors, facilities and contacts."""
    if not policy.can(actor, Action.VIEW_HISTORY, center):
        return []
    sources = [HistorySource(Center.history.filter(id=center.pk), str(_("Profil BLK")))]
    for model in (Instructor, Facility, ContactPerson):
        sources.append(
            HistorySource(model.history.filter(center_id=center.pk), str(model._meta.verbose_name).capitalize())
        )
    return history_entries(sources, limit=limit)


EXPORT_COLUMNS: Sequence[Column] = (
    Column(gettext_lazy("ID"), 8),
    Column(gettext_lazy("Nama BLK Komunitas"), 40),
    Column(gettext_lazy("Jenis lembaga"), 20),
    Column(gettext_lazy("Nama lembaga"), 36),
    Column(gettext_lazy("Yayasan"), 30),
    Column(gettext_lazy("Alamat"), 40),
    Column(gettext_lazy("Kecamatan"), 20),
    Column(gettext_lazy("Kabupaten/kota"), 26),
    Column(gettext_lazy("Provinsi"), 22),
    Column(gettext_lazy("Kode wilayah"), 12),
    Column(gettext_lazy("Lintang"), 12),
    Column(gettext_lazy("Bujur"), 12),
    Column(gettext_lazy("Tahun bantuan"), 10),
    Column(gettext_lazy("Kejuruan"), 40),
    Column(gettext_lazy("VIN"), 18),
    Column(gettext_lazy("Nomor izin"), 24),
    Column(gettext_lazy("Tanggal izin"), 16),
    Column(gettext_lazy("UPT pembina"), 22),
    Column(gettext_lazy("Klasifikasi"), 12),
    Column(gettext_lazy("Status"), 12),
    Column(gettext_lazy("Telepon"), 16),
    Column(gettext_lazy("Surel"), 26),
)


def center_export_rows(*, actor: Any, filters: CenterFilters) -> tuple[int, Iterator[list[Any]]]:
    """The rows of the list the actor may export (the same rows they can see)."""
    centers = (
        center_list(actor=actor, filters=filters, action=Action.EXPORT)
        .select_related("district", "technical_unit")
        .order_by("province_id", "regency_id", "name", "id")
    )
    count = centers.count()

    def rows() -> Iterator[list[Any]]:
        for center in centers.iterator(chunk_size=1000):
            yield [
                center.pk,
                center.name,
                center.get_host_type_display(),
                center.host_name,
                center.yayasan_name,
                center.address,
                center.district.name,
                center.regency.name,
                center.province.name,
                center.district_id,
                float(center.latitude) if center.latitude is not None else None,
                float(center.longitude) if center.longitude is not None else None,
                center.cohort,
                ", ".join(v.name for v in center.vocations.all()),
                center.vin or "",
                center.permit_number,
                format_date(center.permit_date) if center.permit_date else "",
                center.technical_unit.name if center.technical_unit else "",
                center.get_development_class_display(),
                center.get_status_display(),
                format_phone(center.phone),
                center.email,
            ]

    return count, rows()
