"""Training's section on a centre's page: its packages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _  # noqa: F401

from simpul.accounts import policy
from simpul.accounts.policy import Action
from simpul.core.panels import Panel, register

from .models import Package
from .selectors.packages import package_list, with_counts


def _packages(request: Any, center: Any) -> dict[str, Any] | None:
    if not policy.allowed(request.user, Action.VIEW, Package):
        return None
    packages = package_list(actor=request.user).filter(center=center)
    return {
        "center": center,
        "packages": with_counts(packages[:8]),
        "count": packages.count(),
        "can_create": policy.can(request.user, Action.CREATE, Package(center=center)),
    }


register(Panel("training", "centers.center", "training/panel_packages.html", 5, _packages))
