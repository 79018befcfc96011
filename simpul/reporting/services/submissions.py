"""Filling a submission: saving values (one as you type, or many at once), prefilling, checking."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Field
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from simpul.accounts import policy
from simpul.accounts.policy import Action

from .. import prefill, validation
from ..models import (
    OPEN_STATUSES,
    Attachment,
    Indicator,
    IndicatorType,
    Submission,
    SubmissionValue,
    ValueSource,
)
from ..values import parse_value

HISTORY_PERIODS = 12
VALUE_COLUMNS = ("number", "text", "date", "boolean")


def lock_for(actor: Any, submission_id: Any, action: Action) -> Submission:
    """The submission, locked for this transaction, if the actor may do `action` to it (else 404)."""
    return policy.get_or_404(
        actor,
        Submission.objects.select_for_update(of=("self",)).select_related("form", "version", "center"),
        action,
        pk=submission_id,
    )


def _require_open(submission: Submission) -> None:
    if submission.status not in OPEN_STATUSES:
        raise ValidationError(
            _("Laporan berstatus %(status)s tidak dapat diubah.") % {"status": submission.get_status_display()}
        )


def indicators_of(submission: Submission) -> dict[str, Indicator]:
    return {i.code: i for i in submission.version.indicators.select_related("section").all()}


def _apply(
    row: SubmissionValue,
    columns: Mapping[str, Any],
    *,
    source: str,
    detail: str = "",
    explanation: str | None = None,
) -> bool:
    """Put the parsed value on the row; False when it is what the row already holds (nothing to write)."""
    new = {name: columns.get(name) for name in VALUE_COLUMNS}
    new["text"] = new["text"] or ""
    changed = any(getattr(row, name) != value for name, value in new.items())
    if explanation is not None and explanation.strip() != row.explanation:
        row.explanation = explanation.strip()[:2000]
        changed = True
    if row.pk and not changed:
        return False  # typing the same value again writes nothing (and no history)
    for name, value in new.items():
        setattr(row, name, value)
    row.source, row.source_detail = source, detail
    return True


def _write(
    submission: Submission,
    indicator: Indicator,
    columns: Mapping[str, Any],
    actor: Any,
    *,
    source: str,
    detail: str = "",
    explanation: str | None = None,
) -> SubmissionValue:
    row = SubmissionValue.objects.filter(submission=submission, indicator=indicator).first()
    row = row or SubmissionValue(submission=submission, indicator=indicator)
    if _apply(row, columns, source=source, detail=detail, explanation=explanation):
        row._history_user = actor  # type: ignore[attr-defined]
        row.save()
    return row


def _write_many(
    submission: Submission,
    values: Mapping[Indicator, Mapping[str, Any]],
    actor: Any,
    *,
    source: str,
    detail: str = "",
    explanations: Mapping[str, str] | None = None,
) -> None:
    """Many values in a fixed number of queries, history included (a 40-figure form is one save)."""
    existing = {
        row.indicator_id: row
        for row in SubmissionValue.objects.filter(submission=submission, indicator__in=list(values))
    }
    created: list[SubmissionValue] = []
    updated: list[SubmissionValue] = []
    now = timezone.now()
    for indicator, columns in values.items():
        row = existing.get(indicator.pk) or SubmissionValue(submission=submission, indicator=indicator)
        explanation = (explanations or {}).get(indicator.code)
        if not _apply(row, columns, source=source, detail=detail, explanation=explanation):
            continue
        row.updated_at = now
        (updated if row.pk else created).append(row)
    if created:
        bulk_create_with_history(created, SubmissionValue, default_user=actor, default_date=now)
    if updated:
        _update_rows(updated, [*VALUE_COLUMNS, "explanation", "source", "source_detail", "updated_at"])
        SubmissionValue.history.bulk_history_create(  # type: ignore[attr-defined]
            updated, update=True, default_user=actor, default_date=now
        )


def _update_rows(rows: list[SubmissionValue], names: list[str]) -> None:
    """One UPDATE per row, sent together (executemany). QuerySet.bulk_update builds a CASE per field and row,
    which cost more Python time than the whole rest of a 40-figure save; each value here is prepared by its
    model field, as the ORM prepares it."""
    fields = [cast(Field, SubmissionValue._meta.get_field(name)) for name in names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    # Only names from the model's own metadata go into the statement; every value is a parameter.
    sql = f"UPDATE {quote(SubmissionValue._meta.db_table)} SET {assignments} WHERE {quote('id')} = %s"  # noqa: S608
    params = [[field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields] for row in rows]
    for row, values in zip(rows, params, strict=True):
        values.append(row.pk)
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def submission_save_value(
    *, actor: Any, submission_id: Any, code: str, raw: Any, explanation: str | None = None
) -> SubmissionValue:
    """Save one value as the person types (autosave). An empty value is kept as "cleared"."""
    with transaction.atomic():
        submission = lock_for(actor, submission_id, Action.CHANGE)
        _require_open(submission)
        indicator = indicators_of(submission).get(code)
        if indicator is None or indicator.type == IndicatorType.FILE:
            raise Http404
        try:
            columns = parse_value(indicator, raw)
        except ValidationError as error:
            raise ValidationError({code: error.messages}) from error
        return _write(submission, indicator, columns, actor, source=ValueSource.ENTERED, explanation=explanation)


def submission_save_values(
    *,
    actor: Any,
    submission_id: Any,
    raw_values: Mapping[str, Any],
    explanations: Mapping[str, str] | None = None,
    source: str = ValueSource.ENTERED,
    detail: str = "",
) -> int:
    """Save many values at once. Every value is checked first: one bad value saves nothing."""
    with transaction.atomic():
        submission = lock_for(actor, submission_id, Action.CHANGE)
        _require_open(submission)
        indicators = indicators_of(submission)
        parsed: dict[str, dict[str, Any]] = {}
        errors: dict[str, list[str]] = {}
        for code, raw in raw_values.items():
            indicator = indicators.get(code)
            if indicator is None or indicator.type == IndicatorType.FILE:
                errors[code] = [_("Tidak ada isian berkode %(code)s di formulir ini.") % {"code": code}]
                continue
            try:
                parsed[code] = parse_value(indicator, raw)
            except ValidationError as error:
                errors[code] = error.messages
        if errors:
            raise ValidationError(errors)
        _write_many(
            submission,
            {indicators[code]: columns for code, columns in parsed.items()},
            actor,
            source=source,
            detail=detail,
            explanations=explanations,
        )
        return len(parsed)


def submission_prefill(*, actor: Any, submission_id: Any) -> int:
    """Fill every untouched indicator whose figure the platform knows, noting the source."""
    with transaction.atomic():
        submission = lock_for(actor, submission_id, Action.CHANGE)
        if submission.status not in OPEN_STATUSES:
            return 0
        touched = set(SubmissionValue.objects.filter(submission=submission).values_list("indicator_id", flat=True))
        filled = 0
        for indicator in indicators_of(submission).values():
            if not indicator.prefill or indicator.pk in touched or indicator.prefill not in prefill.SOURCES:
                continue
            value = prefill.SOURCES[indicator.prefill].compute(submission, indicator.code)
            if value is None:
                continue
            try:
                columns = parse_value(indicator, value)
            except ValidationError:
                continue  # a known figure that breaks this form's bounds is left for the person
            _write(
                submission,
                indicator,
                columns,
                actor,
                source=ValueSource.PREFILLED,
                detail=prefill.label_for(indicator.prefill),
            )
            filled += 1
        return filled


@dataclass
class Snapshot:
    """What a submission holds, as the checks need it."""

    values: dict[str, Any]
    explanations: dict[str, str]
    rows: dict[str, SubmissionValue]


def snapshot(submission: Submission, indicators: Mapping[str, Indicator] | None = None) -> Snapshot:
    indicators = indicators or indicators_of(submission)
    by_id = {i.pk: i for i in indicators.values()}
    rows = {
        by_id[row.indicator_id].code: row
        for row in SubmissionValue.objects.filter(submission=submission)
        if row.indicator_id in by_id
    }
    values: dict[str, Any] = {code: row.raw for code, row in rows.items()}
    with_files = set(
        Attachment.objects.filter(submission=submission, indicator__isnull=False).values_list(
            "indicator__code", flat=True
        )
    )
    for code, indicator in indicators.items():
        if indicator.type == IndicatorType.FILE:
            values[code] = True if code in with_files else None
    return Snapshot(values=values, explanations={c: r.explanation for c, r in rows.items()}, rows=rows)


def history_of(submission: Submission, codes: list[str]) -> dict[str, list[Decimal]]:
    """The centre's earlier values of these indicators (this form, up to 12 periods back)."""
    if not codes:
        return {}
    earlier = (
        SubmissionValue.objects.filter(
            submission__center_id=submission.center_id,
            submission__form_id=submission.form_id,
            submission__period_start__lt=submission.period_start,
            indicator__code__in=codes,
            number__isnull=False,
        )
        .order_by("-submission__period_start")
        .values_list("indicator__code", "number")
    )
    history: dict[str, list[Decimal]] = {}
    for code, number in earlier:
        if number is not None and len(history.setdefault(code, [])) < HISTORY_PERIODS:
            history[code].append(number)
    return history


def findings_for(submission: Submission, *, for_submit: bool) -> validation.Findings:
    indicators = indicators_of(submission)
    current = snapshot(submission, indicators)
    checked = [i.code for i in indicators.values() if i.history_check]
    return validation.check(
        indicators=indicators.values(),
        rules=submission.version.rules.all(),
        values=current.values,
        history=history_of(submission, checked),
        explanations=current.explanations,
        for_submit=for_submit,
    )
