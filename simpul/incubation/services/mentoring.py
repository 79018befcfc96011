"""Mentoring sessions: logged by a mentor assigned to the tenant, with an optional attachment.

Attachments are photos or PDF, checked by their content (`core.uploads`),
stored under a name of our own and served only by a view that asks the
policy (never from a public media URL).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts import policy
from simpul.accounts.policy import Action
from simpul.core import uploads
from simpul.core.formats import format_date

from ..models import Mentor, MentoringSession, Tenant

SESSION_FIELDS = ("held_on", "minutes", "topic", "notes", "follow_ups")
MAX_MINUTES = 600  # a working day; longer is a workshop, logged as several sessions
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def max_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def _apply(session: MentoringSession, tenant: Tenant, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise ValueError(f"unknown session fields: {sorted(unknown)}")
    for name, value in fields.items():
        if name in ("topic", "notes", "follow_ups"):
            value = (value or "").strip()
        setattr(session, name, value)
    errors: dict[str, str] = {}
    held_on: dt.date | None = session.held_on
    if held_on is None:
        errors["held_on"] = _("Isi tanggal sesi.")
    elif held_on > timezone.localdate():
        errors["held_on"] = _("Sesi yang belum terjadi belum dapat dicatat.")
    elif held_on < tenant.pre_on:
        errors["held_on"] = _("Tanggal ini sebelum tenant masuk inkubator (%(day)s).") % {
            "day": format_date(tenant.pre_on)
        }
    elif tenant.left_on and held_on > tenant.left_on:
        errors["held_on"] = _("Tanggal ini setelah tenant keluar dari inkubator (%(day)s).") % {
            "day": format_date(tenant.left_on)
        }
    if session.minutes is None or not 1 <= session.minutes <= MAX_MINUTES:
        errors["minutes"] = _("Isi lama sesi antara 1 dan %(max)s menit.") % {"max": MAX_MINUTES}
    if not session.topic:
        errors["topic"] = _("Tulis topik sesi.")
    if not session.notes:
        errors["notes"] = _("Tulis catatan sesi.")
    if errors:
        raise ValidationError(errors)


def _save(session: MentoringSession, actor: Any, upload: Any) -> None:
    """Validate everything first, so a refused session never leaves a stored file behind."""
    old_file = session.attachment.name if session.pk else ""
    session.full_clean(exclude=["attachment"])
    if upload is not None:
        content, mime = uploads.checked_file(
            upload, allowed=uploads.EVIDENCE_TYPES, max_bytes=max_bytes(), field="attachment"
        )
        # The stored name is ours: nothing the uploader typed reaches the file system.
        name = f"{uuid.uuid4().hex}.{uploads.EVIDENCE_TYPES[mime]}"
        session.attachment.save(name, ContentFile(content), save=False)
    session._history_user = actor  # type: ignore[attr-defined]
    try:
        session.save()
    except Exception:
        if upload is not None:
            session.attachment.delete(save=False)
        raise
    if upload is not None and old_file:
        storage = session.attachment.storage
        transaction.on_commit(lambda: storage.delete(old_file))


def session_create(*, actor: Any, tenant_id: Any, attachment: Any = None, **fields: Any) -> MentoringSession:
    """A mentor logs a session with one of their tenants."""
    with transaction.atomic():
        tenant = policy.get_or_404(actor, Tenant.objects.all(), Action.VIEW, pk=tenant_id)
        mentor = Mentor.objects.filter(user_id=actor.pk).first()
        if mentor is None:
            raise Http404
        session = MentoringSession(tenant=tenant, mentor=mentor)
        policy.require(actor, Action.CREATE, session)
        _apply(session, tenant, fields)
        _save(session, actor, attachment)
    return session


def session_update(
    *, actor: Any, session_id: Any, attachment: Any = None, remove_attachment: bool = False, **fields: Any
) -> MentoringSession:
    """The mentor who logged a session corrects it."""
    with transaction.atomic():
        session = policy.get_or_404(
            actor,
            MentoringSession.objects.select_for_update().select_related("tenant", "mentor"),
            Action.CHANGE,
            pk=session_id,
        )
        if session.mentor.user_id != actor.pk:
            raise Http404  # another mentor's notes are read, never rewritten
        _apply(session, session.tenant, fields)
        if remove_attachment and attachment is None and session.attachment:
            stored, storage = session.attachment.name, session.attachment.storage
            session.attachment = ""  # type: ignore[assignment]
            transaction.on_commit(lambda: storage.delete(stored))
        _save(session, actor, attachment)
    return session


def session_attachment_open(*, actor: Any, session_id: Any) -> MentoringSession:
    session = policy.get_or_404(actor, MentoringSession.objects.all(), Action.VIEW, pk=session_id)
    if not session.attachment or not session.attachment.storage.exists(session.attachment.name):
        raise Http404
    return session
