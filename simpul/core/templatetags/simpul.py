"""Template filters that call the one formatting helper for each kind of value."""

from __future__ import annotations

from django import template

from simpul.core import formats

register = template.Library()

register.filter("rupiah", formats.format_rupiah)
register.filter("angka", formats.format_number)
register.filter("persen", formats.format_percent)
register.filter("tanggal", formats.format_date)
register.filter("telepon", formats.format_phone)


@register.filter("waktu")
def waktu(value, tz_name=None):  # type: ignore[no-untyped-def]
    return formats.format_datetime(value, tz_name)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):  # type: ignore[no-untyped-def]
    """The current query string with some parameters replaced (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
