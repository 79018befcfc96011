"""The selection ranking: pure, reproducible, and explained.

Input: the round's criteria (with weights), each candidate's data facts, and
every submitted, non-conflicted reviewer score. Output: candidates in rank
order, each with its total and, per criterion, how far it sits from the
round's average and why (which reviewers' scores, which data).

- A criterion's score for a candidate is the mean of its reviewers' scores
  (1-5). With normalisation, each reviewer's scores are first standardised
  over everything that reviewer scored in the round and mapped back onto
  the round's own mean and spread, so a strict and a lenient reviewer weigh
  the same.
- The total is the weighted mean of the criterion scores.
- Ties go to the higher data score, then to the centre's name, then its id:
  the same scores always give the same order.
- Arithmetic is Decimal in a fixed context, over inputs put in a fixed
  order first, rounded at fixed places: SQLite and PostgreSQL, any process
  and any order of the input give the same figures and the same reasons.
- A normalised score stays on the rubric's scale (clamped to 1-5), so it
  still reads as a rubric score.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Context, Decimal, localcontext

PLACES = Decimal("0.001")
SCALE_MIN, SCALE_MAX = Decimal(1), Decimal(5)
# One arithmetic for every process, whatever another library did to the thread's default context.
CONTEXT = Context(prec=28, rounding=ROUND_HALF_EVEN)


@contextmanager
def _arithmetic() -> Iterator[None]:
    with localcontext(CONTEXT):
        yield


def _q(value: Decimal | float) -> Decimal:
    return Decimal(str(value)).quantize(PLACES, rounding=ROUND_HALF_EVEN)


def _mean(values: Sequence[Decimal]) -> Decimal:
    return sum(sorted(values), Decimal(0)) / len(values)


def _pstdev(values: Sequence[Decimal]) -> Decimal:
    mean = _mean(values)
    return (sum(sorted((v - mean) ** 2 for v in values), Decimal(0)) / len(values)).sqrt()


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    name: str
    weight: Decimal
    data_source: str = ""


@dataclass(frozen=True)
class CandidateSpec:
    key: int
    name: str
    facts: Mapping[str, float | None]
    data_score: Decimal = Decimal(0)


@dataclass(frozen=True)
class ScoreSpec:
    candidate: int
    reviewer: int
    criterion: str
    value: int


@dataclass(frozen=True)
class Reason:
    code: str
    criterion: str
    score: Decimal | None  # mean reviewer score on the 1-5 scale (normalised if asked)
    average: Decimal  # the round's average for this criterion
    effect: Decimal  # weighted difference from the average: + moved the centre up, − down
    reviewers: int
    fact: float | None  # the data behind the criterion, if any
    fact_median: float | None


@dataclass(frozen=True)
class Ranked:
    rank: int
    candidate: CandidateSpec
    total: Decimal | None  # None: no complete scores yet
    reasons: list[Reason] = field(default_factory=list)


def normalise(scores: Sequence[ScoreSpec]) -> dict[tuple[int, int, str], Decimal]:
    """Each reviewer's scores standardised (z) and mapped onto the round's mean and spread.

    A reviewer who gave the same score everywhere says nothing about the differences between
    candidates: their scores all become the round's mean.
    """
    ordered = sorted(scores, key=lambda s: (s.reviewer, s.candidate, s.criterion, s.value))
    if len(ordered) < 2:
        return {(s.candidate, s.reviewer, s.criterion): Decimal(s.value) for s in ordered}
    with _arithmetic():
        values = [Decimal(s.value) for s in ordered]
        mean_all, spread_all = _mean(values), _pstdev(values)
        by_reviewer: dict[int, list[Decimal]] = defaultdict(list)
        for s in ordered:
            by_reviewer[s.reviewer].append(Decimal(s.value))
        stats = {reviewer: (_mean(own), _pstdev(own)) for reviewer, own in by_reviewer.items()}
        result = {}
        for s in ordered:
            mean, spread = stats[s.reviewer]
            z = (s.value - mean) / spread if spread else Decimal(0)
            result[(s.candidate, s.reviewer, s.criterion)] = _q(
                min(SCALE_MAX, max(SCALE_MIN, mean_all + z * spread_all))
            )
    return result


def rank(
    criteria: Sequence[CriterionSpec],
    candidates: Iterable[CandidateSpec],
    scores: Sequence[ScoreSpec],
    *,
    normalised: bool = False,
) -> list[Ranked]:
    """Candidates in rank order with their totals and, per criterion, what moved them up or down."""
    candidates = sorted(candidates, key=lambda c: c.key)
    criteria = list(criteria)
    with _arithmetic():
        values = (
            normalise(scores)
            if normalised
            else {(s.candidate, s.reviewer, s.criterion): Decimal(s.value) for s in scores}
        )
        per: dict[tuple[int, str], list[Decimal]] = defaultdict(list)
        for (candidate_key, _reviewer, criterion_code), value in sorted(values.items()):
            per[(candidate_key, criterion_code)].append(value)
        mean: dict[tuple[int, str], Decimal] = {key: _q(_mean(v)) for key, v in per.items()}
        averages: dict[str, Decimal] = {}
        medians: dict[str, float | None] = {}
        for criterion in criteria:
            known = [mean[(c.key, criterion.code)] for c in candidates if (c.key, criterion.code) in mean]
            averages[criterion.code] = _q(_mean(known)) if known else Decimal(0)
            facts = [c.facts.get(criterion.data_source) for c in candidates] if criterion.data_source else []
            present = [fact for fact in facts if fact is not None]
            medians[criterion.code] = statistics.median(sorted(present)) if present else None
        total_weight = sum((c.weight for c in criteria), Decimal(0)) or Decimal(1)

        rows: list[tuple[Decimal | None, CandidateSpec, list[Reason]]] = []
        for candidate in candidates:
            reasons = []
            complete = bool(criteria)
            weighted = Decimal(0)
            for criterion in criteria:
                score = mean.get((candidate.key, criterion.code))
                if score is None:
                    complete = False
                    effect = Decimal(0)
                else:
                    weighted += criterion.weight * score
                    effect = _q(criterion.weight / total_weight * (score - averages[criterion.code]))
                reasons.append(
                    Reason(
                        code=criterion.code,
                        criterion=criterion.name,
                        score=score,
                        average=averages[criterion.code],
                        effect=effect,
                        reviewers=len(per.get((candidate.key, criterion.code), [])),
                        fact=candidate.facts.get(criterion.data_source) if criterion.data_source else None,
                        fact_median=medians[criterion.code],
                    )
                )
            reasons.sort(key=lambda r: (-abs(r.effect), r.criterion, r.code))
            rows.append((_q(weighted / total_weight) if complete else None, candidate, reasons))

    def order(row: tuple[Decimal | None, CandidateSpec, list[Reason]]) -> tuple[int, Decimal, Decimal, str, int]:
        total, candidate, _ = row
        return (
            0 if total is not None else 1,
            -(total or Decimal(0)),
            -candidate.data_score,
            candidate.name,
            candidate.key,
        )

    rows.sort(key=order)
    return [Ranked(rank=i, candidate=c, total=t, reasons=r) for i, (t, c, r) in enumerate(rows, start=1)]


def data_points(values: Mapping[int, float | None]) -> dict[int, Decimal]:
    """Each candidate's fact as a 1-5 point by its rank among the candidates (ties share a point)."""
    present = sorted({v for v in values.values() if v is not None})
    if not present:
        return {key: Decimal(0) for key in values}
    span = len(present) - 1
    position = {v: i for i, v in enumerate(present)}
    with _arithmetic():
        return {
            key: (_q(1 + Decimal(4) * position[v] / span) if span else Decimal(3)) if v is not None else Decimal(1)
            for key, v in values.items()
        }
