"""Reading uploaded Excel files safely, for every importer (report forms, participants, …).

An upload is checked before anything is parsed: its size, its content (a zip
holding a workbook, whatever its name says) and its size once unzipped (a zip
bomb is refused before it is opened). Problems are reported as `CellError`s,
by row and column where there is one; `ExcelImportError` carries them all and
means that nothing was saved.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from .exports import is_formula_like
from .formats import format_number

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 10_000


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


def max_rows() -> int:
    return int(getattr(settings, "EXCEL_MAX_ROWS", MAX_ROWS))


def max_bytes() -> int:
    return int(getattr(settings, "EXCEL_MAX_BYTES", DEFAULT_MAX_BYTES))


def refuse(message: str) -> ExcelImportError:
    """The whole file is refused, for one reason."""
    return ExcelImportError([CellError(row=None, column=None, label="", message=message)])


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def is_formula(value: Any) -> bool:
    """A cell read with `open_workbook(formulas=True)` that holds a formula (openpyxl gives "=…")."""
    return isinstance(value, str) and value.startswith("=")


def sort_key(error: CellError) -> tuple[int, int, str]:
    """Row by row, then column A, B, … Z, AA (file-level problems first)."""
    return (error.row or 0, len(error.column or ""), error.column or "")


def read_upload(upload: Any) -> bytes:
    """The uploaded bytes, if the name says xlsx and the size is within the limit."""
    if upload is None:
        raise refuse(_("Pilih berkas Excel (.xlsx) yang akan diunggah."))
    too_big = _("Berkas terlalu besar: paling besar %(mb)s MB.") % {"mb": format_number(round(max_bytes() / 2**20, 1))}
    if (getattr(upload, "size", 0) or 0) > max_bytes():
        raise refuse(too_big)
    if not str(getattr(upload, "name", "")).lower().endswith(".xlsx"):
        raise refuse(_("Berkas harus berformat Excel .xlsx."))
    content = upload.read(max_bytes() + 1)
    if not content:
        raise refuse(_("Berkas kosong."))
    if len(content) > max_bytes():
        raise refuse(too_big)
    return bytes(content)


def open_workbook(content: bytes, *, formulas: bool = False) -> Any:
    """A read-only workbook, once the content is known to be a workbook of reasonable size.

    With `formulas=False` a formula cell reads as the value Excel last computed (or None);
    with `formulas=True` it reads as its formula text ("=…"), so the caller can refuse it.
    """
    not_excel = refuse(_("Isi berkas bukan file Excel (.xlsx), apa pun nama berkasnya."))
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise not_excel
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unzipped = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise not_excel from None
    # The declared sizes bind: zipfile reads no further than them and checks the CRC, so a bomb cannot lie.
    if unzipped > MAX_UNZIPPED_BYTES:
        message = _("Isi berkas terlalu besar setelah dibuka (lebih dari %(mb)s MB).")
        raise refuse(message % {"mb": format_number(MAX_UNZIPPED_BYTES // 2**20)})
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=not formulas)
    except Exception:  # openpyxl raises many kinds on a broken or foreign file
        raise not_excel from None


def iter_values(sheet: Any, **bounds: Any) -> Iterator[tuple[Any, ...]]:
    """The values of a read-only sheet, row by row; a file broken inside is refused, not a server error.

    A read-only workbook parses its sheets while they are read, so damage past the first
    bytes (a truncated stream, a cell naming a shared text that does not exist) shows only
    here. Only openpyxl's own reading is guarded: the caller's errors stay theirs.
    """
    rows = sheet.iter_rows(values_only=True, **bounds)
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception:  # openpyxl, zipfile, zlib and the XML parser raise many kinds
            raise refuse(
                _("Berkas Excel ini rusak dan tidak dapat dibaca: simpan ulang di Excel, lalu unggah lagi.")
            ) from None
        yield values


def write_cell(sheet: Any, row: int, column: int, value: Any) -> Any:
    """Write one cell of a (normal-mode) sheet; text stays text and formula-like text is quote-prefixed."""
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        cell.quotePrefix = is_formula_like(value)
    return cell
