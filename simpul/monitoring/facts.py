"""Keeping monitoring's aggregates in step with the records (see models.py).

`refresh_centre_months` runs inside the writing service's transaction (through
core.changes): it recomputes the centre's rows for the months that changed
from the records (sources.py), and adds each row's difference, new minus old,
to the area rows it belongs to, at the area, cohort and class the row was
counted under before and is counted under now, so a centre that moved or was
reclassified takes its figures along. Area rows only ever change by
`m = m + delta` in the database, so two writers at once never lose an update.

`rebuild` recomputes every table from the records with grouped queries; it is
for a first install, the seed and the tests (the kept rows must equal it),
never a scheduled job.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import reduce
from operator import or_
from typing import Any, cast

from django.db import connection, models, transaction
from django.db.models import Case, F, Q, Value, When

from simpul.centers.models import Center

from . import sources
from .measures import MEASURE_NAMES, VOCATION_MEASURE_NAMES
from .models import (
    AreaMonth,
    AreaMonthBase,
    AreaVocationMonth,
    CentreMonth,
    CentreMonthBase,
    Dimension,
    ScopeLevel,
    VocationMonth,
)

# (province, regency, cohort, development class): where a centre's row is counted.
Place = tuple[str, str, int | None, str]
# (scope_level, scope_code, dim, dim_value)
AreaKey = tuple[str, str, str, str]
AREA_FIELDS = ("scope_level", "scope_code", "dim", "dim_value")
# Area rows changed per statement (16 months of a centre): keeps the SQL inside SQLite's limits.
CHUNK = 200
BATCH = 2000


def area_keys(center_id: Any, place: Place) -> list[AreaKey]:
    """The twelve area rows a centre-month is summed into (fewer without a cohort or class)."""
    province, regency, cohort, development_class = place
    keys: list[AreaKey] = []
    # Plain strings (.value): an enum member hashes by its name, so it would never be found in a set of rows.
    for level, code, child in (
        (ScopeLevel.NATIONAL.value, "", province),
        (ScopeLevel.PROVINCE.value, province, regency),
        (ScopeLevel.REGENCY.value, regency, str(center_id)),
    ):
        keys.append((level, code, Dimension.TOTAL.value, ""))
        keys.append((level, code, Dimension.AREA.value, child))
        if cohort is not None:
            keys.append((level, code, Dimension.COHORT.value, str(cohort)))
        if development_class:
            keys.append((level, code, Dimension.CLASS.value, development_class))
    return keys


def refresh_centre_months(center_id: Any, months: frozenset[dt.date] | None) -> None:
    """Recompute the centre's rows for these months (None: all its months) and roll the differences up.

    Inside the caller's transaction this is a savepoint of it; called outside one (a scheduler
    that commits its rows first) it is a transaction of its own, short, so a national run never
    holds the national rollup rows for long.
    """
    with transaction.atomic():
        _refresh(center_id, months)


def _refresh(center_id: Any, months: frozenset[dt.date] | None) -> None:
    # The centre's row is the lock that orders two writers of the same centre (PostgreSQL);
    # NO KEY: rows that merely point at the centre can still be written meanwhile.
    place = (
        Center.objects.select_for_update(no_key=True)
        .filter(pk=center_id)
        .values_list("province_id", "regency_id", "cohort", "development_class")
        .first()
    )
    if place is None:
        return
    centre = sources.centre_figures(center_id=center_id, months=months)
    _sync(
        CentreMonth,
        AreaMonth,
        MEASURE_NAMES,
        (),
        center_id,
        place,
        months,
        {(month,): figures for (_c, month), figures in centre.items()},
    )
    vocations = sources.vocation_figures(center_id=center_id, months=months)
    _sync(
        VocationMonth,
        AreaVocationMonth,
        VOCATION_MEASURE_NAMES,
        ("vocation",),
        center_id,
        place,
        months,
        {(vocation, month): figures for (_c, vocation, month), figures in vocations.items()},
    )


def _sync(
    row_model: type[CentreMonthBase],
    area_model: type[AreaMonthBase],
    names: tuple[str, ...],
    extra: tuple[str, ...],
    center_id: Any,
    place: Place,
    months: frozenset[dt.date] | None,
    new: dict[tuple[Any, ...], dict[str, int]],
) -> None:
    """Make the centre's rows equal `new` (keyed by (*extra, month)) and add the differences to the area rows."""
    rows = row_model._default_manager.filter(center_id=center_id)
    if months is not None:
        rows = rows.filter(month__in=months)
    old = {(*(getattr(r, f) for f in extra), r.month): r for r in rows}
    deltas: dict[tuple[Any, ...], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    creates: list[CentreMonthBase] = []
    updates: list[CentreMonthBase] = []
    deletes: list[Any] = []
    for key in old.keys() | new.keys():
        row = old.get(key)
        figures = new.get(key)
        if figures is not None and not any(figures.values()):
            figures = None
        if row is not None:
            was: Place = (row.province_id, row.regency_id, row.cohort, row.development_class)
            if figures is not None and was == place and all(getattr(row, n) == figures[n] for n in names):
                continue
            for area in area_keys(center_id, was):
                for name in names:
                    deltas[(*area, *key)][name] -= getattr(row, name)
        if figures is None:
            if row is not None:
                deletes.append(row.pk)
            continue
        for area in area_keys(center_id, place):
            for name in names:
                deltas[(*area, *key)][name] += figures[name]
        row = row or row_model(center_id=center_id, **dict(zip((*extra, "month"), key, strict=True)))
        row.province_id, row.regency_id, row.cohort, row.development_class = place
        for name in names:
            setattr(row, name, figures[name])
        (updates if row.pk else creates).append(row)
    if deletes:
        row_model._default_manager.filter(pk__in=deletes).delete()
    if updates:
        fields = ["province", "regency", "cohort", "development_class", *names]
        row_model._default_manager.bulk_update(updates, fields, batch_size=BATCH)
    if creates:
        row_model._default_manager.bulk_create(creates, batch_size=BATCH)
    apply_deltas(area_model, (*AREA_FIELDS, *extra, "month"), deltas)


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def apply_deltas(
    area_model: type[AreaMonthBase], fields: tuple[str, ...], deltas: dict[tuple[Any, ...], dict[str, int]]
) -> None:
    """Add each key's differences to its area row (made when missing): up to four statements per CHUNK rows.

    Missing rows are made in key order, then every row is locked in key order, then
    changed by `m = m + delta`: two transactions adding to the same rows (the national
    total, always) wait for each other instead of deadlocking or losing an update.
    """
    changed = {
        key: {name: d for name, d in values.items() if d} for key, values in deltas.items() if any(values.values())
    }
    manager = area_model._default_manager
    for chunk in _chunks(sorted(changed), CHUNK):
        conditions = [Q(**dict(zip(fields, key, strict=True))) for key in chunk]
        where = reduce(or_, conditions)
        found = set(manager.filter(where).values_list(*fields))
        missing = [key for key in chunk if key not in found]
        if missing:
            # In key order; ON CONFLICT DO NOTHING waits for a writer making the same row and then leaves it be.
            made = [area_model(**dict(zip(fields, key, strict=True))) for key in missing]
            manager.bulk_create(made, ignore_conflicts=True)
        if connection.features.has_select_for_update:
            # Every row locked in key order before any is changed: writers queue instead of deadlocking.
            list(manager.select_for_update().filter(where).order_by(*fields).values_list("pk"))
        names = sorted({name for key in chunk for name in changed[key]})
        manager.filter(where).update(
            **{
                name: F(name)
                + Case(
                    *(
                        When(condition, then=Value(changed[key][name]))
                        for key, condition in zip(chunk, conditions, strict=True)
                        if changed[key].get(name)
                    ),
                    default=Value(0),
                    output_field=models.BigIntegerField(),
                )
                for name in names
            }
        )


# --- Rebuild ---------------------------------------------------------------

# For each scope level: the field naming the scope and the field naming its child areas.
_LEVELS = (
    (ScopeLevel.NATIONAL, None, "province_id"),
    (ScopeLevel.PROVINCE, "province_id", "regency_id"),
    (ScopeLevel.REGENCY, "regency_id", "center_id"),
)


def rebuild(*, out: Any = None) -> dict[str, int]:
    """Recompute every monitoring table from the records (all centres, all months). Returns rows made.

    The centre rows are computed by the same sources as a refresh and written with
    plain multi-row inserts; the area rows are summed by the database itself
    (INSERT ... SELECT ... GROUP BY), once per level and dimension: nothing per row in Python.
    """
    made: dict[str, int] = {}
    with transaction.atomic():
        for model in (AreaMonth, AreaVocationMonth, CentreMonth, VocationMonth):
            model._default_manager.all().delete()  # one DELETE: nothing points at these rows
        places: dict[Any, Place] = {
            pk: (province, regency, cohort, development_class)
            for pk, province, regency, cohort, development_class in Center.objects.values_list(
                "pk", "province_id", "regency_id", "cohort", "development_class"
            ).order_by()
        }
        centre = sources.centre_figures()
        made["centre_months"] = _insert_rows(
            CentreMonth,
            MEASURE_NAMES,
            places,
            ((center, (month,), figures) for (center, month), figures in centre.items()),
            ("month",),
        )
        del centre
        vocations = sources.vocation_figures()
        made["vocation_months"] = _insert_rows(
            VocationMonth,
            VOCATION_MEASURE_NAMES,
            places,
            ((center, (vocation, month), figures) for (center, vocation, month), figures in vocations.items()),
            ("vocation", "month"),
        )
        del vocations
        made["area_months"] = _roll_up(CentreMonth, AreaMonth, MEASURE_NAMES, ())
        made["area_vocation_months"] = _roll_up(VocationMonth, AreaVocationMonth, VOCATION_MEASURE_NAMES, ("vocation",))
    if out is not None:
        out.write(", ".join(f"{name}: {count:,}" for name, count in made.items()) + "\n")
    return made


def _column(model: type[models.Model], name: str) -> str:
    return connection.ops.quote_name(cast(models.Field, model._meta.get_field(name)).column)


def _insert_rows(
    model: type[models.Model],
    names: tuple[str, ...],
    places: dict[Any, Place],
    items: Iterable[tuple[Any, tuple[Any, ...], dict[str, int]]],
    key_fields: tuple[str, ...],
) -> int:
    """Insert the non-zero centre rows, BATCH to a statement (executemany: no model instances)."""
    fields = ("center", "province", "regency", "cohort", "development_class", *key_fields, *names)
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(_column(model, f) for f in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608 (model names)
    date = connection.ops.adapt_datefield_value
    count = 0
    with connection.cursor() as cursor:
        batch: list[tuple[Any, ...]] = []
        for center, key, figures in items:
            place = places.get(center)
            if place is None or not any(figures.values()):
                continue
            key = tuple(date(k) if isinstance(k, dt.date) else k for k in key)
            batch.append((center, *place, *key, *(figures[n] for n in names)))
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _roll_up(
    row_model: type[models.Model], area_model: type[models.Model], names: tuple[str, ...], extra: tuple[str, ...]
) -> int:
    """Sum the centre rows into every area row: one INSERT ... SELECT ... GROUP BY per level and dimension."""
    source = connection.ops.quote_name(row_model._meta.db_table)
    target = connection.ops.quote_name(area_model._meta.db_table)
    into = ", ".join(_column(area_model, f) for f in (*AREA_FIELDS, *extra, "month", *names))
    sums = ", ".join(f"SUM({_column(row_model, n)})" for n in names)
    count = 0
    with connection.cursor() as cursor:
        for level, scope_field, child_field in _LEVELS:
            for dim, dim_field in (
                (Dimension.TOTAL, None),
                (Dimension.AREA, child_field),
                (Dimension.COHORT, "cohort"),
                (Dimension.CLASS, "development_class"),
            ):
                scope = _column(row_model, scope_field) if scope_field else None
                value = f"CAST({_column(row_model, dim_field)} AS {_TEXT})" if dim_field else None
                group = [c for c in (scope, value, *(_column(row_model, f) for f in (*extra, "month"))) if c]
                where = {
                    Dimension.COHORT: f"WHERE {_column(row_model, 'cohort')} IS NOT NULL",
                    Dimension.CLASS: f"WHERE {_column(row_model, 'development_class')} <> ''",
                }.get(dim, "")
                cursor.execute(  # names from the models' meta, quoted; values as parameters
                    f"INSERT INTO {target} ({into}) "  # noqa: S608
                    f"SELECT %s, {scope or '%s'}, %s, {value or '%s'}, "
                    f"{', '.join(_column(row_model, f) for f in (*extra, 'month'))}, {sums} "
                    f"FROM {source} {where} GROUP BY {', '.join(group)}",
                    [level, *([] if scope else [""]), dim, *([] if value else [""])],
                )
                count += cursor.rowcount
    return count


_TEXT = "TEXT"  # CAST target understood by SQLite and PostgreSQL alike
