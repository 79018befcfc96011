"""The tracing worklist (who to ask how they are doing) and the waiting time to work (masa tunggu)."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from simpul.accounts import policy
from simpul.accounts.policy import Action

from ..models import WAVES, Enrolment, Outcome, Package, Result, TracerInvitation
from ..services.tracing import add_months, wave_due
from .people import first_start, waiting_weeks

# A wave stays on the list until the next one is due; the 12-month one for three more months.
LAST_WAVE_GRACE_MONTHS = 3


@dataclass(frozen=True)
class DueWave:
    enrolment: Enrolment
    wave: int
    due_on: dt.date
    days_overdue: int
    open_link: TracerInvitation | None


def _graduates(actor: Any, center_id: Any, since: dt.date, until: dt.date) -> QuerySet[Enrolment]:
    # Scoped through the packages (the same readers and paths as enrolments): the database then walks
    # a centre's few packages instead of every graduate of the period in the country.
    packages = policy.scope_queryset(actor, Package.objects.all(), Action.VIEW)
    if center_id:
        packages = packages.filter(center_id=center_id)
    return Enrolment.objects.filter(
        package__in=packages.values("pk"), result=Result.PASSED, graduated_on__gte=since, graduated_on__lte=until
    )


def tracing_worklist(*, actor: Any, center_id: Any = None, today: dt.date | None = None) -> list[DueWave]:
    """Graduates whose current tracer wave is due and unanswered, the longest overdue first."""
    today = today or timezone.localdate()
    if not policy.allowed(actor, Action.VIEW, Outcome):
        return []
    since = add_months(today, -(max(WAVES) + LAST_WAVE_GRACE_MONTHS))
    until = add_months(today, -min(WAVES))
    now = timezone.now()
    enrolments = (
        _graduates(actor, center_id, since, until)
        .select_related("person", "package__center")
        .prefetch_related(
            Prefetch("outcomes", queryset=Outcome.objects.only("id", "enrolment_id", "wave")),
            Prefetch(
                "tracer_invitations",
                queryset=TracerInvitation.objects.filter(used_at__isnull=True, expires_at__gt=now),
            ),
        )
    )
    due: list[DueWave] = []
    for enrolment in enrolments:
        assert enrolment.graduated_on is not None  # filtered above
        current = [w for w in WAVES if wave_due(enrolment.graduated_on, w) <= today]
        if not current:
            continue
        wave = current[-1]
        if any(o.wave == wave for o in enrolment.outcomes.all()):
            continue
        due_on = wave_due(enrolment.graduated_on, wave)
        link = next((i for i in enrolment.tracer_invitations.all() if i.wave == wave), None)
        due.append(DueWave(enrolment, wave, due_on, (today - due_on).days, link))
    due.sort(key=lambda item: (item.due_on, item.enrolment.person.full_name))
    return due


@dataclass(frozen=True)
class TracingSummary:
    graduates: int
    traced: int
    working: int
    median_waiting_weeks: float | None


def tracing_summary(*, actor: Any, center_id: Any = None, today: dt.date | None = None) -> TracingSummary:
    """Graduates of the last 15 months: how many were traced, how many work, the median masa tunggu."""
    today = today or timezone.localdate()
    since = add_months(today, -(max(WAVES) + LAST_WAVE_GRACE_MONTHS))
    graduates = _graduates(actor, center_id, since, today)
    rows = list(
        first_start(graduates)
        .annotate(answers=Count("outcomes"))
        .values_list("graduated_on", "first_started_on", "answers")
        .order_by()
    )
    traced = sum(1 for _graduated, _started, answers in rows if answers)
    weeks = [w for w in (waiting_weeks(g, s) for g, s, _answers in rows) if w is not None]
    return TracingSummary(
        graduates=len(rows),
        traced=traced,
        working=len(weeks),
        median_waiting_weeks=statistics.median(weeks) if weeks else None,
    )
