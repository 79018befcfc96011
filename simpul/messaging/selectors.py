"""Reads of the communication space: one's own notifications; threads through their record's policy."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from simpul.accounts import policy
from simpul.accounts.policy import Action

from .models import Comment, Notification


def notification_list(*, actor: Any) -> QuerySet[Notification]:
    """A person's notifications: nobody else's are ever in reach."""
    if not getattr(actor, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=actor)


def unread_count(*, actor: Any) -> int:
    return notification_list(actor=actor).filter(read_at__isnull=True).count()


def comment_list(*, actor: Any, target: models.Model) -> QuerySet[Comment]:
    if not policy.can(actor, Action.VIEW, target):
        return Comment.objects.none()
    return Comment.objects.filter(
        thread__target_type=ContentType.objects.get_for_model(target), thread__target_id=str(target.pk)
    ).select_related("author")
