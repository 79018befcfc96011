"""Mail for notifications, sent by a background task after the commit."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .models import Notification


@task()
def send_notification_email(notification_id: int) -> bool:
    """E-mail one notification. Idempotent: a notification is mailed at most once."""
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
        send_mail(f"[Simpul] {notification.title}", body, None, [notification.recipient.email])
        notification.email_sent_at = timezone.now()
        notification.save(update_fields=["email_sent_at"])
    return True
