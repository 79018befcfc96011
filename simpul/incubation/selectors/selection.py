"""Reads of incubator selection rounds: lists, progress, the explained ranking, a reviewer's queue.

Rounds are the ministry's (Admin Pusat runs them; national FKN reads them).
Reviewers reach their part through their own assignments. One rule here
goes beyond the policy on purpose: a reviewer sees the other reviewers'
scores of a candidate only once their own are sent, so nobody anchors on
someone else's judgement.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts import policy
from simpul.accounts.models import Role, User
from simpul.accounts.policy import Action
from simpul.centers.models import Center, CenterStatus, DevelopmentClass
from simpul.core.formats import format_number, format_percent
from simpul.reporting.models import DONE_STATUSES, Submission
from simpul.training.models import WORKING, Enrolment, Result

from ..models import (
    RUBRIC_MAX,
    RUBRIC_MIN,
    Assignment,
    Candidate,
    Criterion,
    DataSource,
    RoundStatus,
    Score,
    SelectionRound,
)
from ..ranking import CandidateSpec, CriterionSpec, Ranked, ScoreSpec, rank

REVIEWER_ROLES = (Role.FKN, Role.MENTOR)
ELIGIBLE_CLASSES = (DevelopmentClass.BERKEMBANG, DevelopmentClass.MANDIRI)
CLASS_POINTS: dict[str, int] = {DevelopmentClass.TUMBUH: 1, DevelopmentClass.BERKEMBANG: 2, DevelopmentClass.MANDIRI: 3}
CLASS_BY_POINT: dict[int, str] = {point: cls for cls, point in CLASS_POINTS.items()}

# Keys of a candidate's frozen facts besides the data sources themselves (shown beside them).
FACT_REPORTS_DUE = "laporan_wajib"
FACT_REPORTS_SENT = "laporan_terkirim"
FACT_GRADUATES_24 = "lulusan_24_bulan"
FACT_WORKING = "lulusan_bekerja_wirausaha"
FACT_LISTED_ON = "diambil_pada"


# --- the data behind the long-list ----------------------------------------------------


def months_back(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier (the month's last day when it has fewer days)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def fact_value(facts: dict[str, Any] | Any, key: str) -> float | None:
    """A frozen fact as a number, or None when the centre had no data for it."""
    value = facts.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def eligible_centres() -> QuerySet[Center]:
    """Centres the long-list is drawn from: class berkembang or mandiri, operating, not yet an incubator."""
    return (
        Center.objects.filter(development_class__in=ELIGIBLE_CLASSES)
        .exclude(status__in=(CenterStatus.INACTIVE, CenterStatus.INCUBATOR))
        .filter(incubator__isnull=True)
    )


def centre_facts(center_ids: list[int] | Any, *, today: dt.date | None = None) -> dict[int, dict[str, Any]]:
    """What the data says about each centre, in three grouped queries whatever the number of centres.

    - completeness: reports sent of those due in the last 12 months (None when none were due);
    - graduates: passed in the last 12 months;
    - placement: share of the last 24 months' graduates with an outcome employed or self-employed
      (None without graduates);
    - class: tumbuh 1, berkembang 2, mandiri 3.

    Called by the services (which checked who asks) when a centre is listed; the result is frozen.
    """
    # A queryset stays a subquery in the filters (thousands of centres at national scale).
    ids = list(center_ids)
    within = center_ids if isinstance(center_ids, QuerySet) else ids
    today = today or timezone.localdate()
    year_ago, two_years_ago = months_back(today, 12), months_back(today, 24)
    now = timezone.now()
    reports = {
        row["center_id"]: row
        for row in Submission.objects.filter(center_id__in=within, due_at__lte=now, due_at__gt=now - (today - year_ago))
        .values("center_id")
        .annotate(due=Count("id"), sent=Count("id", filter=Q(status__in=DONE_STATUSES)))
        .order_by()
    }
    graduates = {
        row["package__center_id"]: row
        for row in Enrolment.objects.filter(
            package__center_id__in=within, result=Result.PASSED, graduated_on__gt=two_years_ago, graduated_on__lte=today
        )
        .values("package__center_id")
        .annotate(
            recent=Count("id", filter=Q(graduated_on__gt=year_ago), distinct=True),
            all=Count("id", distinct=True),
            working=Count("id", filter=Q(outcomes__status__in=WORKING), distinct=True),
        )
        .order_by()
    }
    classes = dict(Center.objects.filter(pk__in=within).values_list("pk", "development_class"))
    facts: dict[int, dict[str, Any]] = {}
    for pk in ids:
        report = reports.get(pk, {"due": 0, "sent": 0})
        grads = graduates.get(pk, {"recent": 0, "all": 0, "working": 0})
        facts[pk] = {
            DataSource.COMPLETENESS.value: round(report["sent"] / report["due"], 4) if report["due"] else None,
            DataSource.GRADUATES.value: grads["recent"],
            DataSource.PLACEMENT.value: round(grads["working"] / grads["all"], 4) if grads["all"] else None,
            DataSource.CLASS.value: CLASS_POINTS.get(classes.get(pk, "")),
            FACT_REPORTS_DUE: report["due"],
            FACT_REPORTS_SENT: report["sent"],
            FACT_GRADUATES_24: grads["all"],
            FACT_WORKING: grads["working"],
            FACT_LISTED_ON: today.isoformat(),
        }
    return facts


def format_fact(source: str, value: float | None) -> str:
    """One fact as people read it: 92%, 34 lulusan, Mandiri."""
    if value is None:
        return _("tidak ada data")
    if source in (DataSource.COMPLETENESS, DataSource.PLACEMENT):
        return format_percent(value, 0)
    if source == DataSource.CLASS:
        point = Decimal(str(value))
        if point == point.to_integral_value() and int(point) in CLASS_BY_POINT:
            return str(DevelopmentClass(CLASS_BY_POINT[int(point)]).label)
        low, high = CLASS_BY_POINT.get(int(point)), CLASS_BY_POINT.get(int(point) + 1)
        if low and high:
            return f"{DevelopmentClass(low).label}–{DevelopmentClass(high).label}"
        return format_number(point, 1)
    return format_number(Decimal(str(value)).normalize() if value != int(value) else int(value))


@dataclass(frozen=True)
class FactRow:
    source: str
    label: str
    text: str


def fact_rows(facts: dict[str, Any]) -> list[FactRow]:
    """The frozen facts of a candidate, labelled, for the candidate lists and the review page."""
    rows = []
    for source in (DataSource.COMPLETENESS, DataSource.GRADUATES, DataSource.PLACEMENT, DataSource.CLASS):
        value = fact_value(facts, source)
        text = format_fact(source, value)
        if value is not None and source == DataSource.COMPLETENESS:
            text += " " + _("(%(sent)s dari %(due)s laporan)") % {
                "sent": facts.get(FACT_REPORTS_SENT, 0),
                "due": facts.get(FACT_REPORTS_DUE, 0),
            }
        if value is not None and source == DataSource.PLACEMENT:
            text += " " + _("(%(working)s dari %(graduates)s lulusan 24 bulan terakhir)") % {
                "working": facts.get(FACT_WORKING, 0),
                "graduates": facts.get(FACT_GRADUATES_24, 0),
            }
        rows.append(FactRow(source=source.value, label=str(source.label), text=text))
    return rows


def listed_on(facts: dict[str, Any]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(facts.get(FACT_LISTED_ON)))
    except ValueError:
        return None


# --- rounds -------------------------------------------------------------------------


def round_list(*, actor: Any) -> QuerySet[SelectionRound]:
    return policy.scope_queryset(actor, SelectionRound.objects.all()).annotate(
        candidate_count=Count("candidates", distinct=True),
        chosen_count=Count("candidates", filter=Q(candidates__chosen=True), distinct=True),
    )


def round_get(*, actor: Any, pk: Any, action: Action = Action.VIEW) -> SelectionRound:
    return policy.get_or_404(actor, SelectionRound.objects.select_related("owner", "decided_by"), action, pk=pk)


def criteria_of(rnd: SelectionRound) -> list[Criterion]:
    return list(rnd.criteria.all())


def weight_total(criteria: list[Criterion]) -> Decimal:
    return sum((c.weight for c in criteria), Decimal(0))


def candidates_of(rnd: SelectionRound) -> list[Candidate]:
    """The long-list, best data score first, each with its number of (non-conflicted) reviewers."""
    return list(
        rnd.candidates.select_related("center__regency", "center__province")
        .annotate(reviewers=Count("assignments", filter=Q(assignments__conflict=False)))
        .order_by("-data_score", "center__name", "pk")
    )


def centre_search(*, actor: Any, rnd: SelectionRound, query: str, limit: int = 20) -> list[Center]:
    """Centres to add by hand: by name or VIN, not yet listed in this round."""
    query = (query or "").strip()
    if len(query) < 2:
        return []
    centres = policy.scope_queryset(actor, Center.objects.all()).filter(Q(name__icontains=query) | Q(vin__iexact=query))
    return list(
        centres.exclude(pk__in=rnd.candidates.values("center_id"))
        .select_related("regency")
        .order_by("name", "pk")[:limit]
    )


def reviewer_pool(*, actor: Any) -> QuerySet[User]:
    """Who may review: active FKN coordinators and mentors (university and business partners)."""
    return (
        policy.scope_queryset(actor, User.objects.filter(is_active=True, role__in=REVIEWER_ROLES))
        .select_related("scope_center", "scope_province", "scope_regency")
        .order_by("role", "full_name", "pk")
    )


@dataclass
class ReviewerProgress:
    reviewer: User
    assigned: int = 0
    submitted: int = 0
    pending: list[str] = field(default_factory=list)  # centres still to score
    conflicts: int = 0

    @property
    def missing(self) -> int:
        return self.assigned - self.submitted


@dataclass
class RoundProgress:
    assigned: int
    submitted: int
    reviewers: list[ReviewerProgress]
    short: list[tuple[Candidate, int]]  # candidates below the round's reviewers per candidate
    conflicts: list[Assignment]

    @property
    def share(self) -> float | None:
        return self.submitted / self.assigned if self.assigned else None


def round_progress(*, actor: Any, rnd: SelectionRound) -> RoundProgress:
    """For the owner: scores sent, missing scores per reviewer, candidates short of reviewers, conflicts."""
    policy.require(actor, Action.MANAGE, rnd)
    assignments = list(
        Assignment.objects.filter(candidate__round=rnd)
        .select_related("reviewer", "candidate__center")
        .order_by("reviewer__full_name", "reviewer_id", "candidate__center__name", "pk")
    )
    by_reviewer: dict[int, ReviewerProgress] = {}
    active_per_candidate: dict[int, int] = {}
    for a in assignments:
        row = by_reviewer.setdefault(a.reviewer_id, ReviewerProgress(a.reviewer))
        if a.conflict:
            row.conflicts += 1
            continue
        active_per_candidate[a.candidate_id] = active_per_candidate.get(a.candidate_id, 0) + 1
        row.assigned += 1
        if a.submitted_at:
            row.submitted += 1
        else:
            row.pending.append(a.candidate.center.name)
    short = [
        (c, active_per_candidate.get(c.pk, 0))
        for c in rnd.candidates.select_related("center").order_by("center__name", "pk")
        if active_per_candidate.get(c.pk, 0) < rnd.reviewers_per_candidate
    ]
    reviewers = sorted(by_reviewer.values(), key=lambda r: (-r.missing, r.reviewer.full_name, r.reviewer.pk))
    return RoundProgress(
        assigned=sum(r.assigned for r in reviewers),
        submitted=sum(r.submitted for r in reviewers),
        reviewers=reviewers,
        short=short,
        conflicts=[a for a in assignments if a.conflict],
    )


# --- the ranking ----------------------------------------------------------------------------


def _criterion_specs(criteria: list[Criterion]) -> list[CriterionSpec]:
    return [CriterionSpec(code=c.code, name=c.name, weight=c.weight, data_source=c.data_source) for c in criteria]


def rank_round(rnd: SelectionRound) -> list[Ranked]:
    """The round's ranking from its sent, non-conflicted scores (callers have checked access)."""
    criteria = list(rnd.criteria.all())
    candidates = [
        CandidateSpec(
            key=c.pk,
            name=c.center.name,
            facts={source: fact_value(c.facts, source) for source in DataSource.values if source},
            data_score=c.data_score,
        )
        for c in rnd.candidates.select_related("center")
    ]
    scores = [
        ScoreSpec(candidate=candidate, reviewer=reviewer, criterion=code, value=value)
        for candidate, reviewer, code, value in Score.objects.filter(
            assignment__candidate__round=rnd, assignment__conflict=False, assignment__submitted_at__isnull=False
        ).values_list("assignment__candidate_id", "assignment__reviewer_id", "criterion__code", "value")
    ]
    return rank(_criterion_specs(criteria), candidates, scores, normalised=rnd.normalise)


@dataclass(frozen=True)
class ExplanationLine:
    direction: str  # "up", "down" or "even"
    effect_text: str  # "+0,42"
    criterion: str
    data_text: str  # "92% vs median 71%" (criteria with data)
    score_text: str  # "nilai reviewer 4,50 vs rata-rata 3,40"

    def __str__(self) -> str:
        data = f" ({self.data_text})" if self.data_text else ""
        return f"{self.effect_text} {self.criterion}{data}"


@dataclass(frozen=True)
class RankingRow:
    rank: int
    candidate: Candidate
    total: Decimal | None
    lines: list[ExplanationLine]
    facts: list[FactRow]

    @property
    def summary(self) -> str:
        """One sentence: what moved the centre up, what held it back."""
        up = [line.criterion for line in self.lines if line.direction == "up"]
        down = [line.criterion for line in self.lines if line.direction == "down"]
        parts = []
        if up:
            parts.append(_("naik karena %(names)s") % {"names": ", ".join(up)})
        if down:
            parts.append(_("turun karena %(names)s") % {"names": ", ".join(down)})
        if not parts:
            return _("Setara dengan rata-rata seleksi pada semua kriteria.")
        text = "; ".join(parts)
        return text[:1].upper() + text[1:]


def _signed(value: Decimal) -> str:
    rounded = value.quantize(Decimal("0.01"))
    if rounded > 0:
        return "+" + format_number(rounded, 2)
    if rounded < 0:
        return "−" + format_number(-rounded, 2)
    return "±" + format_number(Decimal(0), 2)


def explain(ranked: Ranked, sources: dict[str, str]) -> list[ExplanationLine]:
    """Per criterion, in order of weight in the result: how far it moved the centre and why."""
    lines = []
    for reason in ranked.reasons:
        source = sources.get(reason.code, "")
        data_text = ""
        if source:
            data_text = _("%(value)s vs median %(median)s") % {
                "value": format_fact(source, reason.fact),
                "median": format_fact(source, reason.fact_median),
            }
        if reason.score is None:
            score_text = _("belum dinilai")
        else:
            score_text = _("nilai reviewer %(score)s vs rata-rata %(average)s (%(n)s reviewer)") % {
                "score": format_number(reason.score, 2),
                "average": format_number(reason.average, 2),
                "n": reason.reviewers,
            }
        rounded = reason.effect.quantize(Decimal("0.01"))
        lines.append(
            ExplanationLine(
                direction="up" if rounded > 0 else "down" if rounded < 0 else "even",
                effect_text=_signed(reason.effect),
                criterion=reason.criterion,
                data_text=data_text,
                score_text=score_text,
            )
        )
    return lines


def round_ranking(*, actor: Any, rnd: SelectionRound) -> list[RankingRow]:
    """The explained ranking, for the owner: the same scores always give the same rows and words."""
    policy.require(actor, Action.MANAGE, rnd)
    candidates = {c.pk: c for c in rnd.candidates.select_related("center__regency", "center__province")}
    sources = {c.code: c.data_source for c in rnd.criteria.all()}
    return [
        RankingRow(
            rank=r.rank,
            candidate=candidates[r.candidate.key],
            total=r.total,
            lines=explain(r, sources),
            facts=fact_rows(candidates[r.candidate.key].facts),
        )
        for r in rank_round(rnd)
    ]


# --- a reviewer's queue and review page ------------------------------------------------


class NotAssignedToYou(ValidationError):
    """A reviewer of a round reaching a colleague's assignment in it: refused in words, not with a 404.

    The round is the reviewer's to see (they score in it), so saying "not yours" tells them nothing
    they do not know; the candidate's data and the colleague's scores stay hidden. A round the
    reviewer has no part in answers 404 like anything else outside their scope.
    """


def refuse_colleagues_assignment(*, actor: Any, assignment_id: Any) -> None:
    """Raise NotAssignedToYou when `assignment_id` is a colleague's in a round where the actor reviews too.

    Call it where the actor's own assignment was not found; it returns (and the caller answers 404)
    for anyone else, and for an assignment that does not exist.
    """
    try:
        mine = _own_assignments(actor)
        pk = int(assignment_id)
    except (Http404, TypeError, ValueError):
        return
    target = Assignment.objects.filter(pk=pk).values("candidate_id", "candidate__round_id").first()
    if target is None:
        return
    in_round = mine.filter(candidate__round_id=target["candidate__round_id"])
    same_candidate = in_round.filter(candidate_id=target["candidate_id"]).values_list("conflict", flat=True).first()
    if same_candidate is None:
        if in_round.exists():
            raise NotAssignedToYou(_("Kandidat ini tidak ditugaskan kepada Anda untuk dinilai."))
        return
    if same_candidate:
        raise NotAssignedToYou(_("Anda menyatakan konflik kepentingan untuk calon ini: Anda tidak menilainya."))
    raise NotAssignedToYou(_("Ini penugasan reviewer lain. Nilai calon ini dari daftar tugas menilai Anda sendiri."))


def _own_assignments(actor: Any) -> QuerySet[Assignment]:
    if getattr(actor, "role", None) not in REVIEWER_ROLES or not policy.allowed(actor, Action.CREATE, Score):
        raise Http404
    return (
        policy.scope_queryset(actor, Assignment.objects.filter(reviewer=actor))
        .select_related("candidate__center__regency", "candidate__center__province", "candidate__round")
        .order_by("created_at", "pk")
    )


@dataclass
class ReviewQueue:
    pending: list[Assignment]  # oldest first: work through them in order
    submitted: list[Assignment]
    conflicted: list[Assignment]


def review_queue(*, actor: Any) -> ReviewQueue:
    """The reviewer's own assignments in rounds open for scoring."""
    mine = list(_own_assignments(actor).filter(candidate__round__status=RoundStatus.SCORING))
    return ReviewQueue(
        pending=[a for a in mine if not a.conflict and a.submitted_at is None],
        submitted=[a for a in mine if not a.conflict and a.submitted_at is not None],
        conflicted=[a for a in mine if a.conflict],
    )


def next_assignment(*, actor: Any, after: Any = None) -> Assignment | None:
    """The oldest assignment still to score, other than the one just saved."""
    pending = _own_assignments(actor).filter(
        candidate__round__status=RoundStatus.SCORING, conflict=False, submitted_at__isnull=True
    )
    if after is not None:
        pending = pending.exclude(pk=after)
    return pending.first()


@dataclass
class OtherScore:
    label: str  # "Reviewer 1": the others stay anonymous to each other
    value: int
    reason: str


@dataclass
class CriterionRow:
    criterion: Criterion
    rubric: list[tuple[int, str]]
    value: int | None
    reason: str
    fact: str = ""  # the data behind the criterion, if it has a data source
    others: list[OtherScore] = field(default_factory=list)


@dataclass
class ReviewPage:
    assignment: Assignment
    rnd: SelectionRound
    candidate: Candidate
    facts: list[FactRow]
    rows: list[CriterionRow]
    can_score: bool
    others_visible: bool
    next: Assignment | None


def review_get(*, actor: Any, assignment_id: Any) -> ReviewPage:
    """One of the reviewer's own assignments, with the rubric, the data, and (once sent) the others' scores."""
    try:
        assignment = policy.get_or_404(actor, _own_assignments(actor), Action.VIEW, pk=assignment_id)
    except Http404:
        refuse_colleagues_assignment(actor=actor, assignment_id=assignment_id)
        raise
    candidate = assignment.candidate
    rnd = candidate.round
    criteria = list(rnd.criteria.all())
    own = {s.criterion_id: s for s in assignment.scores.all()}
    others_visible = assignment.submitted_at is not None and not assignment.conflict
    others: dict[int, list[OtherScore]] = {}
    if others_visible:
        # Deliberately past the policy (which shows a reviewer only their own scores): their own are sent.
        other_assignments = list(
            candidate.assignments.filter(conflict=False, submitted_at__isnull=False)
            .exclude(pk=assignment.pk)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        labels = {pk: _("Reviewer %(n)s") % {"n": i} for i, pk in enumerate(other_assignments, start=1)}
        for score in Score.objects.filter(assignment_id__in=other_assignments).order_by("assignment_id"):
            others.setdefault(score.criterion_id, []).append(
                OtherScore(label=labels[score.assignment_id], value=score.value, reason=score.comment)
            )
    facts = fact_rows(candidate.facts)
    fact_by_source = {f.source: f.text for f in facts}
    rows = [
        CriterionRow(
            criterion=c,
            fact=fact_by_source.get(c.data_source, ""),
            rubric=[(level, str(c.rubric.get(str(level), ""))) for level in range(RUBRIC_MIN, RUBRIC_MAX + 1)],
            value=own[c.pk].value if c.pk in own else None,
            reason=own[c.pk].comment if c.pk in own else "",
            others=others.get(c.pk, []),
        )
        for c in criteria
    ]
    return ReviewPage(
        assignment=assignment,
        rnd=rnd,
        candidate=candidate,
        facts=facts,
        rows=rows,
        can_score=rnd.status == RoundStatus.SCORING and not assignment.conflict and assignment.submitted_at is None,
        others_visible=others_visible,
        next=next_assignment(actor=actor, after=assignment.pk),
    )


# --- the published decision ------------------------------------------------------------------


@dataclass
class PublicDecision:
    rnd: SelectionRound
    chosen: list[tuple[Candidate, int, Decimal | None]]  # with its place in the ranking and its total
    criteria: list[Criterion]
    candidate_count: int
    reviewer_count: int
    decided_by_role: str


def decision_public(*, pk: Any) -> PublicDecision:
    """What anyone may read about a decided round: no personal data, only roles and centres."""
    rnd = SelectionRound.objects.filter(pk=pk, status=RoundStatus.DECIDED).select_related("decided_by").first()
    if rnd is None:
        raise Http404
    places = {r.candidate.key: (r.rank, r.total) for r in rank_round(rnd)}
    chosen = [
        (c, *places[c.pk])
        for c in rnd.candidates.filter(chosen=True)
        .select_related("center__regency", "center__province")
        .order_by("center__province__name", "center__regency__name", "center__name")
    ]
    reviewers = (
        Assignment.objects.filter(candidate__round=rnd, conflict=False, submitted_at__isnull=False)
        .values("reviewer_id")
        .distinct()
        .count()
    )
    return PublicDecision(
        rnd=rnd,
        chosen=chosen,
        criteria=list(rnd.criteria.all()),
        candidate_count=rnd.candidates.count(),
        reviewer_count=reviewers,
        decided_by_role=rnd.decided_by.get_role_display() if rnd.decided_by else "",
    )
