"""Where a dashboard looks: the nation, a province, a regency or one centre.

Every dashboard, panel, map, warning list and export is asked for a scope
(`?level=province&code=35`). `scope_get` answers only scopes inside the
actor's own: anything else is a 404, the same as a scope that does not exist
(one access policy). `home_scope` is where a person's dashboard opens.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from simpul.accounts.models import Role
from simpul.accounts.models import ScopeLevel as UserScope
from simpul.centers.models import Center
from simpul.regions.models import Province, Regency

from .models import ScopeLevel

NATIONAL, PROVINCE, REGENCY, CENTER = "national", "province", "regency", "center"
LEVELS = (NATIONAL, PROVINCE, REGENCY, CENTER)
CHILD_LEVEL = {NATIONAL: PROVINCE, PROVINCE: REGENCY, REGENCY: CENTER, CENTER: None}
ROLLUP_LEVEL = {NATIONAL: ScopeLevel.NATIONAL, PROVINCE: ScopeLevel.PROVINCE, REGENCY: ScopeLevel.REGENCY}

# Who has a dashboard: officials for their area, a centre's staff for their centre.
DASHBOARD_ROLES = frozenset({Role.ADMIN_PUSAT, Role.FKN, Role.PEMDA, Role.PENGELOLA, Role.INSTRUKTUR})


@dataclass(frozen=True)
class Scope:
    level: str
    province: Province | None = None
    regency: Regency | None = None
    center: Center | None = None

    @property
    def code(self) -> str:
        if self.center is not None:
            return str(self.center.pk)
        if self.regency is not None:
            return self.regency.code
        if self.province is not None:
            return self.province.code
        return ""

    @property
    def name(self) -> str:
        if self.center is not None:
            return self.center.name
        if self.regency is not None:
            return self.regency.name
        if self.province is not None:
            return self.province.name
        return _("Nasional")

    @property
    def child_level(self) -> str | None:
        return CHILD_LEVEL[self.level]

    @property
    def rollup(self) -> tuple[str, str] | None:
        """The AreaMonth key of this scope (None for a centre: its rows are CentreMonth's)."""
        if self.level == CENTER:
            return None
        return ROLLUP_LEVEL[self.level], self.code

    def query(self) -> str:
        """The query string that asks for this scope again."""
        return "" if self.level == NATIONAL else f"level={self.level}&code={self.code}"

    def parents(self) -> list[Scope]:
        """From the nation down to (not including) this scope, for the breadcrumbs."""
        chain = [Scope(NATIONAL)]
        if self.level in (REGENCY, CENTER) and self.province is not None:
            chain.append(Scope(PROVINCE, province=self.province))
        if self.level == CENTER and self.regency is not None:
            chain.append(Scope(REGENCY, province=self.province, regency=self.regency))
        return chain if self.level != NATIONAL else []


def can_view_dashboards(actor: Any) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and actor.is_active and actor.role in DASHBOARD_ROLES)


def home_scope(actor: Any) -> Scope:
    """The scope a person's dashboard opens on: their own."""
    if not can_view_dashboards(actor):
        raise Http404
    level = actor.scope_level
    if level == UserScope.CENTER:
        center = Center.objects.select_related("province", "regency").get(pk=actor.scope_center_id)
        return Scope(CENTER, province=center.province, regency=center.regency, center=center)
    if level == UserScope.REGENCY:
        regency = Regency.objects.select_related("province").get(pk=actor.scope_regency_id)
        return Scope(REGENCY, province=regency.province, regency=regency)
    if level == UserScope.PROVINCE:
        return Scope(PROVINCE, province=Province.objects.get(pk=actor.scope_province_id))
    return Scope(NATIONAL)


def _inside(actor: Any, scope: Scope) -> bool:
    level = actor.scope_level
    if level == UserScope.NATIONAL:
        return True
    if level == UserScope.PROVINCE:
        return scope.province is not None and scope.province.pk == actor.scope_province_id
    if level == UserScope.REGENCY:
        return scope.regency is not None and scope.regency.pk == actor.scope_regency_id
    if level == UserScope.CENTER:
        return scope.center is not None and scope.center.pk == actor.scope_center_id
    return False


def scope_get(*, actor: Any, level: str | None, code: str | None) -> Scope:
    """The scope asked for, if it lies inside the actor's own; else 404. No level: the home scope."""
    if not can_view_dashboards(actor):
        raise Http404
    if not level:
        return home_scope(actor)
    code = (code or "").strip()
    scope: Scope
    if level == NATIONAL:
        scope = Scope(NATIONAL)
    elif level == PROVINCE:
        province = Province.objects.filter(pk=code).first()
        if province is None:
            raise Http404
        scope = Scope(PROVINCE, province=province)
    elif level == REGENCY:
        regency = Regency.objects.select_related("province").filter(pk=code).first()
        if regency is None:
            raise Http404
        scope = Scope(REGENCY, province=regency.province, regency=regency)
    elif level == CENTER:
        center = (
            Center.objects.select_related("province", "regency").filter(pk=code).first() if code.isdigit() else None
        )
        if center is None:
            raise Http404
        scope = Scope(CENTER, province=center.province, regency=center.regency, center=center)
    else:
        raise Http404
    if not _inside(actor, scope):
        raise Http404
    return scope


def scope_from_params(actor: Any, params: Any) -> Scope:
    return scope_get(actor=actor, level=params.get("level"), code=params.get("code"))
