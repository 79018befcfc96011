"""Finding or opening the one thread of a place: the announcements, a province, a centre, a record, two people."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.http import Http404
from django.urls import reverse

from .. import access
from ..models import Thread, ThreadKind

ANNOUNCEMENTS_KEY = "announcements"


def _place(kind: str, key: str, target: models.Model | None = None) -> Thread:
    """The saved thread of a place, or an unsaved one (saved on its first message)."""
    thread = Thread.objects.filter(key=key).first()
    if thread is not None:
        return thread
    thread = Thread(kind=kind, key=key)
    if target is not None:
        thread.target_type = ContentType.objects.get_for_model(target)
        thread.target_id = str(target.pk)
        thread.target_pk = target.pk if isinstance(target.pk, int) else None
    return thread


def announcement_thread() -> Thread:
    return _place(ThreadKind.ANNOUNCEMENT, ANNOUNCEMENTS_KEY)


def province_thread(province: models.Model) -> Thread:
    return _place(ThreadKind.PROVINCE, f"province:{province.pk}", province)


def center_thread(center: models.Model) -> Thread:
    return _place(ThreadKind.CENTER, f"center:{center.pk}", center)


def record_thread(record: models.Model) -> Thread:
    if access.record_entry(record) is None:
        raise Http404  # only registered kinds of record have comments
    content_type = ContentType.objects.get_for_model(record)
    return _place(ThreadKind.RECORD, f"record:{content_type.pk}:{record.pk}", record)


def direct_thread(first: Any, second: Any) -> Thread:
    low, high = sorted([first.pk, second.pk])
    return _place(ThreadKind.DIRECT, f"direct:{low}:{high}")


def saved(thread: Thread, members: tuple[Any, ...] = ()) -> Thread:
    """The thread, saved if it was not yet (two first messages at once find the same row)."""
    if thread.pk is not None:
        return thread
    try:
        with transaction.atomic():
            thread.save()
            if members:
                thread.members.set(members)
    except IntegrityError:
        return Thread.objects.get(key=thread.key)
    return thread


def thread_url(thread: Thread) -> str:
    """Where a thread is read: a record's comments on the record's page, every other thread on its own page."""
    if thread.kind == ThreadKind.RECORD:
        target = thread.target
        entry = access.record_entry(target) if target is not None else None
        if entry is not None:
            return entry.url(target) + "#komentar"
    if thread.kind == ThreadKind.ANNOUNCEMENT:
        return reverse("messaging:announcements")
    if thread.kind == ThreadKind.PROVINCE:
        return reverse("messaging:province", args=[thread.target_id])
    if thread.kind == ThreadKind.CENTER:
        return reverse("messaging:center", args=[thread.target_id])
    return reverse("messaging:thread", args=[thread.pk])
