"""Excel round trip, part 2: reading an uploaded file back, all or nothing (see excel.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from simpul.accounts import policy
from simpul.accounts.policy import Action
from simpul.core.formats import format_number
from simpul.core.xlsx import is_blank as _is_blank
from simpul.core.xlsx import iter_values, open_workbook, read_upload, sort_key
from simpul.core.xlsx import refuse as _refuse

from ..models import (
    OPEN_STATUSES,
    FormVersion,
    Indicator,
    IndicatorType,
    ReportForm,
    Submission,
    ValueSource,
    VersionStatus,
)
from ..values import parse_value
from .excel import (
    DATA_SHEET,
    FIRST_ROW,
    FIRST_VALUE_COLUMN,
    ID_COLUMN,
    MAX_COLUMNS,
    META_SHEET,
    CellError,
    ExcelImportError,
    ImportResult,
    _period,
    max_rows,
)
from .submissions import submission_save_values


@dataclass
class _Row:
    number: int
    raw_id: Any
    values: dict[str, Any] = field(default_factory=dict)
    submission: Submission | None = None


def import_workbook(*, actor: Any, upload: Any) -> ImportResult:
    """Check a filled template whole; save it, every row in one transaction, only if nothing is wrong."""
    if not policy.allowed(actor, Action.EXPORT, Submission):
        raise Http404
    workbook = open_workbook(read_upload(upload))
    try:
        form, version, period_key = _meta(workbook)
        if DATA_SHEET not in workbook.sheetnames:
            raise _refuse(_("Lembar “Isian” tidak ada: unduh templat baru."))
        rows = _rows(actor, workbook[DATA_SHEET], form, version, period_key)
    finally:
        workbook.close()
    reports = values = 0
    row: _Row | None = None
    try:
        with transaction.atomic():
            for row in rows:
                if row.values and row.submission is not None:
                    values += submission_save_values(
                        actor=actor,
                        submission_id=row.submission.pk,
                        raw_values=row.values,
                        source=ValueSource.IMPORTED,
                        detail=PurePath(str(upload.name)).name[:200],
                    )
                    reports += 1
    except (ValidationError, Http404) as error:
        # The report changed since it was checked (sent, or moved): the whole file is rolled back.
        message = " ".join(error.messages) if isinstance(error, ValidationError) else _("Laporan tidak ditemukan.")
        raise ExcelImportError([CellError(row.number if row else None, ID_COLUMN, _("ID laporan"), message)]) from None
    return ImportResult(form=form, period_key=period_key, reports=reports, values=values)


def _meta(workbook: Any) -> tuple[ReportForm, FormVersion, str]:
    garbled = _refuse(_("Berkas ini bukan templat Simpul (lembar “_simpul” tidak ada atau rusak): unduh templat baru."))
    if META_SHEET not in workbook.sheetnames:
        raise garbled
    sheet = workbook[META_SHEET]
    meta = {str(r[0]).strip(): r[1] for r in iter_values(sheet, max_row=10, max_col=2) if r and r[0]}
    code, period_key = str(meta.get("formulir") or "").strip(), str(meta.get("periode") or "").strip()
    try:
        number = int(str(meta.get("versi")).strip().removesuffix(".0"))
    except ValueError:
        raise garbled from None
    if not code or not period_key:
        raise garbled
    form = ReportForm.objects.filter(code=code).first()
    if form is None:
        raise _refuse(_("Formulir “%(code)s” tidak dikenal.") % {"code": code})
    version = form.versions.filter(number=number).exclude(status=VersionStatus.DRAFT).select_related("form").first()
    if version is None:
        message = _("Formulir %(form)s tidak punya versi %(version)s yang terbit.")
        raise _refuse(message % {"form": form.code, "version": number})
    try:
        return form, version, _period(form, period_key).key
    except ValidationError as error:
        raise _refuse(" ".join(error.messages)) from None


def _rows(actor: Any, sheet: Any, form: ReportForm, version: FormVersion, period_key: str) -> list[_Row]:
    """Every data row, each cell parsed; ExcelImportError listing every problem found."""
    indicators = {i.code: i for i in version.indicators.exclude(type=IndicatorType.FILE)}
    errors: list[CellError] = []
    columns: dict[int, Indicator] = {}
    header = next(iter_values(sheet, min_row=2, max_row=2, max_col=MAX_COLUMNS), ())
    for index, code in enumerate(header[FIRST_VALUE_COLUMN - 1 :], start=FIRST_VALUE_COLUMN):
        if _is_blank(code):
            continue
        indicator = indicators.get(str(code).strip())
        if indicator is None or indicator in columns.values():
            message = _("Kode “%(code)s” bukan isian formulir %(form)s versi %(version)s, atau tertulis dua kali.")
            shown = {"code": code, "form": form.code, "version": version.number}
            errors.append(CellError(2, get_column_letter(index), "", message % shown))
        else:
            columns[index] = indicator
    if not columns:
        errors.append(CellError(2, None, "", _("Baris 2 tidak memuat kode isian: unduh templat baru.")))
    if errors:
        raise ExcelImportError(errors)
    # The declared width finds values in columns without a code. The declared height is not trusted
    # (a wrong one would silently drop rows): every row present is read.
    width = max(*columns, min(sheet.max_column or 0, MAX_COLUMNS))
    sheet.reset_dimensions()
    rows: list[_Row] = []
    for number, cells in enumerate(iter_values(sheet, min_row=FIRST_ROW, max_col=width), FIRST_ROW):
        cells = (*cells, *(None,) * (width - len(cells)))
        if all(_is_blank(value) for value in cells[1:]):
            continue  # a blank row (a centre's name alone is not a report)
        if len(rows) == max_rows():
            message = _("Terlalu banyak baris: paling banyak %(max)s laporan per berkas.")
            raise _refuse(message % {"max": format_number(max_rows())})
        row = _Row(number=number, raw_id=cells[1])
        for index in range(FIRST_VALUE_COLUMN, width + 1):
            raw, indicator, letter = cells[index - 1], columns.get(index), get_column_letter(index)
            if _is_blank(raw):
                continue
            if indicator is None:
                message = _("Kolom ini tidak punya kode isian di baris 2: hapus isinya atau unduh templat baru.")
                errors.append(CellError(number, letter, "", message))
                continue
            try:
                parse_value(indicator, raw)
            except ValidationError as error:
                errors.append(CellError(number, letter, indicator.label, " ".join(error.messages)))
            else:
                row.values[indicator.code] = raw
        rows.append(row)
    if not rows:
        raise _refuse(_("Tidak ada baris laporan di lembar “Isian”."))
    errors.extend(_check_reports(actor, rows, form, version, period_key))
    if errors:
        raise ExcelImportError(sorted(errors, key=sort_key))
    return rows


def _report_id(raw: Any) -> int | None:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    try:
        pk = int(str(raw).strip())
    except ValueError:
        return None
    return pk if not isinstance(raw, bool) and 0 < pk < 2**63 else None


def _check_reports(actor: Any, rows: list[_Row], form: ReportForm, version: FormVersion, key: str) -> list[CellError]:
    """Each row's report: in the actor's scope, of this form, period and version, open, and theirs to change."""
    ids = {row.number: _report_id(row.raw_id) for row in rows}
    wanted = sorted({pk for pk in ids.values() if pk is not None})
    found: dict[int, Submission] = {}
    for start in range(0, len(wanted), 900):  # under every database's limit of query parameters
        chunk = Submission.objects.filter(pk__in=wanted[start : start + 900]).select_related("center")
        found.update((s.pk, s) for s in policy.scope_queryset(actor, chunk, Action.VIEW))
    errors: list[CellError] = []
    first_row: dict[int, int] = {}
    for row in rows:
        pk = ids[row.number]
        submission = found.get(pk) if pk is not None else None
        if _is_blank(row.raw_id):
            message = _("ID laporan kosong: salin baris dari templat, jangan membuat baris baru.")
        elif pk is None or submission is None:
            message = _("Laporan dengan ID %(id)s tidak ada atau di luar wilayah Anda.") % {"id": row.raw_id}
        elif pk in first_row:
            message = _("Laporan yang sama sudah ada di baris %(row)s.") % {"row": first_row[pk]}
        elif submission.form_id != form.pk or submission.period_key != key:
            message = _("Laporan ini bukan laporan %(form)s periode %(period)s.") % {"form": form.code, "period": key}
        elif not policy.can(actor, Action.CHANGE, submission):
            message = _("Anda tidak dapat mengubah laporan ini: hanya pengelola BLK dan Admin Pusat yang mengisinya.")
        elif submission.status not in OPEN_STATUSES:
            status = submission.get_status_display()
            message = _("Laporan berstatus %(status)s tidak dapat diubah.") % {"status": status}
        elif submission.version_id != version.pk:
            message = _("Laporan ini memakai versi formulir yang lain: unduh templat baru.")
        else:
            row.submission, first_row[pk] = submission, row.number
            continue
        errors.append(CellError(row.number, ID_COLUMN, _("ID laporan"), message))
    return errors
