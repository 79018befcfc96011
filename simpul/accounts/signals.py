"""Login, logout, failed login and lockout go to the audit log.

These are the auth framework's and django-axes's own signals: the one place
where those events surface. The handlers only record.
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from simpul.core.audit import audit_event_record
from simpul.core.models import AuditAction


@receiver(user_logged_in, dispatch_uid="simpul_audit_login")
def record_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_event_record(action=AuditAction.LOGIN, actor=user, request=request)


@receiver(user_logged_out, dispatch_uid="simpul_audit_logout")
def record_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_event_record(action=AuditAction.LOGOUT, actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="simpul_audit_login_failed")
def record_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    audit_event_record(
        action=AuditAction.LOGIN_FAILED, username=str(credentials.get("username", ""))[:150], request=request
    )


@receiver(user_locked_out, dispatch_uid="simpul_audit_locked_out")
def record_locked_out(sender: Any, request: Any, username: str, ip_address: str, **kwargs: Any) -> None:
    audit_event_record(action=AuditAction.LOCKED_OUT, username=username or "", request=request)
