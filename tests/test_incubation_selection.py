"""Incubator selection in the services and selectors: long-list from data, reviewers, conflicts, scores,
the explained ranking, the decision, and bad input that changes nothing."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from simpul.accounts.models import Role, User
from simpul.centers.models import Center, CenterStatus, DevelopmentClass
from simpul.incubation import ranking
from simpul.incubation.models import (
    Assignment,
    Candidate,
    Criterion,
    DataSource,
    Incubator,
    RoundStatus,
    Score,
    SelectionRound,
)
from simpul.incubation.ranking import CandidateSpec, CriterionSpec, ScoreSpec
from simpul.incubation.selectors import selection as selectors
from simpul.incubation.services import reviewing
from simpul.incubation.services import selection as services
from simpul.messaging.models import Notification
from simpul.reporting.models import ReportForm, Status, Submission
from simpul.reporting.periods import PeriodType, period_containing, previous_period
from simpul.reporting.services import schedule
from simpul.training.models import Enrolment, Outcome, OutcomeStatus, Result

from .factories import CenterFactory, PackageFactory, PersonFactory, UserFactory

TODAY = timezone.localdate()
RUBRIC = {
    "1": "Tidak memenuhi",
    "2": "Kurang",
    "3": "Cukup",
    "4": "Baik",
    "5": "Sangat baik",
}
CRITERIA = [
    ("kelengkapan", "Kelengkapan laporan", Decimal(40), DataSource.COMPLETENESS),
    ("lulusan", "Lulusan", Decimal(30), DataSource.GRADUATES),
    ("kesiapan", "Kesiapan ruang dan pengelola", Decimal(30), DataSource.NONE),
]


# --- helpers (also used by the role matrix) -----------------------------------------------------------------


def make_eligible(world) -> None:
    Center.objects.filter(pk=world.malang.pk).update(development_class=DevelopmentClass.MANDIRI)
    Center.objects.filter(pk__in=[world.kota_malang.pk, world.semarang.pk]).update(
        development_class=DevelopmentClass.BERKEMBANG
    )


def make_reviewers():
    """Three reviewers: two FKN coordinators and a mentor from a centre outside the long-list."""
    elsewhere = CenterFactory(name="BLK Komunitas Mitra Jakarta", regency_id="31.71")
    return [
        UserFactory(username="rev.fkn", full_name="Ratna FKN", role=Role.FKN),
        UserFactory(username="rev.jateng", full_name="Joko FKN Jateng", role=Role.FKN, scope_province_id="33"),
        UserFactory(username="rev.mentor", full_name="Maya Mentor", role=Role.MENTOR, scope_center=elsewhere),
    ]


def build_round(world, *, quota=2, per_candidate=2, normalise=False, reviewers=None, open_it=True):
    admin = world.user("admin")
    make_eligible(world)
    rnd = services.round_create(
        actor=admin,
        name="Seleksi Inkubator 2026",
        year=2026,
        quota=quota,
        reviewers_per_candidate=per_candidate,
        normalise=normalise,
    )
    for code, name, weight, source in CRITERIA:
        services.criterion_add(
            actor=admin, round_id=rnd.pk, code=code, name=name, weight=weight, rubric=RUBRIC, data_source=source
        )
    services.longlist_build(actor=admin, round_id=rnd.pk)
    reviewers = reviewers if reviewers is not None else make_reviewers()
    reviewing.reviewers_assign(actor=admin, round_id=rnd.pk, reviewer_ids=[r.pk for r in reviewers])
    if open_it:
        reviewing.round_open(actor=admin, round_id=rnd.pk)
    rnd.refresh_from_db()
    return rnd


def full_scores(rnd, value=4, reason="Sesuai data dan kunjungan"):
    return {c.pk: (value, reason) for c in rnd.criteria.all()}


def score_everything(rnd, values=None):
    """Every reviewer scores and sends every assignment (values: {(centre name, reviewer pk): value})."""
    values = values or {}
    for a in Assignment.objects.filter(candidate__round=rnd, conflict=False).select_related("candidate__center"):
        value = values.get((a.candidate.center.name, a.reviewer_id), 3)
        reviewing.score_save(actor=a.reviewer, assignment_id=a.pk, scores=full_scores(rnd, value))
        reviewing.assignment_submit(actor=a.reviewer, assignment_id=a.pk)


def state():
    return (
        list(SelectionRound.objects.order_by("pk").values()),
        list(Criterion.objects.order_by("pk").values()),
        list(Candidate.objects.order_by("pk").values()),
        list(Assignment.objects.order_by("pk").values()),
        list(Score.objects.order_by("pk").values()),
        list(Incubator.objects.order_by("pk").values()),
        list(Center.objects.order_by("pk").values("pk", "status")),
    )


# --- the ranking itself (pure) ------------------------------------------------------------------------------

SPECS = [
    CriterionSpec(code="a", name="Kelengkapan laporan", weight=Decimal(40), data_source="kelengkapan"),
    CriterionSpec(code="b", name="Kesiapan", weight=Decimal(60)),
]


def _cands(*rows):
    return [
        CandidateSpec(key=key, name=name, facts={"kelengkapan": fact}, data_score=Decimal(str(data)))
        for key, name, fact, data in rows
    ]


def test_the_total_is_the_weighted_mean_of_the_reviewers_mean_per_criterion():
    candidates = _cands((1, "A", 0.9, 3), (2, "B", 0.5, 3))
    scores = [
        ScoreSpec(1, 10, "a", 5),
        ScoreSpec(1, 11, "a", 4),
        ScoreSpec(1, 10, "b", 3),
        ScoreSpec(1, 11, "b", 3),
        ScoreSpec(2, 10, "a", 2),
        ScoreSpec(2, 10, "b", 4),
    ]
    result = ranking.rank(SPECS, candidates, scores)
    a = next(r for r in result if r.candidate.key == 1)
    b = next(r for r in result if r.candidate.key == 2)
    assert a.total == Decimal("3.600")  # (40 × 4,5 + 60 × 3) / 100
    assert b.total == Decimal("3.200")  # (40 × 2 + 60 × 4) / 100
    assert [r.candidate.key for r in result] == [1, 2]


def test_each_reason_says_how_far_a_criterion_moved_the_centre_and_the_data_behind_it():
    candidates = _cands((1, "A", 0.9, 3), (2, "B", 0.5, 3))
    scores = [ScoreSpec(1, 10, "a", 5), ScoreSpec(1, 10, "b", 3), ScoreSpec(2, 10, "a", 3), ScoreSpec(2, 10, "b", 3)]
    top = ranking.rank(SPECS, candidates, scores)[0]
    reason = top.reasons[0]
    assert reason.criterion == "Kelengkapan laporan"
    assert reason.effect == Decimal("0.400")  # 40 % × (5 − 4)
    assert (reason.fact, reason.fact_median) == (0.9, 0.7)
    assert top.reasons[1].effect == 0


def test_the_effects_add_up_to_the_distance_from_the_weighted_average():
    candidates = _cands((1, "A", 0.9, 3), (2, "B", 0.5, 3), (3, "C", 0.7, 3))
    scores = [
        ScoreSpec(k, 10, c, v)
        for k, c, v in [(1, "a", 5), (1, "b", 2), (2, "a", 3), (2, "b", 4), (3, "a", 1), (3, "b", 5)]
    ]
    result = ranking.rank(SPECS, candidates, scores)
    averages = {r.code: r.average for r in result[0].reasons}
    baseline = (Decimal(40) * averages["a"] + Decimal(60) * averages["b"]) / 100
    for row in result:
        assert abs(sum(r.effect for r in row.reasons) - (row.total - baseline)) <= Decimal("0.002")


def test_ties_go_to_the_higher_data_score_then_the_name():
    candidates = _cands((1, "Zamrud", 0.5, 2), (2, "Anggrek", 0.5, 2), (3, "Melati", 0.5, 4))
    scores = [ScoreSpec(k, 10, c, 3) for k in (1, 2, 3) for c in ("a", "b")]
    assert [r.candidate.name for r in ranking.rank(SPECS, candidates, scores)] == ["Melati", "Anggrek", "Zamrud"]


def test_a_candidate_without_every_criterion_scored_is_listed_last_without_a_total():
    candidates = _cands((1, "A", 0.9, 5), (2, "B", 0.5, 1))
    scores = [ScoreSpec(1, 10, "a", 5), ScoreSpec(2, 10, "a", 1), ScoreSpec(2, 10, "b", 1)]
    result = ranking.rank(SPECS, candidates, scores)
    assert [(r.candidate.key, r.total) for r in result] == [(2, Decimal("1.000")), (1, None)]


def test_data_points_rank_the_facts_from_1_to_5_and_ties_share_a_point():
    points = ranking.data_points({1: 0.2, 2: 0.9, 3: 0.5, 4: 0.9, 5: None})
    assert points == {1: Decimal(1), 2: Decimal(5), 3: Decimal(3), 4: Decimal(5), 5: Decimal(1)}
    assert ranking.data_points({1: 7.0, 2: 7.0}) == {1: Decimal(3), 2: Decimal(3)}
    assert ranking.data_points({1: None}) == {1: Decimal(0)}


def test_normalisation_maps_a_reviewer_who_gives_one_score_everywhere_to_the_round_mean():
    scores = [ScoreSpec(1, 10, "a", 5), ScoreSpec(2, 10, "a", 5), ScoreSpec(1, 11, "a", 1), ScoreSpec(2, 11, "a", 3)]
    result = ranking.normalise(scores)
    assert result[(1, 10, "a")] == result[(2, 10, "a")] == Decimal("3.500")
    assert result[(1, 11, "a")] < result[(2, 11, "a")]
    assert all(ranking.SCALE_MIN <= v <= ranking.SCALE_MAX for v in result.values())


score_lists = st.lists(
    st.tuples(st.integers(1, 6), st.integers(1, 4), st.sampled_from(["a", "b"]), st.integers(1, 5)),
    min_size=1,
    max_size=40,
    unique_by=lambda t: (t[0], t[1], t[2]),
)


@settings(max_examples=150, deadline=None)
@given(rows=score_lists, normalised=st.booleans(), seed=st.integers(0, 10_000))
def test_shuffling_the_input_gives_the_identical_ranking_and_reasons(rows, normalised, seed):
    candidates = [
        CandidateSpec(key=k, name=f"BLK {k % 3}", facts={"kelengkapan": (k * 7 % 5) / 5}, data_score=Decimal(k % 2))
        for k in range(1, 7)
    ]
    scores = [ScoreSpec(candidate=c, reviewer=r, criterion=code, value=v) for c, r, code, v in rows]
    expected = ranking.rank(SPECS, candidates, scores, normalised=normalised)
    shuffler = random.Random(seed)
    shuffled_scores, shuffled_candidates, shuffled_specs = list(scores), list(candidates), list(SPECS)
    shuffler.shuffle(shuffled_scores)
    shuffler.shuffle(shuffled_candidates)
    shuffler.shuffle(shuffled_specs)
    again = ranking.rank(SPECS, shuffled_candidates, shuffled_scores, normalised=normalised)
    assert again == expected
    # The criteria's own order does not matter either (only their display order does).
    reordered = ranking.rank(shuffled_specs, candidates, scores, normalised=normalised)
    assert [(r.candidate.key, r.total) for r in reordered] == [(r.candidate.key, r.total) for r in expected]


@settings(max_examples=150, deadline=None)
@given(pattern=st.lists(st.integers(1, 3), min_size=2, max_size=6), shift=st.integers(1, 2))
def test_normalisation_makes_a_strict_and_a_lenient_reviewer_weigh_the_same(pattern, shift):
    """The strict reviewer scores candidates 1..n with `pattern`; the lenient one scores n+1..2n `shift` higher."""
    n = len(pattern)
    specs = [CriterionSpec(code="a", name="Kesiapan", weight=Decimal(100))]
    candidates = [CandidateSpec(key=k, name=f"BLK {k:02d}", facts={}) for k in range(1, 2 * n + 1)]
    scores = [ScoreSpec(i + 1, 10, "a", v) for i, v in enumerate(pattern)]
    scores += [ScoreSpec(n + i + 1, 11, "a", v + shift) for i, v in enumerate(pattern)]
    totals = {r.candidate.key: r.total for r in ranking.rank(specs, candidates, scores, normalised=True)}
    for i in range(1, n + 1):
        assert totals[i] == totals[n + i]
    raw = {r.candidate.key: r.total for r in ranking.rank(specs, candidates, scores)}
    assert all(raw[n + i] > raw[i] for i in range(1, n + 1))  # without it, the lenient reviewer's candidates win


# --- the long-list ------------------------------------------------------------------------------------------


def _report_history(center, months, sent):
    """`months` monthly reports already due, `sent` of them sent."""
    form = ReportForm.objects.get(code="LAPBUL")
    period = previous_period(previous_period(period_containing(PeriodType.MONTHLY, TODAY)))
    for _ in range(months):
        schedule.schedule_period(form, period, centers=[center])
        period = previous_period(period)
    ids = list(Submission.objects.filter(center=center).order_by("pk").values_list("pk", flat=True)[:sent])
    Submission.objects.filter(pk__in=ids).update(status=Status.SUBMITTED, first_submitted_at=timezone.now())


def _graduates(center, count, working):
    package = PackageFactory(
        center=center, start_date=TODAY - dt.timedelta(days=90), end_date=TODAY - dt.timedelta(days=60)
    )
    for i in range(count):
        enrolment = Enrolment.objects.create(
            package=package,
            person=PersonFactory(),
            enrolled_by=User.objects.order_by("pk").first(),
            result=Result.PASSED,
            graduated_on=package.end_date,
        )
        if i < working:
            Outcome.objects.create(enrolment=enrolment, wave=3, status=OutcomeStatus.EMPLOYED, started_on=TODAY)


def test_the_long_list_takes_berkembang_and_mandiri_centres_that_operate_and_are_not_incubators(world):
    make_eligible(world)
    CenterFactory(name="BLK Tumbuh", development_class=DevelopmentClass.TUMBUH)
    CenterFactory(
        name="BLK Tutup", development_class=DevelopmentClass.MANDIRI, status=CenterStatus.INACTIVE, closed_on=TODAY
    )
    already = CenterFactory(name="BLK Sudah Inkubator", development_class=DevelopmentClass.MANDIRI)
    Incubator.objects.create(center=already, established_on=TODAY)
    rnd = services.round_create(actor=world.user("admin"), name="S", year=2026, quota=2)
    added = services.longlist_build(actor=world.user("admin"), round_id=rnd.pk)
    assert added == 3
    assert set(rnd.candidates.values_list("center__name", flat=True)) == {
        world.malang.name,
        world.kota_malang.name,
        world.semarang.name,
    }
    assert services.longlist_build(actor=world.user("admin"), round_id=rnd.pk) == 0  # nothing twice


def test_the_facts_come_from_reports_graduates_outcomes_and_class_and_stay_frozen(world):
    make_eligible(world)
    _report_history(world.malang, months=4, sent=3)
    _graduates(world.malang, count=4, working=3)
    admin = world.user("admin")
    rnd = services.round_create(actor=admin, name="S", year=2026, quota=2)
    for code, name, weight, source in CRITERIA:
        services.criterion_add(
            actor=admin, round_id=rnd.pk, code=code, name=name, weight=weight, rubric=RUBRIC, data_source=source
        )
    services.longlist_build(actor=admin, round_id=rnd.pk)
    malang = rnd.candidates.get(center=world.malang)
    assert malang.facts["kelengkapan"] == 0.75
    assert malang.facts["lulusan"] == 4
    assert malang.facts["penempatan"] == 0.75
    assert malang.facts["klasifikasi"] == 3
    assert malang.facts["diambil_pada"] == TODAY.isoformat()
    other = rnd.candidates.get(center=world.semarang)
    assert other.facts["kelengkapan"] is None
    assert other.facts["penempatan"] is None
    # Malang is the only one with reports (3 points: nothing to compare with) and leads on graduates (5 points);
    # without data the others get the lowest point: (40 × 3 + 30 × 5) / 70.
    assert malang.data_score == Decimal("3.857")
    assert other.data_score == Decimal("1.000")
    rows = {f.label: f.text for f in selectors.fact_rows(malang.facts)}
    assert rows["Kelengkapan laporan 12 bulan terakhir"] == "75% (3 dari 4 laporan)"
    # Later data does not change what the reviewers were shown.
    _graduates(world.malang, count=2, working=0)
    malang.refresh_from_db()
    assert malang.facts["lulusan"] == 4


def test_the_long_list_can_be_narrowed_by_thresholds_and_a_limit(world):
    make_eligible(world)
    _graduates(world.malang, count=3, working=1)
    _graduates(world.semarang, count=1, working=0)
    admin = world.user("admin")
    rnd = services.round_create(actor=admin, name="S", year=2026, quota=1)
    services.criterion_add(
        actor=admin,
        round_id=rnd.pk,
        code="lulusan",
        name="Lulusan",
        weight=Decimal(100),
        rubric=RUBRIC,
        data_source=DataSource.GRADUATES,
    )
    assert services.longlist_build(actor=admin, round_id=rnd.pk, min_graduates=1, limit=1) == 1
    assert list(rnd.candidates.values_list("center", flat=True)) == [world.malang.pk]


def test_bad_long_list_thresholds_are_refused_and_change_nothing(world):
    rnd = services.round_create(actor=world.user("admin"), name="S", year=2026, quota=1)
    before = state()
    with pytest.raises(ValidationError) as error:
        services.longlist_build(actor=world.user("admin"), round_id=rnd.pk, min_completeness=Decimal(120), limit=0)
    assert set(error.value.message_dict) == {"min_completeness", "limit"}
    assert state() == before


def test_admin_adds_and_removes_candidates_by_hand_before_scoring(world):
    admin = world.user("admin")
    rnd = services.round_create(actor=admin, name="S", year=2026, quota=1)
    candidate = services.candidate_add(actor=admin, round_id=rnd.pk, center_id=world.malang.pk)  # class tumbuh
    assert candidate.facts["klasifikasi"] == 1
    with pytest.raises(ValidationError, match="sudah menjadi calon"):
        services.candidate_add(actor=admin, round_id=rnd.pk, center_id=world.malang.pk)
    closed = CenterFactory(status=CenterStatus.INACTIVE, closed_on=TODAY)
    with pytest.raises(ValidationError, match="nonaktif"):
        services.candidate_add(actor=admin, round_id=rnd.pk, center_id=closed.pk)
    services.candidate_remove(actor=admin, candidate_id=candidate.pk)
    assert not rnd.candidates.exists()


def test_candidates_and_criteria_are_fixed_once_scoring_opens(world):
    rnd = build_round(world)
    admin = world.user("admin")
    before = state()
    with pytest.raises(ValidationError, match="sudah dibuka"):
        services.candidate_remove(actor=admin, candidate_id=rnd.candidates.first().pk)
    with pytest.raises(ValidationError, match="sudah dibuka"):
        services.criterion_update(actor=admin, criterion_id=rnd.criteria.first().pk, weight=Decimal(50))
    with pytest.raises(ValidationError, match="sudah dibuka"):
        services.longlist_build(actor=admin, round_id=rnd.pk)
    assert state() == before


# --- criteria -----------------------------------------------------------------------------------------------


def test_weights_may_never_exceed_100_and_must_reach_100_before_opening(world):
    admin = world.user("admin")
    rnd = services.round_create(actor=admin, name="S", year=2026, quota=1)
    services.criterion_add(actor=admin, round_id=rnd.pk, code="a", name="A", weight=Decimal(70), rubric=RUBRIC)
    with pytest.raises(ValidationError) as error:
        services.criterion_add(actor=admin, round_id=rnd.pk, code="b", name="B", weight=Decimal(40), rubric=RUBRIC)
    assert "weight" in error.value.message_dict
    assert rnd.criteria.count() == 1
    services.candidate_add(actor=admin, round_id=rnd.pk, center_id=world.malang.pk)
    with pytest.raises(ValidationError, match="harus tepat 100"):
        reviewing.round_open(actor=admin, round_id=rnd.pk)


def test_a_rubric_must_say_what_every_score_from_1_to_5_means(world):
    admin = world.user("admin")
    rnd = services.round_create(actor=admin, name="S", year=2026, quota=1)
    with pytest.raises(ValidationError) as error:
        services.criterion_add(
            actor=admin, round_id=rnd.pk, code="a", name="A", weight=Decimal(10), rubric={"1": "x", "3": " "}
        )
    assert "2, 3, 4, 5" in error.value.message_dict["rubric"][0]
    with pytest.raises(ValidationError):
        services.criterion_add(
            actor=admin, round_id=rnd.pk, code="a", name="A", weight=Decimal(10), rubric={**RUBRIC, "6": "x"}
        )
    assert not rnd.criteria.exists()


def test_a_criterion_code_is_used_once_per_round(world):
    admin = world.user("admin")
    rnd = services.round_create(actor=admin, name="S", year=2026, quota=1)
    services.criterion_add(actor=admin, round_id=rnd.pk, code="a", name="A", weight=Decimal(10), rubric=RUBRIC)
    with pytest.raises(ValidationError, match="sudah dipakai"):
        services.criterion_add(actor=admin, round_id=rnd.pk, code="A", name="B", weight=Decimal(10), rubric=RUBRIC)


def test_a_new_round_can_copy_the_criteria_of_an_earlier_one(world):
    first = build_round(world, open_it=False)
    copy = services.round_create(actor=world.user("admin"), name="S 2027", year=2027, quota=5, copy_from_id=first.pk)
    assert list(copy.criteria.values_list("code", "weight", "rubric")) == list(
        first.criteria.values_list("code", "weight", "rubric")
    )


def test_only_admin_pusat_creates_and_changes_rounds(world):
    with pytest.raises(Http404):
        services.round_create(actor=world.user("fkn_national"), name="S", year=2026, quota=1)
    rnd = services.round_create(actor=world.user("admin"), name="S", year=2026, quota=1)
    with pytest.raises(Http404):
        services.criterion_add(
            actor=world.user("fkn_national"), round_id=rnd.pk, code="a", name="A", weight=Decimal(1), rubric=RUBRIC
        )
    assert SelectionRound.objects.count() == 1
    assert not Criterion.objects.exists()


# --- reviewers ----------------------------------------------------------------------------------------------


def test_reviewers_are_spread_evenly_and_never_on_their_own_centre(world):
    reviewers = [*make_reviewers(), world.user("mentor_malang")]
    rnd = build_round(world, reviewers=reviewers, open_it=False)
    loads = [Assignment.objects.filter(reviewer=r).count() for r in reviewers]
    assert sum(loads) == 6
    assert max(loads) - min(loads) <= 1
    assert not Assignment.objects.filter(reviewer=world.user("mentor_malang"), candidate__center=world.malang).exists()
    for candidate in rnd.candidates.all():
        assert candidate.assignments.count() == 2
    again = reviewing.reviewers_assign(
        actor=world.user("admin"), round_id=rnd.pk, reviewer_ids=[r.pk for r in reviewers]
    )
    assert again.created == []
    assert again.short == []


def test_only_fkn_and_mentors_can_be_reviewers(world):
    rnd = build_round(world, reviewers=make_reviewers(), open_it=False)
    before = state()
    with pytest.raises(ValidationError) as error:
        reviewing.reviewers_assign(
            actor=world.user("admin"), round_id=rnd.pk, reviewer_ids=[world.user("pengelola_malang").pk]
        )
    assert "reviewers" in error.value.message_dict
    assert state() == before


def test_a_round_opens_only_when_every_candidate_has_its_reviewers(world):
    admin = world.user("admin")
    make_eligible(world)
    rnd = services.round_create(actor=admin, name="S", year=2026, quota=1, reviewers_per_candidate=2)
    services.criterion_add(actor=admin, round_id=rnd.pk, code="a", name="A", weight=Decimal(100), rubric=RUBRIC)
    services.longlist_build(actor=admin, round_id=rnd.pk)
    result = reviewing.reviewers_assign(actor=admin, round_id=rnd.pk, reviewer_ids=[make_reviewers()[0].pk])
    assert len(result.short) == 3
    with pytest.raises(ValidationError, match="belum mendapat 2 reviewer"):
        reviewing.round_open(actor=admin, round_id=rnd.pk)
    assert SelectionRound.objects.get(pk=rnd.pk).status == RoundStatus.DRAFT


def test_opening_the_round_tells_each_reviewer_once(world):
    reviewers = make_reviewers()
    build_round(world, reviewers=reviewers)
    for reviewer in reviewers:
        notes = Notification.objects.filter(recipient=reviewer, kind="selection_assigned")
        assert notes.count() == 1
        assert notes.get().url == reverse("incubation:review-queue")


# --- conflicts ----------------------------------------------------------------------------------------------


def test_a_conflicted_reviewer_is_replaced_and_their_scores_are_not_counted(world):
    reviewers = make_reviewers()
    rnd = build_round(world, reviewers=reviewers)
    jateng = reviewers[1]
    assignment = Assignment.objects.get(reviewer=jateng, candidate__center=world.semarang)
    reviewing.score_save(actor=jateng, assignment_id=assignment.pk, scores=full_scores(rnd, 5))
    replacement = reviewing.conflict_declare(
        actor=jateng, assignment_id=assignment.pk, reason="Saya pengurus yayasan BLK ini"
    )
    assignment.refresh_from_db()
    assert assignment.conflict
    assert assignment.conflict_reason == "Saya pengurus yayasan BLK ini"
    assert not assignment.scores.exists()
    assert replacement is not None
    assert replacement.candidate_id == assignment.candidate_id
    assert replacement.reviewer not in (jateng,)
    assert Notification.objects.filter(recipient=replacement.reviewer, kind="selection_assigned").count() == 2
    assert assignment.candidate.assignments.filter(conflict=False).count() == 2
    with pytest.raises(ValidationError, match="sudah menyatakan"):
        reviewing.conflict_declare(actor=jateng, assignment_id=assignment.pk, reason="lagi")


def test_a_conflict_without_anyone_to_take_over_is_flagged_to_the_owner(world):
    reviewers = make_reviewers()[:2]
    rnd = build_round(world, reviewers=reviewers)
    assignment = Assignment.objects.filter(reviewer=reviewers[0]).first()
    assert reviewing.conflict_declare(actor=reviewers[0], assignment_id=assignment.pk, reason="Keluarga") is None
    flag = Notification.objects.get(recipient=world.user("admin"), kind="selection_short")
    assert assignment.candidate.center.name in flag.title
    progress = selectors.round_progress(actor=world.user("admin"), rnd=rnd)
    assert [c.pk for c, _n in progress.short] == [assignment.candidate_id]
    # The owner adds a reviewer: the gap is filled and the conflicted reviewer is never put back.
    newcomer = UserFactory(role=Role.FKN)
    result = reviewing.reviewers_assign(actor=world.user("admin"), round_id=rnd.pk, reviewer_ids=[newcomer.pk])
    assert [a.reviewer for a in result.created] == [newcomer]


def test_a_conflicted_reviewer_cannot_score_and_changes_nothing(world):
    reviewers = make_reviewers()
    rnd = build_round(world, reviewers=reviewers)
    assignment = Assignment.objects.filter(reviewer=reviewers[0]).first()
    reviewing.conflict_declare(actor=reviewers[0], assignment_id=assignment.pk, reason="Mitra usaha")
    before = state()
    with pytest.raises(ValidationError, match="konflik kepentingan"):
        reviewing.score_save(actor=reviewers[0], assignment_id=assignment.pk, scores=full_scores(rnd))
    with pytest.raises(ValidationError, match="konflik kepentingan"):
        reviewing.assignment_submit(actor=reviewers[0], assignment_id=assignment.pk)
    assert state() == before


def test_a_conflict_needs_a_reason(world):
    reviewers = make_reviewers()
    build_round(world, reviewers=reviewers)
    assignment = Assignment.objects.filter(reviewer=reviewers[0]).first()
    before = state()
    with pytest.raises(ValidationError) as error:
        reviewing.conflict_declare(actor=reviewers[0], assignment_id=assignment.pk, reason="  ")
    assert "conflict_reason" in error.value.message_dict
    assert state() == before


# --- scoring ------------------------------------------------------------------------------------------------


def test_a_reviewer_scores_their_assignment_and_sends_it(world):
    reviewers = make_reviewers()
    rnd = build_round(world, reviewers=reviewers)
    assignment = Assignment.objects.filter(reviewer=reviewers[0]).first()
    assert reviewing.score_save(actor=reviewers[0], assignment_id=assignment.pk, scores=full_scores(rnd, 4)) == 3
    assert reviewing.score_save(actor=reviewers[0], assignment_id=assignment.pk, scores=full_scores(rnd, 4)) == 0
    reviewing.assignment_submit(actor=reviewers[0], assignment_id=assignment.pk)
    assignment.refresh_from_db()
    assert assignment.submitted_at is not None
    before = state()
    with pytest.raises(ValidationError, match="sudah Anda kirim"):
        reviewing.score_save(actor=reviewers[0], assignment_id=assignment.pk, scores=full_scores(rnd, 1))
    assert state() == before


@pytest.mark.parametrize("value", [0, 6, -1, "x", "2.5", 2.5, True])
def test_a_score_outside_the_rubric_is_refused_and_changes_nothing(world, value):
    reviewers = make_reviewers()
    rnd = build_round(world, reviewers=reviewers)
    assignment = Assignment.objects.filter(reviewer=reviewers[0]).first()
    first = rnd.criteria.first()
    reviewing.score_save(actor=reviewers[0], assignment_id=assignment.pk, scores={first.pk: (3, "Cukup")})
    before = state()
    with pytest.raises(ValidationError) as error:
        reviewing.score_save(
            actor=reviewers[0], assignment_id=assignment.pk, scores={**full_scores(rnd, 4), first.pk: (value, "Alasan")}
        )
    assert "1 sampai 5" in error.value.message_dict[f"score_{first.pk}"][0]
    assert state() == before


def test_a_score_needs_a_reason_and_a_reason_needs_a_score(world):
    reviewers = make_reviewers()
    rnd = build_round(world, reviewers=reviewers)
    assignment = Assignment.objects.filter(reviewer=reviewers[0]).first()
    a, b, _c = rnd.criteria.all()
    with pytest.raises(ValidationError) as error:
        reviewing.score_save(actor=reviewers[0], assignment_id=assignment.pk, scores={a.pk: (4, ""), b.pk: (None, "x")})
    assert set(error.value.message_dict) == {f"reason_{a.pk}", f"score_{b.pk}"}
    assert not Score.objects.exists()


def test_scoring_someone_elses_assignment_answers_404_and_changes_nothing(world):
    reviewers = make_reviewers()
    rnd = build_round(world, reviewers=reviewers)
    theirs = Assignment.objects.filter(reviewer=reviewers[1]).first()
    before = state()
    # A fellow reviewer of the round is refused in words instead (tests/test_incubation_gaps.py).
    for intruder in (world.user("admin"), world.user("pengelola_malang"), world.user("mentor_malang")):
        with pytest.raises(Http404):
            reviewing.score_save(actor=intruder, assignment_id=theirs.pk, scores=full_scores(rnd))
        with pytest.raises(Http404):
            reviewing.assignment_submit(actor=intruder, assignment_id=theirs.pk)
        with pytest.raises(Http404):
            reviewing.conflict_declare(actor=intruder, assignment_id=theirs.pk, reason="x")
    assert state() == before


def test_a_criterion_of_another_round_is_refused(world):
    reviewers = make_reviewers()
    rnd = build_round(world, reviewers=reviewers)
    other = services.round_create(actor=world.user("admin"), name="Lain", year=2026, quota=1)
    foreign = services.criterion_add(
        actor=world.user("admin"), round_id=other.pk, code="x", name="X", weight=Decimal(1), rubric=RUBRIC
    )
    assignment = Assignment.objects.filter(reviewer=reviewers[0]).first()
    with pytest.raises(ValidationError, match="bukan bagian"):
        reviewing.score_save(actor=reviewers[0], assignment_id=assignment.pk, scores={foreign.pk: (3, "x")})
    assert not Score.objects.exists()
    assert rnd.status == RoundStatus.SCORING


def test_scoring_waits_until_the_round_is_open(world):
    reviewers = make_reviewers()
    rnd = build_round(world, reviewers=reviewers, open_it=False)
    assignment = Assignment.objects.filter(reviewer=reviewers[0]).first()
    with pytest.raises(ValidationError, match="belum dibuka"):
        reviewing.score_save(actor=reviewers[0], assignment_id=assignment.pk, scores=full_scores(rnd))
    assert not Score.objects.exists()


def test_sending_needs_every_criterion_scored(world):
    reviewers = make_reviewers()
    rnd = build_round(world, reviewers=reviewers)
    assignment = Assignment.objects.filter(reviewer=reviewers[0]).first()
    first = rnd.criteria.first()
    reviewing.score_save(actor=reviewers[0], assignment_id=assignment.pk, scores={first.pk: (4, "Baik")})
    with pytest.raises(ValidationError, match="Belum dinilai: Lulusan, Kesiapan"):
        reviewing.assignment_submit(actor=reviewers[0], assignment_id=assignment.pk)
    assert Assignment.objects.get(pk=assignment.pk).submitted_at is None


def test_the_owner_is_told_when_every_score_is_in(world):
    rnd = build_round(world)
    score_everything(rnd)
    notes = Notification.objects.filter(recipient=world.user("admin"), kind="selection_complete")
    assert notes.count() == 1
    assert notes.get().url == reverse("incubation:ranking", args=[rnd.pk])


# --- what reviewers see -------------------------------------------------------------------------------------


def test_a_reviewer_sees_the_others_scores_only_after_sending_their_own(world):
    reviewers = make_reviewers()
    rnd = build_round(world, reviewers=reviewers)
    candidate = rnd.candidates.get(center=world.malang)
    first, second = candidate.assignments.order_by("pk")
    reviewing.score_save(actor=first.reviewer, assignment_id=first.pk, scores=full_scores(rnd, 5, "Luar biasa"))
    reviewing.assignment_submit(actor=first.reviewer, assignment_id=first.pk)
    page = selectors.review_get(actor=second.reviewer, assignment_id=second.pk)
    assert not page.others_visible
    assert all(row.others == [] for row in page.rows)
    reviewing.score_save(actor=second.reviewer, assignment_id=second.pk, scores=full_scores(rnd, 3))
    assert all(row.others == [] for row in selectors.review_get(actor=second.reviewer, assignment_id=second.pk).rows)
    reviewing.assignment_submit(actor=second.reviewer, assignment_id=second.pk)
    page = selectors.review_get(actor=second.reviewer, assignment_id=second.pk)
    assert page.others_visible
    assert [(o.label, o.value, o.reason) for o in page.rows[0].others] == [("Reviewer 1", 5, "Luar biasa")]


def test_the_queue_lists_pending_work_oldest_first_and_next_skips_the_one_just_done(world):
    reviewers = make_reviewers()
    rnd = build_round(world, reviewers=reviewers)
    reviewer = reviewers[0]
    queue = selectors.review_queue(actor=reviewer)
    assert [a.pk for a in queue.pending] == sorted(a.pk for a in queue.pending)
    first = queue.pending[0]
    assert selectors.next_assignment(actor=reviewer, after=first.pk) == queue.pending[1]
    reviewing.score_save(actor=reviewer, assignment_id=first.pk, scores=full_scores(rnd))
    reviewing.assignment_submit(actor=reviewer, assignment_id=first.pk)
    queue = selectors.review_queue(actor=reviewer)
    assert first not in queue.pending
    assert first in queue.submitted


def test_the_queue_is_for_reviewers_only(world):
    with pytest.raises(Http404):
        selectors.review_queue(actor=world.user("admin"))
    with pytest.raises(Http404):
        selectors.review_queue(actor=world.user("pengelola_malang"))


def test_the_owner_sees_the_missing_scores_per_reviewer(world):
    reviewers = make_reviewers()
    rnd = build_round(world, reviewers=reviewers)
    done = Assignment.objects.filter(reviewer=reviewers[0]).first()
    reviewing.score_save(actor=reviewers[0], assignment_id=done.pk, scores=full_scores(rnd))
    reviewing.assignment_submit(actor=reviewers[0], assignment_id=done.pk)
    progress = selectors.round_progress(actor=world.user("admin"), rnd=rnd)
    assert (progress.assigned, progress.submitted) == (6, 1)
    rows = {row.reviewer.pk: row for row in progress.reviewers}
    assert (rows[reviewers[0].pk].missing, rows[reviewers[1].pk].missing) == (1, 2)
    assert done.candidate.center.name not in rows[reviewers[0].pk].pending
    with pytest.raises(Http404):
        selectors.round_progress(actor=world.user("fkn_national"), rnd=rnd)


# --- the explained ranking ----------------------------------------------------------------------------------


def _scored_round(world, reviewers=None, order_seed=None):
    """A round whose reviewers all send the same scores; `order_seed` shuffles the order they are saved in."""
    _report_history(world.malang, months=4, sent=4)
    _report_history(world.semarang, months=4, sent=2)
    rnd = build_round(world, reviewers=reviewers if reviewers is not None else make_reviewers())
    planned = {world.malang.name: 5, world.kota_malang.name: 3, world.semarang.name: 2}
    assignments = list(Assignment.objects.filter(candidate__round=rnd).select_related("candidate__center"))
    if order_seed is not None:
        random.Random(order_seed).shuffle(assignments)
    criteria = list(rnd.criteria.all())
    if order_seed is not None:
        random.Random(order_seed).shuffle(criteria)
    for a in assignments:
        value = planned[a.candidate.center.name]
        scores = {c.pk: (value if c.code == "kelengkapan" else 3, "Alasan") for c in criteria}
        reviewing.score_save(actor=a.reviewer, assignment_id=a.pk, scores=scores)
        reviewing.assignment_submit(actor=a.reviewer, assignment_id=a.pk)
    return rnd


def _as_text(rows):
    return [(r.rank, r.candidate.center.name, r.total, r.summary, [str(line) for line in r.lines]) for r in rows]


def test_the_ranking_explains_which_criteria_and_data_moved_each_centre(world):
    rnd = _scored_round(world)
    rows = selectors.round_ranking(actor=world.user("admin"), rnd=rnd)
    assert [r.candidate.center for r in rows] == [world.malang, world.kota_malang, world.semarang]
    top = rows[0]
    assert str(top.lines[0]) == "+0,67 Kelengkapan laporan (100% vs median 75%)"
    assert top.summary == "Naik karena Kelengkapan laporan"
    assert str(rows[2].lines[0]).startswith("−0,53 Kelengkapan laporan (50% vs median 75%)")
    assert top.lines[0].score_text == "nilai reviewer 5,00 vs rata-rata 3,33 (2 reviewer)"


def test_the_same_scores_always_give_the_same_ranking_and_the_same_explanation(world):
    reviewers = make_reviewers()
    admin = world.user("admin")
    first = _scored_round(world, reviewers, order_seed=1)
    expected = _as_text(selectors.round_ranking(actor=admin, rnd=first))
    assert _as_text(selectors.round_ranking(actor=admin, rnd=first)) == expected
    # A second round over the same centres, the same scores saved in another order: the same words.
    second = _scored_round(world, reviewers, order_seed=7)
    assert second.pk != first.pk
    assert _as_text(selectors.round_ranking(actor=admin, rnd=second)) == expected


def test_the_ranking_is_for_the_owner_only(world):
    rnd = build_round(world)
    with pytest.raises(Http404):
        selectors.round_ranking(actor=world.user("fkn_national"), rnd=rnd)


# --- the decision -------------------------------------------------------------------------------------------


def test_the_decision_makes_the_chosen_centres_incubators_and_is_recorded(world):
    rnd = _scored_round(world)
    admin = world.user("admin")
    reviewing.round_decide(actor=admin, round_id=rnd.pk, candidate_ids=[rnd.candidates.get(center=world.malang).pk])
    rnd.refresh_from_db()
    assert rnd.status == RoundStatus.DECIDED
    assert rnd.decided_by == admin
    assert rnd.decided_at is not None
    incubator = Incubator.objects.get(center=world.malang)
    assert incubator.selection_round == rnd
    assert incubator.established_on == TODAY
    assert Center.objects.get(pk=world.malang.pk).status == CenterStatus.INCUBATOR
    assert list(rnd.candidates.filter(chosen=True).values_list("center", flat=True)) == [world.malang.pk]
    assert Notification.objects.filter(recipient=world.user("pengelola_malang"), kind="selection_chosen").exists()
    history = Center.history.filter(id=world.malang.pk).first()
    assert history.history_user == admin


def test_a_second_decision_is_refused_and_changes_nothing(world):
    rnd = _scored_round(world)
    admin = world.user("admin")
    reviewing.round_decide(actor=admin, round_id=rnd.pk, candidate_ids=[rnd.candidates.get(center=world.malang).pk])
    before = state()
    with pytest.raises(ValidationError, match="sudah diputuskan"):
        reviewing.round_decide(
            actor=admin, round_id=rnd.pk, candidate_ids=[rnd.candidates.get(center=world.semarang).pk], note="Ubah"
        )
    assert state() == before


def test_choosing_more_than_the_quota_is_refused_and_changes_nothing(world):
    rnd = _scored_round(world)
    before = state()
    with pytest.raises(ValidationError) as error:
        reviewing.round_decide(
            actor=world.user("admin"), round_id=rnd.pk, candidate_ids=rnd.candidates.values_list("pk", flat=True)
        )
    assert "Kuota seleksi ini 2 BLK; Anda memilih 3" in error.value.message_dict["candidates"][0]
    assert state() == before


def test_departing_from_the_ranking_needs_a_written_reason(world):
    rnd = _scored_round(world)
    last = rnd.candidates.get(center=world.semarang)
    before = state()
    with pytest.raises(ValidationError) as error:
        reviewing.round_decide(actor=world.user("admin"), round_id=rnd.pk, candidate_ids=[last.pk])
    assert "decision_note" in error.value.message_dict
    assert state() == before
    reviewing.round_decide(
        actor=world.user("admin"), round_id=rnd.pk, candidate_ids=[last.pk], note="Pemerataan wilayah Jawa Tengah"
    )
    assert SelectionRound.objects.get(pk=rnd.pk).decision_note == "Pemerataan wilayah Jawa Tengah"


def test_a_decision_names_only_candidates_of_the_round_and_waits_for_scoring(world):
    admin = world.user("admin")
    draft = build_round(world, open_it=False)
    before = state()
    with pytest.raises(ValidationError, match="Buka penilaian dulu"):
        reviewing.round_decide(actor=admin, round_id=draft.pk, candidate_ids=[draft.candidates.first().pk])
    reviewing.round_open(actor=admin, round_id=draft.pk)
    before = state()
    with pytest.raises(ValidationError):
        reviewing.round_decide(actor=admin, round_id=draft.pk, candidate_ids=[999999], note="x")
    with pytest.raises(ValidationError):
        reviewing.round_decide(actor=admin, round_id=draft.pk, candidate_ids=[], note="x")
    with pytest.raises(Http404):
        reviewing.round_decide(
            actor=world.user("fkn_national"), round_id=draft.pk, candidate_ids=[draft.candidates.first().pk], note="x"
        )
    assert state() == before


def test_the_published_decision_shows_centres_date_and_role_but_no_names(world, client):
    rnd = _scored_round(world)
    url = reverse("incubation:decision", args=[rnd.pk])
    assert client.get(url).status_code == 404  # not decided yet
    reviewing.round_decide(
        actor=world.user("admin"), round_id=rnd.pk, candidate_ids=[rnd.candidates.get(center=world.malang).pk]
    )
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert world.malang.name in text
    assert "Admin Pusat (Kemnaker)" in text
    assert world.semarang.name not in text
    main = text.split('<main id="main">', 1)[1]
    assert world.user("admin").full_name not in main
    assert "Ratna" not in main
    assert "Joko" not in main
    assert "Maya" not in main


# --- pages: bad input through the browser's forms -----------------------------------------------------------


def test_the_review_page_refuses_a_score_outside_the_rubric_and_changes_nothing(world, client):
    reviewers = make_reviewers()
    rnd = build_round(world, reviewers=reviewers)
    assignment = Assignment.objects.filter(reviewer=reviewers[0]).first()
    client.force_login(reviewers[0])
    data = {}
    for c in rnd.criteria.all():
        data[f"score_{c.pk}"] = "4"
        data[f"reason_{c.pk}"] = "Baik"
    data[f"score_{rnd.criteria.first().pk}"] = "7"
    before = state()
    response = client.post(reverse("incubation:review", args=[assignment.pk]), {**data, "send": "1"})
    assert response.status_code == 200
    assert "1 sampai 5 sesuai rubrik" in response.content.decode()
    assert state() == before


def test_save_and_next_sends_and_opens_the_next_candidate(world, client):
    reviewers = make_reviewers()
    rnd = build_round(world, reviewers=reviewers)
    first, second = Assignment.objects.filter(reviewer=reviewers[0]).order_by("created_at", "pk")
    client.force_login(reviewers[0])
    data = {"send": "1"}
    for c in rnd.criteria.all():
        data[f"score_{c.pk}"] = "4"
        data[f"reason_{c.pk}"] = "Baik"
    response = client.post(reverse("incubation:review", args=[first.pk]), data)
    assert response.status_code == 302
    assert response.url == reverse("incubation:review", args=[second.pk])
    assert Assignment.objects.get(pk=first.pk).submitted_at is not None
    response = client.post(reverse("incubation:review", args=[second.pk]), data)
    assert response.url == reverse("incubation:review-queue")


def test_a_decision_over_the_quota_through_the_page_shows_the_message_and_changes_nothing(world, client):
    rnd = _scored_round(world)
    client.force_login(world.user("admin"))
    before = state()
    response = client.post(
        reverse("incubation:decide", args=[rnd.pk]),
        {"candidates": [str(pk) for pk in rnd.candidates.values_list("pk", flat=True)]},
    )
    assert response.status_code == 200
    assert "Kuota seleksi ini 2 BLK" in response.content.decode()
    assert state() == before


# --- query counts -------------------------------------------------------------------------------------------

OWNER_PAGES = ["round", "candidates", "assign", "ranking", "decide"]


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", OWNER_PAGES)
def test_the_owners_pages_need_no_query_per_candidate(world, client, page):
    reviewers = make_reviewers()
    small = build_round(world, reviewers=reviewers)
    score_everything(small)
    for i in range(4):
        CenterFactory(name=f"BLK Komunitas Tambahan {i}", development_class=DevelopmentClass.BERKEMBANG)
    large = build_round(world, reviewers=reviewers)
    score_everything(large)
    assert large.candidates.count() == 7
    client.force_login(world.user("admin"))
    client.get(reverse("incubation:rounds"))  # the first request of a session reads a few things once
    client.get(reverse(f"incubation:{page}", args=[small.pk]))  # and the first of a page (content types, cached)
    counts = [_queries(client, reverse(f"incubation:{page}", args=[rnd.pk])) for rnd in (small, large)]
    assert counts[0] == counts[1], counts


def test_the_review_queue_needs_no_query_per_assignment(world, client):
    reviewers = make_reviewers()
    build_round(world, reviewers=reviewers)
    client.force_login(reviewers[0])
    client.get(reverse("incubation:rounds"))
    few = _queries(client, reverse("incubation:review-queue"))
    for i in range(4):
        CenterFactory(name=f"BLK Komunitas Tambahan {i}", development_class=DevelopmentClass.BERKEMBANG)
    build_round(world, reviewers=reviewers)
    assert Assignment.objects.filter(reviewer=reviewers[0]).count() > 4
    assert _queries(client, reverse("incubation:review-queue")) == few
