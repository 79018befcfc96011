"""Where each person is listed (PersonArea): the rows the access policy scopes people through, kept by every
service that enrols, removes, imports, renames or moves, in its own transaction, and equal to a rebuild."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from simpul.centers.services import center_update
from simpul.training.models import Enrolment, PackageStatus, Person, PersonArea
from simpul.training.selectors.people import PersonFilters, person_get, person_list
from simpul.training.services import packages, people
from simpul.training.services.areas import person_areas_rebuild

from .concurrency import at_once, fresh_world, needs_two_writers
from .conftest import move_to_semarang
from .factories import PackageFactory, make_nik

TODAY = timezone.localdate()
BIRTH = dt.date(2001, 3, 9)


def _planned(center):
    return PackageFactory(
        center=center,
        start_date=TODAY + dt.timedelta(days=7),
        end_date=TODAY + dt.timedelta(days=40),
        status=PackageStatus.PLANNED,
    )


def _enrol(world, package, serial=1, name="Siti Aminah", user="admin"):
    return packages.enrolment_create(
        actor=world.user(user),
        package_id=package.pk,
        person={
            "nik": make_nik(BIRTH, female=True, serial=serial),
            "full_name": name,
            "sex": "P",
            "birth_date": BIRTH,
            "education": "sma",
            "disability": "tidak_ada",
        },
        consent_given_on=TODAY,
    )


def _areas(person=None) -> set[tuple]:
    rows = PersonArea.objects.all() if person is None else PersonArea.objects.filter(person=person)
    return set(rows.values_list("person_id", "center_id", "regency_id", "province_id", "full_name"))


def _assert_kept_equals_rebuild() -> None:
    kept = _areas()
    person_areas_rebuild()
    assert _areas() == kept


def test_enrolling_lists_the_person_in_the_centre_its_regency_and_its_province(world):
    person = _enrol(world, _planned(world.malang)).enrolment.person
    malang = world.malang
    assert _areas(person) == {
        (person.pk, malang.pk, None, None, "Siti Aminah"),
        (person.pk, None, "35.07", None, "Siti Aminah"),
        (person.pk, None, None, "35", "Siti Aminah"),
    }
    assert list(person_list(actor=world.user("pemda_malang"))) == [person]
    assert list(person_list(actor=world.user("pemda_jatim"))) == [person]
    assert list(person_list(actor=world.user("pengelola_malang"))) == [person]
    assert not person_list(actor=world.user("pemda_malang")).filter(pk=person.pk).exclude(pk=person.pk).exists()


def test_a_second_centre_in_the_same_province_adds_its_centre_and_regency_but_lists_the_person_once(world):
    person = _enrol(world, _planned(world.malang)).enrolment.person
    _enrol(world, _planned(world.kota_malang))
    assert PersonArea.objects.filter(person=person).count() == 5  # two centres, two regencies, one province
    assert list(person_list(actor=world.user("pemda_jatim"))) == [person]
    assert list(person_list(actor=world.user("admin"))) == [person]
    _assert_kept_equals_rebuild()


def test_removing_an_enrolment_takes_the_person_off_that_centres_lists_only(world):
    here = _enrol(world, _planned(world.malang)).enrolment
    _enrol(world, _planned(world.semarang))
    person = here.person
    packages.enrolment_remove(actor=world.user("admin"), enrolment_id=here.pk)
    assert {row[3] for row in _areas(person) if row[3]} == {"33"}
    for user in ("pengelola_malang", "pemda_malang", "pemda_jatim"):
        assert person_list(actor=world.user(user)).count() == 0
        with pytest.raises(Http404):
            person_get(actor=world.user(user), pk=person.pk)
    assert list(person_list(actor=world.user("admin"))) == [person]
    _assert_kept_equals_rebuild()


def test_a_failed_enrolment_lists_nobody(world):
    package = _planned(world.malang)
    _enrol(world, package)
    with pytest.raises(Exception, match="sudah terdaftar di paket ini"):
        _enrol(world, package)
    assert PersonArea.objects.count() == 3


def test_a_new_name_is_the_name_the_lists_sort_and_search_by(world):
    first = _enrol(world, _planned(world.malang), 1, "Budi Santoso").enrolment.person
    second = _enrol(world, _planned(world.malang), 2, "Citra Dewi").enrolment.person
    people.person_update(actor=world.user("admin"), person_id=first.pk, full_name="  Zainal   Arifin ")
    official = world.user("pemda_jatim")
    assert [p.full_name for p in person_list(actor=official)] == ["Citra Dewi", "Zainal Arifin"]
    assert list(person_list(actor=official, filters=PersonFilters(q="zainal"))) == [first]
    assert not person_list(actor=official, filters=PersonFilters(q="budi")).exists()
    assert {row[4] for row in _areas(first)} == {"Zainal Arifin"}
    assert {row[4] for row in _areas(second)} == {"Citra Dewi"}


def test_a_centre_that_moves_takes_its_people_to_the_new_province_and_leaves_the_old(world):
    person = _enrol(world, _planned(world.malang)).enrolment.person
    move_to_semarang(world, world.malang)
    assert person_list(actor=world.user("pemda_jatim")).count() == 0
    with pytest.raises(Http404):
        person_get(actor=world.user("pemda_jatim"), pk=person.pk)
    assert {row[3] for row in _areas(person) if row[3]} == {"33"}
    assert {row[2] for row in _areas(person) if row[2]} == {"33.74"}
    assert list(person_list(actor=world.user("pengelola_malang"))) == [person]  # still the centre's own
    _assert_kept_equals_rebuild()


def test_a_centre_reclassified_without_moving_lists_the_same_people(world):
    _enrol(world, _planned(world.malang))
    before = _areas()
    center_update(actor=world.user("admin"), center_id=world.malang.pk, development_class="berkembang")
    assert _areas() == before


def test_the_province_list_joins_the_area_rows_once_and_sorts_and_searches_on_their_copy_of_the_name(world):
    _enrol(world, _planned(world.malang))
    with CaptureQueriesContext(connection) as queries:
        list(person_list(actor=world.user("pemda_jatim"), filters=PersonFilters(q="siti"))[:26])
    (sql,) = [q["sql"] for q in queries.captured_queries]
    table = PersonArea._meta.db_table
    assert sql.count(f'JOIN "{table}"') == 1  # the policy's join, reused by the sort and the search
    assert "training_enrolment" not in sql  # scoped through the area rows, not the enrolments
    assert f'"{table}"."full_name" AS "sort_name"' in sql
    assert re.search(r'ORDER BY (7|"sort_name") ASC', sql)
    assert re.search(rf'"{table}"."full_name"\)? (I?LIKE|LIKE UPPER)', sql) or f'UPPER("{table}"."full_name"' in sql


def test_the_management_command_lists_everyone_again(world):
    _enrol(world, _planned(world.malang))
    PersonArea.objects.all().delete()
    out = io.StringIO()
    call_command("training_areas_rebuild", stdout=out)
    assert "3 baris" in out.getvalue()
    assert person_list(actor=world.user("pemda_jatim")).count() == 1


@needs_two_writers
@pytest.mark.django_db(transaction=True)
def test_one_person_enrolled_at_two_centres_of_one_province_at_the_same_moment_is_listed_in_both():
    world = fresh_world()
    malang, kota_malang = _planned(world.malang), _planned(world.kota_malang)
    Person.objects.create(
        nik=make_nik(BIRTH, female=True, serial=1), full_name="Siti Aminah", sex="P", birth_date=BIRTH, education="sma"
    )
    # Both list her in East Java: the second's province row waits for the first's, then skips it.
    results = at_once(lambda: _enrol(world, malang), lambda: _enrol(world, kota_malang))
    assert results == ["done", "done"]
    assert Enrolment.objects.count() == 2
    assert PersonArea.objects.count() == 5
    _assert_kept_equals_rebuild()
