"""Indonesian identifiers: parsing and validation in one place."""

from __future__ import annotations

import re

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
