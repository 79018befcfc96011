"""Excel round trip, part 1: the template a centre or an official downloads (see excel.py)."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from simpul.accounts import policy
from simpul.accounts.policy import Action
from simpul.centers.models import Center
from simpul.core.audit import audit_event_record
from simpul.core.exports import is_formula_like
from simpul.core.formats import format_number
from simpul.core.models import AuditAction

from ..models import (
    OPEN_STATUSES,
    FormVersion,
    Indicator,
    IndicatorType,
    ReportForm,
    Submission,
    SubmissionValue,
)
from ..periods import Period
from ..values import TEXT_MAX, as_input, bounds_message
from .excel import (
    DATA_SHEET,
    FIRST_ROW,
    FIRST_VALUE_COLUMN,
    ID_COLUMN,
    META_SHEET,
    _period,
    max_rows,
)

# --- the template ------------------------------------------------------------------------------


def build_template(
    *,
    actor: Any,
    form: ReportForm,
    period_key: str,
    center_id: Any = None,
    province: str = "",
    regency: str = "",
    request: HttpRequest | None = None,
) -> tuple[bytes, str]:
    """An xlsx of the open reports of one form and period: one centre, or a region for officials."""
    if not policy.allowed(actor, Action.EXPORT, Submission):
        raise Http404
    period = _period(form, period_key)
    open_reports = Submission.objects.filter(form=form, period_key=period.key, status__in=OPEN_STATUSES)
    submissions = policy.scope_queryset(actor, open_reports, Action.EXPORT)
    if center_id not in (None, ""):
        center = policy.get_or_404(actor, Center.objects.all(), Action.VIEW, pk=center_id)
        if not (policy.can(actor, Action.CHANGE, center) or policy.can(actor, Action.EXPORT, center)):
            raise Http404
        submissions, place = submissions.filter(center=center), slugify(center.name)
    elif policy.allowed(actor, Action.EXPORT, Center):  # officials: a whole region (their scope at most)
        if regency:
            submissions = submissions.filter(center__regency_id=regency)
        elif province:
            submissions = submissions.filter(center__province_id=province)
        place = regency or province or "semua"
    else:
        raise ValidationError(_("Pilih BLK."))
    rows = list(submissions.select_related("center", "version__form").order_by("center__name", "pk")[: max_rows() + 1])
    if not rows:
        message = _("Tidak ada laporan %(form)s periode %(period)s yang masih dapat diisi di pilihan ini.")
        raise ValidationError(message % {"form": form.code, "period": period.key})
    if len(rows) > max_rows():
        message = _(
            "Terlalu banyak laporan untuk satu berkas (lebih dari %(max)s): pilih provinsi atau kabupaten/kota."
        )
        raise ValidationError(message % {"max": format_number(max_rows())})
    if len({row.version_id for row in rows}) > 1:
        raise ValidationError(
            _("Laporan di pilihan ini memakai lebih dari satu versi formulir: unduh templat per BLK.")
        )
    version = rows[0].version
    indicators = list(version.indicators.exclude(type=IndicatorType.FILE))
    saved = SubmissionValue.objects.filter(submission__in=submissions.values("pk"), indicator__version=version)
    body = _workbook(version, period, rows, indicators, {(v.submission_id, v.indicator_id): v.raw for v in saved})
    filters = {
        key: value for key, value in (("center", center_id), ("province", province), ("regency", regency)) if value
    }
    detail = {"what": "report_template", "form": form.code, "period": period.key, "rows": len(rows), "filters": filters}
    with transaction.atomic():
        audit_event_record(action=AuditAction.EXPORT, actor=actor, request=request, detail=detail)
    return body, re.sub(r"[^A-Za-z0-9._-]+", "-", f"templat-{form.code}-{period.key}-{place}") + ".xlsx"


def _put(sheet: Any, row: int, column: int, value: Any, font: Font | None = None) -> None:
    """Write one cell; text stays text, and formula-like text is quote-prefixed (as core/exports.py does)."""
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        cell.quotePrefix = is_formula_like(value)
    if font is not None:
        cell.font = font


def _cell_value(indicator: Indicator, value: Any) -> Any:
    """A saved value as its cell holds it: numbers and dates stay numbers and dates, so Excel checks them."""
    if value is None or value == "":
        return None
    if indicator.type in (IndicatorType.INTEGER, IndicatorType.RUPIAH):
        return int(value)
    if indicator.is_numeric or indicator.type == IndicatorType.DATE:
        return value
    return as_input(indicator, value)


def _workbook(
    version: FormVersion, period: Period, rows: list[Submission], indicators: list[Indicator], saved: dict[Any, Any]
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    meta = workbook.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    generated = timezone.localtime().isoformat(timespec="seconds")
    facts = {"formulir": version.form.code, "versi": version.number, "periode": period.key, "dibuat": generated}
    for number, (key, value) in enumerate(facts.items(), start=1):
        _put(meta, number, 1, key)
        _put(meta, number, 2, value)
    bold, small_grey = Font(bold=True), Font(size=8, color="808080")
    _put(sheet, 1, 1, _("BLK"), bold)
    _put(sheet, 1, 2, _("ID laporan"), bold)
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions[ID_COLUMN].hidden = True
    last_row = FIRST_ROW + len(rows) - 1
    for column, indicator in enumerate(indicators, start=FIRST_VALUE_COLUMN):
        letter = get_column_letter(column)
        _put(sheet, 1, column, indicator.label, bold)
        _put(sheet, 2, column, indicator.code, small_grey)
        sheet.column_dimensions[letter].width = 18
        validation = _validation(indicator, meta, list_column=column + 2)
        if validation is not None:
            validation.add(f"{letter}{FIRST_ROW}:{letter}{last_row}")
            sheet.add_data_validation(validation)
    for number, submission in enumerate(rows, start=FIRST_ROW):
        _put(sheet, number, 1, submission.center.name)
        _put(sheet, number, 2, submission.pk)
        for column, indicator in enumerate(indicators, start=FIRST_VALUE_COLUMN):
            value = _cell_value(indicator, saved.get((submission.pk, indicator.pk)))
            if value is not None:
                _put(sheet, number, column, value)
                if indicator.type == IndicatorType.DATE:
                    sheet.cell(row=number, column=column).number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "C3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _validation(indicator: Indicator, meta: Any, *, list_column: int) -> DataValidation | None:
    """Excel's own check of a column, as close to values.parse_value as Excel goes, with the parser's words."""
    kind = indicator.type
    rule: dict[str, Any]
    if kind == IndicatorType.CHOICE:
        values = indicator.choice_values()
        source = '"' + ",".join(values) + '"'
        if len(source) > 255 or any("," in v or '"' in v for v in values):  # too long for inline: hidden cells
            for number, value in enumerate(values, start=1):
                _put(meta, number, list_column, value)
            letter = get_column_letter(list_column)
            source = f"'{META_SHEET}'!${letter}$1:${letter}${len(values)}"
        rule, message = {"type": "list", "formula1": source}, _("Pilih salah satu dari daftar.")
    elif kind == IndicatorType.YES_NO:
        rule, message = {"type": "list", "formula1": '"ya,tidak"'}, _("Isi “ya” atau “tidak”.")
    elif indicator.is_numeric:
        low = Decimal(0) if indicator.min_value is None else indicator.min_value
        high = indicator.max_value
        if high is None and kind == IndicatorType.PERCENTAGE:
            high = Decimal(100)
        # Rupiah is checked as a decimal: Excel's whole-number check may stop short of large amounts,
        # and the parser refuses sen with its own clear message anyway.
        whole = kind == IndicatorType.INTEGER
        rule = {"type": "whole" if whole else "decimal", "operator": "greaterThanOrEqual", "formula1": _plain(low)}
        if high is not None:
            rule.update(operator="between", formula2=_plain(high))
        if whole:
            message = _("Isi dengan bilangan bulat (tanpa koma).")
        else:
            rupiah = kind == IndicatorType.RUPIAH
            message = _("Isi rupiah tanpa sen.") if rupiah else _("Isi dengan angka, misalnya 1.250 atau 12,5.")
        message += " " + bounds_message(indicator, low, high)
    elif kind == IndicatorType.DATE:
        # Serial 1 is 1 January 1900: any date, as the parser accepts.
        rule = {"type": "date", "operator": "greaterThanOrEqual", "formula1": "1"}
        message = _("Isi tanggal seperti 31/12/2026.")
    elif kind == IndicatorType.TEXT:
        rule = {"type": "textLength", "operator": "lessThanOrEqual", "formula1": str(TEXT_MAX)}
        message = _("Teks paling panjang %(max)s karakter.") % {"max": format_number(TEXT_MAX)}
    else:
        return None
    title, error = _("Isian tidak sah")[:32], f"{indicator.label}: {message}"[:255]
    return DataValidation(**rule, allow_blank=True, showErrorMessage=True, errorTitle=title, error=error)


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


# --- the upload --------------------------------------------------------------------------------
