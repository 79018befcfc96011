"""Writes of the communication space."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts import policy
from simpul.accounts.models import Role, User
from simpul.accounts.policy import Action
from simpul.core.formats import format_number

from .models import COMMENT_MAX_LENGTH, Comment, Notification, Thread
from .tasks import send_notification_email


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    dedupe_key: str | None = None,
    email: bool = True,
) -> list[Notification]:
    """Tell people something, in the app and (after the commit) by e-mail.

    With a `dedupe_key`, each person gets the event at most once, however
    often the caller runs (a reminder job run twice).
    """
    created = []
    with transaction.atomic():
        for recipient in {r.pk: r for r in recipients if r is not None and r.is_active}.values():
            key = f"{dedupe_key}:{recipient.pk}" if dedupe_key else None
            if key and Notification.objects.filter(dedupe_key=key).exists():
                continue
            try:
                with transaction.atomic():
                    notification = Notification.objects.create(
                        recipient=recipient, kind=kind, title=title[:200], body=body, url=url, dedupe_key=key
                    )
            except IntegrityError:  # the same key written at the same moment by another worker
                continue
            created.append(notification)
            if email:
                transaction.on_commit(partial(send_notification_email.enqueue, notification_id=notification.pk))
    return created


def notifications_mark_read(*, actor: Any, notification_ids: Iterable[int] | None = None) -> int:
    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


def comment_post(*, actor: Any, target: models.Model, body: str) -> Comment:
    """Comment on a record; whoever may see the record may take part in its thread."""
    policy.require(actor, Action.VIEW, target)
    text = (body or "").strip()
    if not text:
        raise ValidationError({"body": _("Komentar tidak boleh kosong.")})
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {"body": _("Komentar paling panjang %(max)s karakter.") % {"max": format_number(COMMENT_MAX_LENGTH)}}
        )
    with transaction.atomic():
        thread, _created = Thread.objects.get_or_create(
            target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
        )
        return Comment.objects.create(thread=thread, author=actor, body=text)


def center_message_post(*, actor: Any, center: models.Model, body: str, url: str = "") -> Comment:
    """Write to a centre's thread (opened on first use) and tell the centre's managers.

    Whoever may see the centre may write to it; its managers (pengelola BLK)
    get a notification that links to `url`, where the thread is read.
    """
    with transaction.atomic():
        comment = comment_post(actor=actor, target=center, body=body)
        managers = User.objects.filter(role=Role.PENGELOLA, scope_center_id=center.pk, is_active=True).exclude(
            pk=actor.pk
        )
        notify(
            recipients=managers,
            kind="pesan_blk",
            title=_("Pesan dari %(sender)s untuk %(center)s")
            % {"sender": actor.full_name or actor.get_username(), "center": center},
            body=comment.body,
            url=url,
        )
    return comment
