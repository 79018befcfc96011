"""The reviewing half of a selection round: assigning reviewers, opening the round,
conflicts of interest, scores, submission and the decision (see selection.py for
the round's setup: criteria, the long-list and the candidates)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts import policy
from simpul.accounts.models import Role, User
from simpul.accounts.policy import Action
from simpul.centers import services as center_services
from simpul.centers.models import CenterStatus
from simpul.core.formats import format_date, format_number
from simpul.messaging.services import notify

from ..models import (
    RUBRIC_MAX,
    RUBRIC_MIN,
    Assignment,
    Candidate,
    Incubator,
    RoundStatus,
    Score,
    SelectionRound,
)
from ..selectors.selection import REVIEWER_ROLES, rank_round, refuse_colleagues_assignment
from .selection import REASON_MAX, RUBRIC_LEVELS, WEIGHT_TOTAL, _can_become_incubator, _round_for_change, _save

# --- reviewers ----------------------------------------------------------------


@dataclass(frozen=True)
class AssignResult:
    created: list[Assignment]
    short: list[Candidate]  # candidates still below the round's reviewers per candidate


def _active(assignments: QuerySet[Assignment]) -> QuerySet[Assignment]:
    return assignments.filter(conflict=False)


def _is_own_staff(reviewer: User, candidate: Candidate) -> bool:
    return reviewer.scope_center_id is not None and reviewer.scope_center_id == candidate.center_id


def _tell_assigned(rnd: SelectionRound, assignments: Iterable[Assignment], *, replacement: bool = False) -> None:
    """Tell each reviewer what they were given to score (once the round is open for scoring)."""
    if rnd.status != RoundStatus.SCORING:
        return
    counts = Counter(a.reviewer_id for a in assignments)
    reviewers = {u.pk: u for u in User.objects.filter(pk__in=list(counts))}
    for reviewer_id, n in counts.items():
        if replacement:
            title = _("Anda ditugaskan menggantikan reviewer yang berkonflik di %(round)s") % {"round": rnd.name}
        else:
            title = _("Anda ditugaskan menilai %(n)s calon inkubator di %(round)s") % {"n": n, "round": rnd.name}
        notify(
            recipients=[reviewers[reviewer_id]],
            kind="selection_assigned",
            title=title,
            body=_("Buka daftar tugas menilai Anda: nilai tiap calon 1–5 menurut rubrik, dengan alasannya."),
            url=reverse("incubation:review-queue"),
        )


def _fill(
    rnd: SelectionRound, pool: list[User], candidates: Iterable[Candidate], actor: Any, *, replacing: bool = False
) -> AssignResult:
    """Give each candidate reviewers up to the round's number, spread evenly over the pool.

    Never the candidate's own centre staff, never someone already on (or conflicted with) the candidate;
    the least loaded reviewer goes first, then the lowest id, so the same input gives the same plan.
    `replacing`: the reviewer who declared a conflict triggers the replacement (they may not assign).
    """
    load = Counter(
        _active(Assignment.objects.filter(candidate__round=rnd)).values_list("reviewer_id", flat=True).order_by()
    )
    taken: dict[int, set[int]] = {}
    active: Counter[int] = Counter()
    for candidate_id, reviewer_id, conflict in Assignment.objects.filter(candidate__round=rnd).values_list(
        "candidate_id", "reviewer_id", "conflict"
    ):
        taken.setdefault(candidate_id, set()).add(reviewer_id)
        if not conflict:
            active[candidate_id] += 1
    created: list[Assignment] = []
    short: list[Candidate] = []
    for candidate in sorted(candidates, key=lambda c: (c.center.name, c.pk)):
        need = rnd.reviewers_per_candidate - active[candidate.pk]
        if need <= 0:
            continue
        eligible = [r for r in pool if r.pk not in taken.get(candidate.pk, set()) and not _is_own_staff(r, candidate)]
        eligible.sort(key=lambda r: (load[r.pk], r.pk))
        for reviewer in eligible[:need]:
            assignment = Assignment(candidate=candidate, reviewer=reviewer)
            if not replacing:
                policy.require(actor, Action.CREATE, assignment)
            _save(assignment, actor)
            created.append(assignment)
            load[reviewer.pk] += 1
            taken.setdefault(candidate.pk, set()).add(reviewer.pk)
        if len(eligible) < need:
            short.append(candidate)
    return AssignResult(created=created, short=short)


def _round_reviewers(rnd: SelectionRound) -> list[User]:
    ids = Assignment.objects.filter(candidate__round=rnd).values("reviewer_id")
    return list(User.objects.filter(pk__in=ids, is_active=True, role__in=REVIEWER_ROLES).order_by("pk"))


def reviewers_assign(*, actor: Any, round_id: Any, reviewer_ids: Iterable[Any]) -> AssignResult:
    """Assign reviewers from the given people (and those already in the round) to every candidate short of them.

    In draft this plans the round; while scoring it fills the gaps a conflict left when no replacement
    was found.
    """
    wanted = {int(pk) for pk in reviewer_ids}
    with transaction.atomic():
        rnd = _round_for_change(actor, round_id, draft_only=False)
        if rnd.status == RoundStatus.DECIDED:
            raise ValidationError(_("Seleksi ini sudah diputuskan."))
        if not wanted:
            raise ValidationError({"reviewers": _("Pilih sedikitnya satu reviewer.")})
        people = list(
            policy.scope_queryset(actor, User.objects.filter(pk__in=wanted, is_active=True, role__in=REVIEWER_ROLES))
        )
        if len(people) != len(wanted):
            raise ValidationError(
                {"reviewers": _("Reviewer harus pengguna aktif dengan peran Koordinator FKN atau Mentor.")}
            )
        pool = sorted({u.pk: u for u in [*people, *_round_reviewers(rnd)]}.values(), key=lambda u: u.pk)
        candidates = list(rnd.candidates.select_related("center"))
        if not candidates:
            raise ValidationError(_("Susun daftar calon dulu sebelum menugaskan reviewer."))
        result = _fill(rnd, pool, candidates, actor)
        _tell_assigned(rnd, result.created)
    return result


def round_open(*, actor: Any, round_id: Any) -> SelectionRound:
    """Draft → scoring, once the round is complete; the reviewers are told."""
    with transaction.atomic():
        rnd = _round_for_change(actor, round_id)
        problems = []
        criteria = list(rnd.criteria.all())
        if not criteria:
            problems.append(_("Tambahkan kriteria penilaian."))
        total = sum((c.weight for c in criteria), Decimal(0))
        if criteria and total != WEIGHT_TOTAL:
            problems.append(
                _("Jumlah bobot kriteria %(total)s%%; harus tepat 100%%.") % {"total": format_number(total)}
            )
        incomplete = [
            c.name for c in criteria if any(not str(c.rubric.get(level, "")).strip() for level in RUBRIC_LEVELS)
        ]
        if incomplete:
            problems.append(_("Rubrik belum lengkap: %(names)s.") % {"names": ", ".join(incomplete)})
        candidates = list(
            rnd.candidates.select_related("center").annotate(
                active=Count("assignments", filter=Q(assignments__conflict=False))
            )
        )
        if not candidates:
            problems.append(_("Susun daftar calon."))
        short = [c.center.name for c in candidates if c.active < rnd.reviewers_per_candidate]
        if short:
            problems.append(
                _("Calon berikut belum mendapat %(n)s reviewer: %(names)s.")
                % {"n": rnd.reviewers_per_candidate, "names": ", ".join(sorted(short))}
            )
        if problems:
            raise ValidationError(problems)
        rnd.status = RoundStatus.SCORING
        _save(rnd, actor, update_fields=["status"])
        _tell_assigned(rnd, _active(Assignment.objects.filter(candidate__round=rnd)))
    return rnd


# --- a reviewer's work ----------------------------------------------------------


def _own_assignment(actor: Any, assignment_id: Any) -> Assignment:
    """The actor's own assignment, locked; anyone else's answers 404 (Admin Pusat may see but never score),
    except to a reviewer of the same round, who is told in words that it is not theirs."""
    try:
        assignment = policy.get_or_404(
            actor,
            Assignment.objects.select_for_update().select_related("candidate__round", "candidate__center"),
            Action.CHANGE,
            pk=assignment_id,
        )
        if assignment.reviewer_id != getattr(actor, "pk", None):
            raise Http404
    except Http404:
        refuse_colleagues_assignment(actor=actor, assignment_id=assignment_id)
        raise
    return assignment


def conflict_declare(*, actor: Any, assignment_id: Any, reason: str) -> Assignment | None:
    """The reviewer declares a conflict: their scores are deleted, and another reviewer takes over.

    Returns the replacement assignment, or None when the round has nobody left to take it (the
    owner is told, and assigns someone on the reviewers page).
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"conflict_reason": _("Tulis konflik kepentingan Anda (misalnya pernah menjadi pengurus yayasannya).")}
        )
    with transaction.atomic():
        assignment = _own_assignment(actor, assignment_id)
        candidate = assignment.candidate
        rnd = candidate.round
        if rnd.status == RoundStatus.DECIDED:
            raise ValidationError(_("Seleksi ini sudah diputuskan."))
        if assignment.conflict:
            raise ValidationError(_("Anda sudah menyatakan konflik kepentingan untuk calon ini."))
        assignment.conflict = True
        assignment.conflict_reason = reason
        assignment.submitted_at = None
        assignment.full_clean()
        _save(assignment, actor)
        for score in assignment.scores.all():
            score._history_user = actor  # type: ignore[attr-defined]
            score.delete()
        result = _fill(rnd, _round_reviewers(rnd), [candidate], actor, replacing=True)
        if result.created:
            _tell_assigned(rnd, result.created, replacement=True)
            return result.created[0]
        notify(
            recipients=[rnd.owner],
            kind="selection_short",
            title=_("%(center)s kekurangan reviewer di %(round)s")
            % {"center": candidate.center.name, "round": rnd.name},
            body=_(
                "Seorang reviewer menyatakan konflik kepentingan dan tidak ada reviewer lain yang dapat "
                "menggantikan. Tugaskan reviewer baru."
            ),
            url=reverse("incubation:assign", args=[rnd.pk]),
        )
        return None


def _scorable(assignment: Assignment) -> None:
    rnd = assignment.candidate.round
    if assignment.conflict:
        raise ValidationError(_("Anda menyatakan konflik kepentingan untuk calon ini: Anda tidak menilainya."))
    if rnd.status == RoundStatus.DRAFT:
        raise ValidationError(_("Penilaian seleksi ini belum dibuka."))
    if rnd.status == RoundStatus.DECIDED:
        raise ValidationError(_("Seleksi ini sudah diputuskan: nilai tidak dapat diubah."))
    if assignment.submitted_at is not None:
        raise ValidationError(_("Nilai untuk calon ini sudah Anda kirim dan tidak dapat diubah."))


def _parse_value(raw: Any) -> int | None:
    """A rubric score 1-5; None when empty. Raises ValueError for anything else."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise ValueError(raw)
    try:
        number = Decimal(str(raw).strip())
    except InvalidOperation as error:
        raise ValueError(raw) from error
    if number != number.to_integral_value() or not RUBRIC_MIN <= number <= RUBRIC_MAX:
        raise ValueError(raw)
    return int(number)


def score_save(*, actor: Any, assignment_id: Any, scores: Mapping[Any, tuple[Any, str]]) -> int:
    """Save the reviewer's scores: {criterion id: (value 1-5, reason)}. Returns how many changed.

    Criteria left wholly empty are skipped; a value without a reason, a reason without a value,
    or a value outside the rubric is refused and nothing is saved.
    """
    with transaction.atomic():
        assignment = _own_assignment(actor, assignment_id)
        _scorable(assignment)
        criteria = {c.pk: c for c in assignment.candidate.round.criteria.all()}
        errors: dict[str, list[str]] = {}
        parsed: dict[int, tuple[int, str]] = {}
        for raw_id, (raw_value, raw_reason) in scores.items():
            try:
                criterion = criteria[int(raw_id)]
            except (KeyError, TypeError, ValueError):
                raise ValidationError(_("Ada kriteria yang bukan bagian dari seleksi ini.")) from None
            reason = (raw_reason or "").strip()
            try:
                value = _parse_value(raw_value)
            except ValueError:
                errors.setdefault(f"score_{criterion.pk}", []).append(
                    _("Nilai harus bilangan bulat 1 sampai 5 sesuai rubrik.")
                )
                continue
            if value is None and not reason:
                continue
            if value is None:
                errors.setdefault(f"score_{criterion.pk}", []).append(_("Pilih nilai 1–5 menurut rubrik."))
            if not reason:
                errors.setdefault(f"reason_{criterion.pk}", []).append(_("Tulis alasan nilai ini."))
            elif len(reason) > REASON_MAX:
                errors.setdefault(f"reason_{criterion.pk}", []).append(
                    _("Alasan paling panjang %(max)s karakter.") % {"max": REASON_MAX}
                )
            if value is not None and reason and len(reason) <= REASON_MAX:
                parsed[criterion.pk] = (value, reason)
        if errors:
            raise ValidationError(errors)
        existing = {s.criterion_id: s for s in assignment.scores.all()}
        changed = 0
        for criterion_id, (value, reason) in parsed.items():
            score = existing.get(criterion_id) or Score(assignment=assignment, criterion=criteria[criterion_id])
            if score.pk and (score.value, score.comment) == (value, reason):
                continue
            policy.require(actor, Action.CHANGE if score.pk else Action.CREATE, score)
            score.value, score.comment = value, reason
            score.full_clean()
            _save(score, actor)
            changed += 1
    return changed


def assignment_submit(*, actor: Any, assignment_id: Any) -> Assignment:
    """Send the scores: every criterion scored with a reason. Afterwards they are fixed."""
    with transaction.atomic():
        assignment = _own_assignment(actor, assignment_id)
        _scorable(assignment)
        rnd = assignment.candidate.round
        scored = set(assignment.scores.exclude(comment="").values_list("criterion_id", flat=True))
        missing = [c.name for c in rnd.criteria.all() if c.pk not in scored]
        if missing:
            raise ValidationError(
                _("Belum dinilai: %(names)s. Beri nilai dan alasan untuk setiap kriteria.")
                % {"names": ", ".join(missing)}
            )
        assignment.submitted_at = timezone.now()
        _save(assignment, actor, update_fields=["submitted_at"])
        active = _active(Assignment.objects.filter(candidate__round=rnd))
        total = active.count()
        if total and not active.filter(submitted_at__isnull=True).exists():
            notify(
                recipients=[rnd.owner],
                kind="selection_complete",
                title=_("Semua nilai %(round)s sudah masuk") % {"round": rnd.name},
                body=_("Peringkat dan penjelasannya siap dilihat; seleksi dapat diputuskan."),
                url=reverse("incubation:ranking", args=[rnd.pk]),
                dedupe_key=f"selection-complete:{rnd.pk}:{total}",
            )
    return assignment


# --- the decision ------------------------------------------------------------------


def round_decide(*, actor: Any, round_id: Any, candidate_ids: Iterable[Any], note: str = "") -> SelectionRound:
    """Choose up to the quota; the chosen centres become incubators today. A decision is final.

    A choice that departs from the top of the ranking needs a written reason, which is published.
    """
    note = (note or "").strip()
    try:
        ids = {int(pk) for pk in candidate_ids}
    except (TypeError, ValueError):
        raise ValidationError({"candidates": _("Pilihan calon tidak dikenal.")}) from None
    with transaction.atomic():
        rnd = policy.get_or_404(actor, SelectionRound.objects.select_for_update(), Action.MANAGE, pk=round_id)
        if rnd.status == RoundStatus.DECIDED:
            raise ValidationError(
                _("Seleksi ini sudah diputuskan pada %(date)s; keputusan tidak dapat diubah.")
                % {"date": format_date(rnd.decided_at)}
            )
        if rnd.status != RoundStatus.SCORING:
            raise ValidationError(_("Buka penilaian dulu: seleksi diputuskan setelah reviewer menilai."))
        if not ids:
            raise ValidationError({"candidates": _("Pilih sedikitnya satu BLK.")})
        if len(ids) > rnd.quota:
            raise ValidationError(
                {
                    "candidates": _("Kuota seleksi ini %(quota)s BLK; Anda memilih %(n)s.")
                    % {"quota": rnd.quota, "n": len(ids)}
                }
            )
        chosen = list(rnd.candidates.filter(pk__in=ids).select_related("center"))
        if len(chosen) != len(ids):
            raise ValidationError({"candidates": _("Ada pilihan yang bukan calon di seleksi ini.")})
        ranking = rank_round(rnd)
        top = {r.candidate.key for r in ranking[: len(ids)] if r.total is not None}
        if ids != top and not note:
            raise ValidationError(
                {"decision_note": _("Pilihan Anda berbeda dari urutan teratas peringkat: tulis alasannya.")}
            )
        problems = [p for p in (_can_become_incubator(c.center) for c in chosen) if p]
        if problems:
            raise ValidationError({"candidates": problems})
        now = timezone.now()
        rnd.status = RoundStatus.DECIDED
        rnd.decided_at = now
        rnd.decided_by = actor
        rnd.decision_note = note
        rnd.full_clean()
        _save(rnd, actor)
        rnd.candidates.filter(pk__in=ids).update(chosen=True)
        today = timezone.localdate()
        for candidate in sorted(chosen, key=lambda c: c.pk):
            incubator = Incubator(center=candidate.center, selection_round=rnd, established_on=today)
            policy.require(actor, Action.CREATE, incubator)
            incubator.full_clean()
            _save(incubator, actor)
            center_services.center_update(actor=actor, center_id=candidate.center_id, status=CenterStatus.INCUBATOR)
        managers = User.objects.filter(
            role=Role.PENGELOLA, is_active=True, scope_center_id__in=[c.center_id for c in chosen]
        )
        notify(
            recipients=list(managers),
            kind="selection_chosen",
            title=_("BLK Anda terpilih menjadi inkubator wirausaha (%(round)s)") % {"round": rnd.name},
            body=_("Lengkapi profil inkubator: pengelola, ruang, kurikulum dan SOP."),
            url=reverse("incubation:decision", args=[rnd.pk]),
        )
    return rnd
