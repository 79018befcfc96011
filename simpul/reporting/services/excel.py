"""The Excel round trip of report forms: a template per form and period, filled offline, uploaded back.

The template's sheet "Isian" has one row per open report in the actor's scope:
labels in row 1, indicator codes in row 2 (the importer reads the codes, never
the labels), values from row 3, with Excel's data validation where the type
allows. A hidden sheet "_simpul" says which form, version and period it is.

An upload is checked whole before anything is written: its size, its content
(a zip holding a workbook, whatever its name says), its size once unzipped
(a zip bomb is refused before it is opened), then every row and every cell
with the one value parser. Every problem is reported by row and column, and a
file with any problem saves nothing. The safe reading is shared with the other
importers (simpul/core/xlsx.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Shared with the other importers; re-exported for reporting's own modules and views.
from simpul.core.xlsx import CellError as CellError
from simpul.core.xlsx import ExcelImportError as ExcelImportError
from simpul.core.xlsx import max_bytes as max_bytes
from simpul.core.xlsx import max_rows as max_rows

from ..models import (
    ReportForm,
)
from ..periods import Period, PeriodType, period_from_key

MAX_COLUMNS = 500
DATA_SHEET, META_SHEET = "Isian", "_simpul"
FIRST_ROW = 3  # row 1: labels, row 2: codes
FIRST_VALUE_COLUMN = 3  # A: centre, B: report id (hidden)
ID_COLUMN = "B"


@dataclass(frozen=True)
class ImportResult:
    form: ReportForm
    period_key: str
    reports: int
    values: int


def _period(form: ReportForm, period_key: str) -> Period:
    try:
        if form.period_type == PeriodType.EVENT:
            raise ValueError(form.period_type)
        return period_from_key(form.period_type, str(period_key).strip())
    except ValueError:
        message = _("Periode “%(period)s” tidak sah untuk formulir %(form)s.")
        raise ValidationError(message % {"period": period_key, "form": form.code}) from None
