"""Tabular exports (xlsx, csv) that are safe to open in a spreadsheet.

A text cell that begins with =, +, - or @ (or a tab or carriage return) would
be read by Excel or LibreOffice as a formula: a classic injection path when
the text came from a user. In CSV such a cell gets a leading apostrophe; in
xlsx it is written as a text cell with Excel's quote prefix, so the
spreadsheet shows the text as typed and never evaluates it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


@dataclass(frozen=True)
class Column:
    header: Any  # text or a lazy translation, read at export time
    width: int = 18


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if is_formula_like(value):
        return "'" + value
    return value


def build_csv(columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    # The BOM lets Excel on Windows read the file as UTF-8.
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(str(c.header)) for c in columns])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def build_xlsx(title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for index, column in enumerate(columns):
        sheet.column_dimensions[_column_letter(index)].width = column.width
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = _xlsx_cell(sheet, str(column.header))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet: Any, value: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # openpyxl turns a string starting with "=" into a formula: undo that.
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
    return cell


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def export_response(
    fmt: str, *, filename: str, title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """An attachment download in `fmt` ("xlsx" or "csv")."""
    if fmt == "xlsx":
        body, content_type = build_xlsx(title, columns, rows), XLSX_CONTENT_TYPE
    elif fmt == "csv":
        body, content_type = build_csv(columns, rows), CSV_CONTENT_TYPE
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
