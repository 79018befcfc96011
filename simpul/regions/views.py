"""Option lists for the cascading area pickers (province -> regency -> district)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from . import selectors


def _options(request: HttpRequest, items: Any, empty_label: str) -> HttpResponse:
    context = {"items": items, "empty_label": empty_label, "selected": request.GET.get("selected")}
    return render(request, "regions/options.html", context)


@require_GET
@cache_control(max_age=3600, private=True)
def regency_options(request: HttpRequest) -> HttpResponse:
    items = selectors.regency_list(province_code=request.GET.get("province"))
    return _options(request, items, _("— pilih kabupaten/kota —"))


@require_GET
@cache_control(max_age=3600, private=True)
def district_options(request: HttpRequest) -> HttpResponse:
    items = selectors.district_list(regency_code=request.GET.get("regency"))
    return _options(request, items, _("— pilih kecamatan —"))
