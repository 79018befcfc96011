"""Background work of the communication space: mail at once, the daily digest, an announcement's fan-out.

Mail goes through Django's mail framework (console in development, SMTP set by
the environment in production) and only from these tasks, never inside a
request. Each is idempotent: a notification is mailed at most once, whether at
once or in a digest, and an announcement reaches each person once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import EmailChoice, Notification, NotificationPreference, Urgency


@task()
def send_notification_email(notification_id: int) -> bool:
    """E-mail one notification now. Idempotent: a notification is mailed at most once."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id, email_sent_at__isnull=True)
            .first()
        )
        if notification is None or not notification.recipient.email or not notification.recipient.is_active:
            return False
        body = notification.body
        if notification.url:
            body += f"\n\n{settings.SITE_URL}{notification.url}"
        # A title holds names people typed (an author's, a centre's): a line break in a mail header
        # is refused (BadHeaderError), and the mail would never go; the subject is made one line.
        subject = " ".join(f"[Simpul] {notification.title}".split())
        send_mail(subject, body, None, [notification.recipient.email])
        notification.email_sent_at = timezone.now()
        notification.save(update_fields=["email_sent_at"])
    return True


def _wants_digest(preference: NotificationPreference | None, urgency: str) -> bool:
    choice = (preference or NotificationPreference()).choice_for(urgency)
    # An urgent notification of someone who wants it at once was mailed already, or is on its way:
    # the digest takes only what the person asked to receive in a digest.
    return choice == EmailChoice.DIGEST


def send_digests(*, now: dt.datetime | None = None) -> int:
    """One e-mail per person with what they have not read and not been mailed yet. Returns the mails sent."""
    moment = now or timezone.now()
    pending = Notification.objects.filter(
        email_sent_at__isnull=True, read_at__isnull=True, created_at__lte=moment, recipient__is_active=True
    ).exclude(recipient__email="")
    sent = 0
    user_model = get_user_model()
    for recipient_id in pending.values_list("recipient_id", flat=True).distinct().order_by("recipient_id"):
        with transaction.atomic():
            recipient = user_model.objects.get(pk=recipient_id)
            preference = NotificationPreference.objects.filter(user=recipient).first()
            items = list(pending.filter(recipient=recipient).select_for_update().order_by("created_at", "id"))
            chosen = [n for n in items if _wants_digest(preference, n.urgency)]
            if not chosen:
                continue
            with translation.override(settings.LANGUAGE_CODE):
                body = render_to_string(
                    "messaging/email_digest.txt",
                    {"recipient": recipient, "items": chosen, "site_url": settings.SITE_URL},
                )
                subject = _("[Simpul] Ringkasan harian: %(count)s notifikasi belum dibaca") % {"count": len(chosen)}
            send_mail(subject, body, None, [recipient.email])
            Notification.objects.filter(pk__in=[n.pk for n in chosen]).update(email_sent_at=timezone.now())
            sent += 1
    return sent


@task()
def send_digests_task() -> int:
    """The daily digest (run by `manage.py messaging_daily`)."""
    return send_digests()


@task()
def announcement_fan_out(comment_id: int) -> int:
    """Tell every active account of a national announcement (in the app; by e-mail in the digest)."""
    from .models import Comment
    from .services.notifications import notify

    comment = Comment.objects.select_related("author").filter(pk=comment_id, deleted_at__isnull=True).first()
    if comment is None:
        return 0
    people: Any = get_user_model().objects.filter(is_active=True).exclude(pk=comment.author_id).exclude(role="")
    created = notify(
        recipients=people.iterator(chunk_size=2000),
        kind="announcement",
        urgency=Urgency.OTHER,
        title=_("Pengumuman dari %(who)s") % {"who": comment.author.full_name or comment.author.get_username()},
        body=comment.body[:300],
        url=reverse("messaging:announcements") + f"#pesan-{comment.pk}",
        dedupe_key=f"announcement:{comment.pk}",
    )
    return len(created)
