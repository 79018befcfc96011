"""The participant sheet: the template a centre fills in, and reading it back cell by cell.

Sheet "Peserta": labels in row 1, column codes in row 2 (the importer reads the
codes, never the labels, so columns may be moved), one participant per row from
row 3. A hidden sheet "_simpul" names the package, so a file filled in for one
package is never imported into another. Nothing here touches the database:
importing.py checks the rows against the registered people and the package.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from simpul.core.formats import format_number
from simpul.core.idn import parse_nik
from simpul.core.xlsx import (
    CellError,
    ExcelImportError,
    is_blank,
    is_formula,
    max_rows,
    open_workbook,
    refuse,
    write_cell,
)

from ..models import Disability, Education, Package, Sex

DATA_SHEET, META_SHEET = "Peserta", "_simpul"
FIRST_ROW = 3  # row 1: labels, row 2: codes
MAX_COLUMNS = 100
# Blank rows read past the row limit before the sheet is refused as too long (formatted empty rows).
BLANK_ROW_ALLOWANCE = 1_000
# Columns the file of failed rows adds; ignored when that file comes back corrected.
SOURCE_ROW, REASON = "baris_asal", "kesalahan"
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


@dataclass(frozen=True)
class Column:
    code: str
    label: str | Promise
    required: bool = False
    width: int = 18
    text: bool = False  # formatted as text: Excel keeps all 16 digits of a NIK and a phone's leading zero


COLUMNS = (
    Column("nik", gettext_lazy("NIK"), required=True, width=20, text=True),
    Column("nama", gettext_lazy("Nama lengkap"), required=True, width=30),
    Column("jenis_kelamin", gettext_lazy("Jenis kelamin (L/P)"), required=True, width=12),
    Column("tanggal_lahir", gettext_lazy("Tanggal lahir"), required=True, width=14),
    Column("pendidikan", gettext_lazy("Pendidikan terakhir"), required=True, width=22),
    Column("disabilitas", gettext_lazy("Disabilitas"), width=22),
    Column("alamat", gettext_lazy("Alamat"), width=40),
    Column("kode_kecamatan", gettext_lazy("Kode kecamatan (mis. 35.07.01)"), width=16, text=True),
    Column("nomor_hp", gettext_lazy("Nomor HP"), width=18, text=True),
    Column("surel", gettext_lazy("Surel"), width=26),
    Column("tanggal_persetujuan", gettext_lazy("Tanggal persetujuan penggunaan data"), required=True, width=16),
)
BY_CODE = {column.code: column for column in COLUMNS}
# The column where an error of a Person field is shown.
FIELD_COLUMN = {
    "nik": "nik",
    "full_name": "nama",
    "sex": "jenis_kelamin",
    "birth_date": "tanggal_lahir",
    "education": "pendidikan",
    "disability": "disabilitas",
    "address": "alamat",
    "district": "kode_kecamatan",
    "phone": "nomor_hp",
    "email": "surel",
}


@dataclass
class SheetRow:
    """One participant as read: the cells as they were, what they mean, and what is wrong with them."""

    number: int
    letters: dict[str, str]
    raw: dict[str, Any] = field(default_factory=dict)
    person: dict[str, Any] = field(default_factory=dict)  # fields for people.person_build
    nik: str = ""  # set once the NIK is structurally valid
    district: str = ""  # Kemendagri code, "35.07.01"
    consent_on: dt.date | None = None
    errors: list[CellError] = field(default_factory=list)

    def fail(self, code: str, message: str) -> None:
        self.errors.append(CellError(self.number, self.letters.get(code), str(BY_CODE[code].label), message))

    def failed(self, code: str) -> bool:
        letter = self.letters.get(code)
        return any(error.column == letter for error in self.errors)


# --- the template -----------------------------------------------------------------------------


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


# --- reading it back --------------------------------------------------------------------------


def read_participants(content: bytes, *, package_id: int) -> list[SheetRow]:
    """Every participant row of an uploaded template, each cell parsed; ExcelImportError for the file as a whole."""
    # Formulas are read as their text, so they can be refused: a cached result may be stale, or forged.
    workbook = open_workbook(content, formulas=True)
    try:
        _check_meta(workbook, package_id)
        if DATA_SHEET not in workbook.sheetnames:
            raise refuse(_("Lembar “Peserta” tidak ada: unduh templat paket ini."))
        sheet = workbook[DATA_SHEET]
        positions, ignored = _header(sheet)
        width = max(*positions.values(), *ignored, min(sheet.max_column or 0, MAX_COLUMNS))
        sheet.reset_dimensions()  # the declared height is not trusted: a wrong one would drop rows
        rows = _rows(sheet, positions, ignored, width)
    finally:
        workbook.close()
    if not rows:
        raise refuse(_("Tidak ada baris peserta di lembar “Peserta” (mulai baris 3)."))
    return rows


def _check_meta(workbook: Any, package_id: int) -> None:
    garbled = refuse(
        _("Berkas ini bukan templat peserta Simpul (lembar “_simpul” tidak ada atau rusak): unduh templat paket ini.")
    )
    if META_SHEET not in workbook.sheetnames:
        raise garbled
    cells = workbook[META_SHEET].iter_rows(max_row=10, max_col=2, values_only=True)
    meta = {str(row[0]).strip(): row[1] for row in cells if row and row[0]}
    try:
        named = int(str(meta.get("paket")).strip().removesuffix(".0"))
    except ValueError:
        raise garbled from None
    if named != package_id:
        raise refuse(_("Templat ini dibuat untuk paket pelatihan lain: unduh templat paket ini."))


def _header(sheet: Any) -> tuple[dict[str, int], set[int]]:
    header = next(sheet.iter_rows(min_row=2, max_row=2, max_col=MAX_COLUMNS, values_only=True), ())
    positions: dict[str, int] = {}
    ignored: set[int] = set()
    errors: list[CellError] = []
    for index, value in enumerate(header, start=1):
        if is_blank(value):
            continue
        code, letter = str(value).strip().lower(), get_column_letter(index)
        if code in (SOURCE_ROW, REASON):
            ignored.add(index)
        elif code not in BY_CODE:  # the text is not repeated: a deleted code row leaves a NIK here
            message = _("Isi sel ini bukan kode kolom templat peserta. Baris 2 memuat kode kolom; jangan diubah.")
            errors.append(CellError(2, letter, "", message))
        elif code in positions:
            errors.append(CellError(2, letter, "", _("Kode kolom “%(code)s” tertulis dua kali.") % {"code": code}))
        else:
            positions[code] = index
    missing = [column.code for column in COLUMNS if column.code not in positions]
    if missing:
        message = _("Baris 2 tidak memuat kode kolom berikut: %(codes)s. Unduh templat paket ini.")
        errors.append(CellError(2, None, "", message % {"codes": ", ".join(missing)}))
    if errors:
        raise ExcelImportError(errors)
    return positions, ignored


def _rows(sheet: Any, positions: dict[str, int], ignored: set[int], width: int) -> list[SheetRow]:
    letters = {code: get_column_letter(index) for code, index in positions.items()}
    codes = {index: code for code, index in positions.items()}
    limit = max_rows()
    too_many = _("Terlalu banyak baris: paling banyak %(max)s peserta per berkas.") % {"max": format_number(limit)}
    rows: list[SheetRow] = []
    # Reading stops at the first row past the limit: a file of a million rows is refused without reading it all.
    for number, cells in enumerate(sheet.iter_rows(min_row=FIRST_ROW, max_col=width, values_only=True), FIRST_ROW):
        if all(is_blank(value) for value in cells):
            if number >= FIRST_ROW + limit + BLANK_ROW_ALLOWANCE:
                raise refuse(too_many + " " + _("Hapus juga baris kosong yang berformat di bawah data."))
            continue
        if len(rows) == limit:
            raise refuse(too_many)
        cells = (*cells, *(None,) * (width - len(cells)))
        row = SheetRow(number=number, letters=letters)
        for index, value in enumerate(cells, start=1):
            if index in ignored or is_blank(value):
                continue
            if index not in codes:
                message = _("Kolom ini tidak punya kode di baris 2: hapus isinya atau unduh templat baru.")
                row.errors.append(CellError(number, get_column_letter(index), "", message))
                continue
            row.raw[codes[index]] = value
        _parse(row)
        rows.append(row)
    return rows


def _parse(row: SheetRow) -> None:
    """The meaning of each cell, or an error naming its row and column (never repeating a NIK)."""
    values: dict[str, Any] = {}
    for column in COLUMNS:
        value = row.raw.get(column.code)
        if is_formula(value):
            row.fail(column.code, _("Rumus tidak diterima: tulis nilainya saja (salin, lalu tempel sebagai nilai)."))
        elif is_blank(value):
            if column.required:
                row.fail(column.code, _("Wajib diisi."))
        else:
            values[column.code] = value
    person: dict[str, Any] = {
        "nik": "",
        "full_name": _text(values.get("nama")),
        "sex": "",
        "birth_date": None,
        "education": "",
        "disability": Disability.NONE,
        "address": _text(values.get("alamat")),
        "phone": "",
        "email": _text(values.get("surel")),
    }
    parsers = (
        ("nik", "nik", _nik),
        ("jenis_kelamin", "sex", lambda v: _choice(v, Sex, {"laki-laki": "L", "laki laki": "L"})),
        ("tanggal_lahir", "birth_date", _date),
        ("pendidikan", "education", lambda v: _choice(v, Education)),
        ("disabilitas", "disability", lambda v: _choice(v, Disability)),
        ("nomor_hp", "phone", _phone),
    )
    for code, name, parse in parsers:
        if code in values:
            try:
                person[name] = parse(values[code])
            except ValidationError as error:
                row.fail(code, " ".join(error.messages))
    row.nik = person["nik"]
    row.person = person
    if "kode_kecamatan" in values:
        try:
            row.district = _district(values["kode_kecamatan"])
        except ValidationError as error:
            row.fail("kode_kecamatan", " ".join(error.messages))
    if "tanggal_persetujuan" in values:
        try:
            row.consent_on = _date(values["tanggal_persetujuan"])
        except ValidationError as error:
            row.fail("tanggal_persetujuan", " ".join(error.messages))
        else:
            if row.consent_on > timezone.localdate():
                row.fail("tanggal_persetujuan", _("Tanggal persetujuan tidak boleh di masa depan."))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _nik(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        # Excel keeps 15 significant digits: the 16th of a NIK typed as a number is already lost.
        raise ValidationError(
            _("NIK tersimpan sebagai angka sehingga digit terakhirnya bisa berubah. Format kolom NIK sebagai Teks, lalu ketik ulang.")
        )
    return parse_nik(value).value


def _choice(value: Any, choices: type[models.TextChoices], aliases: dict[str, str] | None = None) -> str:
    text = _text(value).casefold()
    known = {**{str(v).casefold(): v for v in choices.values}, **{str(lb).casefold(): v for v, lb in choices.choices}}
    known.update(aliases or {})
    if text in known:
        return str(known[text])
    options = ", ".join(str(label) for label in choices.labels)
    raise ValidationError(_("Pilih salah satu: %(options)s.") % {"options": options})


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        for pattern in DATE_FORMATS:
            try:
                return dt.datetime.strptime(value.strip(), pattern).date()
            except ValueError:
                continue
    raise ValidationError(_("Bukan tanggal: isi seperti 31/12/1990 (tanggal/bulan/tahun) atau 1990-12-31."))


def _phone(value: Any) -> str:
    wrong = ValidationError(_("Nomor HP tidak sah: isi seperti 0812 3456 7890 atau +62 812 3456 7890."))
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise wrong
    text = str(int(value)) if isinstance(value, int | float) else str(value).strip()
    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException:
        raise wrong from None
    if not phonenumbers.is_valid_number(number):
        raise wrong
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def _district(value: Any) -> str:
    text = str(int(value)) if isinstance(value, int) and not isinstance(value, bool) else str(value).strip()
    digits = text.replace(".", "")
    if re.fullmatch(r"\d{2}\.\d{2}\.\d{2}", text) or re.fullmatch(r"\d{6}", text):
        return f"{digits[:2]}.{digits[2:4]}.{digits[4:]}"
    raise ValidationError(_("Kode kecamatan Kemendagri berbentuk 35.07.01 (provinsi.kabupaten.kecamatan)."))
