"""The participant sheet, read back cell by cell (the template itself: import_template.py).

Sheet "Peserta": labels in row 1, column codes in row 2 (the importer reads the
codes, never the labels, so columns may be moved), one participant per row from
row 3. A hidden sheet "_simpul" names the package, so a file filled in for one
package is never imported into another. Nothing here touches the database:
importing.py checks the rows against the registered people and the package.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter
from phonenumber_field.phonenumber import PhoneNumber

from simpul.core.formats import format_number
from simpul.core.idn import parse_nik
from simpul.core.xlsx import (
    CellError,
    ExcelImportError,
    is_blank,
    is_formula,
    iter_values,
    max_rows,
    open_workbook,
    refuse,
)

from ..models import Disability, Education, Sex

DATA_SHEET, META_SHEET = "Peserta", "_simpul"
FIRST_ROW = 3  # row 1: labels, row 2: codes
MAX_COLUMNS = 100
# Blank rows read past the row limit before the sheet is refused as too long (formatted empty rows).
BLANK_ROW_ALLOWANCE = 1_000
# Columns the file of failed rows adds; ignored when that file comes back corrected.
SOURCE_ROW, REASON = "baris_asal", "kesalahan"
# An Indonesian mobile number as usually typed: 0812…, 62812…, +62 812-…, or 812… (a number cell lost the 0).
MOBILE = re.compile(r"(?:\+62|62|0)?(8\d{7,11})")
PHONE_SEPARATORS = re.compile(r"[\s.()-]")
SEX_ALIASES = {"laki-laki": "L", "laki laki": "L", "lelaki": "L", "pria": "L", "wanita": "P"}
DAY_FIRST = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")  # 31/12/1990
YEAR_FIRST = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")  # 1990-12-31


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
    phone: CheckedPhone | None = None
    consent_on: dt.date | None = None
    errors: list[CellError] = field(default_factory=list)

    def fail(self, code: str, message: str) -> None:
        self.errors.append(CellError(self.number, self.letters.get(code), str(BY_CODE[code].label), message))

    def failed(self, code: str) -> bool:
        letter = self.letters.get(code)
        return any(error.column == letter for error in self.errors)


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
    cells = iter_values(workbook[META_SHEET], max_row=10, max_col=2)
    meta = {str(row[0]).strip(): row[1] for row in cells if row and row[0]}
    try:
        named = int(str(meta.get("paket")).strip().removesuffix(".0"))
    except ValueError:
        raise garbled from None
    if named != package_id:
        raise refuse(_("Templat ini dibuat untuk paket pelatihan lain: unduh templat paket ini."))


def _header(sheet: Any) -> tuple[dict[str, int], set[int]]:
    header = next(iter_values(sheet, min_row=2, max_row=2, max_col=MAX_COLUMNS), ())
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
    today, parsers = timezone.localdate(), _parsers()
    # Reading stops at the first row past the limit: a file of a million rows is refused without reading it all.
    for number, cells in enumerate(iter_values(sheet, min_row=FIRST_ROW, max_col=width), FIRST_ROW):
        raw: dict[str, Any] = {}
        stray: list[int] = []
        for index, value in enumerate(cells, start=1):
            if value is None or (isinstance(value, str) and not value.strip()) or index in ignored:
                continue
            code = codes.get(index)
            if code is None:
                stray.append(index)
            else:
                raw[code] = value
        if not raw and not stray:
            if number >= FIRST_ROW + limit + BLANK_ROW_ALLOWANCE:
                raise refuse(too_many + " " + _("Hapus juga baris kosong yang berformat di bawah data."))
            continue
        if len(rows) == limit:
            raise refuse(too_many)
        row = SheetRow(number=number, letters=letters, raw=raw)
        for index in stray:
            message = _("Kolom ini tidak punya kode di baris 2: hapus isinya atau unduh templat baru.")
            row.errors.append(CellError(number, get_column_letter(index), "", message))
        _parse(row, today, parsers)
        rows.append(row)
    return rows


def _parse(row: SheetRow, today: dt.date, parsers: tuple[tuple[str, str, Callable[[Any], Any]], ...]) -> None:
    """The meaning of each cell, or an error naming its row and column (never repeating a NIK)."""
    values = row.raw.copy()
    for column in COLUMNS:
        value = values.get(column.code)
        if value is None:
            if column.required:
                row.fail(column.code, _("Wajib diisi."))
        elif is_formula(value):
            row.fail(column.code, _("Rumus tidak diterima: tulis nilainya saja (salin, lalu tempel sebagai nilai)."))
            del values[column.code]
    person: dict[str, Any] = {
        "nik": "",
        "full_name": _text(values.get("nama")),
        "sex": "",
        "birth_date": None,
        "education": "",
        "disability": Disability.NONE,
        "address": _text(values.get("alamat")),
        "phone": "",  # checked here (row.phone), not again by the model: it is the slowest field to check
        "email": _text(values.get("surel")),
    }
    for code, name, parse in parsers:
        if code in values:
            try:
                parsed = parse(values[code])
            except ValidationError as error:
                row.fail(code, " ".join(error.messages))
                continue
            if name:
                person[name] = parsed
            elif code == "nomor_hp":
                row.phone = parsed
            elif code == "kode_kecamatan":
                row.district = parsed
            elif code == "tanggal_persetujuan" and parsed > today:
                row.fail(code, _("Tanggal persetujuan tidak boleh di masa depan."))
            else:
                row.consent_on = parsed
    row.nik = person["nik"]
    row.person = person


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
            _(
                "NIK tersimpan sebagai angka sehingga digit terakhirnya bisa berubah. "
                "Format kolom NIK sebagai Teks, lalu ketik ulang."
            )
        )
    return parse_nik(value).value


def _choice(value: Any, table: dict[str, str], choices: type[models.TextChoices]) -> str:
    text = _text(value).casefold()
    if text in table:
        return table[text]
    options = ", ".join(str(label) for label in choices.labels)
    raise ValidationError(_("Pilih salah satu: %(options)s.") % {"options": options})


@functools.cache
def _choice_table(choices: type[models.TextChoices], language: str | None) -> dict[str, str]:
    """What may be typed for a choice: its code, or its label in Indonesian or the reader's language, in any case."""
    table = {str(value).casefold(): str(value) for value in choices.values}
    for code in dict.fromkeys(("id", language)):
        with translation.override(code):
            table.update((str(label).casefold(), str(value)) for value, label in choices.choices)
    return table


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        day_first, year_first = DAY_FIRST.fullmatch(text), YEAR_FIRST.fullmatch(text)
        try:
            if day_first:
                return dt.date(int(day_first[3]), int(day_first[2]), int(day_first[1]))
            if year_first:
                return dt.date(int(year_first[1]), int(year_first[2]), int(year_first[3]))
        except ValueError:
            pass
    raise ValidationError(_("Bukan tanggal: isi seperti 31/12/1990 (tanggal/bulan/tahun) atau 1990-12-31."))


class CheckedPhone(PhoneNumber):
    """A number parsed and found valid once, here: its E.164 form is kept.

    Saving 10,000 people would otherwise parse, check and format every number three more
    times (the model field asks whether it is valid and for its E.164 form on each insert).
    """

    e164 = ""

    def is_valid(self) -> bool:
        return True

    def format_as(self, format: int) -> str:
        return self.e164 if format == phonenumbers.PhoneNumberFormat.E164 else str(super().format_as(format))

    def __len__(self) -> int:
        return len(self.e164)


def _phone(value: Any) -> CheckedPhone:
    wrong = ValidationError(_("Nomor HP tidak sah: isi seperti 0812 3456 7890 atau +62 812 3456 7890."))
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise wrong
    text = str(int(value)) if isinstance(value, int | float) else str(value).strip()
    number = CheckedPhone()
    mobile = MOBILE.fullmatch(PHONE_SEPARATORS.sub("", text))
    if mobile:  # the usual case, split without the general (and slow) parser; validity is still the library's
        number.country_code, number.national_number = 62, int(mobile[1])
    else:
        try:
            phonenumbers.parse(text, "ID", keep_raw_input=True, numobj=number)
        except phonenumbers.NumberParseException:
            raise wrong from None
    if not phonenumbers.is_valid_number(number):
        raise wrong
    number.e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return number


def _district(value: Any) -> str:
    text = str(int(value)) if isinstance(value, int) and not isinstance(value, bool) else str(value).strip()
    digits = text.replace(".", "")
    if re.fullmatch(r"\d{2}\.\d{2}\.\d{2}", text) or re.fullmatch(r"\d{6}", text):
        return f"{digits[:2]}.{digits[2:4]}.{digits[4:]}"
    raise ValidationError(_("Kode kecamatan Kemendagri berbentuk 35.07.01 (provinsi.kabupaten.kecamatan)."))


def _parsers() -> tuple[tuple[str, str, Callable[[Any], Any]], ...]:
    """Column, Person field (or "" for what the row keeps itself), parser raising ValidationError.

    Made once per file: the choices are looked up in the language of the person uploading.
    """
    language = translation.get_language()

    def choice(choices: type[models.TextChoices], aliases: dict[str, str] | None = None) -> Callable[[Any], str]:
        table = {**_choice_table(choices, language), **(aliases or {})}
        return lambda value: _choice(value, table, choices)

    return (
        ("nik", "nik", _nik),
        ("jenis_kelamin", "sex", choice(Sex, SEX_ALIASES)),
        ("tanggal_lahir", "birth_date", _date),
        ("pendidikan", "education", choice(Education)),
        ("disabilitas", "disability", choice(Disability)),
        ("nomor_hp", "", _phone),
        ("kode_kecamatan", "", _district),
        ("tanggal_persetujuan", "", _date),
    )
