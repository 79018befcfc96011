"""Setting up an incubator selection round: the round, its criteria, the long-list and candidates.

Reviewing (assignments, conflicts, scores, the decision) is in reviewing.py.

A round moves draft → scoring → decided. In draft Admin Pusat sets the
criteria (weights summing to 100, a complete 1-5 rubric each), draws the
long-list from the data (facts frozen at listing), adjusts it by hand and
assigns reviewers. Opening the round tells the reviewers; each scores their
own assignments (1-5 with a reason per criterion) and submits. A reviewer
who declares a conflict of interest is taken out (their scores deleted) and
replaced from the round's reviewers. The decision records who, when and
which centres; the chosen centres become incubators. A decided round never
changes again.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from simpul.accounts import policy
from simpul.accounts.policy import Action
from simpul.centers.models import Center, CenterStatus
from simpul.core.formats import format_number

from ..models import (
    RUBRIC_MAX,
    RUBRIC_MIN,
    Candidate,
    Criterion,
    DataSource,
    Incubator,
    RoundStatus,
    SelectionRound,
)
from ..ranking import data_points
from ..selectors.selection import centre_facts, eligible_centres, fact_value

RUBRIC_LEVELS = [str(level) for level in range(RUBRIC_MIN, RUBRIC_MAX + 1)]
WEIGHT_TOTAL = Decimal(100)
ROUND_FIELDS = ("name", "year", "quota", "reviewers_per_candidate", "normalise")
CRITERION_FIELDS = ("code", "name", "weight", "rubric", "data_source", "order")
REASON_MAX = 500


# --- helpers -----------------------------------------------------------------


def _save(obj: Any, actor: Any, **kwargs: Any) -> None:
    obj._history_user = actor
    obj.save(**kwargs)


def _round_for_change(actor: Any, round_id: Any, *, draft_only: bool = True) -> SelectionRound:
    rnd = policy.get_or_404(actor, SelectionRound.objects.select_for_update(), Action.CHANGE, pk=round_id)
    if draft_only and rnd.status != RoundStatus.DRAFT:
        raise ValidationError(
            _("Penilaian seleksi ini sudah dibuka: kriteria, calon dan pengaturannya tidak dapat diubah lagi.")
        )
    return rnd


def _data_scores(facts: Mapping[int, Mapping[str, Any]], weights: Mapping[str, Decimal]) -> dict[int, Decimal]:
    """Each candidate's data score: the weighted mean of its 1-5 data points, one per data source."""
    total = sum(weights.values(), Decimal(0))
    if not total:
        return {pk: Decimal(0) for pk in facts}
    points = {source: data_points({pk: fact_value(f, source) for pk, f in facts.items()}) for source in weights}
    return {
        pk: (sum((weights[s] * points[s][pk] for s in weights), Decimal(0)) / total).quantize(
            Decimal("0.001"), rounding=ROUND_HALF_EVEN
        )
        for pk in facts
    }


def _data_weights(rnd: SelectionRound) -> dict[str, Decimal]:
    """The weight of each data source: the weights of the criteria that draw on it."""
    weights: dict[str, Decimal] = {}
    for criterion in rnd.criteria.exclude(data_source=""):
        weights[criterion.data_source] = weights.get(criterion.data_source, Decimal(0)) + criterion.weight
    return weights


def _refresh_data_scores(rnd: SelectionRound) -> None:
    """Data points rank candidates against each other: recomputed whenever the list or the criteria change."""
    candidates = list(rnd.candidates.all())
    scores = _data_scores({c.pk: c.facts for c in candidates}, _data_weights(rnd))
    changed = [c for c in candidates if c.data_score != scores[c.pk]]
    for candidate in changed:
        candidate.data_score = scores[candidate.pk]
    Candidate.objects.bulk_update(changed, ["data_score"])


def _can_become_incubator(center: Center) -> str | None:
    if center.status == CenterStatus.INACTIVE:
        return _("%(name)s berstatus nonaktif dan tidak dapat menjadi calon.") % {"name": center.name}
    if center.status == CenterStatus.INCUBATOR or Incubator.objects.filter(center=center).exists():
        return _("%(name)s sudah menjadi inkubator.") % {"name": center.name}
    return None


# --- rounds and criteria ----------------------------------------------------


def round_create(
    *,
    actor: Any,
    name: str,
    year: int,
    quota: int,
    reviewers_per_candidate: int = 2,
    normalise: bool = False,
    copy_from_id: Any = None,
) -> SelectionRound:
    """A new round in draft, owned by its creator; optionally with the criteria of an earlier round."""
    with transaction.atomic():
        rnd = SelectionRound(
            name=(name or "").strip(),
            year=year,
            quota=quota,
            reviewers_per_candidate=reviewers_per_candidate,
            normalise=normalise,
            owner=actor,
        )
        policy.require(actor, Action.CREATE, rnd)
        rnd.full_clean()
        _save(rnd, actor)
        if copy_from_id:
            source = policy.get_or_404(actor, SelectionRound.objects.all(), Action.VIEW, pk=copy_from_id)
            Criterion.objects.bulk_create(
                Criterion(
                    round=rnd,
                    code=c.code,
                    name=c.name,
                    weight=c.weight,
                    rubric=dict(c.rubric),
                    data_source=c.data_source,
                    order=c.order,
                )
                for c in source.criteria.all()
            )
    return rnd


def round_update(*, actor: Any, round_id: Any, **fields: Any) -> SelectionRound:
    unknown = set(fields) - set(ROUND_FIELDS)
    if unknown:
        raise ValueError(f"unknown round fields: {sorted(unknown)}")
    with transaction.atomic():
        rnd = _round_for_change(actor, round_id)
        for name, value in fields.items():
            setattr(rnd, name, value.strip() if isinstance(value, str) else value)
        rnd.full_clean()
        _save(rnd, actor)
    return rnd


def _clean_rubric(rubric: Mapping[Any, Any] | None) -> dict[str, str]:
    given = {str(k): str(v or "").strip() for k, v in (rubric or {}).items()}
    stray = set(given) - set(RUBRIC_LEVELS)
    if stray:
        raise ValidationError({"rubric": _("Rubrik hanya berisi nilai 1 sampai 5.")})
    missing = [level for level in RUBRIC_LEVELS if not given.get(level)]
    if missing:
        raise ValidationError(
            {"rubric": _("Rubrik belum lengkap: tulis arti nilai %(levels)s.") % {"levels": ", ".join(missing)}}
        )
    return {level: given[level] for level in RUBRIC_LEVELS}


def _check_weights(rnd: SelectionRound, criterion: Criterion) -> None:
    others = rnd.criteria.exclude(pk=criterion.pk).values_list("weight", flat=True)
    total = sum(others, Decimal(0)) + (criterion.weight or Decimal(0))
    if total > WEIGHT_TOTAL:
        raise ValidationError(
            {
                "weight": _("Jumlah bobot semua kriteria menjadi %(total)s%%; paling banyak 100%%.")
                % {"total": format_number(total)}
            }
        )


def _save_criterion(actor: Any, rnd: SelectionRound, criterion: Criterion) -> Criterion:
    criterion.code = (criterion.code or "").strip().lower()
    criterion.name = (criterion.name or "").strip()
    criterion.rubric = _clean_rubric(criterion.rubric)
    policy.require(actor, Action.CHANGE, criterion)
    criterion.full_clean()
    _check_weights(rnd, criterion)
    criterion.save()
    _refresh_data_scores(rnd)
    return criterion


def criterion_add(
    *,
    actor: Any,
    round_id: Any,
    code: str,
    name: str,
    weight: Decimal,
    rubric: Mapping[Any, str],
    data_source: str = "",
) -> Criterion:
    with transaction.atomic():
        rnd = _round_for_change(actor, round_id)
        order = (rnd.criteria.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        criterion = Criterion(
            round=rnd,
            code=code,
            name=name,
            weight=weight,
            rubric=dict(rubric),
            data_source=data_source or "",
            order=order,
        )
        return _save_criterion(actor, rnd, criterion)


def criterion_update(*, actor: Any, criterion_id: Any, **fields: Any) -> Criterion:
    unknown = set(fields) - set(CRITERION_FIELDS)
    if unknown:
        raise ValueError(f"unknown criterion fields: {sorted(unknown)}")
    with transaction.atomic():
        criterion = policy.get_or_404(actor, Criterion.objects.select_related("round"), Action.CHANGE, pk=criterion_id)
        rnd = _round_for_change(actor, criterion.round_id)
        for name, value in fields.items():
            setattr(criterion, name, "" if value is None and name == "data_source" else value)
        return _save_criterion(actor, rnd, criterion)


def criterion_remove(*, actor: Any, criterion_id: Any) -> None:
    with transaction.atomic():
        criterion = policy.get_or_404(actor, Criterion.objects.all(), Action.CHANGE, pk=criterion_id)
        rnd = _round_for_change(actor, criterion.round_id)
        criterion.delete()
        _refresh_data_scores(rnd)


# --- the long-list ------------------------------------------------------------


def longlist_build(
    *,
    actor: Any,
    round_id: Any,
    min_completeness: Decimal | None = None,
    min_graduates: int | None = None,
    limit: int | None = None,
) -> int:
    """Add the eligible centres to the long-list, their facts frozen today. Returns how many were added.

    Optional thresholds: completeness (percent) and graduates in the last 12 months; with `limit`, only
    the best by data score (the round's data criteria, or all four data sources equally while the
    round has none). Centres already listed keep the facts they were listed with.
    """
    errors: dict[str, str] = {}
    if min_completeness is not None and not (0 <= min_completeness <= 100):
        errors["min_completeness"] = _("Kelengkapan laporan minimum antara 0 dan 100%.")
    if min_graduates is not None and min_graduates < 0:
        errors["min_graduates"] = _("Jumlah lulusan minimum tidak boleh negatif.")
    if limit is not None and limit < 1:
        errors["limit"] = _("Jumlah calon paling sedikit 1.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rnd = _round_for_change(actor, round_id)
        policy.require(actor, Action.CHANGE, Candidate(round=rnd))
        listed = rnd.candidates.values("center_id")
        facts = centre_facts(eligible_centres().exclude(pk__in=listed).values_list("pk", flat=True))
        if min_completeness is not None:
            floor = float(min_completeness) / 100
            facts = {pk: f for pk, f in facts.items() if (fact_value(f, DataSource.COMPLETENESS) or 0) >= floor - 1e-9}
        if min_graduates is not None:
            facts = {pk: f for pk, f in facts.items() if (fact_value(f, DataSource.GRADUATES) or 0) >= min_graduates}
        if limit is not None and len(facts) > limit:
            weights = _data_weights(rnd) or {source: Decimal(1) for source in DataSource.values if source}
            scores = _data_scores(facts, weights)
            names = dict(eligible_centres().exclude(pk__in=listed).values_list("pk", "name"))
            best = sorted(facts, key=lambda pk: (-scores[pk], names[pk], pk))[:limit]
            facts = {pk: facts[pk] for pk in best}
        Candidate.objects.bulk_create(
            (Candidate(round=rnd, center_id=pk, facts=f) for pk, f in facts.items()), batch_size=500
        )
        _refresh_data_scores(rnd)
    return len(facts)


def candidate_add(*, actor: Any, round_id: Any, center_id: Any) -> Candidate:
    """Add a centre by hand (also one outside the long-list's filter) before scoring opens."""
    with transaction.atomic():
        rnd = _round_for_change(actor, round_id)
        center = policy.get_or_404(actor, Center.objects.all(), Action.VIEW, pk=center_id)
        problem = _can_become_incubator(center)
        if problem:
            raise ValidationError({"center": problem})
        candidate = Candidate(round=rnd, center=center, facts=centre_facts([center.pk])[center.pk])
        policy.require(actor, Action.CHANGE, candidate)
        candidate.full_clean()
        candidate.save()
        _refresh_data_scores(rnd)
    candidate.refresh_from_db()
    return candidate


def candidate_remove(*, actor: Any, candidate_id: Any) -> None:
    with transaction.atomic():
        candidate = policy.get_or_404(actor, Candidate.objects.all(), Action.CHANGE, pk=candidate_id)
        rnd = _round_for_change(actor, candidate.round_id)
        for assignment in candidate.assignments.all():
            assignment._history_user = actor  # type: ignore[attr-defined]
            assignment.delete()
        candidate.delete()
        _refresh_data_scores(rnd)
