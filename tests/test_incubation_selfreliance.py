"""The yearly self-reliance assessment: indicators from the records, score and class, trend, readiness."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from simpul.centers.models import Center, CenterStatus, DevelopmentClass
from simpul.incubation.models import Assessment
from simpul.incubation.selectors import selfreliance as selectors
from simpul.incubation.services import selfreliance as services
from simpul.reporting.models import ReportForm, Status, Submission, SubmissionValue
from simpul.reporting.periods import PeriodType, period_from_key, periods_between
from simpul.reporting.services import schedule
from simpul.training.models import Enrolment, Outcome, PackageStatus

from .factories import CenterFactory, PackageFactory, PersonFactory

YEAR = timezone.localdate().year - 1


# --- building a centre's year ------------------------------------------------------------------


def _send(submission, *, on_time=True, status=Status.APPROVED):
    sent = submission.due_at - dt.timedelta(days=2) if on_time else submission.due_at + dt.timedelta(days=9)
    Submission.objects.filter(pk=submission.pk).update(status=status, first_submitted_at=sent, submitted_at=sent)


def yearly_report(center, *, status=Status.APPROVED, year=YEAR, **values):
    form = ReportForm.objects.get(code="LAPMAN")
    schedule.schedule_period(form, period_from_key(PeriodType.YEARLY, str(year)), centers=[center])
    report = Submission.objects.get(form=form, center=center, period_key=str(year))
    if status != Status.DRAFT:
        _send(report, status=status)
    indicators = {i.code: i for i in report.version.indicators.all()}
    for code, number in values.items():
        SubmissionValue.objects.create(submission=report, indicator=indicators[code], number=Decimal(number))
    return report


def monthly_reports(center, *, sent, on_time, year=YEAR):
    """Twelve monthly reports: the first `sent` were sent, the first `on_time` of them on time."""
    form = ReportForm.objects.get(code="LAPBUL")
    for period in periods_between(PeriodType.MONTHLY, dt.date(year, 1, 1), dt.date(year, 12, 31)):
        schedule.schedule_period(form, period, centers=[center])
    reports = list(Submission.objects.filter(form=form, center=center).order_by("period_start"))
    for index, report in enumerate(reports[:sent]):
        _send(report, on_time=index < on_time)
    return reports


def package(center, *, funding="pemerintah", partner="", start=None):
    start = start or dt.date(YEAR, 3, 6)
    return PackageFactory(
        center=center,
        start_date=start,
        end_date=start + dt.timedelta(days=40),
        funding=funding,
        funding_partner=partner,
        status=PackageStatus.FINISHED,
    )


def graduates(pkg, count, *, self_employed, enrolled_by):
    for index in range(count):
        enrolment = Enrolment.objects.create(
            package=pkg, person=PersonFactory(), enrolled_by=enrolled_by, result="lulus", graduated_on=pkg.end_date
        )
        if index < self_employed:
            for wave in (3, 6):  # two answers, one graduate
                Outcome.objects.create(
                    enrolment=enrolment,
                    wave=wave,
                    status="wirausaha",
                    business_name=f"Usaha {index}",
                    business_sector="C",
                    started_on=pkg.end_date + dt.timedelta(days=30),
                )


@pytest.fixture
def good_year(world):
    """Malang's year: 45 % own revenue, 2 partners, 3 of 5 packages unaided, 20 % alumni businesses,
    12 of 13 reports sent and 11 on time."""
    admin = world.user("admin")
    yearly_report(world.malang, pendapatan_mandiri=45_000_000, biaya_operasional=100_000_000, mitra_pendanaan=1)
    monthly_reports(world.malang, sent=11, on_time=10)
    first = package(world.malang, funding="mitra", partner="Baznas Kabupaten")
    package(world.malang, funding="mitra", partner="Bank BPD (CSR)")
    package(world.malang, funding="mandiri")
    package(world.malang)
    package(world.malang)
    planned = package(world.malang, funding="mandiri", start=dt.date(YEAR, 12, 29))
    type(planned).objects.filter(pk=planned.pk).update(status=PackageStatus.PLANNED)  # never ran: not counted
    graduates(first, 10, self_employed=2, enrolled_by=admin)
    return world


# --- the rules -------------------------------------------------------------------------------------


def test_the_indicator_weights_add_up_to_100_and_each_band_gives_more_points():
    assert sum(rule.weight for rule in services.INDICATORS) == 100
    for rule in services.INDICATORS:
        minimums = [minimum for minimum, _points in rule.bands]
        points = [points for _minimum, points in rule.bands]
        assert minimums == sorted(minimums)
        assert points == sorted(points)
        assert (points[0], points[-1]) == (0, 100)
        assert rule.points(None) == 0


@pytest.mark.parametrize(
    ("score", "development_class"),
    [
        ("0", "tumbuh"),
        ("49.9", "tumbuh"),
        ("50", "berkembang"),
        ("74.9", "berkembang"),
        ("75", "mandiri"),
        ("100", "mandiri"),
    ],
)
def test_a_score_becomes_a_class_at_the_documented_thresholds(score, development_class):
    assert services.classify(Decimal(score)) == development_class


def test_the_class_ranges_are_written_from_the_thresholds():
    assert selectors.class_ranges() == [
        ("mandiri", "Mandiri", "≥ 75"),
        ("berkembang", "Berkembang", "50–74,9"),
        ("tumbuh", "Tumbuh", "< 50"),
    ]


# --- computing a year ----------------------------------------------------------------------------------


def test_each_indicator_is_scored_from_the_centres_own_records(good_year):
    world = good_year
    result = services.assessment_run(actor=world.user("admin"), year=YEAR, center_ids=[world.malang.pk])
    assert (result.created, result.updated, result.unchanged) == (1, 0, 0)
    assessment = Assessment.objects.get(center=world.malang, year=YEAR)
    facts = assessment.facts
    assert (facts["pendapatan_sendiri"]["value"], facts["pendapatan_sendiri"]["points"]) == (45, 75)
    assert facts["pendapatan_sendiri"]["data"]["report_status"] == "disetujui"
    assert (facts["mitra_pendanaan"]["value"], facts["mitra_pendanaan"]["points"]) == (2, 70)
    assert facts["mitra_pendanaan"]["data"]["package_partners"] == ["Bank BPD (CSR)", "Baznas Kabupaten"]
    assert (facts["pelatihan_tanpa_bantuan"]["value"], facts["pelatihan_tanpa_bantuan"]["points"]) == (60, 100)
    assert facts["pelatihan_tanpa_bantuan"]["data"]["packages"] == 5  # the planned one does not count
    assert (facts["usaha_alumni"]["value"], facts["usaha_alumni"]["points"]) == (20, 75)
    discipline = facts["disiplin_laporan"]
    assert (discipline["data"]["expected"], discipline["data"]["submitted"], discipline["data"]["on_time"]) == (
        13,
        12,
        11,
    )
    assert discipline["points"] == 75
    # 75×30 + 70×20 + 100×20 + 75×15 + 75×15, ÷ 100
    assert assessment.score == Decimal("79.0")
    assert assessment.development_class == DevelopmentClass.MANDIRI
    assert assessment.assessed_by == world.user("admin")


def test_a_report_the_centre_did_not_send_does_not_count(world):
    yearly_report(world.malang, status=Status.DRAFT, pendapatan_mandiri=90_000_000, biaya_operasional=100_000_000)
    services.assessment_run(actor=world.user("admin"), year=YEAR, center_ids=[world.malang.pk])
    own = Assessment.objects.get(center=world.malang).facts["pendapatan_sendiri"]
    assert (own["value"], own["points"], own["data"]["report_status"]) == (None, 0, "draf")


def test_a_centre_without_data_scores_zero_and_the_page_says_so(world, client):
    services.assessment_run(actor=world.user("admin"), year=YEAR, center_ids=[world.semarang.pk])
    assessment = Assessment.objects.get(center=world.semarang)
    assert assessment.score == 0
    assert assessment.development_class == DevelopmentClass.TUMBUH
    assert all(item["value"] is None and item["points"] == 0 for item in assessment.facts.values())
    client.force_login(world.user("admin"))
    page = client.get(reverse("incubation:self-reliance-center", args=[world.semarang.pk])).content.decode()
    assert page.count("tidak ada data") == 5


def test_running_a_year_again_changes_nothing_until_the_data_changes_and_keeps_the_old_version(good_year):
    world, admin = good_year, good_year.user("admin")
    services.assessment_run(actor=admin, year=YEAR)
    again = services.assessment_run(actor=admin, year=YEAR)
    assert (again.created, again.updated) == (0, 0)
    assert again.unchanged == again.assessed == 3
    assessment = Assessment.objects.get(center=world.malang, year=YEAR)
    assert assessment.history.count() == 1

    # The centre sends its last monthly report late: the year is re-assessed, the earlier version kept.
    last = Submission.objects.filter(center=world.malang, form__code="LAPBUL", status=Status.DRAFT).get()
    _send(last, on_time=False)
    third = services.assessment_run(actor=admin, year=YEAR)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 2)
    assessment.refresh_from_db()
    assert assessment.facts["disiplin_laporan"]["data"]["submitted"] == 13
    versions = list(assessment.history.order_by("history_date").values_list("history_type", "score"))
    assert [kind for kind, _score in versions] == ["+", "~"]


def test_only_centres_open_during_the_year_are_assessed(world):
    Center.objects.filter(pk=world.kota_malang.pk).update(opened_on=dt.date(YEAR + 1, 2, 1), cohort=YEAR + 1)
    closed = CenterFactory(cohort=2018, opened_on=dt.date(2018, 8, 1))
    Center.objects.filter(pk=closed.pk).update(status=CenterStatus.INACTIVE, closed_on=dt.date(YEAR - 1, 6, 30))
    result = services.assessment_run(actor=world.user("admin"), year=YEAR)
    assert result.assessed == 2
    assert set(Assessment.objects.values_list("center_id", flat=True)) == {world.malang.pk, world.semarang.pk}


@pytest.mark.parametrize("user_key", ["fkn_national", "pemda_jatim", "pengelola_malang", "mentor_malang"])
def test_only_admin_pusat_runs_an_assessment(world, user_key):
    with pytest.raises(Http404):
        services.assessment_run(actor=world.user(user_key), year=YEAR)
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("year", [2016, timezone.localdate().year + 1])
def test_a_year_outside_the_programme_is_refused_with_a_clear_message(world, year):
    with pytest.raises(ValidationError) as error:
        services.assessment_run(actor=world.user("admin"), year=year)
    assert "Tahun penilaian antara 2017" in str(error.value)
    assert not Assessment.objects.exists()


def test_the_yearly_command_assesses_last_year_and_is_safe_to_run_twice(good_year):
    out = io.StringIO()
    call_command("selfreliance_assess", stdout=out)
    call_command("selfreliance_assess", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == f"Penilaian kemandirian {YEAR}: 3 BLK (3 baru, 0 berubah, 0 tetap)."
    assert lines[1] == f"Penilaian kemandirian {YEAR}: 3 BLK (0 baru, 0 berubah, 3 tetap)."
    assert Assessment.objects.get(center=good_year.malang).assessed_by is None


# --- the proposed class -------------------------------------------------------------------------------


def _assess(center, year, score, development_class):
    return Assessment.objects.create(
        center=center, year=year, facts={}, score=Decimal(score), development_class=development_class
    )


def test_applying_the_proposed_class_changes_the_registry_and_its_history(world):
    admin = world.user("admin")
    assessment = _assess(world.malang, YEAR, "81.5", "mandiri")
    center = services.assessment_class_apply(actor=admin, assessment_id=assessment.pk, expected_class="mandiri")
    assert center.development_class == "mandiri"
    latest = Center.history.filter(id=world.malang.pk).latest("history_date")
    assert (latest.development_class, latest.history_user) == ("mandiri", admin)


def test_a_proposed_class_is_applied_from_the_latest_assessment_only_and_only_once(world):
    admin = world.user("admin")
    older = _assess(world.malang, YEAR - 1, "81", "mandiri")
    latest = _assess(world.malang, YEAR, "55", "berkembang")
    with pytest.raises(ValidationError, match=f"penilaian terbaru \\({YEAR}\\)"):
        services.assessment_class_apply(actor=admin, assessment_id=older.pk, expected_class="mandiri")
    services.assessment_class_apply(actor=admin, assessment_id=latest.pk, expected_class="berkembang")
    with pytest.raises(ValidationError, match="sudah Berkembang"):
        services.assessment_class_apply(actor=admin, assessment_id=latest.pk, expected_class="berkembang")
    assert Center.history.filter(id=world.malang.pk).count() == 2  # created, then changed once


def test_a_stale_page_cannot_apply_a_proposal_that_changed_since(world):
    assessment = _assess(world.malang, YEAR, "52", "berkembang")
    with pytest.raises(ValidationError, match="berubah sejak halaman dibuka"):
        services.assessment_class_apply(
            actor=world.user("admin"), assessment_id=assessment.pk, expected_class="mandiri"
        )
    world.malang.refresh_from_db()
    assert world.malang.development_class == "tumbuh"


@pytest.mark.parametrize("user_key", ["fkn_national", "pemda_jatim", "pengelola_malang"])
def test_only_admin_pusat_applies_a_proposed_class(world, user_key):
    assessment = _assess(world.malang, YEAR, "90", "mandiri")
    with pytest.raises(Http404):
        services.assessment_class_apply(
            actor=world.user(user_key), assessment_id=assessment.pk, expected_class="mandiri"
        )
    world.malang.refresh_from_db()
    assert world.malang.development_class == "tumbuh"


# --- trend and readiness ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "direction"),
    [(["40", "45"], "naik"), (["60", "55"], "turun"), (["60", "64.9"], "stabil"), (["60"], None)],
)
def test_the_trend_says_up_down_or_flat_by_five_points(world, scores, direction):
    for offset, score in enumerate(scores):
        _assess(world.malang, YEAR - len(scores) + 1 + offset, score, services.classify(Decimal(score)))
    trend = selectors.assessment_trends(actor=world.user("admin"), center_ids=[world.malang.pk])[world.malang.pk]
    assert trend.direction == direction
    assert [p.year for p in trend.points] == sorted(p.year for p in trend.points)


def test_the_centres_built_2017_to_2019_are_listed_with_whether_each_is_ready(world):
    def centre(name, cohort=2018, **fields):
        return CenterFactory(name=name, cohort=cohort, opened_on=dt.date(cohort, 9, 1), **fields)

    mandiri = centre("BLK A Mandiri")
    rising = centre("BLK B Berkembang naik", cohort=2017)
    flat = centre("BLK C Berkembang datar", cohort=2019)
    growing = centre("BLK D Tumbuh naik")
    never = centre("BLK E Belum dinilai")
    young = centre("BLK F Angkatan 2020", cohort=2020)
    closed = centre("BLK G Tutup")
    Center.objects.filter(pk=closed.pk).update(status=CenterStatus.INACTIVE, closed_on=dt.date(2023, 1, 1))
    _assess(mandiri, YEAR, "80", "mandiri")
    _assess(rising, YEAR - 1, "55", "berkembang")
    _assess(rising, YEAR, "62", "berkembang")
    _assess(flat, YEAR - 1, "60", "berkembang")
    _assess(flat, YEAR, "63", "berkembang")
    _assess(growing, YEAR - 1, "20", "tumbuh")
    _assess(growing, YEAR, "45", "tumbuh")
    _assess(young, YEAR, "90", "mandiri")

    admin = world.user("admin")
    rows = {c.name: c for c in selectors.stand_alone_list(actor=admin, filters=selectors.StandAloneFilters())}
    assert set(rows) == {c.name for c in (mandiri, rising, flat, growing, never)}
    readiness = {name: c.readiness for name, c in rows.items()}
    assert readiness == {
        mandiri.name: "siap",
        rising.name: "siap",
        flat.name: "belum",
        growing.name: "belum",
        never.name: "belum_dinilai",
    }
    assert list(rows)[:2] == [mandiri.name, rising.name]  # the ready ones first, best score first
    counts = selectors.stand_alone_counts(actor=admin, filters=selectors.StandAloneFilters())
    assert counts == {"siap": 2, "belum": 2, "belum_dinilai": 1}
    ready = selectors.stand_alone_list(actor=admin, filters=selectors.StandAloneFilters(readiness="siap"))
    assert {c.name for c in ready} == {mandiri.name, rising.name}


# --- the pages ---------------------------------------------------------------------------------------------


def test_the_centre_page_explains_every_indicator_from_the_stored_facts(good_year, client):
    world = good_year
    services.assessment_run(actor=world.user("admin"), year=YEAR)
    client.force_login(world.user("pemda_malang"))
    page = client.get(reverse("incubation:self-reliance-center", args=[world.malang.pk])).content.decode()
    for text in (
        "Pendapatan mandiri Rp45.000.000 dari biaya operasional Rp100.000.000.",
        "Mitra yang mendanai paket: Bank BPD (CSR), Baznas Kabupaten.",
        "5 paket berjalan: 2 bantuan pemerintah, 1 dana BLK sendiri, 2 mitra.",
        f"2 dari 10 lulusan {YEAR - 2}–{YEAR} tercatat berwirausaha.",
        "12 dari 13 laporan dikirim, 11 tepat waktu.",
        "79,0",
    ):
        assert text in page, text
    assert 'id="apply-class"' not in page  # an official reads; only Admin Pusat applies


def test_admin_pusat_sees_the_proposed_class_and_applies_it_from_the_page(good_year, client):
    world = good_year
    services.assessment_run(actor=world.user("admin"), year=YEAR)
    assessment = Assessment.objects.get(center=world.malang, year=YEAR)
    client.force_login(world.user("admin"))
    url = reverse("incubation:self-reliance-center", args=[world.malang.pk])
    page = client.get(url).content.decode()
    assert 'id="apply-class"' in page
    assert 'id="proposed-class">Mandiri</span>' in page
    assert 'id="current-class">Tumbuh</span>' in page
    response = client.post(
        reverse("incubation:self-reliance-apply", args=[world.malang.pk]),
        {"assessment": assessment.pk, "development_class": "mandiri"},
        follow=True,
    )
    assert "kini Mandiri" in response.content.decode()
    world.malang.refresh_from_db()
    assert world.malang.development_class == "mandiri"
    assert 'id="apply-class"' not in client.get(url).content.decode()


def test_an_assessment_of_another_centre_cannot_be_applied_through_this_one(world, client):
    other = _assess(world.semarang, YEAR, "90", "mandiri")
    client.force_login(world.user("admin"))
    response = client.post(
        reverse("incubation:self-reliance-apply", args=[world.malang.pk]),
        {"assessment": other.pk, "development_class": "mandiri"},
    )
    assert response.status_code == 404
    assert Center.objects.get(pk=world.semarang.pk).development_class == "tumbuh"


def test_admin_pusat_runs_a_year_from_the_list_page(good_year, client):
    client.force_login(good_year.user("admin"))
    response = client.post(reverse("incubation:self-reliance-run"), {"year": YEAR}, follow=True)
    assert f"Penilaian kemandirian {YEAR} selesai: 3 BLK dinilai (3 baru, 0 berubah, 0 tetap)." in (
        response.content.decode()
    )
    assert Assessment.objects.filter(year=YEAR).count() == 3


def test_the_list_filters_by_year_province_and_class_and_shows_the_trend(world, client):
    _assess(world.malang, YEAR - 1, "48", "tumbuh")
    _assess(world.malang, YEAR, "56", "berkembang")
    _assess(world.kota_malang, YEAR, "77", "mandiri")
    _assess(world.semarang, YEAR, "30", "tumbuh")
    _assess(world.semarang, YEAR - 1, "35", "tumbuh")
    client.force_login(world.user("admin"))
    url = reverse("incubation:self-reliance")
    page = client.get(url).content.decode()  # the latest year by default
    assert world.malang.name in page
    assert world.semarang.name in page
    assert f"{YEAR - 1}:&nbsp;48,0 → {YEAR}:&nbsp;56,0" in page
    assert "▲ naik 8,0" in page
    assert '<span class="badge berkembang">Berkembang</span>' in page  # the proposed class, by name
    page = client.get(url, {"provinsi": "35", "kelas": "berkembang"}).content.decode()
    assert world.malang.name in page
    assert world.kota_malang.name not in page
    assert world.semarang.name not in page
    page = client.get(url, {"tahun": YEAR - 1}).content.decode()
    assert world.kota_malang.name not in page
    assert world.malang.name in page
    page = client.get(url, {"berbeda": "on"}).content.decode()  # proposed class differs from the registry's
    assert world.malang.name in page
    assert world.kota_malang.name in page
    assert world.semarang.name not in page


def test_a_reader_sees_the_assessments_of_their_own_region_only(world, client):
    _assess(world.malang, YEAR, "56", "berkembang")
    _assess(world.semarang, YEAR, "30", "tumbuh")
    client.force_login(world.user("pemda_jatim"))
    page = client.get(reverse("incubation:self-reliance")).content.decode()
    assert world.malang.name in page
    assert world.semarang.name not in page


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("name", ["incubation:self-reliance", "incubation:self-reliance-stand-alone"])
def test_the_lists_cost_the_same_queries_for_more_centres(world, client, name):
    def more(count):
        for index in range(count):
            center = CenterFactory(cohort=2018, opened_on=dt.date(2018, 9, 1), regency_id="35.73")
            _assess(center, YEAR - 1, str(40 + index), "tumbuh")
            _assess(center, YEAR, str(50 + index), "berkembang")

    more(2)
    client.force_login(world.user("fkn_jatim"))
    before = _queries(client, reverse(name))
    more(6)
    assert _queries(client, reverse(name)) == before
