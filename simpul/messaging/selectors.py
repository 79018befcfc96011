"""Reads of the communication space: one's own notifications; threads and messages through `access`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from simpul.accounts.models import ScopeLevel
from simpul.centers.models import Center
from simpul.regions.models import Province

from . import access
from .models import Comment, CommentAttachment, Notification, Thread, ThreadKind, ThreadRead
from .services.threads import center_thread, record_thread

SEARCH_MIN_LENGTH = 3


def notification_list(*, actor: Any) -> QuerySet[Notification]:
    """A person's notifications: nobody else's are ever in reach."""
    if not getattr(actor, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=actor)


def unread_count(*, actor: Any) -> int:
    return notification_list(actor=actor).filter(read_at__isnull=True).count()


def messages_of(thread: Thread) -> QuerySet[Comment]:
    if thread.pk is None:
        return Comment.objects.none()
    return (
        Comment.objects.filter(thread=thread)
        .select_related("author", "deleted_by", "hidden_by")
        .prefetch_related("attachments")
    )


def thread_messages(*, actor: Any, thread: Thread) -> QuerySet[Comment]:
    """The messages of a thread the actor may read (404 otherwise)."""
    if not access.can_read(actor, thread):
        raise Http404
    return messages_of(thread)


def comment_list(*, actor: Any, target: models.Model) -> QuerySet[Comment]:
    """The comments on a record (or a centre), or none when the actor may not read them."""
    thread = center_thread(target) if isinstance(target, Center) else record_thread(target)
    if not access.can_read(actor, thread):
        return Comment.objects.none()
    return messages_of(thread)


def thread_get(*, actor: Any, pk: int) -> Thread:
    """A saved thread the actor may read, or 404."""
    thread = access.readable_threads(actor).filter(pk=pk).first()
    if thread is None:
        raise Http404
    return thread


def message_get(*, actor: Any, pk: int) -> Comment:
    """A message in a thread the actor may read, or 404."""
    comment = Comment.objects.select_related("thread", "author").filter(pk=pk).first()
    if comment is None or not access.can_read(actor, comment.thread):
        raise Http404
    return comment


def attachment_get(*, actor: Any, pk: int) -> CommentAttachment:
    """An attachment of a readable, not removed message (a moderator still sees a hidden one's), or 404."""
    attachment = CommentAttachment.objects.select_related("comment__thread").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    comment = attachment.comment
    if not access.can_read(actor, comment.thread) or comment.deleted_at is not None:
        raise Http404
    if comment.hidden_at is not None and not (
        comment.author_id == actor.pk or access.can_moderate(actor, comment.thread)
    ):
        raise Http404
    return attachment


def own_province_id(actor: Any) -> Any:
    """The province of an account below the national level (None for a national one)."""
    if actor.scope_center_id:
        return actor.scope_center.province_id
    if actor.scope_regency_id:
        return actor.scope_regency.province_id
    return actor.scope_province_id


def readable_provinces(*, actor: Any) -> list[Province]:
    """The province channels the inbox lists: every readable one for a national account, else its own."""
    if actor.scope_level == ScopeLevel.NATIONAL:
        return [p for p in Province.objects.order_by("name") if access.can_read_province(actor, p.pk)]
    province_id = own_province_id(actor)
    if province_id and access.can_read_province(actor, province_id):
        return list(Province.objects.filter(pk=province_id))
    return []


def province_get(*, actor: Any, code: str) -> Province:
    """A province whose channel the actor may read; any other answers 404."""
    province = Province.objects.filter(code=code).first()
    if province is None or not access.can_read_province(actor, province.pk):
        raise Http404
    return province


def last_read_at(*, actor: Any, thread: Thread) -> Any:
    """When the actor last read this thread (None: never), for the 'new since' marker."""
    return ThreadRead.objects.filter(thread=thread, user=actor).values_list("last_read_at", flat=True).first()


def inbox(*, actor: Any) -> QuerySet[Thread]:
    """The readable threads with messages, newest first (`with_unread` adds the counts to one page of them)."""
    return (
        access.readable_threads(actor)
        .filter(last_message_at__isnull=False)
        .select_related("target_type")
        .order_by("-last_message_at", "-pk")
    )


def with_unread(*, actor: Any, threads: list[Thread]) -> list[Thread]:
    """One page of threads, each with `unread` (others' messages since the reader's last read) and its target
    loaded with what its name needs: a fixed number of queries, whatever the page holds."""
    ids = [t.pk for t in threads]
    last_read = ThreadRead.objects.filter(thread=OuterRef("pk"), user=actor).values("last_read_at")[:1]
    unread = Count(
        "comments",
        filter=~Q(comments__author=actor) & (Q(comments__created_at__gt=Subquery(last_read)) | ~Exists(last_read)),
    )
    counts = dict(Thread.objects.filter(pk__in=ids).annotate(unread=unread).values_list("pk", "unread"))
    for thread in threads:
        thread.unread = counts.get(thread.pk, 0)  # type: ignore[attr-defined]
    load_targets(threads)
    return threads


def load_targets(threads: list[Thread]) -> None:
    """Set each thread's target from one query per kind of target (with the relations its name uses)."""
    by_type: dict[Any, list[Thread]] = {}
    for thread in threads:
        if thread.target_type_id:  # announcements and direct conversations are about nothing
            by_type.setdefault(thread.target_type, []).append(thread)
    for content_type, group in by_type.items():
        model = content_type.model_class()
        if model is None:
            continue
        entry = access.record_entry(model)
        rows = model._default_manager.select_related(*(entry.related if entry else ()))
        found = rows.in_bulk([t.target_id for t in group])
        for thread in group:
            key = thread.target_pk if thread.target_pk is not None else thread.target_id
            thread.target = found.get(key)


def search(*, actor: Any, query: str) -> QuerySet[Comment]:
    """Messages the reader may see that contain the words; deleted ones never, hidden ones only for moderators
    (and their authors)."""
    words = [w for w in (query or "").split() if w]
    if len(" ".join(words)) < SEARCH_MIN_LENGTH:
        return Comment.objects.none()
    found = Comment.objects.filter(thread__in=access.readable_threads(actor).values("pk"), deleted_at__isnull=True)
    for word in words[:8]:
        found = found.filter(body__icontains=word)
    moderated = Q(thread__kind__in=[ThreadKind.DIRECT])
    if actor.role not in access.MODERATORS:
        found = found.filter(Q(hidden_at__isnull=True) | Q(author=actor))
    else:
        found = found.filter(Q(hidden_at__isnull=True) | Q(author=actor) | ~moderated)
    return found.select_related("thread", "author", "thread__target_type").order_by("-created_at", "-pk")


def direct_contacts(*, actor: Any) -> QuerySet[Any]:
    """The people one may write to directly: active accounts whose scope overlaps one's own.

    Scopes overlap when one contains the other (the nation contains everything;
    a province its regencies and centres; a regency its centres). Two centres, or
    two provinces, do not share a scope.
    """
    users = get_user_model().objects.filter(is_active=True).exclude(pk=actor.pk).exclude(role="")
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return users.none()
    national = Q(scope_province__isnull=True, scope_regency__isnull=True, scope_center__isnull=True)
    level = actor.scope_level
    if level == ScopeLevel.NATIONAL:
        return users
    if level == ScopeLevel.PROVINCE:
        province = actor.scope_province_id
        return users.filter(
            national
            | Q(scope_province_id=province)
            | Q(scope_regency__province_id=province)
            | Q(scope_center__province_id=province)
        )
    # Below the province: one's province, and one's regency or centre with what lies inside it.
    if level == ScopeLevel.REGENCY:
        province_id, regency_id = actor.scope_regency.province_id, actor.scope_regency_id
        inside = Q(scope_center__regency_id=regency_id)
    else:
        province_id, regency_id = actor.scope_center.province_id, actor.scope_center.regency_id
        inside = Q(scope_center_id=actor.scope_center_id)
    return users.filter(national | Q(scope_province_id=province_id) | Q(scope_regency_id=regency_id) | inside)
