"""The participant template of a package, and the same layout for the file of rows that failed.

The layout is import_sheet.py's: labels in row 1, codes in row 2, participants from
row 3, Excel's own checks where it has them, the NIK and phone columns formatted as
text, and a hidden sheet naming the package.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from simpul.core.xlsx import max_rows, write_cell

from ..models import Disability, Education, Package
from .import_sheet import BY_CODE, COLUMNS, DATA_SHEET, FIRST_ROW, META_SHEET, REASON, SOURCE_ROW


def template_workbook(package: Package, rows: Sequence[tuple[list[Any], int, str]] = ()) -> bytes:
    """The template of a package; with rows (values in COLUMNS order, source row, reason) the failed-rows file."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    meta = workbook.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    facts = {"paket": package.pk, "nama": package.name, "dibuat": timezone.localtime().isoformat(timespec="seconds")}
    for number, (key, value) in enumerate(facts.items(), start=1):
        write_cell(meta, number, 1, key)
        write_cell(meta, number, 2, value)
    bold, small_grey = Font(bold=True), Font(size=8, color="808080")
    last_row = FIRST_ROW + max(max_rows(), len(rows)) - 1
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        write_cell(sheet, 1, index, str(column.label)).font = bold
        write_cell(sheet, 2, index, column.code).font = small_grey
        sheet.column_dimensions[letter].width = column.width
        if column.text:
            sheet.column_dimensions[letter].number_format = "@"
        validation = _validation(column.code, meta, list_column=index + 3)
        if validation is not None:
            validation.add(f"{letter}{FIRST_ROW}:{letter}{last_row}")
            sheet.add_data_validation(validation)
    if rows:
        extra = len(COLUMNS) + 1
        for offset, (code, label) in enumerate(((SOURCE_ROW, _("Baris asal")), (REASON, _("Kesalahan")))):
            write_cell(sheet, 1, extra + offset, label).font = bold
            write_cell(sheet, 2, extra + offset, code).font = small_grey
        sheet.column_dimensions[get_column_letter(extra + 1)].width = 80
    for number, (values, source_row, reason) in enumerate(rows, start=FIRST_ROW):
        for index, (column, value) in enumerate(zip(COLUMNS, values, strict=True), start=1):
            if value is None:
                continue
            cell = write_cell(sheet, number, index, value)
            if isinstance(value, dt.date):
                cell.number_format = "DD/MM/YYYY"
            elif column.text:
                cell.number_format = "@"
        write_cell(sheet, number, len(COLUMNS) + 1, source_row)
        write_cell(sheet, number, len(COLUMNS) + 2, reason)
    sheet.freeze_panes = "C3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _validation(code: str, meta: Any, *, list_column: int) -> DataValidation | None:
    """Excel's own check of a column, with the importer's words."""
    date_rule = {"type": "date", "operator": "greaterThanOrEqual", "formula1": "1"}
    choices: dict[str, type[models.TextChoices]] = {"pendidikan": Education, "disabilitas": Disability}
    if code == "nik":
        rule, message = {"type": "textLength", "operator": "equal", "formula1": "16"}, _("NIK terdiri dari 16 digit.")
    elif code == "jenis_kelamin":
        rule, message = {"type": "list", "formula1": '"L,P"'}, _("Isi L (laki-laki) atau P (perempuan).")
    elif code in choices:
        labels = [str(label) for label in choices[code].labels]
        for number, label in enumerate(labels, start=1):  # some labels hold commas: listed in hidden cells
            write_cell(meta, number, list_column, label)
        letter = get_column_letter(list_column)
        rule = {"type": "list", "formula1": f"'{META_SHEET}'!${letter}$1:${letter}${len(labels)}"}
        message = _("Pilih salah satu dari daftar.")
    elif code in ("tanggal_lahir", "tanggal_persetujuan"):
        rule, message = date_rule, _("Isi tanggal seperti 31/12/1990.")
    else:
        return None
    label = str(BY_CODE[code].label)
    title, error = _("Isian tidak sah")[:32], f"{label}: {message}"[:255]
    return DataValidation(**rule, allow_blank=True, showErrorMessage=True, errorTitle=title, error=error)
