"""Reading a value typed by a person (or found in an Excel cell) for an indicator, and showing it back.

One parser for every entry point (the form, autosave, the Excel upload), so
"1.250", "Rp1.250.000", "12,5" and "ya" mean the same everywhere. Counts and
amounts are never negative unless the form says so.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from simpul.core.formats import format_date, format_number, format_rupiah

from .models import Indicator, IndicatorType

TEXT_MAX = 2000
YES = {"ya", "y", "1", "true", "benar", "yes", "iya"}
NO = {"tidak", "t", "0", "false", "salah", "no", "tdk", "n"}
_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")


def _number(text: str) -> Decimal:
    cleaned = text.replace(" ", "").replace("\u00a0", "")
    if "," in cleaned:  # Indonesian: comma for decimals, dots for thousands
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif _THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(".", "")
    try:
        number = Decimal(cleaned)
    except InvalidOperation as error:
        raise ValueError(text) from error
    if not number.is_finite():
        raise ValueError(text)
    return number


def bounds_message(indicator: Indicator, low: Decimal | None, high: Decimal | None) -> str:
    show = format_rupiah if indicator.type == IndicatorType.RUPIAH else format_number
    if low is not None and high is not None:
        return _("Isi antara %(low)s dan %(high)s.") % {"low": show(low), "high": show(high)}
    if low is not None:
        return _("Isi paling sedikit %(low)s.") % {"low": show(low)}
    return _("Isi paling banyak %(high)s.") % {"high": show(high)}


def parse_value(indicator: Indicator, raw: Any) -> dict[str, Any]:
    """The storage columns for `raw` ({} when empty), or ValidationError with a message for people."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return {}
    kind = indicator.type
    if kind in (IndicatorType.INTEGER, IndicatorType.DECIMAL, IndicatorType.PERCENTAGE, IndicatorType.RUPIAH):
        return {"number": _parse_number(indicator, raw)}
    if kind == IndicatorType.YES_NO:
        if isinstance(raw, bool):
            return {"boolean": raw}
        word = str(raw).strip().lower()
        if word in YES:
            return {"boolean": True}
        if word in NO:
            return {"boolean": False}
        raise ValidationError(_("Isi “ya” atau “tidak”."))
    if kind == IndicatorType.CHOICE:
        text = str(raw).strip()
        for choice in indicator.choices or []:
            names = {str(choice.get("value")), str(choice.get("label", "")), str(choice.get("label_en", ""))}
            if text.lower() in {n.lower() for n in names if n}:
                return {"text": str(choice.get("value"))}
        options = ", ".join(indicator.choice_label(v) for v in indicator.choice_values())
        raise ValidationError(_("Pilih salah satu: %(options)s.") % {"options": options})
    if kind == IndicatorType.DATE:
        return {"date": _parse_date(raw)}
    if kind == IndicatorType.TEXT:
        text = str(raw).strip()
        if len(text) > TEXT_MAX:
            raise ValidationError(_("Teks paling panjang %(max)s karakter.") % {"max": format_number(TEXT_MAX)})
        return {"text": text}
    raise ValidationError(_("Isian berkas diunggah sebagai lampiran."))


def _parse_number(indicator: Indicator, raw: Any) -> Decimal:
    kind = indicator.type
    if isinstance(raw, bool):
        raise ValidationError(_("Isi dengan angka."))
    if isinstance(raw, (int, float, Decimal)):
        number = Decimal(str(raw))
    else:
        text = str(raw).strip()
        if kind == IndicatorType.RUPIAH:
            text = re.sub(r"^(rp\.?)", "", text, flags=re.IGNORECASE).strip()
        if kind == IndicatorType.PERCENTAGE:
            text = text.rstrip("%").strip()
        try:
            number = _number(text)
        except ValueError:
            raise ValidationError(_("Isi dengan angka, misalnya 1.250 atau 12,5.")) from None
    if kind == IndicatorType.INTEGER and number != number.to_integral_value():
        raise ValidationError(_("Isi dengan bilangan bulat (tanpa koma)."))
    if kind == IndicatorType.RUPIAH and number != number.to_integral_value():
        raise ValidationError(_("Isi rupiah tanpa sen."))
    if abs(number) >= Decimal("1e16"):
        raise ValidationError(_("Angka terlalu besar."))
    low = indicator.min_value if indicator.min_value is not None else Decimal(0)
    high = indicator.max_value
    if kind == IndicatorType.PERCENTAGE and high is None:
        high = Decimal(100)
    if number < low or (high is not None and number > high):
        raise ValidationError(bounds_message(indicator, low, high))
    return number.quantize(Decimal("0.01")) if kind != IndicatorType.INTEGER else number.quantize(Decimal(1))


def _parse_date(raw: Any) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = str(raw).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a calendar date)
        except ValueError:
            continue
    raise ValidationError(_("Isi tanggal seperti 31/12/2026."))


def stored_value(value: Any) -> Any:
    """The Python value of a SubmissionValue (or None)."""
    return None if value is None else value.raw


def as_input(indicator: Indicator, value: Any) -> str:
    """How a stored value appears in an input box."""
    if value is None:
        return ""
    if indicator.type == IndicatorType.YES_NO:
        return "ya" if value else "tidak"
    if isinstance(value, Decimal):
        if indicator.type in (IndicatorType.INTEGER, IndicatorType.RUPIAH):
            return str(value.quantize(Decimal(1)))
        return format_number(value).replace(".", "")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def display(indicator: Indicator, value: Any) -> str:
    """How a stored value reads on a page."""
    if value is None or value == "":
        return "–"
    if indicator.type == IndicatorType.RUPIAH:
        return format_rupiah(value)
    if indicator.type == IndicatorType.PERCENTAGE:
        return format_number(value) + "%"
    if indicator.is_numeric:
        return format_number(value)
    if indicator.type == IndicatorType.YES_NO:
        return _("Ya") if value else _("Tidak")
    if indicator.type == IndicatorType.CHOICE:
        return indicator.choice_label(value)
    if indicator.type == IndicatorType.DATE:
        return format_date(value)
    return str(value)
