"""Indonesian identifiers: parsing and validation in one place."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s.\-/]")


def normalize_npwp(value: str) -> str:
    """'01.234.567.8-901.234-5' style input -> digits only."""
    return _SEPARATORS.sub("", value or "")


def validate_npwp(value: str) -> None:
    """A yayasan's NPWP has 16 digits (the 2024 format)."""
    if not re.fullmatch(r"\d{16}", value or ""):
        raise ValidationError(
            _("NPWP harus terdiri dari 16 digit angka (format NPWP 16 digit)."),
            code="invalid_npwp",
        )


def format_npwp(value: str) -> str:
    """'0123456789012345' -> '0123 4567 8901 2345' for reading."""
    if not value or len(value) != 16:
        return value or ""
    return " ".join(value[i : i + 4] for i in range(0, 16, 4))


# --- NIK (Nomor Induk Kependudukan) -----------------------------------------
#
# 16 digits: district of first registration (6: province 2, regency 2,
# district 2) + birth date DDMMYY (women: day + 40) + serial (4, from 0001).
# A NIK never changes when region codes do, so an unknown district is the
# caller's warning, not an error here. Messages never repeat the number.

NIK_LENGTH = 16
MASK = "••••••••"


@dataclass(frozen=True)
class Nik:
    """What a valid NIK says about its holder."""

    value: str
    district_code: str  # Kemendagri form, "35.78.01"
    day: int
    month: int
    year_2: int  # the two digits of the year; the century is not in the number
    female: bool
    serial: int

    def birth_date_matches(self, birth_date: dt.date) -> bool:
        return (birth_date.day, birth_date.month, birth_date.year % 100) == (self.day, self.month, self.year_2)

    def likely_birth_date(self, today: dt.date) -> dt.date:
        """The century that makes the holder 0-99 years old (for when no birth date is given)."""
        year = 2000 + self.year_2
        if year > today.year:
            year -= 100
        return dt.date(year, self.month, self.day)


def normalize_nik(value: object) -> str:
    """Digits as typed, without spaces, dots or dashes ('3578 0112 …' -> '35780112…')."""
    text = str(value if value is not None else "").strip()
    if text.endswith(".0") and text[:-2].isdigit():  # a spreadsheet that stored the NIK as a number
        text = text[:-2]
    return _SEPARATORS.sub("", text)


def parse_nik(value: object) -> Nik:
    """Check a NIK's structure; ValidationError (without the number in it) when it cannot be a NIK."""
    nik = normalize_nik(value)
    if not re.fullmatch(r"\d{16}", nik):
        raise ValidationError(_("NIK harus terdiri dari 16 digit angka."), code="nik_length")
    if nik[:2] == "00" or nik[2:4] == "00" or nik[4:6] == "00":
        raise ValidationError(_("Kode wilayah pada 6 digit pertama NIK tidak sah."), code="nik_region")
    day, month, year_2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    female = day > 40
    if female:
        day -= 40
    # 2000 is a leap year and 1900 is not; a 29 February in '00' is valid only for 2000.
    if not _is_real_date(day, month, 2000 + year_2) and not _is_real_date(day, month, 1900 + year_2):
        raise ValidationError(
            _("Tanggal lahir pada NIK (digit 7–12) bukan tanggal yang ada."),
            code="nik_birth_date",
        )
    serial = int(nik[12:])
    if serial == 0:
        raise ValidationError(_("Nomor urut NIK (4 digit terakhir) dimulai dari 0001."), code="nik_serial")
    return Nik(
        value=nik,
        district_code=f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}",
        day=day,
        month=month,
        year_2=year_2,
        female=female,
        serial=serial,
    )


def _is_real_date(day: int, month: int, year: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def check_nik_against(nik: Nik, *, birth_date: dt.date | None, female: bool | None) -> dict[str, str]:
    """Field -> message where what was entered disagrees with what the NIK encodes."""
    errors: dict[str, str] = {}
    if birth_date is not None and not nik.birth_date_matches(birth_date):
        errors["birth_date"] = str(_("Tanggal lahir tidak sama dengan yang tertulis di NIK."))
    if female is not None and female != nik.female:
        errors["sex"] = str(_("Jenis kelamin tidak sesuai dengan NIK (pada NIK perempuan, tanggal lahir ditambah 40)."))
    return errors


def mask_nik(value: str | None) -> str:
    """'3578010112900001' -> '3578••••••••0001': enough to tell people apart, not enough to use."""
    if not value:
        return ""
    if len(value) != NIK_LENGTH:
        return MASK
    return f"{value[:4]}{MASK}{value[-4:]}"


_NIK_IN_TEXT = re.compile(r"(?<!\d)(\d{4})\d{8}(\d{4})(?!\d)")


def redact_niks(text: str) -> str:
    """Mask every 16-digit run in free text (log lines)."""
    return _NIK_IN_TEXT.sub(lambda m: f"{m.group(1)}{MASK}{m.group(2)}", text)
