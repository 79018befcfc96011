"""Admin Pusat's report form builder: forms, their versions, and a draft's sections, indicators and rules.

Thin: parse, call a service (services/builder.py), render. Every record is
read through the access policy, so whoever may not build forms gets 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simpul.accounts import policy
from simpul.accounts.http import AuthenticatedRequest
from simpul.accounts.policy import Action
from simpul.core.forms import add_service_errors
from simpul.core.pagination import paginate

from .. import prefill
from ..forms_builder import IndicatorForm, PublishForm, ReportFormForm, RuleForm, SectionForm, service_fields
from ..models import FormVersion, Indicator, ReportForm, Section, ValidationRule, VersionStatus
from ..selectors import builder as selectors
from ..services import builder as services


@dataclass(frozen=True)
class ChildKind:
    """A part of a draft version that has add, edit and delete pages."""

    model: type[Section] | type[Indicator] | type[ValidationRule]
    form: Callable[..., forms.ModelForm]  # takes the draft version as `version=`
    save: Callable[..., Any]
    delete: Callable[..., None]
    id_name: str
    url_name: str
    title: str | Promise
    anchor: str  # where the version page shows it


KINDS = {
    "bagian": ChildKind(
        model=Section,
        form=SectionForm,
        save=services.section_save,
        delete=services.section_delete,
        id_name="section_id",
        url_name="section",
        title=gettext_lazy("bagian"),
        anchor="bagian",
    ),
    "indikator": ChildKind(
        model=Indicator,
        form=IndicatorForm,
        save=services.indicator_save,
        delete=services.indicator_delete,
        id_name="indicator_id",
        url_name="indicator",
        title=gettext_lazy("indikator"),
        anchor="bagian",
    ),
    "aturan": ChildKind(
        model=ValidationRule,
        form=RuleForm,
        save=services.rule_save,
        delete=services.rule_delete,
        id_name="rule_id",
        url_name="rule",
        title=gettext_lazy("aturan validasi"),
        anchor="aturan",
    ),
}


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    prefill_label: str


# --- reads (through the policy) ---------------------------------------------


def _prefill_label(key: str) -> str:
    return prefill.label_for(key) if key else ""


def _kind(kind: str) -> ChildKind:
    try:
        return KINDS[kind]
    except KeyError as error:
        raise Http404 from error


def _version_url(version: FormVersion, anchor: str = "") -> str:
    return reverse("reporting:version-detail", args=[version.pk]) + (f"#{anchor}" if anchor else "")


# --- forms ------------------------------------------------------------------


@require_GET
def form_list(request: AuthenticatedRequest) -> HttpResponse:
    if not policy.allowed(request.user, Action.VIEW, ReportForm):
        raise Http404
    page = paginate(request, selectors.form_list(actor=request.user))
    return render(request, "reporting/builder/form_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
def form_create(request: AuthenticatedRequest) -> HttpResponse:
    if not policy.allowed(request.user, Action.CREATE, ReportForm):
        raise Http404
    form = ReportFormForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report_form = services.report_form_create(actor=request.user, **service_fields(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Formulir %(code)s dibuat dengan draf versi 1. Tambahkan indikatornya, lalu terbitkan.")
                % {"code": report_form.code},
            )
            draft = policy.get_or_404(request.user, report_form.versions.all(), Action.VIEW, number=1)
            return redirect(_version_url(draft))
    return render(request, "reporting/builder/form_form.html", {"form": form})


@require_GET
def form_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    report_form = selectors.form_get(actor=request.user, pk=pk)
    versions = list(selectors.version_list(actor=request.user, form=report_form))
    draft = next((v for v in versions if v.status == VersionStatus.DRAFT), None)
    context = {
        "report_form": report_form,
        "versions": versions,
        "draft": draft,
        "can_change": policy.can(request.user, Action.CHANGE, report_form),
    }
    return render(request, "reporting/builder/form_detail.html", context)


@require_http_methods(["GET", "POST"])
def form_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    report_form = selectors.form_get(actor=request.user, pk=pk, action=Action.CHANGE)
    frozen = report_form.versions.filter(status__in=(VersionStatus.PUBLISHED, VersionStatus.RETIRED)).exists()
    form = ReportFormForm(request.POST or None, instance=report_form, frozen=frozen)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_form_update(actor=request.user, form_id=report_form.pk, **service_fields(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Perubahan formulir tersimpan. Berlaku untuk periode berikutnya."))
            return redirect("reporting:form-detail", pk=report_form.pk)
    return render(request, "reporting/builder/form_form.html", {"form": form, "report_form": report_form})


# --- versions -----------------------------------------------------------------


@require_POST
def version_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    report_form = selectors.form_get(actor=request.user, pk=pk)
    try:
        version = services.form_version_create_draft(actor=request.user, form_id=report_form.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reporting:form-detail", pk=report_form.pk)
    messages.success(
        request,
        _("Draf versi %(number)s dibuat dari versi terbit. Ubah isinya, lalu terbitkan.") % {"number": version.number},
    )
    return redirect(_version_url(version))


@require_GET
def version_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    version = selectors.version_get(actor=request.user, pk=pk)
    indicators = Indicator.objects.order_by("order", "pk")
    sections = [
        (section, [IndicatorRow(i, _prefill_label(i.prefill)) for i in section.indicators.all()])
        for section in version.sections.prefetch_related(Prefetch("indicators", queryset=indicators))
    ]
    codes = [row.indicator.code for _section, rows in sections for row in rows]
    editable = version.is_editable and policy.can(request.user, Action.CHANGE, version)
    draft = version.form.versions.filter(status=VersionStatus.DRAFT).first()
    context = {
        "version": version,
        "report_form": version.form,
        "sections": sections,
        "codes": codes,
        "rules": list(version.rules.all()),
        "editable": editable,
        "problems": services.version_publish_problems(version) if editable else [],
        "publish_form": PublishForm(),
        "submission_count": version.submissions.count(),
        "draft": draft,
    }
    return render(request, "reporting/builder/version_detail.html", context)


@require_POST
def version_publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    version = selectors.version_get(actor=request.user, pk=pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
        return redirect(_version_url(version))
    try:
        services.form_version_publish(actor=request.user, version_id=version.pk, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Versi %(number)s terbit. Periode baru memakai versi ini; laporan yang sudah ada tetap memakai versinya.")
            % {"number": version.number},
        )
    return redirect(_version_url(version))


# --- sections, indicators and rules of a draft -------------------------------


@require_http_methods(["GET", "POST"])
def child_form(request: AuthenticatedRequest, version_pk: int, kind: str, pk: int | None = None) -> HttpResponse:
    spec = _kind(kind)
    version = selectors.version_get(actor=request.user, pk=version_pk)
    child: Any = None
    if pk is not None:
        children = spec.model._default_manager.filter(version=version)
        child = policy.get_or_404(request.user, children, Action.CHANGE, pk=pk)
    elif not policy.can(request.user, Action.CREATE, spec.model(version=version)):
        raise Http404
    if not version.is_editable:
        messages.error(request, " ".join(services.locked_error().messages))
        return redirect(_version_url(version))
    initial = {"section": request.GET.get("bagian")} if kind == "indikator" and request.GET.get("bagian") else {}
    form = spec.form(request.POST or None, instance=child, version=version, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            spec.save(actor=request.user, version_id=version.pk, **{spec.id_name: pk}, **service_fields(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Data %(kind)s tersimpan.") % {"kind": spec.title})
            return redirect(_version_url(version, spec.anchor))
    context = {
        "form": form,
        "version": version,
        "report_form": version.form,
        "kind": kind,
        "spec": spec,
        "child": child,
        "codes": list(version.indicators.order_by("code").values_list("code", flat=True)) if kind == "aturan" else [],
        "delete_url": reverse(f"reporting:{spec.url_name}-delete", args=[version.pk, pk]) if child else "",
    }
    return render(request, "reporting/builder/child_form.html", context)


@require_POST
def child_delete(request: AuthenticatedRequest, version_pk: int, kind: str, pk: int) -> HttpResponse:
    spec = _kind(kind)
    version = selectors.version_get(actor=request.user, pk=version_pk)
    child = policy.get_or_404(request.user, spec.model._default_manager.filter(version=version), Action.DELETE, pk=pk)
    try:
        spec.delete(actor=request.user, version_id=version.pk, **{spec.id_name: child.pk})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Data %(kind)s “%(name)s” dihapus.") % {"kind": spec.title, "name": child})
    return redirect(_version_url(version, spec.anchor))
