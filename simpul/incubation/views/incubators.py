"""Incubator pages: the list, a profile with its requirements and target, the catalogue, mentors. Thin."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from simpul.accounts import policy
from simpul.accounts.http import AuthenticatedRequest
from simpul.accounts.policy import Action
from simpul.centers.selectors import center_get
from simpul.core.forms import add_service_errors
from simpul.core.pagination import paginate

from ..forms_tenants import IncubatorForm, MentorForm
from ..models import TENANT_TARGET, Incubator, Mentor, Stage, Tenant
from ..selectors import incubators as selectors
from ..selectors.products import product_list
from ..selectors.tenants import mentored_tenants, stage_counts, tenant_list
from ..services import incubators as services
from ..services import tenants as tenant_services


@require_GET
def incubator_index(request: AuthenticatedRequest) -> HttpResponse:
    if not policy.allowed(request.user, Action.VIEW, Incubator):
        raise Http404
    incubators = selectors.incubator_list(actor=request.user)
    return render(
        request,
        "incubation/incubator_list.html",
        {
            "page": paginate(request, incubators),
            "target": TENANT_TARGET,
            "awaiting": selectors.centers_awaiting_profile(actor=request.user)[:50],
            "my_tenants": mentored_tenants(actor=request.user),
            "can_see_mentors": policy.allowed(request.user, Action.VIEW, Mentor),
        },
    )


@require_http_methods(["GET", "POST"])
def incubator_create(request: AuthenticatedRequest) -> HttpResponse:
    raw = request.GET.get("blk") or request.POST.get("blk") or ""
    if not raw.isdigit():
        raise Http404
    center = center_get(actor=request.user, pk=int(raw))
    if not policy.can(request.user, Action.CREATE, Incubator(center=center)):
        raise Http404
    form = IncubatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            incubator = services.incubator_create(actor=request.user, center_id=center.pk, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(center)s kini tercatat sebagai inkubator.") % {"center": center.name})
            return redirect("incubation:incubator", pk=incubator.pk)
    return render(request, "incubation/incubator_form.html", {"form": form, "center": center, "incubator": None})


@require_GET
def incubator_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    incubator = selectors.incubator_get(actor=request.user, pk=pk)
    tenants = tenant_list(actor=request.user, incubator=incubator)
    stage = request.GET.get("tahap", "")
    shown = tenants.filter(stage=stage, left_on__isnull=True) if stage in Stage.values else tenants
    counts = stage_counts(tenants)
    return render(
        request,
        "incubation/incubator_detail.html",
        {
            "incubator": incubator,
            "center": incubator.center,
            "unmet": incubator.unmet_requirements(),
            "progress": selectors.target_progress(incubator),
            "tenants": shown,
            "stage": stage,
            "stages": [(value, label, counts.get(value, 0)) for value, label in Stage.choices],
            "can_edit": policy.can(request.user, Action.CHANGE, incubator),
            "can_add_tenant": policy.can(request.user, Action.CREATE, Tenant(incubator=incubator)),
            "product_count": product_list(actor=request.user, incubator=incubator).count(),
        },
    )


@require_http_methods(["GET", "POST"])
def incubator_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    incubator = selectors.incubator_get(actor=request.user, pk=pk, action=Action.CHANGE)
    form = IncubatorForm(request.POST or None, instance=incubator, initial={"curriculum": incubator.curriculum})
    if request.method == "POST" and form.is_valid():
        try:
            services.incubator_update(actor=request.user, incubator_id=incubator.pk, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Profil inkubator tersimpan."))
            return redirect("incubation:incubator", pk=incubator.pk)
    return render(
        request, "incubation/incubator_form.html", {"form": form, "center": incubator.center, "incubator": incubator}
    )


@require_GET
def catalogue(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    incubator = selectors.incubator_get(actor=request.user, pk=pk)
    products = product_list(actor=request.user, incubator=incubator)
    return render(
        request,
        "incubation/incubator_catalogue.html",
        {"incubator": incubator, "page": paginate(request, products)},
    )


@require_GET
def mentor_index(request: AuthenticatedRequest) -> HttpResponse:
    if not policy.allowed(request.user, Action.VIEW, Mentor):
        raise Http404
    return render(
        request,
        "incubation/incubator_mentor_list.html",
        {
            "page": paginate(request, selectors.mentor_list(actor=request.user)),
            "can_create": policy.allowed(request.user, Action.CREATE, Mentor),
        },
    )


@require_http_methods(["GET", "POST"])
def mentor_create(request: AuthenticatedRequest) -> HttpResponse:
    if not policy.allowed(request.user, Action.CREATE, Mentor):
        raise Http404
    accounts = selectors.mentor_accounts_without_profile(actor=request.user)
    form = MentorForm(request.POST or None, accounts=accounts)
    if request.method == "POST" and form.is_valid():
        try:
            mentor = tenant_services.mentor_create(
                actor=request.user, user_id=form.cleaned_data["user"], **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Profil mentor %(name)s tersimpan.") % {"name": mentor.user.full_name})
            return redirect("incubation:mentors")
    return render(request, "incubation/incubator_mentor_form.html", {"form": form, "mentor": None})


@require_http_methods(["GET", "POST"])
def mentor_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    mentor = selectors.mentor_get(actor=request.user, pk=pk, action=Action.CHANGE)
    initial = {"organisation": mentor.organisation, "kind": mentor.kind, "expertise": mentor.expertise}
    form = MentorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            tenant_services.mentor_update(actor=request.user, mentor_id=mentor.pk, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Profil mentor tersimpan."))
            return redirect("incubation:mentors")
    return render(request, "incubation/incubator_mentor_form.html", {"form": form, "mentor": mentor})
