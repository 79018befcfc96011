"""Reading django-simple-history records as a human timeline: who, when, what changed.

Generic over models: give it historical querysets (already limited to what the
reader may see) and it returns entries with each changed field's label and
its old and new value as text. Related names are looked up in one query per
related model, never one per row.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from phonenumber_field.modelfields import PhoneNumberField

from .formats import format_date, format_number, format_phone

ACTION_LABELS = {"+": gettext_lazy("dibuat"), "~": gettext_lazy("diubah"), "-": gettext_lazy("dihapus")}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: dt.datetime
    who: Any
    subject: str
    record: str
    action: str
    reason: str = ""
    changes: list[FieldChange] = field(default_factory=list)


@dataclass(frozen=True)
class HistorySource:
    """One historical queryset and how to name the records in it."""

    queryset: models.QuerySet
    subject: str


def history_entries(sources: Iterable[HistorySource], limit: int | None = None) -> list[HistoryEntry]:
    """All entries of the sources, newest first (`limit` keeps the newest N)."""
    entries: list[HistoryEntry] = []
    for source in sources:
        entries.extend(_entries_for(source))
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit] if limit else entries


def _entries_for(source: HistorySource) -> list[HistoryEntry]:
    model = source.queryset.model.instance_type
    pk_name = model._meta.pk.attname
    records = list(source.queryset.select_related("history_user").order_by(pk_name, "history_date", "history_id"))
    # First pass: the raw changes, and which related objects they name.
    raw: list[tuple[Any, list[Any]]] = []
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    previous: dict[Any, Any] = {}
    for record in records:
        key = getattr(record, pk_name)
        before = previous.get(key)
        previous[key] = record
        changes = []
        if before is not None and record.history_type == "~":
            changes = record.diff_against(before).changes
            if not changes:
                continue  # a save that changed nothing visible
            for change in changes:
                _collect_related(model._meta.get_field(change.field), (change.old, change.new), wanted)
        raw.append((record, changes))
    names = {
        (related, obj.pk): str(obj)
        for related, ids in wanted.items()
        for obj in related._default_manager.filter(pk__in=ids)
    }
    # Second pass: text for people.
    entries = []
    for record, changes in raw:
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user,
                subject=source.subject,
                record=_record_label(record),
                action=str(ACTION_LABELS.get(record.history_type, record.history_type)),
                reason=record.history_change_reason or "",
                changes=[
                    FieldChange(
                        label=str(model._meta.get_field(change.field).verbose_name),
                        old=_display(model._meta.get_field(change.field), change.old, names),
                        new=_display(model._meta.get_field(change.field), change.new, names),
                    )
                    for change in changes
                ],
            )
        )
    return entries


def _record_label(record: Any) -> str:
    try:
        return str(record.instance)
    except Exception:  # a deleted record may no longer rebuild its relations
        return str(record.pk)


def _m2m_ids(model_field: Any, value: Any) -> list[Any]:
    target_field = model_field.m2m_reverse_field_name()
    return [item.get(target_field) for item in value or [] if isinstance(item, dict)]


def _collect_related(model_field: Any, values: tuple[Any, Any], wanted: dict[type[models.Model], set[Any]]) -> None:
    if model_field.many_to_one:
        wanted[model_field.related_model].update(v for v in values if v is not None)
    elif model_field.many_to_many:
        for value in values:
            wanted[model_field.related_model].update(_m2m_ids(model_field, value))


def _display(model_field: Any, value: Any, names: dict[tuple[type, Any], str]) -> str:
    if value in (None, "", []):
        return "–"
    if model_field.many_to_many:
        target = model_field.related_model
        labels = sorted(names.get((target, i), str(i)) for i in _m2m_ids(model_field, value))
        return ", ".join(labels) or "–"
    if model_field.many_to_one:
        return names.get((model_field.related_model, value), str(value))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return format_date(value)
    if isinstance(value, Decimal):
        return format_number(value)
    if isinstance(model_field, PhoneNumberField):
        return format_phone(value)
    return str(value)
