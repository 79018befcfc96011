"""Reads of tenants, the alumni they are drawn from, and mentoring sessions, scoped by the policy.

A mentor sees only the tenants assigned to them and an entrepreneur only
their own business, wherever these are (the policy's `own=`); a tenant's
NIK never appears on these pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, F, Prefetch, QuerySet, When

from simpul.accounts import policy
from simpul.accounts.models import Role, User
from simpul.accounts.policy import Action
from simpul.core.history import HistoryEntry, HistorySource, history_entries
from simpul.core.idn import mask_nik
from simpul.training.models import Enrolment, Outcome, OutcomeStatus, Result

from ..models import Incubator, Mentor, MentoringSession, Tenant

POOL_LIMIT = 100
SEARCH_LIMIT = 20


def tenant_list(*, actor: Any, incubator: Incubator | None = None, stage: str = "") -> QuerySet[Tenant]:
    tenants = policy.scope_queryset(actor, Tenant.objects.all(), Action.VIEW)
    if incubator is not None:
        tenants = tenants.filter(incubator=incubator)
    if stage:
        tenants = tenants.filter(stage=stage)
    # Still in the programme first (NULL first on every database), then those who left.
    return tenants.select_related("incubator__center").order_by(
        F("left_on").asc(nulls_first=True), "business_name", "pk"
    )


def tenant_get(*, actor: Any, pk: Any, action: Action = Action.VIEW) -> Tenant:
    return policy.get_or_404(
        actor,
        Tenant.objects.select_related(
            "incubator__center__province", "source_enrolment__package", "person", "user"
        ).prefetch_related(Prefetch("mentors", queryset=Mentor.objects.select_related("user"))),
        action,
        pk=pk,
    )


def own_tenant(*, actor: Any) -> Tenant | None:
    """The entrepreneur's own business (the latest tenancy if there were several)."""
    if getattr(actor, "role", None) != Role.WIRAUSAHA:
        return None
    tenant = (
        policy.scope_queryset(actor, Tenant.objects.all(), Action.VIEW)
        .order_by(F("left_on").asc(nulls_first=True), "-pre_on")
        .first()
    )
    return tenant_get(actor=actor, pk=tenant.pk) if tenant else None


def mentored_tenants(*, actor: Any) -> QuerySet[Tenant]:
    """A mentor's own tenants (still in the programme first)."""
    if getattr(actor, "role", None) != Role.MENTOR:
        return Tenant.objects.none()
    return tenant_list(actor=actor)


@dataclass(frozen=True)
class PoolEntry:
    """A self-employed graduate of the centre: the first people an incubator asks."""

    enrolment: Enrolment
    business_name: str
    business_sector: str
    started_on: Any


def _active_tenants() -> QuerySet[Tenant]:
    return Tenant.objects.filter(left_on__isnull=True, person__isnull=False)


def alumni_pool(*, actor: Any, incubator: Incubator) -> list[PoolEntry]:
    """Self-employed alumni of the incubator's centre (latest tracer answer), not a tenant anywhere now."""
    outcomes = (
        policy.scope_queryset(actor, Outcome.objects.all(), Action.VIEW)
        .filter(status=OutcomeStatus.SELF_EMPLOYED, enrolment__package__center_id=incubator.center_id)
        .exclude(enrolment__person__in=_active_tenants().values("person_id"))
        .select_related("enrolment__person", "enrolment__package")
        .order_by("enrolment__person__full_name", "enrolment__person_id", "-enrolment__graduated_on", "-wave")
    )
    pool: dict[int, PoolEntry] = {}
    for outcome in outcomes[: POOL_LIMIT * 3]:
        person_id = outcome.enrolment.person_id
        if person_id not in pool:
            pool[person_id] = PoolEntry(
                outcome.enrolment, outcome.business_name, outcome.business_sector, outcome.started_on
            )
    return list(pool.values())[:POOL_LIMIT]


def graduates_search(*, actor: Any, incubator: Incubator, q: str) -> list[Enrolment]:
    """Other graduates the actor may see, found by name (not self-employed yet, or from another package)."""
    words = " ".join((q or "").split())
    if len(words) < 2:
        return []
    enrolments = (
        policy.scope_queryset(actor, Enrolment.objects.all(), Action.VIEW)
        .filter(result=Result.PASSED, person__full_name__icontains=words)
        .exclude(person__in=_active_tenants().values("person_id"))
        .select_related("person", "package__center")
        # The incubator's own centre first; the search still reaches the actor's whole scope.
        .annotate(elsewhere=Case(When(package__center_id=incubator.center_id, then=0), default=1))
        .order_by("elsewhere", "person__full_name", "-graduated_on")
    )
    return list(enrolments[:SEARCH_LIMIT])


def enrolment_for_intake(*, actor: Any, pk: Any) -> Enrolment:
    return policy.get_or_404(actor, Enrolment.objects.select_related("person", "package__center"), Action.VIEW, pk=pk)


def intake_initial(enrolment: Enrolment) -> dict[str, Any]:
    """The business an alumnus reported at their latest tracer answer, to start the intake form from."""
    answer = (
        Outcome.objects.filter(enrolment__person_id=enrolment.person_id, status=OutcomeStatus.SELF_EMPLOYED)
        .order_by("-enrolment__graduated_on", "-wave")
        .first()
    )
    if answer is None:
        return {}
    return {
        "business_name": answer.business_name,
        "sector": answer.business_sector,
        "business_started_on": answer.started_on,
    }


def mentor_of(actor: Any) -> Mentor | None:
    """The actor's own mentor profile, if they have one."""
    if getattr(actor, "role", None) != Role.MENTOR:
        return None
    return Mentor.objects.filter(user_id=actor.pk).first()


def entrepreneur_accounts(*, incubator: Incubator, tenant: Tenant | None = None) -> QuerySet[User]:
    """Wirausaha accounts of the incubator's centre that are free to link (or linked to this tenant)."""
    taken = Tenant.objects.filter(left_on__isnull=True, user__isnull=False)
    if tenant is not None:
        taken = taken.exclude(pk=tenant.pk)
    return (
        User.objects.filter(role=Role.WIRAUSAHA, is_active=True, scope_center_id=incubator.center_id)
        .exclude(pk__in=taken.values("user_id"))
        .order_by("full_name", "username")
    )


def assignable_mentors(*, actor: Any) -> QuerySet[Mentor]:
    return policy.scope_queryset(actor, Mentor.objects.select_related("user"), Action.VIEW).order_by(
        "user__full_name", "pk"
    )


def session_list(*, actor: Any, tenant: Tenant) -> QuerySet[MentoringSession]:
    """Every session with the tenant the actor may read, newest first."""
    return (
        policy.scope_queryset(actor, MentoringSession.objects.filter(tenant=tenant), Action.VIEW)
        .select_related("mentor__user")
        .order_by("-held_on", "-id")
    )


def session_get(*, actor: Any, pk: Any, action: Action = Action.VIEW) -> MentoringSession:
    return policy.get_or_404(
        actor, MentoringSession.objects.select_related("tenant__incubator__center", "mentor__user"), action, pk=pk
    )


def tenant_history(*, actor: Any, tenant: Tenant, limit: int | None = 15) -> list[HistoryEntry]:
    """Who changed the tenant (business data, stages, account, leaving), and when: for officials and the incubator.

    Figures and products keep their own history too; it is not listed here because
    naming each of their historical rows costs a query per row (`core.history`).
    """
    if not policy.can(actor, Action.VIEW_HISTORY, tenant):
        return []
    entries = history_entries(
        [HistorySource(Tenant.history.filter(id=tenant.pk), str(Tenant._meta.verbose_name))], limit=limit
    )
    nik_label = str(Tenant._meta.get_field("nik").verbose_name)
    for entry in entries:  # an outsider's NIK is personal data: the timeline shows it masked
        for change in entry.changes:
            if change.label == nik_label:
                change.old = mask_nik(change.old) if change.old.isdigit() else change.old
                change.new = mask_nik(change.new) if change.new.isdigit() else change.new
    return entries


def stage_counts(tenants: QuerySet[Tenant]) -> dict[str, int]:
    """Tenants still in the programme, per stage."""
    rows = tenants.filter(left_on__isnull=True).order_by().values("stage").annotate(n=Count("pk"))
    return {row["stage"]: row["n"] for row in rows}
