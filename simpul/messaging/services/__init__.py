"""Writes of the communication space (see each module); the names other apps use are here."""

from __future__ import annotations

from typing import Any

from django.db import models

from ..models import Comment
from .messages import (
    ATTACHMENT_MAX_BYTES,
    MAX_ATTACHMENTS,
    direct_thread_open,
    message_delete,
    message_edit,
    message_hide,
    message_post,
    message_unhide,
    thread_mark_read,
)
from .notifications import notifications_mark_read, notify, preference_of, preference_update
from .threads import announcement_thread, center_thread, province_thread, record_thread, thread_url

__all__ = [
    "ATTACHMENT_MAX_BYTES",
    "MAX_ATTACHMENTS",
    "announcement_thread",
    "center_message_post",
    "center_thread",
    "comment_post",
    "direct_thread_open",
    "message_delete",
    "message_edit",
    "message_hide",
    "message_post",
    "message_unhide",
    "notifications_mark_read",
    "notify",
    "preference_of",
    "preference_update",
    "province_thread",
    "record_thread",
    "thread_mark_read",
    "thread_url",
]


def comment_post(*, actor: Any, target: models.Model, body: str, files: Any = ()) -> Comment:
    """Comment on a record (a submission, a grant, a tenant, a selection round) in its thread."""
    return message_post(actor=actor, thread=record_thread(target), body=body, files=files)


def center_message_post(*, actor: Any, center: models.Model, body: str) -> Comment:
    """Write in a centre's thread (e.g. from an early warning); its managers are told."""
    return message_post(actor=actor, thread=center_thread(center), body=body)
