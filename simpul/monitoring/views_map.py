"""The map of a scope's centres coloured by one indicator (/pantauan/peta/), and its data."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .map_data import CLASS_COLOURS, NO_VALUE_COLOUR, MapData, indicator_choices, indicator_from_params, map_data
from .scope import CENTER, Scope, scope_from_params
from .selectors import filters_from_params


def _dashboard_url(scope_query: str) -> str:
    base = reverse("monitoring:dashboard")
    return f"{base}?{scope_query}" if scope_query else base


def _query(scope: Scope, data: MapData) -> str:
    parts = [scope.query(), f"indicator={data.indicator.key}"]
    parts.append(f"from={data.filters.month_from:%Y-%m}&to={data.filters.month_to:%Y-%m}")
    if data.filters.cohort:
        parts.append(f"cohort={data.filters.cohort}")
    if data.filters.development_class:
        parts.append(f"class={data.filters.development_class}")
    return "&".join(p for p in parts if p)


def map_panel_context(request: HttpRequest, scope: Scope, params: Any) -> dict[str, Any]:
    """What monitoring/map/panel.html needs: where to fetch the data and how to draw the background."""
    filters = filters_from_params(params)
    indicator = indicator_from_params(params)
    data = MapData(scope=scope, indicator=indicator, filters=filters, points=[], classes=[])
    return {
        "map_data_url": f"{reverse('monitoring:map-data')}?{_query(scope, data)}",
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "map_indicator": indicator,
    }


@require_GET
def map_page(request: HttpRequest) -> HttpResponse:
    scope = scope_from_params(request.user, request.GET)
    filters = filters_from_params(request.GET)
    indicator = indicator_from_params(request.GET)
    data = map_data(scope, filters, indicator)
    context = map_panel_context(request, scope, request.GET)
    context.update(
        {
            "scope": scope,
            "data": data,
            "indicators": indicator_choices(),
            "dashboard_url": _dashboard_url(scope.query()),
            "no_value_colour": NO_VALUE_COLOUR,
        }
    )
    return render(request, "monitoring/map/page.html", context)


@require_GET
def map_json(request: HttpRequest) -> JsonResponse:
    scope = scope_from_params(request.user, request.GET)
    data = map_data(scope, filters_from_params(request.GET), indicator_from_params(request.GET))
    centres = []
    for point in data.points:
        centres.append(
            {
                "id": point.pk,
                "name": point.name,
                "host_name": point.host_name,
                "regency": point.regency,
                "province": point.province,
                "lat": point.latitude,
                "lng": point.longitude,
                "value": None if point.value is None else float(point.value),
                "value_text": point.value_text,
                "class": point.class_index,
                "colour": point.colour,
                "links": [
                    {"label": _("Dasbor BLK"), "url": _dashboard_url(f"level={CENTER}&code={point.pk}")},
                    {"label": _("Profil di registri"), "url": reverse("centers:detail", args=[point.pk])},
                ],
            }
        )
    return JsonResponse(
        {
            "scope": {"level": scope.level, "code": scope.code, "name": str(scope.name)},
            "value_label": str(data.indicator.label),
            "indicator": {"key": data.indicator.key, "label": str(data.indicator.label), "kind": data.indicator.kind},
            "from": f"{data.filters.month_from:%Y-%m}",
            "to": f"{data.filters.month_to:%Y-%m}",
            "classes": [{"colour": c.colour, "label": c.label} for c in data.classes],
            "no_value_colour": NO_VALUE_COLOUR,
            "palette": list(CLASS_COLOURS),
            "centres": centres,
        }
    )
