"""Reads of users and the audit log, always through the access policy."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from simpul.core.models import AuditEvent

from . import policy
from .models import Role, User
from .policy import Action


def user_list(*, actor: Any, q: str = "", role: str = "") -> QuerySet[User]:
    users = policy.scope_queryset(
        actor,
        User.objects.select_related("scope_province", "scope_regency__province", "scope_center"),
    )
    if q:
        users = users.filter(Q(username__icontains=q) | Q(full_name__icontains=q) | Q(email__icontains=q))
    if role:
        users = users.filter(role=role)
    return users.order_by("username")


def user_get(*, actor: Any, pk: Any, action: Action = Action.VIEW) -> User:
    return policy.get_or_404(
        actor,
        User.objects.select_related("scope_province", "scope_regency__province", "scope_center"),
        action,
        pk=pk,
    )


def audit_event_list(*, actor: Any, action: str = "", username: str = "") -> QuerySet[AuditEvent]:
    events = policy.scope_queryset(actor, AuditEvent.objects.select_related("target_type"))
    if action:
        events = events.filter(action=action)
    if username:
        events = events.filter(actor_username__icontains=username)
    return events.order_by("-occurred_at", "-id")


def users_responsible_for(*, center: Any, roles: tuple[str, ...], include_national: bool = False) -> QuerySet[User]:
    """Active accounts of the given roles whose scope covers a centre (for notifications).

    `center` is anything with pk, regency_id and province_id (accounts does
    not import the registry). Internal: used by services to address people,
    never shown as a list.
    """
    covering = (
        Q(scope_center_id=center.pk) | Q(scope_regency_id=center.regency_id) | Q(scope_province_id=center.province_id)
    )
    if include_national:
        covering |= Q(scope_center__isnull=True, scope_regency__isnull=True, scope_province__isnull=True)
    return User.objects.filter(covering, role__in=roles, is_active=True)


def region_reviewers(*, center: Any) -> QuerySet[User]:
    """The Pemda and FKN officials of the centre's regency or province (not the national forum)."""
    return users_responsible_for(center=center, roles=(Role.PEMDA, Role.FKN)).exclude(
        scope_province__isnull=True, scope_regency__isnull=True
    )


def center_managers(*, center: Any) -> QuerySet[User]:
    return users_responsible_for(center=center, roles=(Role.PENGELOLA,)).filter(scope_center_id=center.pk)
