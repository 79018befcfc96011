"""Participants from Excel: the package's template, the upload, its result, the file of failed rows.

Thin: the form parses the choice, services/importing.py checks and saves.
"""

from __future__ import annotations

from django import forms
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from simpul.accounts import policy
from simpul.accounts.http import AuthenticatedRequest
from simpul.accounts.policy import Action
from simpul.core.exports import XLSX_CONTENT_TYPE
from simpul.core.formats import format_number
from simpul.core.xlsx import CellError, ExcelImportError, max_bytes, max_rows

from ..models import ImportMode, Package, ParticipantImport
from ..selectors.packages import package_get
from ..services import importing as services

SHOWN_ERRORS = 500


class ImportForm(forms.Form):
    # No initial value: whoever uploads says, every time, what happens to a file with mistakes.
    mode = forms.ChoiceField(
        label=_("Bila ada baris yang salah"),
        choices=ImportMode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih salah satu cara menyimpan.")},
    )
    over_capacity_reason = forms.CharField(
        label=_("Alasan melebihi kuota (bila perlu)"),
        max_length=255,
        required=False,
        help_text=_("Isi hanya bila peserta dalam berkas akan membuat paket melebihi kuotanya."),
    )


def _package(request: AuthenticatedRequest, package_id: int) -> Package:
    package = package_get(actor=request.user, pk=package_id)
    if not policy.can(request.user, Action.CREATE, ParticipantImport(package=package)):
        raise Http404
    return package


def _form_page(
    request: AuthenticatedRequest,
    package: Package,
    form: ImportForm,
    errors: list[CellError] | None = None,
    status: int = 200,
) -> HttpResponse:
    errors = errors or []
    context = {
        "package": package,
        "form": form,
        "enrolled": package.enrolments.count(),
        "errors": errors[:SHOWN_ERRORS],
        "error_count": len(errors),
        "hidden_errors": max(len(errors) - SHOWN_ERRORS, 0),
        "max_mb": format_number(round(max_bytes() / 2**20, 1)),
        "max_rows": format_number(max_rows()),
    }
    return render(request, "training/import_form.html", context, status=status)


@require_GET
def import_template(request: AuthenticatedRequest, package_id: int) -> HttpResponse:
    body = services.participant_template(actor=request.user, package_id=package_id)
    response = HttpResponse(body, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="templat-peserta-paket-{int(package_id)}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def import_upload(request: AuthenticatedRequest, package_id: int) -> HttpResponse:
    package = _package(request, package_id)
    if request.method != "POST":
        return _form_page(request, package, ImportForm())
    form = ImportForm(request.POST)
    if not form.is_valid():
        return _form_page(request, package, form, status=400)
    try:
        outcome = services.participant_import(
            actor=request.user,
            package_id=package.pk,
            upload=request.FILES.get("file"),
            mode=form.cleaned_data["mode"],
            over_capacity_reason=form.cleaned_data["over_capacity_reason"],
            request=request,
        )
    except ExcelImportError as error:
        return _form_page(request, package, form, errors=error.errors, status=400)
    context = {
        "package": package,
        "record": outcome.record,
        "errors": outcome.errors[:SHOWN_ERRORS],
        "error_count": len(outcome.errors),
        "hidden_errors": max(len(outcome.errors) - SHOWN_ERRORS, 0),
        "warnings": outcome.warnings[:SHOWN_ERRORS],
    }
    return render(request, "training/import_result.html", context)


@require_GET
def import_failed(request: AuthenticatedRequest, package_id: int, import_id: int) -> FileResponse:
    record = services.participant_import_failed_file(
        actor=request.user, package_id=package_id, import_id=import_id, request=request
    )
    response = FileResponse(
        record.failed_file.open("rb"),
        as_attachment=True,
        filename=f"peserta-gagal-impor-{record.pk}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )
    response["Cache-Control"] = "private, no-store"
    return response
