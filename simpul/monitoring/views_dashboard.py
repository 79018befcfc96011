"""The dashboard of a scope (/pantauan/): the page at once, then each panel on its own request.

The page holds the header, the filters and an empty placeholder per panel;
HTMX asks each panel's URL when the page loads, so a slow panel never holds
the others. A panel's URL with `format=xlsx|csv` returns its table as a file;
opened without HTMX (no JavaScript) it is a page of its own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from simpul.accounts.http import AuthenticatedRequest
from simpul.centers.models import FIRST_COHORT, DevelopmentClass, Vocation
from simpul.core.exports import export_response
from simpul.regions.models import Province

from . import selectors
from .dashboard_tables import PANEL_BY_NAME, PANELS, Context, PanelSpec, dashboard_url, trend_indicator
from .measures import INDICATORS
from .scope import CENTER, NATIONAL, PROVINCE, Scope, scope_from_params

FILTER_PARAMS = ("from", "to", "cohort", "class", "vocation")
EXPORT_FORMATS = ("xlsx", "csv")


def _month(value: dt.date) -> str:
    return value.strftime("%Y-%m")


def _context(request: AuthenticatedRequest) -> Context:
    scope = scope_from_params(request.user, request.GET)
    filters = selectors.filters_from_params(request.GET)
    return Context(request.user, scope, filters, selectors.filters_query(filters), request.GET)


def _province_redirect(request: AuthenticatedRequest, scope: Scope) -> HttpResponse | None:
    """The province select names a province: the dashboard of that province (or of the nation)."""
    if "province" not in request.GET:
        return None
    chosen = request.GET["province"]
    current = scope.province.pk if scope.province is not None else ""
    if chosen == current:
        return None
    target = {"level": PROVINCE, "code": chosen} if chosen else {"level": NATIONAL}
    params = {**target, **{k: request.GET[k] for k in FILTER_PARAMS if request.GET.get(k)}}
    # The province is checked against the viewer's scope on the next request (404 outside it).
    return HttpResponseRedirect(request.path + "?" + urlencode(params))


@require_GET
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    ctx = _context(request)
    redirect = _province_redirect(request, ctx.scope)
    if redirect is not None:
        return redirect
    query = "&".join(q for q in (ctx.scope.query(), ctx.filter_query) if q)
    filters = ctx.filters
    context = {
        "scope": ctx.scope,
        "crumbs": [(parent, dashboard_url(parent, ctx.filter_query)) for parent in ctx.scope.parents()],
        "centers_url": ctx.links.centers(),
        "filters": filters,
        "month_from": _month(filters.month_from),
        "month_to": _month(filters.month_to),
        "query": query,
        # A centre has no areas below it to split into.
        "panels": [p for p in PANELS if not (p.name == "area" and ctx.scope.level == CENTER)],
        # Only a national viewer changes province; everyone else stays in their own.
        "provinces": Province.objects.order_by("name") if request.user.scope_level == NATIONAL else None,
        "cohorts": range(timezone.localdate().year, FIRST_COHORT - 1, -1),
        "classes": DevelopmentClass.choices,
        "vocations": Vocation.objects.order_by("name"),
        "map_data_url": f"{reverse('monitoring:map-data')}?{query}",
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
    return render(request, "monitoring/dashboard/page.html", context)


@require_GET
def panel(request: AuthenticatedRequest, name: str) -> HttpResponse:
    spec = PANEL_BY_NAME.get(name)
    if spec is None:
        raise Http404
    ctx = _context(request)
    table = spec.build(ctx)
    fmt = request.GET.get("format", "")
    if fmt:
        if fmt not in EXPORT_FORMATS:
            raise Http404
        return export_response(
            fmt,
            filename=_filename(spec, ctx),
            title=str(spec.title),
            columns=table.columns,
            rows=table.export_rows(),
        )
    query = "&".join(q for q in (ctx.scope.query(), ctx.filter_query) if q)
    context = {
        "spec": spec,
        "table": table,
        "scope": ctx.scope,
        "query": query,
        "export_url": reverse("monitoring:panel", args=[spec.name]) + "?" + query,
        "hidden": parse_qsl(query),
        **_panel_extra(spec, ctx),
    }
    if request.htmx:
        return render(request, "monitoring/dashboard/panel.html", context)
    return render(request, "monitoring/dashboard/panel_page.html", context)


def _panel_extra(spec: PanelSpec, ctx: Context) -> dict[str, Any]:
    if spec.name == "trend":
        return {"indicators": INDICATORS, "chosen": trend_indicator(ctx).key}
    return {}


def _filename(spec: PanelSpec, ctx: Context) -> str:
    period = f"{_month(ctx.filters.month_from)}_{_month(ctx.filters.month_to)}"
    return "-".join(("pantauan", spec.name, slugify(ctx.scope.name) or _("nasional"), period))
