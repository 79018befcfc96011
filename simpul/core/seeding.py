"""The synthetic data generator's frame.

Each app contributes its own generator with `@seeder(order)`, registered when
the app loads; `manage.py seed` runs them in order with one shared context
(scale, seeded random generator, progress output). Core never imports the
apps above it: they come to it.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models
from django.db.models import Max
from simple_history.utils import bulk_create_with_history

SeedFunction = Callable[["SeedContext"], None]
_SEEDERS: list[tuple[int, str, SeedFunction]] = []


def seeder(order: int) -> Callable[[SeedFunction], SeedFunction]:
    """Register an app's generator; lower `order` runs first."""

    def register(function: SeedFunction) -> SeedFunction:
        name = f"{function.__module__}.{function.__name__}"
        if all(existing != name for _, existing, _ in _SEEDERS):
            _SEEDERS.append((order, name, function))
            _SEEDERS.sort(key=lambda item: (item[0], item[1]))
        return function

    return register


def registered_seeders() -> list[tuple[int, str, SeedFunction]]:
    return list(_SEEDERS)


@dataclass
class SeedContext:
    """What every generator shares: the scale, the random source and the output."""

    scale: float
    seed: int
    out: Any  # a stream with write() and flush(), e.g. a command's OutputWrapper
    rng: random.Random = field(init=False)
    # Generators leave what later generators need here (e.g. the demo centre).
    shared: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def count(self, at_national_scale: int, minimum: int = 1) -> int:
        """How many records to make for a quantity given at national scale."""
        return max(minimum, round(at_national_scale * self.scale))

    def progress(self, label: str, done: int, total: int, started: float) -> None:
        elapsed = time.monotonic() - started
        self.out.write(f"  {label}: {done:,}/{total:,} ({elapsed:.1f} s)\n")
        self.out.flush()


BATCH_SIZE = 2000


def in_batches(items: list[Any], size: int = BATCH_SIZE) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


class RowTable:
    """One model's pending rows: tuples in `columns` order, primary keys assigned here.

    For the national data set: Django's bulk_create spends about 60 us per row preparing
    models, so rows go in as plain tuples (executemany on SQLite, COPY on PostgreSQL).
    The column list is checked against the model, so a new field stops the seed loudly.
    """

    def __init__(self, model: type[models.Model], columns: tuple[str, ...], label: str = "") -> None:
        fields = {f.attname: f for f in model._meta.concrete_fields}
        if set(columns) != set(fields) or columns[0] != model._meta.pk.attname:
            raise ImproperlyConfigured(
                f"seeding is out of step with {model.__name__}: "
                f"columns {sorted(set(columns) ^ set(fields))} (update the seeder's column list)"
            )
        for name in columns:
            stamp = fields[name]
            if isinstance(stamp, models.DateTimeField) and not (stamp.auto_now or stamp.auto_now_add):
                raise ImproperlyConfigured(f"{model.__name__}.{name}: rows hold one timestamp for every record")
        self.model = model
        self.columns = columns
        self.label = label or str(model._meta.verbose_name_plural)
        self.history = hasattr(model, "history")
        # Names from the model's own metadata, quoted; values always go as parameters.
        quote = connection.ops.quote_name
        target = "{} ({})".format(
            quote(model._meta.db_table), ", ".join(quote(fields[name].column) for name in columns)
        )
        self.insert = f"INSERT INTO {target} VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
        self.copy = f"COPY {target} FROM STDIN"
        self.rows: list[tuple[Any, ...]] = []
        self.next_id = (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1
        self.count = 0
        self.seconds = 0.0

    def add(self, *values: Any) -> int:
        pk = self.next_id
        self.next_id += 1
        self.rows.append((pk, *values))
        return pk

    def write(self, *, history: bool, user: Any) -> None:
        rows, self.rows = self.rows, []
        if not rows:
            return
        started = time.monotonic()
        if history and self.history:
            objs = [self.model(**dict(zip(self.columns, row, strict=True))) for row in rows]
            bulk_create_with_history(
                objs, self.model, batch_size=BATCH_SIZE, default_user=user, default_change_reason="seed"
            )
        elif connection.vendor == "sqlite":
            # One prepared statement run for each row: the quickest way into SQLite.
            with connection.cursor() as cursor:
                for start in range(0, len(rows), BATCH_SIZE):
                    cursor.executemany(self.insert, rows[start : start + BATCH_SIZE])
        elif connection.vendor == "postgresql":
            # COPY on the driver's own cursor (psycopg 3; same connection, same transaction).
            connection.ensure_connection()
            with connection.connection.cursor() as cursor, cursor.copy(self.copy) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            objs = [self.model(**dict(zip(self.columns, row, strict=True))) for row in rows]
            self.model._default_manager.bulk_create(objs, batch_size=BATCH_SIZE)
        self.seconds += time.monotonic() - started
        self.count += len(rows)
