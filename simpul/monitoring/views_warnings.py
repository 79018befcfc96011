"""Early warnings (/pantauan/peringatan/) and rankings (/pantauan/peringkat/) of a scope.

Thin: the scope comes from scope.py (404 outside the viewer's own), the
figures from warnings.py, the one-click message goes through messaging's
service. `?format=xlsx|csv` returns the table as a file.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from simpul.accounts.http import AuthenticatedRequest
from simpul.accounts.models import Role
from simpul.core.exports import Column, export_response
from simpul.core.formats import format_date
from simpul.messaging import services as messaging_services

from . import selectors
from .dashboard_tables import figure_text
from .measures import INDICATORS
from .scope import CENTER, Scope, scope_from_params, scope_get
from .warnings import (
    EarlyWarning,
    Ranking,
    early_warnings,
    indicator_for,
    monitoring_export_record,
    ranking,
    warning_groups,
)

EXPORT_FORMATS = ("xlsx", "csv")
# Rows shown per kind on the page (a national list can run to thousands); the exports hold them all.
PAGE_ROWS = 100
# Who writes to a centre from its warning: the ministry, the forum and the regional government.
MESSAGE_ROLES = frozenset({Role.ADMIN_PUSAT, Role.FKN, Role.PEMDA})

WARNING_COLUMNS = [
    Column(gettext_lazy("Peringatan"), 36),
    Column(gettext_lazy("BLK"), 40),
    Column(gettext_lazy("Kabupaten/kota"), 24),
    Column(gettext_lazy("Provinsi"), 20),
    Column(gettext_lazy("Sejak"), 18),
    Column(gettext_lazy("Keterangan"), 90),
]
RANKING_COLUMNS = [
    Column(gettext_lazy("Peringkat"), 10),
    Column(gettext_lazy("BLK"), 40),
    Column(gettext_lazy("Kabupaten/kota"), 24),
    Column(gettext_lazy("Nilai"), 16),
    Column(gettext_lazy("Pembilang"), 14),
    Column(gettext_lazy("Penyebut"), 14),
]


def _export_format(request: AuthenticatedRequest) -> str:
    fmt = request.GET.get("format", "")
    if fmt and fmt not in EXPORT_FORMATS:
        raise Http404
    return fmt


def _dashboard_url(scope: Scope) -> str:
    query = scope.query()
    return reverse("monitoring:dashboard") + (f"?{query}" if query else "")


@require_GET
def warnings_page(request: AuthenticatedRequest) -> HttpResponse:
    scope = scope_from_params(request.user, request.GET)
    fmt = _export_format(request)
    found = early_warnings(scope)
    if fmt:
        return _export_warnings(request, scope, found, fmt)
    query = scope.query()
    context = {
        "scope": scope,
        "groups": warning_groups(found),
        "total": len(found),
        "query": query,
        "export_query": (query + "&" if query else ""),
        "dashboard_url": _dashboard_url(scope),
        "can_message": request.user.role in MESSAGE_ROLES,
        "row_limit": PAGE_ROWS,
        "row_limit_slice": f":{PAGE_ROWS}",
    }
    return render(request, "monitoring/warnings/page.html", context)


@require_GET
def warnings_panel(request: AuthenticatedRequest) -> HttpResponse:
    """Counts per kind, for the dashboard (hx-get) or any page that wants them."""
    scope = scope_from_params(request.user, request.GET)
    groups = warning_groups(early_warnings(scope))
    query = scope.query()
    context = {
        "scope": scope,
        "groups": groups,
        "total": sum(group.count for group in groups),
        "page_url": reverse("monitoring:warnings") + (f"?{query}" if query else ""),
    }
    return render(request, "monitoring/warnings/panel.html", context)


def _export_warnings(request: AuthenticatedRequest, scope: Scope, found: list[EarlyWarning], fmt: str) -> HttpResponse:
    rows = [
        [w.kind_label, w.center_name, w.regency_name, w.province_name, format_date(w.since), w.reason] for w in found
    ]
    monitoring_export_record(
        actor=request.user, what="warnings", fmt=fmt, scope=scope, rows=len(rows), request=request, detail={}
    )
    return export_response(
        fmt,
        filename="-".join(("peringatan", slugify(scope.name) or "nasional")),
        title=_("Peringatan dini"),
        columns=WARNING_COLUMNS,
        rows=rows,
    )


@require_POST
def warning_message(request: AuthenticatedRequest, center_pk: int) -> HttpResponse:
    """The one-click message: the warning's sentence, posted to the centre's thread."""
    if request.user.role not in MESSAGE_ROLES:
        raise Http404
    scope = scope_get(actor=request.user, level=CENTER, code=str(center_pk))
    center = scope.center
    assert center is not None
    try:
        messaging_services.center_message_post(
            actor=request.user,
            center=center,
            body=request.POST.get("body", ""),
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Pesan terkirim ke %(center)s.") % {"center": center.name})
    return HttpResponseRedirect(_back_to(request))


def _back_to(request: AuthenticatedRequest) -> str:
    """The warnings page of the scope the form came from (never a URL taken from the form)."""
    params = {key: request.POST[key] for key in ("level", "code") if request.POST.get(key)}
    return reverse("monitoring:warnings") + (f"?{urlencode(params)}" if params else "")


@require_GET
def rankings_page(request: AuthenticatedRequest) -> HttpResponse:
    scope = scope_from_params(request.user, request.GET)
    fmt = _export_format(request)
    filters = selectors.filters_from_params(request.GET)
    indicator = indicator_for(request.GET.get("indicator"))
    result = ranking(scope, filters, indicator)
    if fmt:
        return _export_ranking(request, scope, filters, result, fmt)
    query = "&".join(q for q in (scope.query(), selectors.filters_query(filters), f"indicator={indicator.key}") if q)
    context = {
        "scope": scope,
        "filters": filters,
        "month_from": filters.month_from.strftime("%Y-%m"),
        "month_to": filters.month_to.strftime("%Y-%m"),
        "indicators": INDICATORS,
        "indicator": indicator,
        "ranking": result,
        "top": _ranking_rows(result.top),
        "bottom": _ranking_rows(result.bottom),
        "query": query,
        "dashboard_url": _dashboard_url(scope),
    }
    return render(request, "monitoring/warnings/rankings.html", context)


def _ranking_rows(rows: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "row": row,
            "value": figure_text(row.figure),
            "center_url": reverse("centers:detail", args=[row.center_id]),
            "dashboard_url": reverse("monitoring:dashboard") + f"?level={CENTER}&code={row.center_id}",
        }
        for row in rows
    ]


def _export_ranking(
    request: AuthenticatedRequest, scope: Scope, filters: selectors.Filters, result: Ranking, fmt: str
) -> HttpResponse:
    denominator = bool(result.indicator.denominator)
    rows = [
        [
            row.rank,
            row.center_name,
            row.regency_name,
            float(row.figure.value) if row.figure.value is not None else None,
            row.figure.numerator,
            row.figure.denominator if denominator else None,
        ]
        for row in result.rows
    ]
    monitoring_export_record(
        actor=request.user,
        what="ranking",
        fmt=fmt,
        scope=scope,
        rows=len(rows),
        request=request,
        detail={"indicator": result.indicator.key, "filters": selectors.filters_query(filters)},
    )
    period = f"{filters.month_from:%Y-%m}_{filters.month_to:%Y-%m}"
    return export_response(
        fmt,
        filename="-".join(("peringkat", result.indicator.key, slugify(scope.name) or "nasional", period)),
        title=_("Peringkat BLK"),
        columns=[*RANKING_COLUMNS[:3], Column(result.indicator.label, 16), *RANKING_COLUMNS[4:]],
        rows=rows,
    )
