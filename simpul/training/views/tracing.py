"""Alumni tracing pages: the worklist, recording an outcome, personal links, and the graduate's own answer page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simpul.accounts import policy
from simpul.accounts.http import AuthenticatedRequest
from simpul.accounts.policy import Action
from simpul.core.forms import add_service_errors
from simpul.core.pagination import paginate

from ..forms import OutcomeForm
from ..models import WAVES, Enrolment, Outcome
from ..selectors.tracing import tracing_summary, tracing_worklist
from ..services import tracing as services


@require_GET
def worklist(request: AuthenticatedRequest) -> HttpResponse:
    if not policy.allowed(request.user, Action.VIEW, Outcome):
        raise Http404
    center_id = request.GET.get("blk", "")
    center = int(center_id) if center_id.isdigit() else None
    if center is None and request.user.scope_center_id:
        center = request.user.scope_center_id
    if center is None:
        # A region holds tens of thousands of graduates: the worklist is a centre's.
        return render(request, "training/tracing_choose.html", {})
    due = tracing_worklist(actor=request.user, center_id=center)
    return render(
        request,
        "training/tracing_worklist.html",
        {
            "page": paginate(request, due),
            "summary": tracing_summary(actor=request.user, center_id=center),
            "can_record": policy.allowed(request.user, Action.CREATE, Outcome),
            "center_id": center,
            "link": request.session.pop("tracer_link", None),
        },
    )


def _graduate(request: AuthenticatedRequest, enrolment_pk: int, wave: int) -> Enrolment:
    if wave not in WAVES:
        raise Http404
    return policy.get_or_404(
        request.user, Enrolment.objects.select_related("person", "package__center"), Action.VIEW, pk=enrolment_pk
    )


@require_http_methods(["GET", "POST"])
def outcome_record(request: AuthenticatedRequest, enrolment_pk: int, wave: int) -> HttpResponse:
    enrolment = _graduate(request, enrolment_pk, wave)
    existing = Outcome.objects.filter(enrolment=enrolment, wave=wave).first()
    if not policy.can(
        request.user, Action.CHANGE if existing else Action.CREATE, existing or Outcome(enrolment=enrolment)
    ):
        raise Http404
    form = OutcomeForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_record(actor=request.user, enrolment_id=enrolment.pk, wave=wave, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Hasil penelusuran %(name)s tersimpan.") % {"name": enrolment.person})
            return redirect("training:tracing")
    return render(
        request,
        "training/outcome_form.html",
        {
            "form": form,
            "enrolment": enrolment,
            "wave": wave,
            "due_on": services.wave_due(enrolment.graduated_on, wave) if enrolment.graduated_on else None,
        },
    )


@require_POST
def tracer_link_create(request: AuthenticatedRequest, enrolment_pk: int, wave: int) -> HttpResponse:
    enrolment = _graduate(request, enrolment_pk, wave)
    try:
        link = services.tracer_invitation_create(actor=request.user, enrolment_id=enrolment.pk, wave=wave)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("training:tracing")
    url = request.build_absolute_uri(reverse("training:tracer-answer", args=[link.token]))
    # Shown once, on the next page, for the centre to send by WhatsApp or SMS; never stored whole.
    request.session["tracer_link"] = {"url": url, "name": enrolment.person.full_name, "wave": wave}
    return redirect(
        reverse("training:tracing") + (f"?blk={request.GET['blk']}" if request.GET.get("blk", "").isdigit() else "")
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def tracer_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The graduate's own page: no account, one answer, then the link is spent."""
    try:
        invitation = services.tracer_invitation_open(token)
    except services.TracerLinkInvalid as invalid:
        return render(request, "training/tracer_closed.html", {"reason": invalid.reason}, status=410)
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.tracer_answer(token=token, **form.service_fields())
        except services.TracerLinkInvalid as invalid:
            return render(request, "training/tracer_closed.html", {"reason": invalid.reason}, status=410)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return render(request, "training/tracer_thanks.html", {"invitation": invitation})
    return render(request, "training/tracer_answer.html", {"form": form, "invitation": invitation})
