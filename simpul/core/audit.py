"""Writing the audit log (see models.AuditEvent)."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest

from .http import client_ip
from .models import AuditAction, AuditEvent


def audit_event_record(
    *,
    action: AuditAction,
    actor: Any = None,
    username: str = "",
    target: models.Model | None = None,
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record one event. Call it inside the transaction of the work it describes."""
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_username=(actor.get_username() if is_user else username)[:150],
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        ip_address=client_ip(request) if request is not None else None,
        detail=detail or {},
    )
