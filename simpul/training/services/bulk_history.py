"""Creating many records at once with their history, in a few statements per thousand rows.

simple_history's `bulk_create_with_history` builds one historical instance per
row in Python and inserts it; for 10,000 imported people that costs more than
the people themselves. Here the database copies the history rows from the rows
just inserted (INSERT … SELECT), with the columns simple_history tracks, the
history user and one history date: the same records, as django-simple-history
would write them (and, like its bulk path, without signals). A historical model
with columns this does not know falls back to simple_history's own bulk path.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import connections, models
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

M = TypeVar("M", bound=models.Model)

CHUNK = 900  # ids per statement: under every database's limit of query parameters
HISTORY_COLUMNS = {"history_id", "history_date", "history_change_reason", "history_type", "history_user"}


def bulk_insert_with_history(objs: list[M], model: type[M], *, user: Any, batch_size: int = 500) -> list[M]:
    """Insert `objs` (their ids are set) and one "+" history record each, by `user`."""
    history = model.history.model  # type: ignore[attr-defined]
    tracked = list(history.tracked_fields)
    known = {field.name for field in tracked} | HISTORY_COLUMNS
    if {field.name for field in history._meta.concrete_fields} != known:
        return list(bulk_create_with_history(objs, model, batch_size, default_user=user))
    created = model._default_manager.bulk_create(objs, batch_size=batch_size)
    ids = [obj.pk for obj in created]
    if any(pk is None for pk in ids):  # a database that returns no ids from a bulk insert
        history.objects.bulk_history_create(created, batch_size=batch_size, default_user=user)  # pragma: no cover
        return created  # pragma: no cover
    connection = connections[model._default_manager.db]
    quote = connection.ops.quote_name
    meta = history._meta
    history_columns = {field.name: field.column for field in meta.concrete_fields}
    source_columns = {field.name: field.column for field in model._meta.concrete_fields}
    into = [history_columns[field.name] for field in tracked]
    into += [history_columns[name] for name in ("history_date", "history_type", "history_user")]
    take = [source_columns[field.name] for field in tracked]
    when = connection.ops.adapt_datetimefield_value(timezone.now())
    # Only names from the models' metadata, quoted, go into the text; every value is a parameter.
    copy = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(c) for c in into)}) "  # noqa: S608
        f"SELECT {', '.join(quote(c) for c in take)}, %s, %s, %s FROM {quote(model._meta.db_table)} "
        f"WHERE {quote(source_columns[model._meta.pk.name])} IN "
    )
    with connection.cursor() as cursor:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            cursor.execute(copy + f"({', '.join(['%s'] * len(chunk))})", [when, "+", getattr(user, "pk", None), *chunk])
    return created
