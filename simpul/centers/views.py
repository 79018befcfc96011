"""Registry pages. Thin: parse, call a selector or a service, render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simpul.accounts import policy
from simpul.accounts.http import AuthenticatedRequest
from simpul.accounts.policy import Action
from simpul.core.exports import export_response
from simpul.core.forms import add_service_errors
from simpul.core.pagination import paginate
from simpul.core.panels import panels_for

from . import selectors, services
from .forms import CenterFilterForm, CenterForm, ContactPersonForm, FacilityForm, InstructorForm
from .models import Center, CenterChild, ContactPerson, Facility, Instructor


@dataclass(frozen=True)
class ChildKind:
    model: type[CenterChild]
    form: type[forms.ModelForm]
    title: str | Promise


CHILD_KINDS = {
    "instruktur": ChildKind(Instructor, InstructorForm, gettext_lazy("instruktur")),
    "fasilitas": ChildKind(Facility, FacilityForm, gettext_lazy("fasilitas")),
    "narahubung": ChildKind(ContactPerson, ContactPersonForm, gettext_lazy("narahubung")),
}


def _child_kind(kind: str) -> ChildKind:
    try:
        return CHILD_KINDS[kind]
    except KeyError as error:
        raise Http404 from error


@require_GET
def center_list(request: AuthenticatedRequest) -> HttpResponse:
    filter_form = CenterFilterForm(request.GET or None)
    centers = selectors.center_list(actor=request.user, filters=filter_form.filters())
    page = paginate(request, centers)
    context = {
        "page": page,
        "filter_form": filter_form,
        "can_create": policy.allowed(request.user, Action.CREATE, Center),
        "can_export": policy.allowed(request.user, Action.EXPORT, Center),
    }
    template = (
        "centers/_center_results.html" if request.htmx and not request.htmx.boosted else "centers/center_list.html"
    )
    return render(request, template, context)


@require_GET
def center_export(request: AuthenticatedRequest, fmt: str) -> HttpResponse:
    if fmt not in ("xlsx", "csv") or not policy.allowed(request.user, Action.EXPORT, Center):
        raise Http404
    filter_form = CenterFilterForm(request.GET or None)
    filters = filter_form.filters()
    count, rows = selectors.center_export_rows(actor=request.user, filters=filters)
    services.center_export_record(
        actor=request.user, fmt=fmt, rows=count, filters={k: v for k, v in vars(filters).items() if v}, request=request
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return export_response(
        fmt,
        filename=f"blk-komunitas-{stamp}",
        title=_("BLK Komunitas"),
        columns=selectors.EXPORT_COLUMNS,
        rows=rows,
    )


@require_GET
def center_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    center = selectors.center_detail(actor=request.user, pk=pk)
    actions = policy.permitted_actions(request.user, center)
    history = selectors.center_history(actor=request.user, center=center, limit=10)
    return render(
        request,
        "centers/center_detail.html",
        {
            "center": center,
            "can_edit": Action.CHANGE in actions,
            "can_view_history": Action.VIEW_HISTORY in actions,
            "history": history,
            "child_kinds": CHILD_KINDS,
            "panels": panels_for("centers.center", request, center),
        },
    )


@require_GET
def center_history(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    center = selectors.center_get(actor=request.user, pk=pk, action=Action.VIEW_HISTORY)
    entries = selectors.center_history(actor=request.user, center=center)
    page = paginate(request, entries, per_page=30)
    return render(request, "centers/center_history.html", {"center": center, "page": page})


@require_http_methods(["GET", "POST"])
def center_create(request: AuthenticatedRequest) -> HttpResponse:
    if not policy.allowed(request.user, Action.CREATE, Center):
        raise Http404
    form = CenterForm(request.POST or None, can_manage=True)
    if request.method == "POST" and form.is_valid():
        try:
            center = services.center_create(actor=request.user, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("BLK %(name)s terdaftar.") % {"name": center.name})
            return redirect("centers:detail", pk=center.pk)
    return render(request, "centers/center_form.html", {"form": form, "creating": True})


@require_http_methods(["GET", "POST"])
def center_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    center = selectors.center_get(actor=request.user, pk=pk, action=Action.CHANGE)
    can_manage = policy.can(request.user, Action.MANAGE, center)
    form = CenterForm(request.POST or None, instance=center, can_manage=can_manage)
    if request.method == "POST" and form.is_valid():
        try:
            services.center_update(actor=request.user, center_id=center.pk, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Perubahan profil BLK tersimpan."))
            return redirect("centers:detail", pk=center.pk)
    return render(request, "centers/center_form.html", {"form": form, "creating": False, "center": center})


@require_http_methods(["GET", "POST"])
def center_child_form(request: AuthenticatedRequest, pk: int, kind: str, child_pk: int | None = None) -> HttpResponse:
    spec = _child_kind(kind)
    center = selectors.center_get(actor=request.user, pk=pk)
    child: Any = None
    if child_pk is not None:
        child = selectors.center_child_get(
            actor=request.user, model=spec.model, center=center, pk=child_pk, action=Action.CHANGE
        )
    elif not policy.can(request.user, Action.CREATE, spec.model(center=center)):
        raise Http404
    form = spec.form(request.POST or None, instance=child)
    if request.method == "POST" and form.is_valid():
        try:
            if child is None:
                services.center_child_create(
                    actor=request.user, model=spec.model, center_id=center.pk, **form.cleaned_data
                )
            else:
                services.center_child_update(
                    actor=request.user, model=spec.model, child_id=child.pk, **form.cleaned_data
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Data %(kind)s tersimpan.") % {"kind": spec.title})
            return redirect("centers:detail", pk=center.pk)
    return render(
        request,
        "centers/child_form.html",
        {"form": form, "center": center, "kind": kind, "spec": spec, "child": child},
    )


@require_POST
def center_child_delete(request: AuthenticatedRequest, pk: int, kind: str, child_pk: int) -> HttpResponse:
    spec = _child_kind(kind)
    center = selectors.center_get(actor=request.user, pk=pk)
    child = selectors.center_child_get(
        actor=request.user, model=spec.model, center=center, pk=child_pk, action=Action.DELETE
    )
    services.center_child_delete(actor=request.user, model=spec.model, child_id=child.pk)
    messages.success(request, _("Data %(kind)s %(name)s dihapus.") % {"kind": spec.title, "name": child})
    return redirect("centers:detail", pk=center.pk)


@require_GET
def center_options(request: AuthenticatedRequest) -> HttpResponse:
    """<option>s of the centres in a regency that the actor can see (account form)."""
    centers = selectors.center_list(
        actor=request.user, filters=selectors.CenterFilters(regency=request.GET.get("regency", "")[:5])
    ).order_by("name")
    if not request.GET.get("regency"):
        centers = centers.none()
    return render(
        request,
        "centers/_center_options.html",
        {"items": centers, "selected": request.GET.get("selected", "")},
    )
