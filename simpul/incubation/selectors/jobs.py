"""Jobs created by the incubation programme: the chain training → alumnus → tenant → jobs.

Jobs are the workers of the active tenants (those who have not left their incubator), each
tenant counted from its latest reported month: paid workers, and paid plus family workers.
They are attributed twice:

- to the incubator, and through its centre to the regency, the province and the nation;
- to the training package the founder came from (`Tenant.source_enrolment`) and its vocation.
  Founders who did not train at a BLK Komunitas are counted as "bukan alumni". A region's and
  the nation's pages show both the vocations and the packages that created the most jobs (the
  package may be of a centre in another region: it is where the founder trained).

Every read goes through the access policy (tenants and figures are scoped by the incubator's
centre), and every page costs the same number of queries whatever the number of rows: the
grouping happens in the database, and the latest month per tenant is found with a correlated
subquery on the (tenant, month) unique index.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils import formats
from django.utils.translation import gettext as _

from simpul.accounts import policy
from simpul.accounts.policy import Action
from simpul.centers.models import Center
from simpul.centers.selectors import center_get
from simpul.regions.models import Province, Regency
from simpul.training.models import Package

from ..models import BusinessFigure, Incubator, Tenant

NATIONAL, PROVINCE, REGENCY = "national", "province", "regency"


class Workers:
    """Jobs are counted twice: paid workers, and all workers (paid plus unpaid family members)."""

    paid: int
    family: int

    @property
    def workers(self) -> int:
        return self.paid + self.family


@dataclass
class JobsRow(Workers):
    key: Any
    name: str
    incubators: int = 0
    tenants: int = 0
    alumni: int = 0  # tenants who trained at a centre
    reporting: int = 0  # tenants with at least one month of figures
    paid: int = 0
    family: int = 0

    def add(self, other: JobsRow) -> None:
        for name in ("incubators", "tenants", "alumni", "reporting", "paid", "family"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class PackageRow(Workers):
    """Jobs created by the founders who trained in one package."""

    key: int
    name: str
    center: str  # the centre that ran the package
    vocation: str
    visible: bool = False  # may the reader open the package's page
    tenants: int = 0
    paid: int = 0
    family: int = 0


TOP_PACKAGES = 10  # packages listed on an area page; the chain page of each incubator lists them all


@dataclass
class JobsArea:
    level: str
    province: Province | None
    regency: Regency | None
    rows: list[JobsRow]
    total: JobsRow
    vocations: list[JobsRow] = field(default_factory=list)
    packages: list[PackageRow] = field(default_factory=list)  # the TOP_PACKAGES with most jobs
    package_count: int = 0  # packages with at least one active tenant in the area


def _latest_month() -> Subquery:
    return Subquery(BusinessFigure.objects.filter(tenant=OuterRef("tenant")).order_by("-month").values("month")[:1])


def _active_tenants(actor: Any) -> QuerySet[Tenant]:
    return policy.scope_queryset(actor, Tenant.objects.filter(left_on__isnull=True))


def _latest_figures(actor: Any) -> QuerySet[BusinessFigure]:
    """Each active tenant's latest month of figures."""
    figures = BusinessFigure.objects.filter(tenant__left_on__isnull=True)
    return policy.scope_queryset(actor, figures).filter(month=_latest_month())


def _area_filter(prefix: str, province: Province | None, regency: Regency | None) -> Q:
    if regency is not None:
        return Q(**{f"{prefix}center__regency_id": regency.pk})
    if province is not None:
        return Q(**{f"{prefix}center__province_id": province.pk})
    return Q()


def _visible(actor: Any, **lookup: Any) -> bool:
    return policy.scope_queryset(actor, Center.objects.filter(**lookup)).exists()


def jobs_area(*, actor: Any, province: str = "", regency: str = "") -> JobsArea:
    """Jobs per province (national), per regency (a province) or per incubator centre (a regency)."""
    region_province: Province | None = None
    region_regency: Regency | None = None
    if regency:
        region_regency = Regency.objects.select_related("province").filter(pk=regency).first()
        if region_regency is None or not _visible(actor, regency_id=regency):
            raise Http404
        region_province = region_regency.province
        level, group = REGENCY, ("center_id", "center__name")
    elif province:
        region_province = Province.objects.filter(pk=province).first()
        if region_province is None or not _visible(actor, province_id=province):
            raise Http404
        level, group = PROVINCE, ("center__regency_id", "center__regency__name")
    else:
        level, group = NATIONAL, ("center__province_id", "center__province__name")
    key, name = group

    rows: dict[Any, JobsRow] = {}

    def row(row_key: Any, row_name: str) -> JobsRow:
        if row_key not in rows:
            rows[row_key] = JobsRow(row_key, row_name)
        return rows[row_key]

    incubators = (
        policy.scope_queryset(actor, Incubator.objects.all())
        .filter(_area_filter("", region_province, region_regency))
        .values(key, name)
        .annotate(n=Count("id"))
        .order_by()
    )
    for item in incubators:
        row(item[key], item[name]).incubators = item["n"]
    tenants = (
        _active_tenants(actor)
        .filter(_area_filter("incubator__", region_province, region_regency))
        .values(f"incubator__{key}", f"incubator__{name}")
        .annotate(n=Count("id"), alumni=Count("id", filter=Q(source_enrolment__isnull=False)))
        .order_by()
    )
    for item in tenants:
        found = row(item[f"incubator__{key}"], item[f"incubator__{name}"])
        found.tenants, found.alumni = item["n"], item["alumni"]
    figures = (
        _latest_figures(actor)
        .filter(_area_filter("tenant__incubator__", region_province, region_regency))
        .values(f"tenant__incubator__{key}", f"tenant__incubator__{name}")
        .annotate(n=Count("id"), paid=Sum("paid_workers"), family=Sum("family_workers"))
        .order_by()
    )
    for item in figures:
        found = row(item[f"tenant__incubator__{key}"], item[f"tenant__incubator__{name}"])
        found.reporting, found.paid, found.family = item["n"], item["paid"] or 0, item["family"] or 0

    total = JobsRow(None, _("Jumlah"))
    for item in rows.values():
        total.add(item)
    packages, package_count = _by_package(actor, region_province, region_regency)
    return JobsArea(
        level=level,
        province=region_province,
        regency=region_regency,
        rows=sorted(rows.values(), key=lambda r: (r.name or "", str(r.key))),
        total=total,
        vocations=_by_vocation(actor, region_province, region_regency),
        packages=packages,
        package_count=package_count,
    )


def _by_package(actor: Any, province: Province | None, regency: Regency | None) -> tuple[list[PackageRow], int]:
    """The packages whose founders created the most jobs in the area, and how many packages there are.

    Three queries whatever the number of packages: tenants and latest figures grouped by package,
    then which of the listed packages the reader may open.
    """
    package = "source_enrolment__package_id"
    tenants = (
        _active_tenants(actor)
        .filter(_area_filter("incubator__", province, regency), source_enrolment__isnull=False)
        .values(
            package,
            "source_enrolment__package__name",
            "source_enrolment__package__center__name",
            "source_enrolment__package__vocation__name",
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = {
        item[package]: PackageRow(
            key=item[package],
            name=item["source_enrolment__package__name"],
            center=item["source_enrolment__package__center__name"],
            vocation=item["source_enrolment__package__vocation__name"] or "",
            tenants=item["n"],
        )
        for item in tenants
    }
    figures = (
        _latest_figures(actor)
        .filter(_area_filter("tenant__incubator__", province, regency), tenant__source_enrolment__isnull=False)
        .values(f"tenant__{package}")
        .annotate(paid=Sum("paid_workers"), family=Sum("family_workers"))
        .order_by()
    )
    for item in figures:
        found = rows.get(item[f"tenant__{package}"])
        if found is not None:
            found.paid, found.family = item["paid"] or 0, item["family"] or 0
    top = sorted(rows.values(), key=lambda r: (-r.workers, -r.tenants, r.name, r.key))[:TOP_PACKAGES]
    if top:
        readable = policy.scope_queryset(actor, Package.objects.filter(pk__in=[r.key for r in top]), Action.VIEW)
        visible = set(readable.values_list("pk", flat=True))
        for row in top:
            row.visible = row.key in visible
    return top, len(rows)


def _by_vocation(actor: Any, province: Province | None, regency: Regency | None) -> list[JobsRow]:
    """Jobs by the vocation of the package each founder trained in ("bukan alumni" last)."""
    vocation, vocation_name = "source_enrolment__package__vocation_id", "source_enrolment__package__vocation__name"
    rows: dict[Any, JobsRow] = {}
    tenants = (
        _active_tenants(actor)
        .filter(_area_filter("incubator__", province, regency))
        .values(vocation, vocation_name)
        .annotate(n=Count("id"))
        .order_by()
    )
    for item in tenants:
        rows[item[vocation]] = JobsRow(item[vocation], item[vocation_name] or str(_("Bukan alumni BLK")))
        rows[item[vocation]].tenants = rows[item[vocation]].alumni = item["n"]
    figures = (
        _latest_figures(actor)
        .filter(_area_filter("tenant__incubator__", province, regency))
        .values(f"tenant__{vocation}")
        .annotate(n=Count("id"), paid=Sum("paid_workers"), family=Sum("family_workers"))
        .order_by()
    )
    for item in figures:
        found = rows.get(item[f"tenant__{vocation}"])
        if found is not None:
            found.reporting, found.paid, found.family = item["n"], item["paid"] or 0, item["family"] or 0
    outsiders = rows.pop(None, None)
    if outsiders is not None:
        outsiders.alumni = 0
    ordered = sorted(rows.values(), key=lambda r: (-r.workers, r.name))
    return [*ordered, outsiders] if outsiders is not None else ordered


# --- one incubator: the chain, tenant by tenant --------------------------------------------------


@dataclass
class ChainLink(Workers):
    """training package → alumnus → business → workers, for one tenant."""

    tenant: Tenant
    package: Package | None
    package_visible: bool  # may the reader open the package's page
    month: dt.date | None
    paid: int
    family: int

    @property
    def active(self) -> bool:
        return self.tenant.left_on is None

    @property
    def month_label(self) -> str:
        return formats.date_format(self.month, "F Y") if self.month else ""


@dataclass
class PackageJobs(Workers):
    package: Package | None
    package_visible: bool
    tenants: int = 0
    paid: int = 0
    family: int = 0


@dataclass
class JobsChain:
    center: Center
    incubator: Incubator
    links: list[ChainLink]
    total: JobsRow
    by_package: list[PackageJobs]


def jobs_chain(*, actor: Any, center_id: Any) -> JobsChain:
    """An incubator's tenants, each with the package they came from and the jobs they created."""
    center = center_get(actor=actor, pk=center_id)
    incubator = policy.get_or_404(actor, Incubator.objects.all(), Action.VIEW, center=center)
    latest = BusinessFigure.objects.filter(tenant=OuterRef("pk")).order_by("-month")
    tenants = (
        policy.scope_queryset(actor, Tenant.objects.filter(incubator=incubator))
        .select_related("person", "source_enrolment__package__vocation", "source_enrolment__package__center")
        .annotate(
            latest_month=Subquery(latest.values("month")[:1]),
            latest_paid=Subquery(latest.values("paid_workers")[:1]),
            latest_family=Subquery(latest.values("family_workers")[:1]),
        )
    )
    links = []
    for tenant in tenants:
        package = tenant.source_enrolment.package if tenant.source_enrolment_id else None  # type: ignore[union-attr]
        links.append(
            ChainLink(
                tenant=tenant,
                package=package,
                package_visible=package is not None and policy.can(actor, Action.VIEW, package),
                month=tenant.latest_month,  # type: ignore[attr-defined]
                paid=tenant.latest_paid or 0,  # type: ignore[attr-defined]
                family=tenant.latest_family or 0,  # type: ignore[attr-defined]
            )
        )
    links.sort(key=lambda link: (not link.active, -link.workers, link.tenant.business_name, link.tenant.pk))
    total = JobsRow(incubator.pk, str(center), incubators=1)
    packages: dict[int | None, PackageJobs] = {}
    for link in links:
        if not link.active:
            continue
        total.tenants += 1
        total.alumni += link.package is not None
        total.reporting += link.month is not None
        total.paid += link.paid
        total.family += link.family
        key = link.package.pk if link.package is not None else None
        entry = packages.setdefault(key, PackageJobs(link.package, link.package_visible))
        entry.tenants += 1
        entry.paid += link.paid
        entry.family += link.family
    outsiders = packages.pop(None, None)
    by_package = sorted(packages.values(), key=lambda p: (-p.workers, p.package.name if p.package else ""))
    if outsiders is not None:
        by_package.append(outsiders)
    return JobsChain(center=center, incubator=incubator, links=links, total=total, by_package=by_package)
