"""The Excel round trip page: download a form's template, fill it offline, upload it back.

Thin: the forms parse, services/excel.py checks, builds and saves.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from simpul.accounts import policy
from simpul.accounts.http import AuthenticatedRequest
from simpul.accounts.policy import Action
from simpul.core.exports import XLSX_CONTENT_TYPE
from simpul.core.formats import format_number

from ..forms import TemplateForm
from ..models import Submission
from ..services import excel as services
from ..services.excel_import import import_workbook
from ..services.excel_template import build_template

SHOWN_ERRORS = 500


def _require_excel(request: AuthenticatedRequest) -> None:
    if not policy.allowed(request.user, Action.EXPORT, Submission):
        raise Http404


def _page(
    request: AuthenticatedRequest,
    form: TemplateForm,
    errors: list[services.CellError] | None = None,
    status: int = 200,
) -> HttpResponse:
    errors = errors or []
    context = {
        "form": form,
        "errors": errors[:SHOWN_ERRORS],
        "error_count": len(errors),
        "hidden_errors": max(len(errors) - SHOWN_ERRORS, 0),
        "max_mb": format_number(round(services.max_bytes() / 2**20, 1)),
    }
    return render(request, "reporting/excel.html", context, status=status)


@require_GET
def excel_page(request: AuthenticatedRequest) -> HttpResponse:
    _require_excel(request)
    return _page(request, TemplateForm(actor=request.user))


@require_GET
def excel_template(request: AuthenticatedRequest) -> HttpResponse:
    _require_excel(request)
    form = TemplateForm(request.GET, actor=request.user)
    if not form.is_valid():
        return _page(request, form, status=400)
    data, region = form.cleaned_data, form.region()
    try:
        body, filename = build_template(
            actor=request.user,
            form=data["form"],
            period_key=data["period"],
            center_id=data.get("center"),
            province=region["province"],
            regency=region["regency"],
            request=request,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _page(request, form, status=400)
    response = HttpResponse(body, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def excel_upload(request: AuthenticatedRequest) -> HttpResponse:
    _require_excel(request)
    try:
        result = import_workbook(actor=request.user, upload=request.FILES.get("file"))
    except services.ExcelImportError as error:
        return _page(request, TemplateForm(actor=request.user), errors=error.errors, status=400)
    messages.success(
        request,
        _("Tersimpan dari Excel: %(values)s isian di %(reports)s laporan %(form)s periode %(period)s.")
        % {
            "values": format_number(result.values),
            "reports": format_number(result.reports),
            "form": result.form.code,
            "period": result.period_key,
        },
    )
    return redirect("reporting:excel")
