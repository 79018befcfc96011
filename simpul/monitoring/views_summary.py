"""The PDF summary of a scope (/pantauan/ringkasan/?level=…&code=…&from=…&to=…) for official letters."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from simpul.accounts.http import AuthenticatedRequest

from . import selectors
from .pdf import build_summary_pdf, summary_for
from .scope import scope_from_params
from .warnings import monitoring_export_record


@require_GET
def summary_pdf(request: AuthenticatedRequest) -> HttpResponse:
    scope = scope_from_params(request.user, request.GET)
    filters = selectors.filters_from_params(request.GET)
    summary = summary_for(scope, filters)
    body = build_summary_pdf(
        summary,
        printed_by=request.user.full_name or request.user.get_username(),
        printed_at=timezone.now(),
    )
    monitoring_export_record(
        actor=request.user,
        what="summary_pdf",
        fmt="pdf",
        scope=scope,
        rows=len(summary.areas),
        request=request,
        detail={"filters": selectors.filters_query(filters)},
    )
    period = f"{filters.month_from:%Y-%m}_{filters.month_to:%Y-%m}"
    filename = "-".join(("ringkasan", slugify(scope.name) or "nasional", period))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response
