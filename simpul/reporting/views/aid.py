"""Aid pages: grants in scope, one grant with its instalments and LPJ, overdue LPJ and money held."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simpul.accounts import policy
from simpul.accounts.http import AuthenticatedRequest
from simpul.accounts.policy import Action
from simpul.centers.selectors import center_get
from simpul.core.forms import add_service_errors
from simpul.core.pagination import paginate

from ..forms import GrantForm, PaymentForm, ProgressForm
from ..models import AidStream, Grant, LpjKind
from ..selectors import aid as selectors
from ..services import aid as services


@require_GET
def grant_list(request: AuthenticatedRequest) -> HttpResponse:
    if not policy.allowed(request.user, Action.VIEW, Grant):
        raise Http404
    province = request.GET.get("province", "")[:2]
    stream = request.GET.get("stream", "")
    stream = stream if stream in AidStream.values else ""
    grants = selectors.grant_list(actor=request.user, province=province, stream=stream)
    return render(
        request,
        "reporting/grant_list.html",
        {
            "page": paginate(request, grants),
            "streams": AidStream.choices,
            "stream": stream,
            "can_create": policy.allowed(request.user, Action.CREATE, Grant),
        },
    )


@require_http_methods(["GET", "POST"])
def grant_create(request: AuthenticatedRequest) -> HttpResponse:
    if not policy.allowed(request.user, Action.CREATE, Grant):
        raise Http404
    center_id = request.POST.get("center") or request.GET.get("blk")
    if not center_id:
        raise Http404
    center = center_get(actor=request.user, pk=center_id)
    form = GrantForm(request.POST or None, initial={"center": center.pk, "year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        dues = services.default_lpj_dues(data["stream"], data["agreement_date"])
        if data.get("progress_lpj_due"):
            dues[LpjKind.PROGRESS] = data["progress_lpj_due"]
        if data.get("final_lpj_due"):
            dues[LpjKind.FINAL] = data["final_lpj_due"]
        try:
            grant = services.grant_create(
                actor=request.user,
                center_id=center.pk,
                stream=data["stream"],
                year=data["year"],
                amount=data["amount"],
                agreement_number=data["agreement_number"],
                agreement_date=data["agreement_date"],
                lpj_dues=dues,
                notes=data.get("notes", ""),
            )
        except ValidationError as error:
            add_service_errors(form, error, {"lpj_dues": "final_lpj_due"})
        else:
            messages.success(request, _("Bantuan tercatat beserta tahap pencairan dan kewajiban LPJ-nya."))
            return redirect("reporting:grant", pk=grant.pk)
    return render(request, "reporting/grant_form.html", {"form": form, "center": center})


@require_GET
def grant_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    grant = selectors.grant_get(actor=request.user, pk=pk)
    instalments = [(i, services.instalment_status(i)) for i in grant.instalments.all()]
    return render(
        request,
        "reporting/grant_detail.html",
        {
            "grant": grant,
            "instalments": instalments,
            "lpjs": selectors.lpj_list(actor=request.user, grant=grant),
            "can_pay": policy.can(request.user, Action.MANAGE, grant),
            "can_progress": policy.can(request.user, Action.CHANGE, grant),
            "payment_form": PaymentForm(initial={"paid_on": timezone.localdate()}),
            "progress_form": ProgressForm(initial={"physical_progress": grant.physical_progress}),
            "paid": sum(i.paid_amount or 0 for i, _status in instalments),
        },
    )


@require_POST
def grant_progress(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    grant = selectors.grant_get(actor=request.user, pk=pk, action=Action.CHANGE)
    form = ProgressForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Progres fisik diisi angka 0 sampai 100."))
        return redirect("reporting:grant", pk=grant.pk)
    services.grant_update_progress(
        actor=request.user, grant_id=grant.pk, physical_progress=form.cleaned_data["physical_progress"]
    )
    messages.success(request, _("Progres fisik tersimpan."))
    return redirect("reporting:grant", pk=grant.pk)


@require_POST
def instalment_pay(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    instalment = selectors.instalment_get(actor=request.user, pk=pk, action=Action.MANAGE)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Isi tanggal cair (dan jumlahnya bila berbeda dari rencana)."))
        return redirect("reporting:grant", pk=instalment.grant_id)
    try:
        services.instalment_record_payment(
            actor=request.user,
            instalment_id=instalment.pk,
            paid_on=form.cleaned_data["paid_on"],
            paid_amount=form.cleaned_data.get("paid_amount"),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Pencairan tahap %(order)s tercatat.") % {"order": instalment.order})
    return redirect("reporting:grant", pk=instalment.grant_id)


@require_GET
def overdue_lpjs(request: AuthenticatedRequest) -> HttpResponse:
    if not policy.allowed(request.user, Action.VIEW, Grant):
        raise Http404
    province = request.GET.get("province", "")[:2]
    now = timezone.now()
    return render(
        request,
        "reporting/lpj_overdue.html",
        {
            "page": paginate(request, selectors.overdue_lpjs(actor=request.user, now=now, province=province)),
            "by_province": selectors.overdue_by_province(actor=request.user, now=now),
            "held": selectors.held_without_final_lpj(actor=request.user, now=now),
            "province": province,
        },
    )
