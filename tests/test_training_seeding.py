"""The synthetic training records: valid NIKs, rows that pass the models' own rules, a demo centre ready to show."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random

import phonenumbers
import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from simpul.accounts.models import User
from simpul.core.idn import check_nik_against, parse_nik
from simpul.core.seeding import registered_seeders
from simpul.regions.models import District
from simpul.training.models import (
    VALIDITY_YEARS,
    WAVES,
    WORKING,
    Attendance,
    CompetencyTest,
    Consent,
    Enrolment,
    Outcome,
    Package,
    PackageStatus,
    Person,
    Result,
    add_years,
)
from simpul.training.models import (
    TestResult as Competence,  # aliased: pytest would take a Test* name for a test class
)
from simpul.training.reference import KBJI_GROUPS
from simpul.training.services.tracing import add_months, wave_due

SCALE = 0.002  # 10 centres, about 3,000 enrolments


def _seed(seed: int = 20171) -> None:
    call_command("seed", scale=SCALE, seed=seed, stdout=open(os.devnull, "w"))  # noqa: SIM115


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def test_training_is_seeded_after_centres_and_accounts_and_before_reporting():
    order = {name.split(".")[1]: number for number, name, _ in registered_seeders()}
    assert order["centers"] < order["accounts"] < order["training"] < order["reporting"]


def test_every_seeded_nik_is_valid_unique_and_agrees_with_the_person(db):
    _seed()
    people = list(Person.objects.values_list("nik", "birth_date", "sex", "province_id", "regency_id", "district_id"))
    assert len(people) > 1000
    assert len({nik for nik, *_ in people}) == len(people)
    districts = set(District.objects.values_list("code", flat=True))
    for nik, birth_date, sex, province, regency, district in people:
        parsed = parse_nik(nik)
        assert parsed.value == nik
        assert check_nik_against(parsed, birth_date=birth_date, female=sex == "P") == {}, nik
        assert parsed.district_code in districts  # a real Kemendagri district ...
        assert parsed.district_code.startswith(f"{province}.")  # ... of the centre's province
        assert regency.startswith(f"{province}.")
        assert district.startswith(f"{regency}.")
    women = sum(1 for person in people if person[2] == "P")
    assert 0.35 < women / len(people) < 0.55

    phones = list(Person.objects.exclude(phone="").values_list("phone", flat=True))
    assert len(phones) > 0.8 * len(people)
    for phone in phones:
        assert phone.as_e164.startswith("+628")
        assert phonenumbers.is_valid_number(phonenumbers.parse(phone.as_e164))

    for birth_date, start in Enrolment.objects.values_list("person__birth_date", "package__start_date"):
        assert 16 <= _age(birth_date, start) <= 45
    # Deduplication is visible: some people were trained in more than one package.
    assert Person.objects.annotate(n=Count("enrolments")).filter(n__gt=1).exists()
    # One consent per person and centre that trained them.
    pairs = set(Enrolment.objects.values_list("person_id", "package__center_id"))
    assert set(Consent.objects.values_list("person_id", "center_id")) == pairs
    assert Consent.objects.count() == len(pairs)


def test_seeded_training_records_pass_their_models_rules(db):
    _seed()
    today = timezone.localdate()
    rng = random.Random(5)
    for model in (Person, Consent, Package, Enrolment, Attendance, CompetencyTest, Outcome):
        ids = list(model.objects.values_list("pk", flat=True))
        assert ids, model
        for pk in rng.sample(ids, min(150, len(ids))):
            model.objects.get(pk=pk).full_clean()

    for package in Package.objects.annotate(n=Count("enrolments")):
        expected = (
            PackageStatus.PLANNED
            if package.start_date > today
            else PackageStatus.RUNNING
            if package.end_date >= today
            else PackageStatus.FINISHED
        )
        assert package.status == expected
        assert 4 * 7 - 3 <= (package.end_date - package.start_date).days <= 8 * 7 - 3  # 4-8 weeks, Monday-Friday
        assert 160 <= package.hours <= 320
        assert package.n >= 1
    over = Enrolment.objects.exclude(over_capacity_reason="")
    assert all(e.package.enrolments.count() > e.package.capacity for e in over)
    # Results only once a package is over; graduates graduate on its last day.
    assert not Enrolment.objects.exclude(package__status=PackageStatus.FINISHED).exclude(result="").exists()
    assert not Enrolment.objects.filter(package__status=PackageStatus.FINISHED, result="").exists()
    for enrolment in Enrolment.objects.filter(result=Result.PASSED).select_related("package")[:500]:
        assert enrolment.graduated_on == enrolment.package.end_date
        assert enrolment.certificate_number.startswith(f"SP/BLK-{enrolment.package.center_id}/")

    for test in CompetencyTest.objects.select_related("enrolment"):
        assert test.enrolment.result == Result.PASSED
        assert test.enrolment.graduated_on <= test.tested_on <= today
        if test.result == Competence.COMPETENT:
            assert test.tested_on <= test.issued_on <= today
            assert test.valid_until == add_years(test.issued_on, VALIDITY_YEARS)
    for outcome in Outcome.objects.select_related("enrolment"):
        graduated = outcome.enrolment.graduated_on
        assert outcome.enrolment.result == Result.PASSED
        assert wave_due(graduated, outcome.wave) <= today
        if outcome.status in WORKING:
            assert graduated <= outcome.started_on <= wave_due(graduated, outcome.wave)
        if outcome.occupation_code:
            assert outcome.occupation_code[:2] in KBJI_GROUPS


def test_the_demo_centre_runs_plans_and_traces(db):
    _seed()
    today = timezone.localdate()
    manager = User.objects.get(username="pengelola.demo")
    demo = manager.scope_center
    packages = Package.objects.filter(center=demo)

    running = packages.get(status=PackageStatus.RUNNING)
    assert running.start_date < today <= running.end_date
    assert running.enrolments.count() == running.capacity == 16
    days = set(Attendance.objects.filter(enrolment__package=running).values_list("day", flat=True))
    assert len(days) >= 3  # a few days recorded ...
    assert max(days) < today  # ... and today's register is open
    assert not Attendance.objects.exclude(enrolment__package__center=demo).exists()

    planned = packages.get(status=PackageStatus.PLANNED)
    assert planned.start_date > today
    assert 0 < planned.enrolments.count() < planned.capacity

    # Graduates of the last 15 months are due for each tracer wave, and some have not answered.
    recent = Enrolment.objects.filter(
        package__center=demo, result=Result.PASSED, graduated_on__gte=add_months(today, -15)
    ).prefetch_related("outcomes")
    due_unanswered = set()
    for enrolment in recent:
        current = [w for w in WAVES if wave_due(enrolment.graduated_on, w) <= today]
        if current and current[-1] not in {o.wave for o in enrolment.outcomes.all()}:
            due_unanswered.add(current[-1])
    assert due_unanswered == set(WAVES)
    assert Outcome.objects.filter(enrolment__package__center=demo).exists()

    expiring = CompetencyTest.objects.filter(
        enrolment__package__center=demo,
        result=Competence.COMPETENT,
        valid_until__range=(today, today + dt.timedelta(days=90)),
    )
    assert expiring.exists()

    # Only the demo centre's records carry history rows (see training/seeding.py).
    demo_enrolments = Enrolment.objects.filter(package__center=demo).count()
    assert Enrolment.history.filter(package__center=demo).count() == demo_enrolments
    assert not Enrolment.history.exclude(package__center=demo).exists()


def _digest() -> str:
    rows = list(Person.objects.order_by("pk").values_list("nik", "full_name", "phone"))
    # No primary keys: PostgreSQL's sequences do not roll back.
    rows += list(Package.objects.order_by("pk").values_list("center__name", "name", "start_date", "status"))
    rows += list(Outcome.objects.order_by("pk").values_list("enrolment__person__nik", "wave", "status", "employer"))
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _seed_and_digest(seed: int) -> str:
    with transaction.atomic():
        _seed(seed)
        digest = _digest()
        transaction.set_rollback(True)
    return digest


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_training_records():
    first = _seed_and_digest(3)
    assert _seed_and_digest(3) == first
    assert _seed_and_digest(4) != first
