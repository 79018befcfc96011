"""Report pages: the list, the review queue, and one submission (fill, check, send, review, discuss)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from simpul.accounts import policy
from simpul.accounts.http import AuthenticatedRequest
from simpul.accounts.policy import Action
from simpul.core.pagination import paginate

from ..forms import SubmissionFilterForm
from ..models import OPEN_STATUSES, Attachment, Indicator, IndicatorType, Submission, SubmissionValue, ValueSource
from ..selectors import submissions as selectors
from ..services import attachments as attachment_services
from ..services import submissions as services
from ..services.workflow import STEPS, available_steps, submission_transition
from ..validation import Findings
from ..values import as_input, display


@dataclass
class Field:
    """One indicator as the page shows it."""

    indicator: Indicator
    row: SubmissionValue | None
    input: str
    shown: str
    source: str
    error: str = ""
    outlier: bool = False
    explanation: str = ""
    saved: bool = True

    @property
    def code(self) -> str:
        return self.indicator.code


def _fields(submission: Submission, findings: Findings, errors: dict[str, str] | None = None) -> list[Field]:
    indicators = services.indicators_of(submission)
    current = services.snapshot(submission, indicators)
    errors = errors or {}
    result = []
    for code, indicator in indicators.items():
        row = current.rows.get(code)
        value = current.values.get(code)
        source = ""
        if row is not None and row.source == ValueSource.PREFILLED:
            source = _("terisi otomatis dari %(source)s") % {"source": row.source_detail}
        elif row is not None and row.source == ValueSource.IMPORTED:
            source = _("dari unggahan Excel")
        result.append(
            Field(
                indicator=indicator,
                row=row,
                input=as_input(indicator, value) if indicator.type != IndicatorType.FILE else "",
                shown=display(indicator, value) if indicator.type != IndicatorType.FILE else "",
                source=source,
                error=errors.get(code, ""),
                outlier=code in findings.outliers,
                explanation=current.explanations.get(code, ""),
                saved=code not in errors,
            )
        )
    return result


def _sections(fields: list[Field]) -> list[tuple[Any, list[Field]]]:
    sections: dict[int, tuple[Any, list[Field]]] = {}
    for field in fields:
        section = field.indicator.section
        sections.setdefault(section.pk, (section, []))[1].append(field)
    return list(sections.values())


def _require_reports(request: AuthenticatedRequest) -> None:
    if not policy.allowed(request.user, Action.VIEW, Submission):
        raise Http404


def _editable(actor: Any, submission: Submission) -> bool:
    return submission.status in OPEN_STATUSES and policy.can(actor, Action.CHANGE, submission)


@require_GET
def submission_list(request: AuthenticatedRequest) -> HttpResponse:
    _require_reports(request)
    filter_form = SubmissionFilterForm(request.GET or None)
    submissions = selectors.submission_list(actor=request.user, filters=filter_form.filters())
    page = paginate(request, submissions)
    context = {
        "page": page,
        "filter_form": filter_form,
        "can_excel": policy.allowed(request.user, Action.EXPORT, Submission),
    }
    return render(request, "reporting/submission_list.html", context)


@require_GET
def review_queue(request: AuthenticatedRequest) -> HttpResponse:
    _require_reports(request)
    page = paginate(request, selectors.review_queue(actor=request.user))
    return render(request, "reporting/queue.html", {"page": page})


def _detail_context(request: AuthenticatedRequest, submission: Submission, **extra: Any) -> dict[str, Any]:
    findings = services.findings_for(submission, for_submit=False)
    editable = _editable(request.user, submission)
    context = {
        "submission": submission,
        "sections": _sections(_fields(submission, findings, extra.pop("errors", None))),
        "findings": findings,
        "editable": editable,
        "steps": available_steps(request.user, submission),
        "transitions": selectors.transitions_of(actor=request.user, submission=submission),
        "attachments": selectors.attachment_list(actor=request.user, submission=submission),
        "can_attach": editable and policy.can(request.user, Action.CREATE, _attachment_probe(submission)),
        "file_indicators": [i for i in services.indicators_of(submission).values() if i.type == IndicatorType.FILE],
        "tz": submission.center.province.timezone,
    }
    context.update(extra)
    return context


def _attachment_probe(submission: Submission) -> Attachment:
    """An unsaved attachment of this submission, to ask the policy whether one may be added."""
    return Attachment(submission=submission)


@require_GET
def submission_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_get(actor=request.user, pk=pk)
    if _editable(request.user, submission):
        services.submission_prefill(actor=request.user, submission_id=submission.pk)
    return render(request, "reporting/submission_detail.html", _detail_context(request, submission))


@require_POST
def submission_autosave(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Save one field as the person types; answer with the field again (and the checks, out of band)."""
    submission = selectors.submission_get(actor=request.user, pk=pk, action=Action.CHANGE)
    code = request.POST.get("code", "")
    errors: dict[str, str] = {}
    explanation = request.POST.get("explanation") if "explanation" in request.POST else None
    current = services.snapshot(submission).rows.get(code)
    raw = request.POST.get("value") if "value" in request.POST else (current.raw if current else None)
    try:
        services.submission_save_value(
            actor=request.user, submission_id=submission.pk, code=code, raw=raw, explanation=explanation
        )
    except ValidationError as error:
        messages_for = error.message_dict if hasattr(error, "error_dict") else {code: error.messages}
        errors = {code: " ".join(messages_for.get(code, error.messages))}
    findings = services.findings_for(submission, for_submit=False)
    field = next((f for f in _fields(submission, findings, errors) if f.code == code), None)
    if field is None:
        raise Http404
    if errors:
        field.input = raw if isinstance(raw, str) else field.input
    return render(
        request,
        "reporting/_autosave_response.html",
        {"field": field, "submission": submission, "findings": findings, "editable": True},
    )


@require_POST
def submission_save(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The whole form at once (works without JavaScript)."""
    submission = selectors.submission_get(actor=request.user, pk=pk, action=Action.CHANGE)
    indicators = services.indicators_of(submission)
    raw_values = {
        code: request.POST.get(f"v_{code}", "")
        for code, indicator in indicators.items()
        if indicator.type != IndicatorType.FILE and f"v_{code}" in request.POST
    }
    explanations = {code: request.POST[f"e_{code}"] for code in indicators if f"e_{code}" in request.POST}
    try:
        services.submission_save_values(
            actor=request.user, submission_id=submission.pk, raw_values=raw_values, explanations=explanations
        )
    except ValidationError as error:
        errors = {code: " ".join(msgs) for code, msgs in error.message_dict.items()}
        messages.error(request, _("Belum tersimpan: periksa isian yang ditandai."))
        context = _detail_context(request, submission, errors=errors)
        return render(request, "reporting/submission_detail.html", context, status=400)
    messages.success(request, _("Isian tersimpan."))
    return redirect("reporting:submission", pk=submission.pk)


@require_POST
def submission_step(request: AuthenticatedRequest, pk: int, step: str) -> HttpResponse:
    if step not in STEPS:
        raise Http404
    submission = selectors.submission_get(actor=request.user, pk=pk)
    try:
        submission_transition(
            actor=request.user, submission_id=submission.pk, step_name=step, comment=request.POST.get("comment", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reporting:submission", pk=submission.pk)
    done = {
        "submit": _("Laporan terkirim dan menunggu verifikasi."),
        "verify": _("Laporan diverifikasi dan diteruskan ke Kemnaker."),
        "approve": _("Laporan disetujui dan dikunci."),
        "return": _("Laporan dikembalikan ke BLK dengan alasan Anda."),
        "reopen": _("Laporan dibuka kembali untuk diperbaiki."),
    }
    messages.success(request, done[step])
    return redirect("reporting:submission", pk=submission.pk)


@require_POST
def attachment_upload(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_get(actor=request.user, pk=pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Pilih berkas yang akan diunggah."))
        return redirect("reporting:submission", pk=submission.pk)
    try:
        attachment_services.attachment_add(
            actor=request.user,
            submission_id=submission.pk,
            upload=upload,
            indicator_code=request.POST.get("indicator", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Lampiran %(name)s tersimpan.") % {"name": upload.name})
    return redirect(reverse("reporting:submission", args=[submission.pk]) + "#lampiran")


@require_GET
def attachment_download(request: AuthenticatedRequest, pk: int) -> FileResponse:
    attachment = attachment_services.attachment_open(actor=request.user, attachment_id=pk)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def attachment_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    attachment = selectors.attachment_get(actor=request.user, pk=pk)
    try:
        attachment_services.attachment_delete(actor=request.user, attachment_id=attachment.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Lampiran dihapus."))
    return redirect(reverse("reporting:submission", args=[attachment.submission_id]) + "#lampiran")
