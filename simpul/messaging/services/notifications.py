"""Writes of notifications: telling people, marking read, and each person's e-mail choices."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import EmailChoice, Notification, NotificationPreference, Urgency
from ..tasks import send_notification_email

CHUNK = 1000


def preference_of(user: Any) -> NotificationPreference:
    """A person's e-mail choices; the defaults (at once for what is urgent, a digest for the rest) without a row."""
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(user=user)


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    urgency: str = Urgency.OTHER,
    dedupe_key: str | None = None,
    email: bool = True,
) -> list[Notification]:
    """Tell people something in the app, and by e-mail as each of them chose.

    An urgent notification (a mention, a returned report, a review request) is
    mailed at once, after the commit, by a background task, to whoever wants
    it at once; the rest waits for the daily digest (`tasks.send_digests`).
    `email=False` keeps it in the app only. With a `dedupe_key`, each person
    gets the event at most once, however often the caller runs (a reminder
    job run twice).
    """
    people = {r.pk: r for r in recipients if r is not None and r.is_active}
    choices: dict[int, NotificationPreference] = {}
    keys = {pk: f"{dedupe_key}:{pk}" for pk in people} if dedupe_key else {}
    sent: set[str] = set()
    ids = list(people)
    for start in range(0, len(ids), CHUNK):  # bounded IN lists, whatever the number of people
        chunk = ids[start : start + CHUNK]
        choices.update({p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=chunk)})
        if keys:
            found = Notification.objects.filter(dedupe_key__in=[keys[pk] for pk in chunk])
            sent.update(key for key in found.values_list("dedupe_key", flat=True) if key)
    at_once: list[Notification] = []
    later: list[Notification] = []
    for recipient in people.values():
        key = keys.get(recipient.pk)
        if key in sent:
            continue
        notification = Notification(
            recipient=recipient,
            kind=kind,
            urgency=urgency,
            title=title[:200],
            body=body,
            url=url,
            dedupe_key=key,
            # Never to be mailed: marked as if sent, so no digest picks it up.
            email_sent_at=None if email else timezone.now(),
        )
        preference = choices.get(recipient.pk) or NotificationPreference(user=recipient)
        wants_now = email and preference.choice_for(urgency) == EmailChoice.AT_ONCE
        (at_once if wants_now else later).append(notification)
    created: list[Notification] = []
    with transaction.atomic():
        for notification in at_once:  # few (the urgent ones): each saved alone, to mail it by its id
            try:
                with transaction.atomic():
                    notification.save()
            except IntegrityError:  # the same key written at the same moment by another worker
                continue
            created.append(notification)
            transaction.on_commit(partial(send_notification_email.enqueue, notification_id=notification.pk))
        # The rest (an announcement to every account) in batches; a key written meanwhile is skipped.
        Notification.objects.bulk_create(later, batch_size=CHUNK, ignore_conflicts=bool(dedupe_key))
        created.extend(later)
    return created


def notifications_mark_read(*, actor: Any, notification_ids: Iterable[int] | None = None, url_prefix: str = "") -> int:
    """Mark one's own notifications read: all, some by id, or those pointing into one place (a thread)."""
    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    if url_prefix:
        unread = unread.filter(url__startswith=url_prefix)
    return unread.update(read_at=timezone.now())


def preference_update(*, actor: Any, urgent_email: str, other_email: str) -> NotificationPreference:
    """Change how one is told by e-mail; only one's own choices, each from the allowed values."""
    errors = {}
    if urgent_email not in EmailChoice.values:
        errors["urgent_email"] = _("Pilihan tidak dikenal.")
    if other_email not in (EmailChoice.DIGEST, EmailChoice.NEVER):
        errors["other_email"] = _("Pilihan tidak dikenal.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        preference, _created = NotificationPreference.objects.update_or_create(
            user=actor, defaults={"urgent_email": urgent_email, "other_email": other_email}
        )
    return preference
