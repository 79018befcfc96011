"""Reads of aid and LPJ, through the access policy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, Exists, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from simpul.accounts import policy
from simpul.accounts.policy import Action

from ..models import OPEN_STATUSES, Grant, Instalment, LpjKind, LpjObligation, Status

MONEY: DecimalField = DecimalField(max_digits=17, decimal_places=0)


def _final_approved() -> Exists:
    return Exists(
        LpjObligation.objects.filter(grant=OuterRef("pk"), kind=LpjKind.FINAL, submission__status=Status.APPROVED)
    )


def grant_list(
    *, actor: Any, province: str = "", stream: str = "", year: int | None = None, center_id: Any = None
) -> QuerySet[Grant]:
    grants = policy.scope_queryset(actor, Grant.objects.all())
    if province:
        grants = grants.filter(center__province_id=province)
    if stream:
        grants = grants.filter(stream=stream)
    if year:
        grants = grants.filter(year=year)
    if center_id:
        grants = grants.filter(center_id=center_id)
    paid = (
        Instalment.objects.filter(grant=OuterRef("pk"), paid_on__isnull=False)
        .values("grant")
        .annotate(total=Sum("paid_amount"))
        .values("total")
    )
    open_lpjs = (
        LpjObligation.objects.filter(grant=OuterRef("pk"), submission__status__in=OPEN_STATUSES)
        .values("grant")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        grants.select_related("center", "center__province", "center__regency")
        .annotate(
            paid=Coalesce(Subquery(paid, output_field=MONEY), Value(Decimal(0)), output_field=MONEY),
            open_lpjs=Coalesce(Subquery(open_lpjs), Value(0)),
            final_approved=_final_approved(),
        )
        .order_by("-year", "center__name", "pk")
    )


def grant_get(*, actor: Any, pk: Any, action: Action = Action.VIEW) -> Grant:
    return policy.get_or_404(actor, Grant.objects.select_related("center", "center__province"), action, pk=pk)


def instalment_get(*, actor: Any, pk: Any, action: Action = Action.VIEW) -> Instalment:
    return policy.get_or_404(actor, Instalment.objects.select_related("grant"), action, pk=pk)


def lpj_list(*, actor: Any, grant: Grant) -> QuerySet[LpjObligation]:
    return policy.scope_queryset(actor, LpjObligation.objects.filter(grant=grant)).select_related("submission")


def overdue_lpjs(*, actor: Any, now: dt.datetime | None = None, province: str = "") -> QuerySet[LpjObligation]:
    """LPJ past their due time and not yet sent, oldest first."""
    now = now or timezone.now()
    lpjs = policy.scope_queryset(actor, LpjObligation.objects.all()).filter(
        submission__status__in=OPEN_STATUSES, submission__due_at__lt=now
    )
    if province:
        lpjs = lpjs.filter(grant__center__province_id=province)
    return lpjs.select_related("grant", "grant__center", "grant__center__province", "submission").order_by(
        "submission__due_at", "pk"
    )


def overdue_by_province(*, actor: Any, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    now = now or timezone.now()
    return list(
        policy.scope_queryset(actor, LpjObligation.objects.all())
        .filter(submission__status__in=OPEN_STATUSES, submission__due_at__lt=now)
        .values("grant__center__province_id", "grant__center__province__name")
        .annotate(lpjs=Count("id"), centers=Count("grant__center", distinct=True))
        .order_by("-lpjs", "grant__center__province_id")
    )


@dataclass(frozen=True)
class HeldWithoutFinal:
    recipients: int
    grants: int
    amount: Decimal
    overdue_recipients: int
    overdue_amount: Decimal


def held_without_final_lpj(*, actor: Any, now: dt.datetime | None = None) -> HeldWithoutFinal:
    """Money paid out on grants whose final LPJ is not approved (the state auditor's question).

    `overdue_*`: the part whose final LPJ is also past due.
    """
    now = now or timezone.now()
    grants = (
        policy.scope_queryset(actor, Grant.objects.all())
        .annotate(final_approved=_final_approved())
        .filter(final_approved=False)
    )
    paid = Instalment.objects.filter(grant__in=grants.values("pk"), paid_on__isnull=False)
    totals = paid.aggregate(amount=Coalesce(Sum("paid_amount"), Value(Decimal(0)), output_field=MONEY))
    counts = grants.filter(instalments__paid_on__isnull=False).aggregate(
        recipients=Count("center", distinct=True), grants=Count("pk", distinct=True)
    )
    final_past_due = LpjObligation.objects.filter(
        grant=OuterRef("pk"), kind=LpjKind.FINAL, submission__due_at__lt=now
    ).exclude(submission__status=Status.APPROVED)
    late = grants.filter(Exists(final_past_due))
    late_paid = Instalment.objects.filter(grant__in=late.values("pk"), paid_on__isnull=False)
    late_totals = late_paid.aggregate(amount=Coalesce(Sum("paid_amount"), Value(Decimal(0)), output_field=MONEY))
    late_recipients = late_paid.aggregate(n=Count("grant__center", distinct=True))["n"]
    return HeldWithoutFinal(
        recipients=counts["recipients"],
        grants=counts["grants"],
        amount=totals["amount"],
        overdue_recipients=late_recipients,
        overdue_amount=late_totals["amount"],
    )
