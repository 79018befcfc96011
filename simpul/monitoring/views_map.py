"""The map of a scope coloured by one indicator (/pantauan/peta/), and its data: child areas or centres."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .map_data import NO_VALUE_COLOUR, MapData, MapPoint, indicator_choices, indicator_from_params, map_data
from .scope import CENTER, PROVINCE, REGENCY, Scope, scope_from_params
from .selectors import filters_from_params, filters_query


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


def area_map_url(point: MapPoint, data: MapData) -> str:
    """The map of a child area, with the same indicator and filters."""
    return f"{reverse('monitoring:map')}?{_query(point.scope, data)}" if point.scope else ""


def area_dashboard_url(point: MapPoint, data: MapData) -> str:
    """The dashboard of a child area, over the same months and filters."""
    if point.scope is None:
        return ""
    query = "&".join(q for q in (point.scope.query(), filters_query(data.filters)) if q)
    return _dashboard_url(query)


def marker_label(data: MapData) -> str:
    """What a row of the table is: a province, a regency or a centre."""
    return {PROVINCE: _("Provinsi"), REGENCY: _("Kabupaten/Kota")}.get(data.level, _("BLK Komunitas"))


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
    rows = [
        {"point": p, "map_url": area_map_url(p, data), "dashboard_url": area_dashboard_url(p, data)}
        for p in data.points
    ]
    context.update(
        {
            "scope": scope,
            "data": data,
            "rows": rows,
            "marker_label": marker_label(data),
            "indicators": indicator_choices(),
            "dashboard_url": _dashboard_url(scope.query()),
            "no_value_colour": NO_VALUE_COLOUR,
        }
    )
    return render(request, "monitoring/map/page.html", context)


def _area_marker(point: MapPoint, data: MapData) -> dict[str, Any]:
    return {
        "name": point.name,
        "lat": point.latitude,
        "lng": point.longitude,
        "value_text": point.value_text,
        "colour": point.colour,
        "n": point.centres,
        "links": [
            {"label": _("Peta %(area)s") % {"area": point.name}, "url": area_map_url(point, data)},
            {"label": _("Dasbor"), "url": area_dashboard_url(point, data)},
        ],
    }


def _centre_marker(point: MapPoint) -> dict[str, Any]:
    return {
        "name": point.name,
        "host_name": point.host_name,
        "regency": point.regency,
        "province": point.province,
        "lat": point.latitude,
        "lng": point.longitude,
        "value_text": point.value_text,
        "colour": point.colour,
        "links": [
            {"label": _("Dasbor BLK"), "url": _dashboard_url(f"level={CENTER}&code={point.pk}")},
            {"label": _("Profil di registri"), "url": reverse("centers:detail", args=[point.pk])},
        ],
    }


@require_GET
def map_json(request: HttpRequest) -> JsonResponse:
    """The markers of the scope: its child areas (nation, province) or its centres (regency, centre).

    Only what the popup, the legend and the table show; an area's marker also says how many centres
    it stands for (`n`), which sizes its circle.
    """
    scope = scope_from_params(request.user, request.GET)
    data = map_data(scope, filters_from_params(request.GET), indicator_from_params(request.GET))
    if data.areas:
        markers = [_area_marker(point, data) for point in data.points]
    else:
        markers = [_centre_marker(point) for point in data.points]
    return JsonResponse(
        {
            "scope": {"level": scope.level, "code": scope.code, "name": str(scope.name)},
            "level": data.level,
            "marker_label": str(marker_label(data)),
            "count_label": str(_("Jumlah BLK")),
            "value_label": str(data.indicator.label),
            "indicator": {"key": data.indicator.key, "label": str(data.indicator.label), "kind": data.indicator.kind},
            "from": f"{data.filters.month_from:%Y-%m}",
            "to": f"{data.filters.month_to:%Y-%m}",
            "classes": [{"colour": c.colour, "label": c.label} for c in data.classes],
            "no_value_colour": NO_VALUE_COLOUR,
            "markers": markers,
        }
    )
