"""The one place where money, numbers, dates and phone numbers become text.

Numbers always use Indonesian separators (1.250.000,5), as the programme's
documents do; month names follow the active language.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import phonenumbers
from django.utils import formats, timezone

_ZONE_ABBREVIATIONS = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def format_number(value: int | float | Decimal | None, decimals: int | None = None) -> str:
    """1250000 -> '1.250.000'; Decimal('12.5') -> '12,5'; None -> '–'."""
    if value is None:
        return "–"
    number = Decimal(str(value))
    if decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    number = abs(number)
    integer, _, fraction = f"{number:f}".partition(".")
    groups: list[str] = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    text = ".".join(groups)
    if decimals is None:
        fraction = fraction.rstrip("0")
    if fraction:
        text += "," + fraction
    return sign + text


def format_rupiah(amount: int | Decimal | None) -> str:
    """1250000 -> 'Rp1.250.000'; whole rupiah unless there are sen."""
    if amount is None:
        return "–"
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    decimals = 0 if value == value.to_integral_value() else 2
    text = format_number(abs(value), decimals)
    return ("-" if value < 0 else "") + "Rp" + text


def format_percent(value: float | Decimal | None, decimals: int = 1) -> str:
    """0.853 -> '85,3%'."""
    if value is None:
        return "–"
    return format_number(Decimal(str(value)) * 100, decimals) + "%"


def format_date(value: dt.date | dt.datetime | None) -> str:
    """date(2021, 11, 5) -> '5 November 2021' (month in the active language)."""
    if value is None:
        return "–"
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return formats.date_format(value, "j F Y")


def format_datetime(value: dt.datetime | None, tz_name: str | None = None) -> str:
    """An aware datetime in the given zone (default WIB): '5 November 2021 14.30 WIB'."""
    if value is None:
        return "–"
    zone_name = tz_name or "Asia/Jakarta"
    local = value.astimezone(ZoneInfo(zone_name)) if timezone.is_aware(value) else value
    zone = _ZONE_ABBREVIATIONS.get(zone_name, zone_name)
    return f"{formats.date_format(local.date(), 'j F Y')} {local:%H.%M} {zone}"


def format_phone(value: object) -> str:
    """'+6281234567890' -> '0812-3456-7890' (Indonesian numbers); others international."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(str(value), "ID")
    except phonenumbers.NumberParseException:
        return str(value)
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 62
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)
