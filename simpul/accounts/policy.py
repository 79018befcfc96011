"""The access policy: the one place that decides who may do what to which record.

Two questions, answered from the same rules:

- `can(actor, action, obj)`: may this actor do this to this record?
- `scope_queryset(actor, queryset, action)`: which rows may this actor see
  (or act on)?

Each scoped model registers a `Rule`: the lookup paths from the model to the
centre, regency and province it belongs to (e.g. an instructor:
`center`, `center__regency`, `center__province`) and which roles hold each
action. The policy filters and checks through those paths, so it never imports
the apps above it. A model without a rule is a programming error, never an
open door.

Whatever the policy refuses, the pages answer 404, exactly as for a record
that does not exist (`get_or_404`), so nobody learns what lies outside their
scope.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.http import Http404

from .models import Role, ScopeLevel

M = TypeVar("M", bound=models.Model)


class Action(enum.StrEnum):
    VIEW = "view"
    CREATE = "create"
    CHANGE = "change"
    # Administrative fields and decisions that only the ministry takes
    # (e.g. a centre's cohort, development class and incubator status).
    MANAGE = "manage"
    DELETE = "delete"
    EXPORT = "export"
    VIEW_HISTORY = "view_history"
    # Personal data shown whole (a participant's NIK, birth date, address, phone); every view is audited.
    VIEW_PERSONAL = "view_personal"
    # Review workflow verbs (reports, LPJ): send, check, approve, send back, reopen.
    SUBMIT = "submit"
    VERIFY = "verify"
    APPROVE = "approve"
    RETURN = "return"
    REOPEN = "reopen"


ALL_ROLES: frozenset[str] = frozenset(Role.values)


@dataclass(frozen=True)
class ScopePaths:
    """Lookup paths from a model to the node ids of each scope level.

    `center="pk"` means the model is the centre itself. A level set to None
    means the model does not belong to a node at that level: actors scoped at
    that level see none of it.
    """

    center: str | None
    regency: str | None
    province: str | None
    # The paths cross a to-many relation (a person belongs to every centre that trained them):
    # filtered with a subquery, so no row comes twice.
    through_many: bool = False
    # ... through rows that hold each record at most once per node (a person's area rows): filtered with a
    # join instead, which the list's own order can use (sort on the joined row's columns, walk its index).
    joined: bool = False

    def for_level(self, level: str) -> str | None:
        paths: dict[str, str | None] = {
            ScopeLevel.CENTER: self.center,
            ScopeLevel.REGENCY: self.regency,
            ScopeLevel.PROVINCE: self.province,
        }
        return paths[level]


@dataclass(frozen=True)
class Rule:
    """Who may do what to a model. `paths=None`: national data, only national actors."""

    paths: ScopePaths | None
    grants: Mapping[Action, frozenset[str]] = field(default_factory=dict)
    # Roles that act on their own records only, wherever those are (ownership replaces the
    # area scope), with the lookup path from the model to its user: a mentor's tenants, an
    # entrepreneur's business, a reviewer's assignments.
    own: Mapping[str, str] = field(default_factory=dict)

    def roles_for(self, action: Action) -> frozenset[str]:
        return self.grants.get(action, frozenset())


_RULES: dict[type[models.Model], Rule] = {}


def register(model: type[models.Model], rule: Rule) -> None:
    _RULES[model] = rule


def rule_for(model: type[models.Model]) -> Rule:
    for klass in model.__mro__:
        if klass in _RULES:
            return _RULES[klass]
    raise ImproperlyConfigured(f"No access rule registered for {model.__name__}.")


def grant(*roles: str) -> frozenset[str]:
    return frozenset(roles)


def _is_active_user(actor: Any) -> bool:
    return bool(actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active and actor.role)


def allowed(actor: Any, action: Action, model: type[models.Model]) -> bool:
    """Does the actor's role hold this action on this kind of record at all?

    For showing a button or a menu item; the record itself is checked by `can`.
    """
    return _is_active_user(actor) and actor.role in rule_for(model).roles_for(action)


def can(actor: Any, action: Action, obj: models.Model) -> bool:
    """May `actor` do `action` to `obj` (saved or about to be created)?"""
    rule = rule_for(type(obj))
    if not _is_active_user(actor) or actor.role not in rule.roles_for(action):
        return False
    if actor.role in rule.own:
        return _owns(actor, obj, rule.own[actor.role])
    level = actor.scope_level
    if level == ScopeLevel.NATIONAL:
        return True
    if rule.paths is None:
        return False
    path = rule.paths.for_level(level)
    if path is None:
        return False
    if rule.paths.through_many:
        return (
            obj.pk is not None and type(obj)._default_manager.filter(pk=obj.pk, **{path: actor.scope_node_id}).exists()
        )
    node = _resolve(obj, path)
    return node is not None and str(node) == str(actor.scope_node_id)


def scope_queryset(actor: Any, queryset: QuerySet[M], action: Action = Action.VIEW) -> QuerySet[M]:
    """The rows of `queryset` on which `actor` may do `action`."""
    rule = rule_for(queryset.model)
    if not _is_active_user(actor) or actor.role not in rule.roles_for(action):
        return queryset.none()
    if actor.role in rule.own:
        mine = queryset.model._default_manager.filter(**{rule.own[actor.role]: actor.pk}).values("pk")
        return queryset.filter(pk__in=mine)
    level = actor.scope_level
    if level == ScopeLevel.NATIONAL:
        return queryset
    if rule.paths is None:
        return queryset.none()
    path = rule.paths.for_level(level)
    if path is None:
        return queryset.none()
    if rule.paths.through_many and not rule.paths.joined:
        return queryset.filter(pk__in=_through_many(queryset.model, path, actor.scope_node_id))
    return queryset.filter(**{path: actor.scope_node_id})


def get_or_404(actor: Any, queryset: QuerySet[M], action: Action = Action.VIEW, **lookup: Any) -> M:
    """One row the actor may act on, or 404 (the same 404 as a missing row)."""
    try:
        return scope_queryset(actor, queryset, action).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


def require(actor: Any, action: Action, obj: models.Model) -> None:
    """For services: refuse with 404 when `can` says no."""
    if not can(actor, action, obj):
        raise Http404


def permitted_actions(actor: Any, obj: models.Model, actions: Iterable[Action] = tuple(Action)) -> set[Action]:
    return {action for action in actions if can(actor, action, obj)}


def _through_many(model: type[models.Model], path: str, node: Any) -> QuerySet[Any]:
    """The ids of `model` reached from `node` along a path whose first step is a reverse foreign key.

    Asked from the related table (e.g. the enrolments of a province's packages, giving person ids)
    rather than joining back through `model`: the same rows, half the work at national scale.
    """
    first, _, rest = path.partition("__")
    relation = model._meta.get_field(first)
    if relation.one_to_many and rest:
        related = relation.related_model
        return related._default_manager.filter(**{rest: node}).values(relation.field.attname)  # type: ignore[union-attr]
    return model._default_manager.filter(**{path: node}).values("pk")


def _owns(actor: Any, obj: models.Model, path: str) -> bool:
    """Does the record belong to the actor along `path` (which may cross to-many relations)?

    An unsaved record (about to be created) is followed along its foreign keys to the
    first saved record on the path, and asked from there.
    """
    parts = path.split("__")
    current: Any = obj
    index = 0
    while current.pk is None:
        if index == len(parts) - 1:
            return str(_resolve(current, parts[index])) == str(actor.pk)
        current = getattr(current, parts[index], None)
        index += 1
        if current is None or not isinstance(current, models.Model):
            return False
    return type(current)._default_manager.filter(pk=current.pk, **{"__".join(parts[index:]): actor.pk}).exists()


def _resolve(obj: Any, path: str) -> Any:
    """Follow a lookup path (`center__province`) on an instance to a node id."""
    parts = path.split("__")
    for part in parts[:-1]:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    last = parts[-1]
    if last == "pk":
        return obj.pk
    field_object = obj._meta.get_field(last)
    if field_object.is_relation:
        return getattr(obj, field_object.attname)
    return getattr(obj, last)
