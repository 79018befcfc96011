"""Incubation's sections on a centre's page: its incubator (profile, tenants against the target)."""

from __future__ import annotations

from typing import Any

from simpul.accounts import policy
from simpul.accounts.policy import Action
from simpul.centers.models import CenterStatus
from simpul.core.panels import Panel, register

from .models import Incubator, Tenant
from .selectors.incubators import incubator_of_center, target_progress
from .selectors.tenants import stage_counts, tenant_list


def _incubator(request: Any, center: Any) -> dict[str, Any] | None:
    if not policy.allowed(request.user, Action.VIEW, Incubator):
        return None
    incubator = incubator_of_center(actor=request.user, center=center)
    if incubator is None:
        # A centre marked incubator without its profile yet: Admin Pusat is offered to make it.
        if center.status == CenterStatus.INCUBATOR and policy.can(
            request.user, Action.CREATE, Incubator(center=center)
        ):
            return {"center": center, "incubator": None}
        return None
    tenants = tenant_list(actor=request.user, incubator=incubator)
    return {
        "center": center,
        "incubator": incubator,
        "progress": target_progress(incubator),
        "unmet": len(incubator.unmet_requirements()),
        "stage_counts": stage_counts(tenants),
        "can_add_tenant": policy.can(request.user, Action.CREATE, Tenant(incubator=incubator)),
    }


register(Panel("incubator", "centers.center", "incubation/incubator_panel.html", 30, _incubator))
