"""Government aid: registering a grant with its instalments and LPJ obligations, payments, progress."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts import policy
from simpul.accounts.policy import Action
from simpul.centers.models import Center
from simpul.core import changes

from ..models import (
    AidStream,
    Grant,
    Instalment,
    InstalmentCondition,
    LpjKind,
    LpjObligation,
    ReportForm,
    Status,
    Submission,
)
from ..periods import due_at

LPJ_FORM = "LPJ"
# Building aid: 70 % after the agreement, 30 % at 50 % physical progress (DESIGN.md).
DEFAULT_INSTALMENTS: dict[str, tuple[tuple[int, str], ...]] = {
    AidStream.BUILDING: ((70, InstalmentCondition.AFTER_AGREEMENT), (30, InstalmentCondition.PROGRESS_50)),
    AidStream.TRAINING: ((100, InstalmentCondition.AFTER_AGREEMENT),),
    AidStream.OPERATING: ((100, InstalmentCondition.AFTER_AGREEMENT),),
}
DEFAULT_LPJ_DAYS: dict[str, int] = {LpjKind.PROGRESS: 120, LpjKind.FINAL: 240}


def default_lpj_dues(stream: str, agreement_date: dt.date) -> dict[str, dt.date]:
    kinds = [LpjKind.PROGRESS, LpjKind.FINAL] if stream == AidStream.BUILDING else [LpjKind.FINAL]
    return {kind: agreement_date + dt.timedelta(days=DEFAULT_LPJ_DAYS[kind]) for kind in kinds}


def grant_create(
    *,
    actor: Any,
    center_id: Any,
    stream: str,
    year: int,
    amount: Decimal,
    agreement_number: str,
    agreement_date: dt.date,
    instalments: Sequence[tuple[int, str]] | None = None,
    lpj_dues: dict[str, dt.date] | None = None,
    notes: str = "",
) -> Grant:
    """Register a grant, its instalments and the LPJ it owes (each an LPJ submission to fill and review)."""
    instalments = instalments or DEFAULT_INSTALMENTS.get(stream, ((100, InstalmentCondition.AFTER_AGREEMENT),))
    lpj_dues = lpj_dues or default_lpj_dues(stream, agreement_date)
    if sum(percent for percent, _condition in instalments) != 100:
        raise ValidationError({"instalments": _("Persentase tahap pencairan harus berjumlah 100%.")})
    if LpjKind.FINAL not in lpj_dues:
        raise ValidationError({"lpj_dues": _("Setiap bantuan wajib LPJ akhir.")})
    with transaction.atomic():
        center = policy.get_or_404(actor, Center.objects.select_related("province"), Action.VIEW, pk=center_id)
        grant = Grant(
            center=center,
            stream=stream,
            year=year,
            amount=amount,
            agreement_number=(agreement_number or "").strip(),
            agreement_date=agreement_date,
            notes=notes,
        )
        policy.require(actor, Action.CREATE, grant)
        grant.full_clean()
        grant._history_user = actor  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                grant.save()
        except IntegrityError as error:
            raise ValidationError({"agreement_number": _("Nomor PKS ini sudah terdaftar.")}) from error
        for order, (percent, condition) in enumerate(instalments, start=1):
            Instalment.objects.create(grant=grant, order=order, percent=percent, condition=condition)
        for kind, due_date in lpj_dues.items():
            _create_obligation(grant, kind, due_date, actor)
    return grant


def lpj_event_label(grant: Grant, kind: str) -> str:
    return f"{dict(LpjKind.choices)[kind]} · {grant.get_stream_display()} {grant.year} ({grant.agreement_number})"


def _create_obligation(grant: Grant, kind: str, due_date: dt.date, actor: Any) -> LpjObligation:
    form = ReportForm.objects.get(code=LPJ_FORM)
    version = form.current_version()
    if version is None:
        raise ValidationError(_("Formulir LPJ belum terbit."))
    submission = Submission.objects.create(
        form=form,
        version=version,
        center=grant.center,
        period_key=f"bantuan-{grant.pk}-{kind}",
        period_start=grant.agreement_date,
        period_end=due_date,
        due_at=due_at(due_date, 0, grant.center.province.timezone),
        event_label=lpj_event_label(grant, kind),
    )
    obligation = LpjObligation(grant=grant, kind=kind, due_date=due_date, submission=submission, created_by=actor)
    obligation.full_clean()
    obligation.save()
    return obligation


def _condition_met(instalment: Instalment) -> bool:
    grant = instalment.grant
    if instalment.condition == InstalmentCondition.AFTER_AGREEMENT:
        return True
    kind = LpjKind.PROGRESS if instalment.condition == InstalmentCondition.PROGRESS_50 else LpjKind.FINAL
    lpj = grant.lpjs.filter(kind=kind).select_related("submission").first()
    approved = lpj is not None and lpj.submission.status == Status.APPROVED
    if instalment.condition == InstalmentCondition.PROGRESS_50:
        return approved and grant.physical_progress >= 50
    return approved


def instalment_status(instalment: Instalment) -> str:
    if instalment.paid_on:
        return "cair"
    return "siap" if _condition_met(instalment) else "menunggu"


def instalment_record_payment(
    *, actor: Any, instalment_id: Any, paid_on: dt.date, paid_amount: Decimal | None = None
) -> Instalment:
    with transaction.atomic():
        instalment = policy.get_or_404(
            actor, Instalment.objects.select_for_update().select_related("grant"), Action.MANAGE, pk=instalment_id
        )
        if instalment.paid_on:
            raise ValidationError(_("Tahap ini sudah tercatat cair."))
        earlier = instalment.grant.instalments.filter(order__lt=instalment.order, paid_on__isnull=True)
        if earlier.exists():
            raise ValidationError(_("Tahap sebelumnya belum cair."))
        if not _condition_met(instalment):
            raise ValidationError(
                _("Syarat pencairan belum terpenuhi: %(condition)s.")
                % {"condition": instalment.get_condition_display()}
            )
        if paid_on > timezone.localdate():
            raise ValidationError({"paid_on": _("Tanggal cair tidak boleh di masa depan.")})
        if paid_on < instalment.grant.agreement_date:
            raise ValidationError({"paid_on": _("Tanggal cair tidak boleh sebelum tanggal PKS.")})
        amount = paid_amount if paid_amount is not None else instalment.planned_amount
        already = sum(i.paid_amount or 0 for i in instalment.grant.instalments.exclude(pk=instalment.pk))
        if amount <= 0 or already + amount > instalment.grant.amount:
            raise ValidationError({"paid_amount": _("Jumlah cair melebihi sisa nilai bantuan.")})
        instalment.paid_on, instalment.paid_amount = paid_on, amount
        instalment._history_user = actor  # type: ignore[attr-defined]
        instalment.save()
        changes.centre_months_changed(instalment.grant.center_id, [paid_on])
    return instalment


def grant_update_progress(*, actor: Any, grant_id: Any, physical_progress: int) -> Grant:
    with transaction.atomic():
        grant = policy.get_or_404(actor, Grant.objects.select_for_update(), Action.CHANGE, pk=grant_id)
        if not 0 <= physical_progress <= 100:
            raise ValidationError({"physical_progress": _("Progres fisik antara 0 dan 100%.")})
        grant.physical_progress = physical_progress
        grant._history_user = actor  # type: ignore[attr-defined]
        grant.save(update_fields=["physical_progress"])
    return grant
