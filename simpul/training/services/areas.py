"""Keeps `PersonArea` (where each person is listed) in step with the enrolments, in the writer's transaction.

Every service that adds or removes an enrolment, renames a person or moves a centre calls one of these
inside its `transaction.atomic`, so the access policy never sees a person in an area they have left or
misses one just enrolled. The rows are computed by the database from the enrolments themselves (three
`INSERT ... SELECT DISTINCT`, one per level): an enrolment adds what is missing, a removal or a move
lists the people affected anew, so each is right whatever was there before.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction

from simpul.centers.models import Center

from ..models import Enrolment, Package, Person, PersonArea

CHUNK = 500  # people per statement: well under SQLite's limit on parameters

# The column of PersonArea filled at each level, and where it comes from (p: the package, c: its centre).
LEVELS = (("center_id", "p.center_id"), ("regency_id", "c.regency_id"), ("province_id", "c.province_id"))


def _insert(where: str, *, skip_listed: bool = False) -> list[str]:
    """The three statements that list people from their enrolments (table and column names are the models').

    `skip_listed`: rows already there are left alone (`ON CONFLICT DO NOTHING`, in SQLite since 3.24; the
    WHERE clause the SELECT always has here keeps SQLite's parser from reading the ON as a join's).
    """
    area, enrolment, package = (m._meta.db_table for m in (PersonArea, Enrolment, Package))
    center, person = Center._meta.db_table, Person._meta.db_table
    joins = (
        f"FROM {enrolment} e JOIN {package} p ON p.id = e.package_id JOIN {center} c ON c.id = p.center_id "
        f"JOIN {person} pe ON pe.id = e.person_id {where}" + (" ON CONFLICT DO NOTHING" if skip_listed else "")
    )
    return [
        f"INSERT INTO {area} (person_id, {column}, full_name) SELECT DISTINCT e.person_id, {source}, pe.full_name "
        + joins
        for column, source in LEVELS
    ]


def person_areas_add(*, package_id: Any, person_id: Any = None) -> None:
    """List the people of a package (or the one just enrolled) in its centre, regency and province.

    Enrolling only ever adds areas, so nothing is deleted or locked: three statements for a whole import, and
    two enrolments of one person at once both succeed (the second's rows wait for and then skip the first's).
    """
    where, params = "WHERE e.package_id = %s", [package_id]
    if person_id is not None:
        where, params = where + " AND e.person_id = %s", [package_id, person_id]
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in _insert(where, skip_listed=True):
            cursor.execute(statement, params)


def person_areas_refresh(person_ids: Iterable[Any]) -> None:
    """List these people in exactly the areas of their enrolments (after a removal or a centre's move).

    The people's rows are locked first, so two refreshes of one person at once run one after the other (the
    second sees the first's changes) instead of colliding on the unique (person, area) constraints.
    """
    ids = sorted({int(pk) for pk in person_ids})
    with transaction.atomic():  # a savepoint inside the writer's transaction; its own one when called alone
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            list(Person.objects.select_for_update().filter(pk__in=chunk).order_by("pk").values_list("pk", flat=True))
            PersonArea.objects.filter(person_id__in=chunk).delete()
            marks = ", ".join(["%s"] * len(chunk))
            with connection.cursor() as cursor:
                for statement in _insert(f"WHERE e.person_id IN ({marks})"):
                    cursor.execute(statement, chunk)


def person_area_names_refresh(person: Person) -> None:
    """The person's name, copied to their area rows (their lists sort and search on the copy)."""
    PersonArea.objects.filter(person=person).exclude(full_name=person.full_name).update(full_name=person.full_name)


def center_areas_refresh(center_id: Any, months: frozenset[Any] | None = None) -> None:
    """A centre moved to another regency or province: its people are listed there now (and no longer where
    it was, unless another of their centres is). Registered with `core.changes`; a change for some months
    only (`months` given) is a change of records, not of the centre, and lists nobody anew."""
    if months is not None:
        return
    person_areas_refresh(Enrolment.objects.filter(package__center_id=center_id).values_list("person_id", flat=True))


def person_areas_rebuild() -> int:
    """Every person listed anew from all enrolments (the data migration, the seeds, `training_areas_rebuild`)."""
    with transaction.atomic(), connection.cursor() as cursor:
        PersonArea.objects.all().delete()
        for statement in _insert(""):
            cursor.execute(statement)
    return PersonArea.objects.count()
