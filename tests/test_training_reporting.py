"""The monthly report's training figures are prefilled from the training records, with their source shown."""

from __future__ import annotations

import datetime as dt

from simpul.reporting.models import ReportForm, Submission, SubmissionValue, ValueSource
from simpul.reporting.periods import PeriodType, period_from_key
from simpul.reporting.services import schedule
from simpul.reporting.services.submissions import submission_prefill
from simpul.training.models import PackageStatus
from simpul.training.services import certification, packages, tracing

from .factories import PackageFactory, make_nik

SEPTEMBER = period_from_key(PeriodType.MONTHLY, "2026-09")


def test_the_monthly_report_is_prefilled_from_packages_results_certificates_and_tracing(world):
    manager = world.user("pengelola_malang")
    # A package of 30 days, 15 of them in September: half its 200 hours were taught in September.
    package = PackageFactory(
        center=world.malang,
        start_date=dt.date(2026, 8, 17),
        end_date=dt.date(2026, 9, 15),
        hours=200,
        status=PackageStatus.PLANNED,
    )
    september_start = PackageFactory(
        center=world.malang,
        start_date=dt.date(2026, 9, 20),
        end_date=dt.date(2026, 10, 31),
        hours=210,
        status=PackageStatus.PLANNED,
    )
    people = [
        ("Budi", "L", dt.date(1999, 1, 2), package),
        ("Siti", "P", dt.date(2000, 2, 3), package),
        ("Rina", "P", dt.date(2001, 4, 5), package),
        ("Joko", "L", dt.date(2002, 6, 7), september_start),
    ]
    enrolments = []
    for serial, (name, sex, born, target) in enumerate(people, start=1):
        result = packages.enrolment_create(
            actor=manager,
            package_id=target.pk,
            person={
                "nik": make_nik(born, female=sex == "P", serial=serial),
                "full_name": name,
                "sex": sex,
                "birth_date": born,
                "education": "sma",
            },
            consent_given_on=dt.date(2026, 8, 1),
        )
        enrolments.append(result.enrolment)
    packages.package_start(actor=manager, package_id=package.pk)
    budi, siti, rina = enrolments[:3]
    packages.results_record(
        actor=manager,
        package_id=package.pk,
        results={budi.pk: ("lulus", ""), siti.pk: ("lulus", ""), rina.pk: ("tidak_lulus", "")},
    )
    certification.competency_test_record(
        actor=manager,
        enrolment_id=siti.pk,
        lsp="LSP",
        scheme="Skema",
        tested_on=dt.date(2026, 9, 25),
        result="kompeten",
        certificate_number="B-9",
        issued_on=dt.date(2026, 9, 30),
    )

    form = ReportForm.objects.get(code="LAPBUL")
    schedule.schedule_period(form, SEPTEMBER, centers=[world.malang])
    report = Submission.objects.get(form=form, center=world.malang)
    submission_prefill(actor=manager, submission_id=report.pk)
    values = {
        v.indicator.code: v for v in SubmissionValue.objects.filter(submission=report).select_related("indicator")
    }
    figures = {code: values[code].number for code in values if values[code].number is not None}
    assert figures["paket_berjalan"] == 2
    # 15 of 30 days of 200 hours, and 11 of 42 days of 210 hours.
    assert figures["jam_pelatihan"] == 100 + 55
    assert (figures["peserta_l"], figures["peserta_p"]) == (1, 0)  # only Joko began in September
    assert (figures["lulus_l"], figures["lulus_p"]) == (1, 1)
    assert (figures["sertifikat_l"], figures["sertifikat_p"]) == (0, 1)
    assert (figures["bekerja_l"], figures["wirausaha_p"]) == (0, 0)
    assert values["lulus_p"].source == ValueSource.PREFILLED
    assert "lulusan" in values["lulus_p"].source_detail


def test_alumni_who_began_work_or_a_business_in_the_month_are_prefilled(world):
    manager = world.user("pengelola_malang")
    package = PackageFactory(
        center=world.malang, start_date=dt.date(2026, 5, 4), end_date=dt.date(2026, 6, 30), status=PackageStatus.PLANNED
    )
    graduates = []
    for serial, (name, sex, born) in enumerate(
        [("Budi", "L", dt.date(1999, 1, 2)), ("Siti", "P", dt.date(2000, 2, 3))], 1
    ):
        person = {
            "nik": make_nik(born, female=sex == "P", serial=serial),
            "full_name": name,
            "sex": sex,
            "birth_date": born,
            "education": "sma",
        }
        graduates.append(
            packages.enrolment_create(
                actor=manager, package_id=package.pk, person=person, consent_given_on=dt.date(2026, 5, 1)
            ).enrolment
        )
    packages.package_start(actor=manager, package_id=package.pk)
    packages.results_record(actor=manager, package_id=package.pk, results={e.pk: ("lulus", "") for e in graduates})
    budi, siti = graduates
    tracing.outcome_record(
        actor=manager,
        enrolment_id=budi.pk,
        wave=3,
        status="bekerja",
        employer="PT Maju",
        occupation="Penjahit",
        occupation_code="7531",
        formality="formal",
        wage_band="2-3",
        started_on=dt.date(2026, 9, 10),
    )
    tracing.outcome_record(
        actor=manager,
        enrolment_id=siti.pk,
        wave=3,
        status="wirausaha",
        business_name="Jahit Siti",
        business_sector="C",
        started_on=dt.date(2026, 8, 20),
    )
    form = ReportForm.objects.get(code="LAPBUL")
    schedule.schedule_period(form, SEPTEMBER, centers=[world.malang])
    report = Submission.objects.get(form=form, center=world.malang)
    submission_prefill(actor=manager, submission_id=report.pk)
    numbers = dict(SubmissionValue.objects.filter(submission=report).values_list("indicator__code", "number"))
    assert (numbers["bekerja_l"], numbers["bekerja_p"]) == (1, 0)
    assert (numbers["wirausaha_l"], numbers["wirausaha_p"]) == (0, 0)  # Siti's business began in August
