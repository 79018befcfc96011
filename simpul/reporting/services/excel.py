"""The Excel round trip of report forms: a template per form and period, filled offline, uploaded back.

The template's sheet "Isian" has one row per open report in the actor's scope:
labels in row 1, indicator codes in row 2 (the importer reads the codes, never
the labels), values from row 3, with Excel's data validation where the type
allows. A hidden sheet "_simpul" says which form, version and period it is.

An upload is checked whole before anything is written: its size, its content
(a zip holding a workbook, whatever its name says), its size once unzipped
(a zip bomb is refused before it is opened), then every row and every cell
with the one value parser. Every problem is reported by row and column, and a
file with any problem saves nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import (
    ReportForm,
)
from ..periods import Period, PeriodType, period_from_key

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 10_000
MAX_COLUMNS = 500
DATA_SHEET, META_SHEET = "Isian", "_simpul"
FIRST_ROW = 3  # row 1: labels, row 2: codes
FIRST_VALUE_COLUMN = 3  # A: centre, B: report id (hidden)
ID_COLUMN = "B"


@dataclass(frozen=True)
class CellError:
    """One problem in an uploaded file; row and column are None for the file as a whole."""

    row: int | None
    column: str | None
    label: str
    message: str


class ExcelImportError(Exception):
    """The upload was refused; nothing was saved."""

    def __init__(self, errors: list[CellError]) -> None:
        super().__init__("; ".join(error.message for error in errors[:5]))
        self.errors = errors


@dataclass(frozen=True)
class ImportResult:
    form: ReportForm
    period_key: str
    reports: int
    values: int


def max_rows() -> int:
    return int(getattr(settings, "EXCEL_MAX_ROWS", MAX_ROWS))


def max_bytes() -> int:
    return int(getattr(settings, "EXCEL_MAX_BYTES", DEFAULT_MAX_BYTES))


def _refuse(message: str) -> ExcelImportError:
    return ExcelImportError([CellError(row=None, column=None, label="", message=message)])


def _period(form: ReportForm, period_key: str) -> Period:
    try:
        if form.period_type == PeriodType.EVENT:
            raise ValueError(form.period_type)
        return period_from_key(form.period_type, str(period_key).strip())
    except ValueError:
        message = _("Periode “%(period)s” tidak sah untuk formulir %(form)s.")
        raise ValidationError(message % {"period": period_key, "form": form.code}) from None
