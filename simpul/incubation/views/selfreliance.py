"""Self-reliance (kemandirian) and jobs-created pages. Thin: parse, call a selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from simpul.accounts import policy
from simpul.accounts.http import AuthenticatedRequest
from simpul.accounts.policy import Action
from simpul.centers.models import DevelopmentClass
from simpul.core.pagination import paginate

from ..forms_selfreliance import AssessmentFilterForm, AssessmentRunForm, StandAloneFilterForm
from ..models import Assessment
from ..selectors import jobs as jobs_selectors
from ..selectors import selfreliance as selectors
from ..services import selfreliance as services


def _require_reader(request: AuthenticatedRequest) -> None:
    if not selectors.can_read(request.user):
        raise Http404


def _can_run(request: AuthenticatedRequest) -> bool:
    return policy.allowed(request.user, Action.CREATE, Assessment) and policy.allowed(
        request.user, Action.CHANGE, Assessment
    )


@require_GET
def assessment_index(request: AuthenticatedRequest) -> HttpResponse:
    _require_reader(request)
    actor = request.user
    form = AssessmentFilterForm(
        request.GET or None,
        years=selectors.assessment_years(actor=actor),
        provinces=selectors.visible_provinces(actor=actor),
    )
    filters = form.filters()
    page = paginate(request, selectors.assessment_list(actor=actor, filters=filters))
    trends = selectors.assessment_trends(actor=actor, center_ids=[a.center_id for a in page.object_list])
    counts = selectors.class_counts(actor=actor, filters=filters)
    return render(
        request,
        "incubation/selfreliance_list.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "rows": [
                (a, trends[a.center_id].until(a.year), selectors.class_label(a.development_class))
                for a in page.object_list
            ],
            "counts": [(value, label, counts[value]) for value, label in DevelopmentClass.choices],
            "run_form": AssessmentRunForm() if _can_run(request) else None,
            "rules": selectors.rules_table(),
            "class_ranges": selectors.class_ranges(),
        },
    )


@require_POST
def assessment_run(request: AuthenticatedRequest) -> HttpResponse:
    if not _can_run(request):
        raise Http404
    form = AssessmentRunForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("incubation:self-reliance")
    year = form.cleaned_data["year"]
    try:
        result = services.assessment_run(actor=request.user, year=year)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("incubation:self-reliance")
    messages.success(
        request,
        _(
            "Penilaian kemandirian %(year)s selesai: %(assessed)s BLK dinilai "
            "(%(created)s baru, %(updated)s berubah, %(unchanged)s tetap)."
        )
        % {
            "year": year,
            "assessed": result.assessed,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        },
    )
    return redirect(f"{reverse('incubation:self-reliance')}?tahun={year}")


@require_GET
def stand_alone(request: AuthenticatedRequest) -> HttpResponse:
    _require_reader(request)
    actor = request.user
    form = StandAloneFilterForm(request.GET or None, provinces=selectors.visible_provinces(actor=actor))
    filters = form.filters()
    page = paginate(request, selectors.stand_alone_list(actor=actor, filters=filters))
    trends = selectors.assessment_trends(actor=actor, center_ids=[c.pk for c in page.object_list])
    counts = selectors.stand_alone_counts(actor=actor, filters=filters)
    return render(
        request,
        "incubation/selfreliance_stand_alone.html",
        {
            "form": form,
            "page": page,
            "rows": [
                (c, trends[c.pk], selectors.Readiness.LABELS[c.readiness], selectors.class_label(c.latest_class))
                for c in page.object_list
            ],
            "counts": [(key, label, counts[key]) for key, label in selectors.Readiness.LABELS.items()],
            "total": sum(counts.values()),
            "cohorts": selectors.STAND_ALONE_COHORTS,
            "rising_step": selectors.RISING_STEP,
        },
    )


@require_GET
def center_assessments(request: AuthenticatedRequest, center_id: int) -> HttpResponse:
    _require_reader(request)
    raw_year = request.GET.get("tahun", "")
    year = int(raw_year) if raw_year.isdigit() else None
    detail = selectors.assessment_detail(actor=request.user, center_id=center_id, year=year)
    return render(
        request,
        "incubation/selfreliance_center.html",
        {
            "detail": detail,
            "center": detail.center,
            "selected": detail.selected,
            "can_apply": detail.proposal_differs and policy.can(request.user, Action.MANAGE, detail.center),
            "readiness_label": selectors.Readiness.LABELS.get(detail.readiness or "", ""),
            "rising_step": selectors.RISING_STEP,
            "class_ranges": selectors.class_ranges(),
        },
    )


@require_POST
def apply_class(request: AuthenticatedRequest, center_id: int) -> HttpResponse:
    _require_reader(request)
    assessment_id = request.POST.get("assessment", "")
    expected = request.POST.get("development_class", "")
    if not assessment_id.isdigit():
        raise Http404
    # The assessment must belong to this centre (and be visible), or the page answers 404.
    policy.get_or_404(request.user, Assessment.objects.all(), Action.VIEW, pk=int(assessment_id), center_id=center_id)
    try:
        center = services.assessment_class_apply(
            actor=request.user, assessment_id=int(assessment_id), expected_class=expected
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Klasifikasi %(center)s kini %(class)s (tercatat di riwayat BLK).")
            % {"center": center.name, "class": center.get_development_class_display()},
        )
    return redirect("incubation:self-reliance-center", center_id=center_id)


# --- jobs created ---------------------------------------------------------------------------------


def _jobs_area(request: AuthenticatedRequest, province: str = "", regency: str = "") -> HttpResponse:
    _require_reader(request)
    area = jobs_selectors.jobs_area(actor=request.user, province=province, regency=regency)
    return render(request, "incubation/jobs_area.html", {"area": area})


@require_GET
def jobs_national(request: AuthenticatedRequest) -> HttpResponse:
    return _jobs_area(request)


@require_GET
def jobs_province(request: AuthenticatedRequest, code: str) -> HttpResponse:
    return _jobs_area(request, province=code)


@require_GET
def jobs_regency(request: AuthenticatedRequest, code: str) -> HttpResponse:
    return _jobs_area(request, regency=code)


@require_GET
def jobs_center(request: AuthenticatedRequest, center_id: int) -> HttpResponse:
    _require_reader(request)
    chain = jobs_selectors.jobs_chain(actor=request.user, center_id=center_id)
    return render(request, "incubation/jobs_center.html", {"chain": chain, "center": chain.center})
