"""Who reads and writes which thread: the communication space's part of the access policy.

Everyone who may read a thread may write in it, except the announcements,
which only national Admin Pusat and FKN write. Readers by kind:

- announcements: every active account;
- a province's channel: Admin Pusat, national FKN and the province's FKN,
  the Pemda of the province or of one of its regencies, and the managers
  and instructors of the province's centres;
- a centre's thread: Admin Pusat, national FKN and the province's FKN, the
  Pemda of its province or regency, and the centre's managers, instructors
  and mentors (not its entrepreneurs: they have their own records' threads);
- a record's comments (a submission, a grant, a tenant, a selection round):
  whoever the access policy lets see the record;
- a direct conversation: its two people.

`can_read` answers for one thread (or for a place whose thread does not exist
yet); `readable_threads` gives the same answer as a query, for lists and
search. A test holds the two to the same matrix of roles and threads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet

from simpul.accounts import policy
from simpul.accounts.models import Role, ScopeLevel
from simpul.accounts.policy import Action
from simpul.centers.models import Center

from .models import Thread, ThreadKind

ANNOUNCERS = frozenset({Role.ADMIN_PUSAT, Role.FKN})
MODERATORS = frozenset({Role.ADMIN_PUSAT, Role.FKN})
PROVINCE_CENTER_ROLES = frozenset({Role.PENGELOLA, Role.INSTRUKTUR})
CENTER_THREAD_ROLES = frozenset({Role.PENGELOLA, Role.INSTRUKTUR, Role.MENTOR})
OFFICIAL_ROLES = frozenset({Role.ADMIN_PUSAT, Role.FKN, Role.PEMDA})


@dataclass(frozen=True)
class RecordThreads:
    """A kind of record with a comment thread on its page, registered by the app that owns it."""

    label: str  # "reporting.submission"
    url: Callable[[Any], str]  # the record's page, where its thread is shown
    center_id: Callable[[Any], Any]  # the centre whose managers hear of new comments (None: nobody by default)
    related: tuple[str, ...] = ()  # what the record's name reads (select_related when lists show many)


_RECORDS: dict[str, RecordThreads] = {}


def register_record(entry: RecordThreads) -> None:
    _RECORDS[entry.label.lower()] = entry


def record_entry(model: type[models.Model] | models.Model) -> RecordThreads | None:
    return _RECORDS.get(model._meta.label_lower)


def record_model(label: str) -> type[models.Model] | None:
    """A registered record model by its label, or None (never an arbitrary model from a URL)."""
    if label.lower() not in _RECORDS:
        return None
    return apps.get_model(label)


def _active(actor: Any) -> bool:
    return bool(actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active and actor.role)


def _national(actor: Any) -> bool:
    return bool(actor.scope_level == ScopeLevel.NATIONAL)


def _actor_province_id(actor: Any) -> Any:
    """The province an actor below the national level belongs to."""
    level = actor.scope_level
    if level == ScopeLevel.PROVINCE:
        return actor.scope_province_id
    if level == ScopeLevel.REGENCY:
        return actor.scope_regency.province_id
    return actor.scope_center.province_id


def can_read_province(actor: Any, province_id: Any) -> bool:
    if not _active(actor):
        return False
    if actor.role == Role.ADMIN_PUSAT or (actor.role == Role.FKN and _national(actor)):
        return True
    if actor.role in (Role.FKN, Role.PEMDA) or actor.role in PROVINCE_CENTER_ROLES:
        return str(_actor_province_id(actor)) == str(province_id)
    return False


def can_read_center(actor: Any, center: Any) -> bool:
    if not _active(actor):
        return False
    if actor.role == Role.ADMIN_PUSAT or (actor.role == Role.FKN and _national(actor)):
        return True
    level = actor.scope_level
    if actor.role in (Role.FKN, Role.PEMDA) and level == ScopeLevel.PROVINCE:
        return str(actor.scope_province_id) == str(center.province_id)
    if actor.role == Role.PEMDA and level == ScopeLevel.REGENCY:
        return str(actor.scope_regency_id) == str(center.regency_id)
    if actor.role in CENTER_THREAD_ROLES:
        return str(actor.scope_center_id) == str(center.pk)
    return False


def can_read(actor: Any, thread: Thread) -> bool:
    """May `actor` read (and so write in, and be told about, and be mentioned in) this thread?"""
    if not _active(actor):
        return False
    if thread.kind == ThreadKind.ANNOUNCEMENT:
        return True
    if thread.kind == ThreadKind.DIRECT:
        return thread.pk is not None and thread.members.filter(pk=actor.pk).exists()
    target = thread.target
    if target is None:
        return False
    if thread.kind == ThreadKind.PROVINCE:
        return can_read_province(actor, target.pk)
    if thread.kind == ThreadKind.CENTER:
        return can_read_center(actor, target)
    return record_entry(target) is not None and policy.can(actor, Action.VIEW, target)


def can_post(actor: Any, thread: Thread) -> bool:
    if thread.kind == ThreadKind.ANNOUNCEMENT:
        return _active(actor) and actor.role in ANNOUNCERS and _national(actor)
    return can_read(actor, thread)


def can_moderate(actor: Any, thread: Thread) -> bool:
    """FKN and Admin Pusat hide messages in the threads they read (not in others' direct conversations)."""
    return _active(actor) and actor.role in MODERATORS and thread.kind != ThreadKind.DIRECT and can_read(actor, thread)


def _sees_every(actor: Any, model: type[models.Model]) -> bool:
    """Does the policy let this national actor see every record of the model (no need to ask which)?"""
    rule = policy.rule_for(model)
    return bool(
        actor.scope_level == ScopeLevel.NATIONAL
        and actor.role in rule.roles_for(Action.VIEW)
        and actor.role not in rule.own
    )


def readable_threads(actor: Any) -> QuerySet[Thread]:
    """Every thread `actor` may read: the same answer as `can_read`, as one query.

    A record's thread is matched to the records the policy lets the actor see by
    their integer primary key (`target_pk`, no cast); a national actor who sees
    every record of a kind is not asked which (a national list of submissions is
    300,000 ids: inside this OR, PostgreSQL would walk it once per thread).
    """
    threads = Thread.objects.all()
    if not _active(actor):
        return threads.none()
    conversations = Thread.members.through.objects.filter(user_id=actor.pk).values("thread_id")
    condition = Q(kind=ThreadKind.ANNOUNCEMENT) | Q(kind=ThreadKind.DIRECT, pk__in=conversations)
    condition |= Q(kind=ThreadKind.PROVINCE) & _province_condition(actor)
    condition |= Q(kind=ThreadKind.CENTER) & _center_condition(actor)
    for label in _RECORDS:
        model = apps.get_model(label)
        of_model = Q(kind=ThreadKind.RECORD, target_type=ContentType.objects.get_for_model(model))
        if _sees_every(actor, model):
            condition |= of_model
        elif policy.allowed(actor, Action.VIEW, model):
            visible = policy.scope_queryset(actor, model._default_manager.all(), Action.VIEW)
            condition |= of_model & Q(target_pk__in=visible.values("pk"))
    return threads.filter(condition)


def _province_condition(actor: Any) -> Q:
    if actor.role == Role.ADMIN_PUSAT or (actor.role == Role.FKN and _national(actor)):
        return Q()
    if actor.role in (Role.FKN, Role.PEMDA) or actor.role in PROVINCE_CENTER_ROLES:
        return Q(target_id=str(_actor_province_id(actor)))
    return Q(pk__in=[])


def _center_condition(actor: Any) -> Q:
    if actor.role == Role.ADMIN_PUSAT or (actor.role == Role.FKN and _national(actor)):
        return Q()
    level = actor.scope_level
    centers = Center.objects
    if actor.role in (Role.FKN, Role.PEMDA) and level == ScopeLevel.PROVINCE:
        return Q(target_pk__in=centers.filter(province_id=actor.scope_province_id).values("pk"))
    if actor.role == Role.PEMDA and level == ScopeLevel.REGENCY:
        return Q(target_pk__in=centers.filter(regency_id=actor.scope_regency_id).values("pk"))
    if actor.role in CENTER_THREAD_ROLES:
        return Q(target_pk=actor.scope_center_id)
    return Q(pk__in=[])
