"""Tenant pages: intake from the alumni pool, the tenant's page, stages, mentors, sessions. Thin."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simpul.accounts import policy
from simpul.accounts.http import AuthenticatedRequest
from simpul.accounts.models import Role
from simpul.accounts.policy import Action
from simpul.core.forms import add_service_errors
from simpul.core.idn import mask_nik
from simpul.training.reference import KBLI_SECTIONS

from ..forms_tenants import LeaveForm, MentorAssignForm, SessionForm, StageForm, TenantForm
from ..models import STAGE_ORDER, BusinessFigure, MentoringSession, Product, Stage, Tenant
from ..selectors import tenants as selectors
from ..selectors.business import figure_list, figure_rows, figure_summary
from ..selectors.incubators import incubator_get
from ..selectors.products import product_list
from ..services import mentoring as session_services
from ..services import tenants as services

FIGURE_ROWS = 12


@require_http_methods(["GET", "POST"])
def tenant_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    incubator = incubator_get(actor=request.user, pk=pk)
    if not policy.can(request.user, Action.CREATE, Tenant(incubator=incubator)):
        raise Http404
    alumni, outsider = request.GET.get("alumni", ""), request.GET.get("luar") == "1"
    if not alumni.isdigit() and not outsider:
        query = request.GET.get("q", "")
        return render(
            request,
            "incubation/tenant_intake.html",
            {
                "incubator": incubator,
                "pool": selectors.alumni_pool(actor=request.user, incubator=incubator),
                "q": query,
                "found": selectors.graduates_search(actor=request.user, incubator=incubator, q=query),
            },
        )
    enrolment = selectors.enrolment_for_intake(actor=request.user, pk=int(alumni)) if alumni.isdigit() else None
    initial: dict[str, Any] = {"pre_on": timezone.localdate()}
    if enrolment is not None:
        initial.update(selectors.intake_initial(enrolment))
    accounts = selectors.entrepreneur_accounts(incubator=incubator)
    form = TenantForm(request.POST or None, initial=initial, accounts=accounts, outsider=enrolment is None)
    if request.method == "POST" and form.is_valid():
        try:
            tenant = services.tenant_create(
                actor=request.user,
                incubator_id=incubator.pk,
                enrolment_id=enrolment.pk if enrolment else None,
                full_name=form.cleaned_data.get("full_name") or "",
                nik=form.nik_value(),
                pre_on=form.cleaned_data["pre_on"],
                criteria=form.cleaned_data.get("criteria") or "",
                user_id=form.account_id(),
                **form.business_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s diterima sebagai tenant (pra-inkubasi).") % {"name": tenant.full_name},
            )
            return redirect("incubation:tenant", pk=tenant.pk)
    return render(
        request,
        "incubation/tenant_form.html",
        {"form": form, "incubator": incubator, "enrolment": enrolment, "tenant": None},
    )


def _tenant_context(request: AuthenticatedRequest, tenant: Tenant, *, mine: bool = False) -> dict[str, Any]:
    user = request.user
    figures = list(figure_list(actor=user, tenant=tenant)[:FIGURE_ROWS])
    can_manage = policy.can(user, Action.MANAGE, tenant)
    can_change = policy.can(user, Action.CHANGE, tenant)
    mentors = list(selectors.assignable_mentors(actor=user)) if can_change else []
    assigned = [str(m.pk) for m in tenant.mentors.all()]
    finished = tenant.left_on is not None or tenant.stage == STAGE_ORDER[-1]
    return {
        "tenant": tenant,
        "incubator": tenant.incubator,
        "mine": mine,
        "stages": _stage_steps(tenant),
        "figures": figure_rows(figures),
        "summary": figure_summary(actor=user, tenant=tenant),
        "can_enter_figures": policy.can(user, Action.CREATE, BusinessFigure(tenant=tenant)),
        "sessions": selectors.session_list(actor=user, tenant=tenant),
        "can_log_session": tenant.left_on is None
        and policy.can(user, Action.CREATE, MentoringSession(tenant=tenant))
        and selectors.mentor_of(user) is not None,
        "products": product_list(actor=user, tenant=tenant),
        "can_add_product": policy.can(user, Action.CREATE, Product(tenant=tenant))
        and (tenant.left_on is None or tenant.graduated_on is not None),
        "can_change_products": policy.can(user, Action.CHANGE, Product(tenant=tenant)),
        "can_edit": can_change,
        "stage_form": StageForm(tenant=tenant) if can_manage and not finished else None,
        "leave_form": LeaveForm(initial={"left_on": timezone.localdate()})
        if can_manage and tenant.left_on is None
        else None,
        "mentor_form": MentorAssignForm(initial={"mentors": assigned}, mentors=mentors) if mentors else None,
        "can_see_person": tenant.person is not None and policy.can(user, Action.VIEW, tenant.person),
        "history": selectors.tenant_history(actor=user, tenant=tenant),
        "sector_label": dict(KBLI_SECTIONS).get(tenant.sector, ""),
        "masked_nik": mask_nik(tenant.nik),
    }


def _stage_steps(tenant: Tenant) -> list[dict[str, Any]]:
    dates = {Stage.PRE: tenant.pre_on, Stage.INCUBATION: tenant.incubation_on, Stage.GRADUATED: tenant.graduated_on}
    criteria = tenant.stage_criteria or {}
    return [
        {
            "stage": stage,
            "on": dates[stage],
            "criteria": criteria.get(stage.value, ""),
            "current": tenant.stage == stage,
        }
        for stage in STAGE_ORDER
    ] + (
        [{"stage": None, "on": tenant.left_on, "criteria": criteria.get(services.LEFT_KEY, ""), "current": True}]
        if tenant.left_on
        else []
    )


@require_GET
def tenant_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    tenant = selectors.tenant_get(actor=request.user, pk=pk)
    return render(request, "incubation/tenant_detail.html", _tenant_context(request, tenant))


@require_GET
def my_business(request: AuthenticatedRequest) -> HttpResponse:
    """The entrepreneur's own page: figures, products, mentoring notes."""
    if request.user.role != Role.WIRAUSAHA:
        raise Http404
    tenant = selectors.own_tenant(actor=request.user)
    if tenant is None:
        return render(request, "incubation/tenant_none.html")
    return render(request, "incubation/tenant_detail.html", _tenant_context(request, tenant, mine=True))


@require_http_methods(["GET", "POST"])
def tenant_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    tenant = selectors.tenant_get(actor=request.user, pk=pk, action=Action.CHANGE)
    initial = {
        "business_name": tenant.business_name,
        "sector": tenant.sector,
        "business_started_on": tenant.business_started_on,
        "nib": tenant.nib,
        "halal_certificate": tenant.halal_certificate,
        "pirt": tenant.pirt,
        "user": str(tenant.user_id or ""),
    }
    accounts = selectors.entrepreneur_accounts(incubator=tenant.incubator, tenant=tenant)
    form = TenantForm(
        request.POST or None,
        initial=initial,
        accounts=accounts,
        creating=False,
        outsider=tenant.person_id is None,
        masked_nik=mask_nik(tenant.nik),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.tenant_update(
                actor=request.user,
                tenant_id=tenant.pk,
                user_id=form.account_id(),
                nik=form.nik_value(),
                **form.business_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Data usaha tersimpan."))
            return redirect("incubation:tenant", pk=tenant.pk)
    return render(
        request,
        "incubation/tenant_form.html",
        {"form": form, "incubator": tenant.incubator, "enrolment": tenant.source_enrolment, "tenant": tenant},
    )


def _post_back(
    request: AuthenticatedRequest, tenant: Tenant, key: str, form: Any, call: Any, done: str
) -> HttpResponse:
    """Run a small form posted from the tenant page; errors come back on the same page."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("incubation:tenant", pk=tenant.pk)
    context = _tenant_context(request, selectors.tenant_get(actor=request.user, pk=tenant.pk))
    context[key] = form
    messages.error(request, _("Belum tersimpan: periksa isian yang ditandai."))
    return render(request, "incubation/tenant_detail.html", context, status=200)


@require_POST
def tenant_stage(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    tenant = selectors.tenant_get(actor=request.user, pk=pk, action=Action.MANAGE)
    return _post_back(
        request,
        tenant,
        "stage_form",
        StageForm(request.POST),
        lambda data: services.tenant_stage_advance(
            actor=request.user, tenant_id=tenant.pk, stage=data["stage"], on=data["on"], criteria=data["criteria"]
        ),
        _("Tahap tenant tersimpan."),
    )


@require_POST
def tenant_leave(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    tenant = selectors.tenant_get(actor=request.user, pk=pk, action=Action.MANAGE)
    return _post_back(
        request,
        tenant,
        "leave_form",
        LeaveForm(request.POST),
        lambda data: services.tenant_leave(
            actor=request.user, tenant_id=tenant.pk, left_on=data["left_on"], reason=data["reason"]
        ),
        _("Tenant tercatat keluar dari inkubator."),
    )


@require_POST
def tenant_mentors(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    tenant = selectors.tenant_get(actor=request.user, pk=pk, action=Action.CHANGE)
    mentors = list(selectors.assignable_mentors(actor=request.user))
    return _post_back(
        request,
        tenant,
        "mentor_form",
        MentorAssignForm(request.POST, mentors=mentors),
        lambda data: services.tenant_mentors_set(actor=request.user, tenant_id=tenant.pk, mentor_ids=data["mentors"]),
        _("Mentor tenant tersimpan."),
    )


@require_http_methods(["GET", "POST"])
def session_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A new session, with the tenant's latest figures and every earlier session's notes on the same page."""
    tenant = selectors.tenant_get(actor=request.user, pk=pk)
    mentor = selectors.mentor_of(request.user)
    if mentor is None or not policy.can(request.user, Action.CREATE, MentoringSession(tenant=tenant, mentor=mentor)):
        raise Http404
    form = SessionForm(request.POST or None, request.FILES or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            session_services.session_create(
                actor=request.user,
                tenant_id=tenant.pk,
                attachment=form.cleaned_data.get("attachment"),
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Sesi pendampingan tercatat."))
            return redirect(reverse("incubation:tenant", args=[tenant.pk]) + "#sesi")
    return render(request, "incubation/session_form.html", _session_context(request, tenant, form, None))


def _session_context(request: AuthenticatedRequest, tenant: Tenant, form: Any, session: Any) -> dict[str, Any]:
    figures = list(figure_list(actor=request.user, tenant=tenant)[:6])
    earlier = selectors.session_list(actor=request.user, tenant=tenant)
    if session is not None:
        earlier = earlier.exclude(pk=session.pk)
    return {
        "tenant": tenant,
        "form": form,
        "session": session,
        "figures": figure_rows(figures),
        "earlier": earlier,
    }


@require_http_methods(["GET", "POST"])
def session_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = selectors.session_get(actor=request.user, pk=pk, action=Action.CHANGE)
    if session.mentor.user_id != request.user.pk:
        raise Http404
    initial = {
        "held_on": session.held_on,
        "minutes": session.minutes,
        "topic": session.topic,
        "notes": session.notes,
        "follow_ups": session.follow_ups,
    }
    form = SessionForm(request.POST or None, request.FILES or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            session_services.session_update(
                actor=request.user,
                session_id=session.pk,
                attachment=form.cleaned_data.get("attachment"),
                remove_attachment=bool(form.cleaned_data.get("remove_attachment")),
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Sesi pendampingan tersimpan."))
            return redirect(reverse("incubation:tenant", args=[session.tenant_id]) + "#sesi")
    tenant = selectors.tenant_get(actor=request.user, pk=session.tenant_id)
    return render(request, "incubation/session_form.html", _session_context(request, tenant, form, session))


@require_GET
def session_attachment(request: AuthenticatedRequest, pk: int) -> FileResponse:
    session = session_services.session_attachment_open(actor=request.user, session_id=pk)
    extension = session.attachment.name.rsplit(".", 1)[-1].lower()
    content_type = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "pdf": "application/pdf"}
    response = FileResponse(
        session.attachment.open("rb"),
        as_attachment=True,
        filename=f"lampiran-sesi-{session.pk}.{extension}",
        content_type=content_type.get(extension, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, no-store"
    return response
