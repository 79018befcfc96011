"""Option lists for the cascading area pickers (province -> regency -> district)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from . import selectors


@require_GET
@cache_control(max_age=3600)
def regency_options(request: HttpRequest) -> HttpResponse:
    items = selectors.regency_list(province_code=request.GET.get("province"))
    return render(
        request,
        "regions/options.html",
        {"items": items, "empty_label": _("— pilih kabupaten/kota —"), "selected": request.GET.get("selected")},
    )


@require_GET
@cache_control(max_age=3600)
def district_options(request: HttpRequest) -> HttpResponse:
    items = selectors.district_list(regency_code=request.GET.get("regency"))
    return render(
        request,
        "regions/options.html",
        {"items": items, "empty_label": _("— pilih kecamatan —"), "selected": request.GET.get("selected")},
    )
