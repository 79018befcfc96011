"""Completeness and timeliness of a form's reports for a region and recent periods."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from simpul.accounts import policy
from simpul.accounts.http import AuthenticatedRequest
from simpul.accounts.policy import Action
from simpul.core.pagination import paginate

from ..forms import CompletenessForm
from ..models import Submission
from ..periods import last_periods, period_containing
from ..selectors import completeness as selectors

MATRIX_PAGE_SIZE = 50


@require_GET
def completeness(request: AuthenticatedRequest) -> HttpResponse:
    if not policy.allowed(request.user, Action.VIEW, Submission):
        raise Http404
    filter_form = CompletenessForm(request.GET or None)
    data = filter_form.cleaned()
    form = data.get("form") or filter_form.fields["form"].queryset.first()  # type: ignore[attr-defined]
    if form is None:
        raise Http404
    count = data.get("periods") or 12
    ended = last_periods(form.period_type, count, timezone.localdate())
    # The running period is shown too (its cells are "not yet due"); the summary and the areas cover
    # the ended periods, as their heading says. Every rate counts a report once it is due or sent
    # (selectors/completeness.py), judged at the same moment as the matrix.
    periods = [*ended, period_containing(form.period_type, timezone.localdate())]
    region = filter_form.region()
    now = timezone.now()
    by_period = selectors.rates_by_period(actor=request.user, form=form, periods=periods, region=region, now=now)
    overall = selectors.overall_rate(actor=request.user, form=form, periods=ended, region=region, now=now)
    areas = selectors.rates_by_area(actor=request.user, form=form, periods=ended, region=region, now=now)
    show_matrix = bool(region["province"] or region["regency"]) or request.user.scope_level in ("regency", "center")
    matrix = (
        selectors.completeness_matrix(actor=request.user, form=form, periods=periods, region=region, now=now)
        if show_matrix
        else []
    )
    # A province has hundreds of centres: the grid shows them a page at a time (its two queries stay whole).
    matrix_page = paginate(request, matrix, per_page=MATRIX_PAGE_SIZE)
    missing, late = selectors.late_and_missing(actor=request.user, form=form, periods=periods, region=region, now=now)
    context = {
        "filter_form": filter_form,
        "form": form,
        "periods": periods,
        "ended_count": len(ended),
        "by_period": [(p, by_period[p.key]) for p in periods],
        "overall": overall,
        "areas": areas,
        "matrix": matrix_page.object_list,
        "page": matrix_page,
        "show_matrix": show_matrix,
        "missing": missing[:50],
        "missing_count": missing.count(),
        "late": late[:50],
        "late_count": late.count(),
    }
    return render(request, "reporting/completeness.html", context)
