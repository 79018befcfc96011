"""Selection pages: rounds, criteria, long-list, reviewers, review queue, ranking, decision (thin views)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simpul.accounts import policy
from simpul.accounts.http import AuthenticatedRequest
from simpul.accounts.policy import Action
from simpul.core.formats import format_number
from simpul.core.forms import add_service_errors

from ..forms_selection import (
    AssignForm,
    CandidateSearchForm,
    ConflictForm,
    CriterionForm,
    DecideForm,
    LonglistForm,
    ReviewForm,
    RoundForm,
)
from ..models import Criterion, RoundStatus, SelectionRound
from ..selectors import selection as selectors
from ..services import reviewing
from ..services import selection as services


def _errors_to_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _round_for_change(request: AuthenticatedRequest, pk: int) -> SelectionRound:
    return selectors.round_get(actor=request.user, pk=pk, action=Action.CHANGE)


# --- rounds -----------------------------------------------------------------------------


@require_GET
def round_index(request: AuthenticatedRequest) -> HttpResponse:
    if not policy.allowed(request.user, Action.VIEW, SelectionRound):
        raise Http404
    return render(
        request,
        "incubation/selection_rounds.html",
        {
            "rounds": selectors.round_list(actor=request.user),
            "can_create": policy.allowed(request.user, Action.CREATE, SelectionRound),
        },
    )


@require_http_methods(["GET", "POST"])
def round_create(request: AuthenticatedRequest) -> HttpResponse:
    if not policy.allowed(request.user, Action.CREATE, SelectionRound):
        raise Http404
    form = RoundForm(request.POST or None, earlier_rounds=selectors.round_list(actor=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            rnd = services.round_create(actor=request.user, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Seleksi %(name)s dibuat. Tetapkan kriterianya.") % {"name": rnd.name})
            return redirect("incubation:criteria", pk=rnd.pk)
    return render(request, "incubation/selection_round_form.html", {"form": form, "rnd": None})


@require_http_methods(["GET", "POST"])
def round_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    rnd = _round_for_change(request, pk)
    if rnd.status != RoundStatus.DRAFT:
        messages.error(request, _("Penilaian seleksi ini sudah dibuka: pengaturannya tidak dapat diubah lagi."))
        return redirect("incubation:round", pk=rnd.pk)
    form = RoundForm(request.POST or None, instance=rnd)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(actor=request.user, round_id=rnd.pk, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Pengaturan seleksi tersimpan."))
            return redirect("incubation:round", pk=rnd.pk)
    return render(request, "incubation/selection_round_form.html", {"form": form, "rnd": rnd})


@require_GET
def round_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    rnd = selectors.round_get(actor=request.user, pk=pk)
    criteria = selectors.criteria_of(rnd)
    can_manage = policy.can(request.user, Action.MANAGE, rnd)
    context: dict[str, Any] = {
        "rnd": rnd,
        "criteria": criteria,
        "weight_total": selectors.weight_total(criteria),
        "can_manage": can_manage,
        "can_change": can_manage and rnd.status == RoundStatus.DRAFT,
    }
    if can_manage:
        context["candidate_count"] = rnd.candidates.count()
        context["progress"] = selectors.round_progress(actor=request.user, rnd=rnd)
    return render(request, "incubation/selection_round.html", context)


@require_POST
def round_open(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    rnd = _round_for_change(request, pk)
    try:
        reviewing.round_open(actor=request.user, round_id=rnd.pk)
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(request, _("Penilaian dibuka. Para reviewer sudah diberi tahu."))
    return redirect("incubation:round", pk=rnd.pk)


# --- criteria ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def criteria(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    rnd = _round_for_change(request, pk)
    form = CriterionForm(request.POST or None, instance=Criterion(round=rnd))
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_add(actor=request.user, round_id=rnd.pk, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error, {"rubric": "rubric_1"})
        else:
            messages.success(request, _("Kriteria ditambahkan."))
            return redirect("incubation:criteria", pk=rnd.pk)
    items = selectors.criteria_of(rnd)
    return render(
        request,
        "incubation/selection_criteria.html",
        {
            "rnd": rnd,
            "criteria": items,
            "weight_total": selectors.weight_total(items),
            "form": form,
            "editable": rnd.status == RoundStatus.DRAFT,
        },
    )


@require_http_methods(["GET", "POST"])
def criterion_edit(request: AuthenticatedRequest, pk: int, criterion_pk: int) -> HttpResponse:
    rnd = _round_for_change(request, pk)
    criterion = policy.get_or_404(request.user, rnd.criteria.all(), Action.CHANGE, pk=criterion_pk)
    if rnd.status != RoundStatus.DRAFT:
        messages.error(request, _("Penilaian seleksi ini sudah dibuka: kriteria tidak dapat diubah lagi."))
        return redirect("incubation:criteria", pk=rnd.pk)
    form = CriterionForm(request.POST or None, instance=criterion)
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_update(actor=request.user, criterion_id=criterion.pk, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error, {"rubric": "rubric_1"})
        else:
            messages.success(request, _("Kriteria tersimpan."))
            return redirect("incubation:criteria", pk=rnd.pk)
    return render(
        request, "incubation/selection_criterion_form.html", {"rnd": rnd, "criterion": criterion, "form": form}
    )


@require_POST
def criterion_remove(request: AuthenticatedRequest, pk: int, criterion_pk: int) -> HttpResponse:
    rnd = _round_for_change(request, pk)
    criterion = policy.get_or_404(request.user, rnd.criteria.all(), Action.CHANGE, pk=criterion_pk)
    try:
        services.criterion_remove(actor=request.user, criterion_id=criterion.pk)
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(request, _("Kriteria dihapus."))
    return redirect("incubation:criteria", pk=rnd.pk)


# --- the long-list -----------------------------------------------------------------------


def _candidates_page(
    request: AuthenticatedRequest, rnd: SelectionRound, longlist_form: LonglistForm | None = None
) -> HttpResponse:
    search = CandidateSearchForm(request.GET or None)
    query = search.cleaned_data.get("q", "") if search.is_valid() else ""
    candidates = selectors.candidates_of(rnd)
    return render(
        request,
        "incubation/selection_candidates.html",
        {
            "rnd": rnd,
            "rows": [(c, selectors.fact_rows(c.facts), selectors.listed_on(c.facts)) for c in candidates],
            "longlist_form": longlist_form or LonglistForm(),
            "search": search,
            "query": query,
            "found": selectors.centre_search(actor=request.user, rnd=rnd, query=query) if query else [],
            "editable": rnd.status == RoundStatus.DRAFT,
        },
    )


@require_GET
def candidates(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _candidates_page(request, _round_for_change(request, pk))


@require_POST
def candidates_build(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    rnd = _round_for_change(request, pk)
    form = LonglistForm(request.POST)
    if form.is_valid():
        try:
            added = services.longlist_build(actor=request.user, round_id=rnd.pk, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)s BLK masuk daftar calon.",
                    "%(n)s BLK masuk daftar calon.",
                    added,
                )
                % {"n": format_number(added)},
            )
            return redirect("incubation:candidates", pk=rnd.pk)
    return _candidates_page(request, rnd, form)


@require_POST
def candidate_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    rnd = _round_for_change(request, pk)
    center_id = request.POST.get("center", "")
    if not center_id.isdigit():
        raise Http404
    try:
        candidate = services.candidate_add(actor=request.user, round_id=rnd.pk, center_id=int(center_id))
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(request, _("%(name)s ditambahkan sebagai calon.") % {"name": candidate.center.name})
    return redirect("incubation:candidates", pk=rnd.pk)


@require_POST
def candidate_remove(request: AuthenticatedRequest, pk: int, candidate_pk: int) -> HttpResponse:
    rnd = _round_for_change(request, pk)
    candidate = policy.get_or_404(request.user, rnd.candidates.select_related("center"), Action.CHANGE, pk=candidate_pk)
    try:
        services.candidate_remove(actor=request.user, candidate_id=candidate.pk)
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(request, _("%(name)s dikeluarkan dari daftar calon.") % {"name": candidate.center.name})
    return redirect("incubation:candidates", pk=rnd.pk)


# --- reviewers -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def assign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    rnd = _round_for_change(request, pk)
    pool = selectors.reviewer_pool(actor=request.user)
    form = AssignForm(request.POST or None, pool=pool)
    can_assign = rnd.status != RoundStatus.DECIDED
    if request.method == "POST" and can_assign and form.is_valid():
        try:
            result = reviewing.reviewers_assign(
                actor=request.user, round_id=rnd.pk, reviewer_ids=[u.pk for u in form.cleaned_data["reviewers"]]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(n)s penugasan reviewer dibuat.") % {"n": format_number(len(result.created))})
            if result.short:
                messages.warning(
                    request,
                    _("Reviewer tidak cukup untuk: %(names)s. Tambahkan reviewer lain.")
                    % {"names": ", ".join(c.center.name for c in result.short)},
                )
            return redirect("incubation:assign", pk=rnd.pk)
    return render(
        request,
        "incubation/selection_assign.html",
        {
            "rnd": rnd,
            "form": form,
            "can_assign": can_assign,
            "progress": selectors.round_progress(actor=request.user, rnd=rnd),
        },
    )


# --- ranking and decision ---------------------------------------------------------------------


@require_GET
def ranking(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    rnd = selectors.round_get(actor=request.user, pk=pk, action=Action.MANAGE)
    return render(
        request,
        "incubation/selection_ranking.html",
        {
            "rnd": rnd,
            "rows": selectors.round_ranking(actor=request.user, rnd=rnd),
            "criteria": selectors.criteria_of(rnd),
            "progress": selectors.round_progress(actor=request.user, rnd=rnd),
        },
    )


@require_http_methods(["GET", "POST"])
def decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    rnd = selectors.round_get(actor=request.user, pk=pk, action=Action.MANAGE)
    if rnd.status == RoundStatus.DECIDED and request.method == "GET":
        return redirect("incubation:decision", pk=rnd.pk)
    rows = selectors.round_ranking(actor=request.user, rnd=rnd)
    choices = [
        (
            row.candidate.pk,
            _("%(rank)s. %(name)s — nilai %(total)s")
            % {
                "rank": row.rank,
                "name": row.candidate.center.name,
                "total": format_number(row.total, 2) if row.total is not None else _("belum lengkap"),
            },
        )
        for row in rows
    ]
    initial = {"candidates": [str(row.candidate.pk) for row in rows[: rnd.quota] if row.total is not None]}
    form = DecideForm(request.POST or None, choices=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            reviewing.round_decide(
                actor=request.user,
                round_id=rnd.pk,
                candidate_ids=form.cleaned_data["candidates"],
                note=form.cleaned_data.get("decision_note") or "",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Keputusan tercatat dan diumumkan. BLK terpilih kini inkubator."))
            return redirect("incubation:decision", pk=rnd.pk)
    return render(
        request,
        "incubation/selection_decide.html",
        {"rnd": rnd, "form": form, "progress": selectors.round_progress(actor=request.user, rnd=rnd)},
    )


@login_not_required
@require_GET
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "incubation/selection_decision.html", {"decision": selectors.decision_public(pk=pk)})


# --- a reviewer's work ------------------------------------------------------------------------------


@require_GET
def review_queue(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "incubation/selection_queue.html", {"queue": selectors.review_queue(actor=request.user)})


def _save_scores(request: AuthenticatedRequest, assignment_id: int, form: ReviewForm) -> bool:
    """Save, and with "send" also submit. True when all went through."""
    try:
        reviewing.score_save(actor=request.user, assignment_id=assignment_id, scores=form.scores())
        if "send" in request.POST:
            reviewing.assignment_submit(actor=request.user, assignment_id=assignment_id)
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


def _review_page(request: AuthenticatedRequest, assignment_pk: int) -> selectors.ReviewPage | None:
    """The reviewer's own assignment; None (with the reason shown) for a colleague's in the same round."""
    try:
        return selectors.review_get(actor=request.user, assignment_id=assignment_pk)
    except selectors.NotAssignedToYou as refusal:
        _errors_to_messages(request, refusal)
        return None


@require_http_methods(["GET", "POST"])
def review(request: AuthenticatedRequest, assignment_pk: int) -> HttpResponse:
    page = _review_page(request, assignment_pk)
    if page is None:
        return redirect("incubation:review-queue")
    form = ReviewForm(request.POST or None, rows=page.rows, disabled=not page.can_score)
    if request.method == "POST":
        if not page.can_score:
            messages.error(request, _("Calon ini tidak dapat Anda nilai lagi."))
            return redirect("incubation:review", assignment_pk=page.assignment.pk)
        if form.is_valid() and _save_scores(request, page.assignment.pk, form):
            if "send" not in request.POST:
                messages.success(request, _("Nilai tersimpan. Kirim setelah semua kriteria dinilai."))
                return redirect("incubation:review", assignment_pk=page.assignment.pk)
            messages.success(request, _("Nilai untuk %(name)s terkirim.") % {"name": page.candidate.center.name})
            upcoming = selectors.next_assignment(actor=request.user, after=page.assignment.pk)
            if upcoming is not None:
                return redirect("incubation:review", assignment_pk=upcoming.pk)
            messages.info(request, _("Semua calon yang ditugaskan kepada Anda sudah dinilai. Terima kasih."))
            return redirect("incubation:review-queue")
    return render(
        request,
        "incubation/selection_review.html",
        {"page": page, "form": form, "conflict_form": ConflictForm()},
    )


@require_POST
def conflict(request: AuthenticatedRequest, assignment_pk: int) -> HttpResponse:
    page = _review_page(request, assignment_pk)
    if page is None:
        return redirect("incubation:review-queue")
    form = ConflictForm(request.POST)
    if form.is_valid():
        try:
            replacement = reviewing.conflict_declare(
                actor=request.user, assignment_id=page.assignment.pk, reason=form.cleaned_data["conflict_reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Konflik kepentingan tercatat: nilai Anda tidak dihitung dan reviewer lain menggantikan Anda.")
                if replacement
                else _(
                    "Konflik kepentingan tercatat: nilai Anda tidak dihitung. Pemilik seleksi akan menugaskan "
                    "reviewer lain."
                ),
            )
            upcoming = selectors.next_assignment(actor=request.user, after=page.assignment.pk)
            if upcoming is not None:
                return redirect("incubation:review", assignment_pk=upcoming.pk)
            return redirect("incubation:review-queue")
    return render(
        request,
        "incubation/selection_review.html",
        {"page": page, "form": ReviewForm(rows=page.rows, disabled=not page.can_score), "conflict_form": form},
        status=200,
    )
