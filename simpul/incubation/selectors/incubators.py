"""Reads of incubators and their mentors, scoped by the policy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from simpul.accounts import policy
from simpul.accounts.models import Role, User
from simpul.accounts.policy import Action
from simpul.centers.models import Center, CenterStatus

from ..models import TENANT_TARGET, Incubator, Mentor, Stage
from ..services.tenants import counts_toward_target


def _with_counts(incubators: QuerySet[Incubator]) -> QuerySet[Incubator]:
    counted = Q(tenants__left_on__isnull=True) | Q(tenants__graduated_on__isnull=False)
    return incubators.annotate(
        tenant_count=Count("tenants", filter=counted, distinct=True),
        graduated_count=Count("tenants", filter=Q(tenants__stage=Stage.GRADUATED), distinct=True),
    )


def incubator_list(*, actor: Any, province: str = "") -> QuerySet[Incubator]:
    incubators = policy.scope_queryset(actor, Incubator.objects.all(), Action.VIEW)
    if province:
        incubators = incubators.filter(center__province_id=province)
    return _with_counts(incubators.select_related("center__province", "center__regency")).order_by("center__name")


def incubator_get(*, actor: Any, pk: Any, action: Action = Action.VIEW) -> Incubator:
    return policy.get_or_404(
        actor, _with_counts(Incubator.objects.select_related("center__province", "center__regency")), action, pk=pk
    )


def incubator_of_center(*, actor: Any, center: Center) -> Incubator | None:
    return _with_counts(policy.scope_queryset(actor, Incubator.objects.filter(center=center))).first()


@dataclass(frozen=True)
class TargetProgress:
    count: int
    target: int = TENANT_TARGET

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.count / self.target)) if self.target else 0

    @property
    def remaining(self) -> int:
        return max(0, self.target - self.count)

    @property
    def reached(self) -> bool:
        return self.count >= self.target


def target_progress(incubator: Incubator) -> TargetProgress:
    count = getattr(incubator, "tenant_count", None)
    if count is None:
        count = incubator.tenants.filter(counts_toward_target()).count()
    return TargetProgress(count=count)


def centers_awaiting_profile(*, actor: Any) -> QuerySet[Center]:
    """Centres marked incubator in the registry without a profile yet (Admin Pusat makes it)."""
    if not policy.allowed(actor, Action.CREATE, Incubator):
        return Center.objects.none()
    return (
        policy.scope_queryset(actor, Center.objects.filter(status=CenterStatus.INCUBATOR, incubator__isnull=True))
        .select_related("province")
        .order_by("name")
    )


def mentor_list(*, actor: Any) -> QuerySet[Mentor]:
    return (
        policy.scope_queryset(actor, Mentor.objects.all(), Action.VIEW)
        .select_related("user__scope_center")
        .annotate(active_tenants=Count("tenants", filter=Q(tenants__left_on__isnull=True), distinct=True))
        .order_by("user__full_name", "pk")
    )


def mentor_get(*, actor: Any, pk: Any, action: Action = Action.VIEW) -> Mentor:
    return policy.get_or_404(actor, Mentor.objects.select_related("user__scope_center"), action, pk=pk)


def mentor_accounts_without_profile(*, actor: Any) -> QuerySet[User]:
    """Mentor accounts the actor may give a mentor profile: of their own centre (all, for Admin Pusat)."""
    if not policy.allowed(actor, Action.CREATE, Mentor):
        return User.objects.none()
    accounts = User.objects.filter(role=Role.MENTOR, is_active=True, mentor_profile__isnull=True)
    if actor.scope_center_id:
        accounts = accounts.filter(scope_center_id=actor.scope_center_id)
    return accounts.select_related("scope_center").order_by("full_name", "username")
